"""Catalogue import/export API (session-authenticated; uploads need the CSRF token).

POST /imports takes a multipart upload and answers 202 with the job and the URL to poll;
GET /imports/{id} shows its progress and, when it failed, every bad row with its line and reason;
GET /export streams the published catalogue as CSV, XLSX or JSON.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from typing import Any

from django.http import FileResponse
from django.urls import reverse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth

from yiwang.common.schemas import Id, error_responses, file_answer

from . import selectors, transfer
from .models import ImportJob

router = Router(tags=["事项导入导出"], auth=django_auth)


class ImportJobOut(Schema):
    id: int
    status: str
    status_display: str
    finished: bool
    file_name: str
    file_format: str
    publish: bool
    total: int
    processed: int
    percent: int
    created_count: int
    error_count: int
    errors: list[dict[str, Any]]
    created_at: datetime
    started_at: datetime | None
    write_started_at: datetime | None
    finished_at: datetime | None
    status_url: str


def job_status(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": job.get_status_display(),
        "finished": transfer.is_finished(job),
        "file_name": job.original_name,
        "file_format": job.file_format,
        "publish": job.publish,
        "total": job.total,
        "processed": job.processed,
        "percent": transfer.percent_done(job),
        "created_count": job.created_count,
        "error_count": len(job.errors),
        "errors": job.errors,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "write_started_at": job.write_started_at,
        "finished_at": job.finished_at,
        "status_url": reverse("api:import_job", kwargs={"job_id": job.pk}),
    }


@router.post("/imports", response={202: ImportJobOut, **error_responses(413)}, summary="上传文件并开始导入")
def create_import(request, file: File[UploadedFile], publish: Form[bool] = False):
    job = transfer.start_import(name=file.name, size=file.size, read=file.read, actor=request.user,
                                publish=publish)
    job.refresh_from_db()
    return 202, job_status(job)


@router.get("/imports/{job_id}", response=ImportJobOut, url_name="import_job",
            summary="导入任务进度与结果")
def import_job(request, job_id: Id):
    return job_status(transfer.get_job(job_id, viewer=request.user))


@router.get("/export", url_name="transfer_export",
            openapi_extra=file_answer("导出的事项目录文件", transfer.CONTENT_TYPES.values()),
            summary="导出已发布的事项目录（format=csv|xlsx|json，可按部门 id 筛选）")
def export(request, format: str = "csv", department: Id | None = None):
    transfer.check_can_export(request.user)
    file_format = transfer.check_format(format)
    scope = selectors.get_department(department) if department else None
    # A spooled file keeps small exports in memory and lets 100,000 items go to disk.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 FileResponse closes it
    transfer.export_catalog(out, file_format, department=scope)
    out.seek(0)
    return FileResponse(out, as_attachment=True,
                        filename=transfer.export_filename(file_format, scope),
                        content_type=transfer.CONTENT_TYPES[file_format])

