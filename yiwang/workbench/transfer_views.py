"""Staff pages for catalogue import and export: upload a file, watch the import job's progress
(the page polls with htmx every second until the job is done), read every bad row, and download
the published catalogue. The work itself is ``catalog.transfer``'s."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from yiwang.catalog import selectors, transfer
from yiwang.catalog.models import ImportJob
from yiwang.catalog.transfer import columns
from yiwang.common.errors import DomainError, NotFound

from .views import staff_required

RECENT_JOBS = 10
# A failed file can have an error on every one of 10,000 rows; the page shows the first ones and
# the API (GET /api/staff/transfer/imports/{id}) returns them all.
ERRORS_SHOWN = 500


@staff_required
def transfer_home(request):
    error = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = "请选择要导入的文件", 400
        else:
            try:
                job = transfer.start_import(name=upload.name, size=upload.size, read=upload.read,
                                            actor=request.user,
                                            publish=request.POST.get("publish") == "on")
            except DomainError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect("workbench:transfer-job", pk=job.pk)
    jobs = (ImportJob.objects.filter(created_by=request.user).defer("errors")
            .order_by("-created_at")[:RECENT_JOBS])
    return render(request, "workbench/transfer_home.html", {
        "error": error,
        "can_import": transfer.can_import(request.user),
        "max_mb": transfer.max_upload_bytes() // (1024 * 1024),
        "departments": selectors.staff_departments(request.user).order_by("name"),
        "jobs": jobs,
        "required_columns": [columns.header_for(key) for key in columns.REQUIRED_ITEM_COLUMNS],
        "item_columns": columns.item_columns(with_materials=True),
        "material_columns": columns.material_columns(),
    }, status=status)


def _job(request, pk: int) -> ImportJob:
    try:
        return transfer.get_job(pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _progress_context(job: ImportJob) -> dict:
    errors = [{**e, "column": columns.header_for(e.get("field"))}
              for e in job.errors[:ERRORS_SHOWN]]
    writing_for = None
    if job.status == ImportJob.Status.WRITING and job.write_started_at:
        writing_for = int((timezone.now() - job.write_started_at).total_seconds())
    return {"job": job, "finished": transfer.is_finished(job), "percent": transfer.percent_done(job),
            "errors": errors, "hidden_errors": max(0, len(job.errors) - ERRORS_SHOWN),
            "writing_for": writing_for}


@staff_required
def import_job(request, pk: int):
    return render(request, "workbench/transfer_job.html", _progress_context(_job(request, pk)))


@staff_required
def import_progress(request, pk: int):
    """The progress panel alone, which the job page fetches every second until the job ends."""
    return render(request, "workbench/transfer_progress.html", _progress_context(_job(request, pk)))
