"""Staff reading personal data: opening a case and downloading its files are audited (issue:
every view of personal data and file download by staff goes to the audit chain)."""

from __future__ import annotations

from django.db import transaction

from yiwang.common.errors import NotFound
from yiwang.exchange.services import record_case_view
from yiwang.supervision import audit

from ..access import staff_case
from ..models import Case, CaseFile


@transaction.atomic
def view_case(user, pk, *, ip: str | None = None) -> Case:
    case = staff_case(user, pk)
    audit.record("case.personal_data_viewed", actor=user, subject=case, ip=ip,
                 summary=f"查看办件{case.number}的申请人信息和申请材料")
    record_case_view(case, actor=user)
    return case


@transaction.atomic
def open_file(user, case_pk, file_pk, *, ip: str | None = None) -> CaseFile:
    case = staff_case(user, case_pk)
    # A licence or registry record used in place of a material has no file: it is verified, not
    # downloaded.
    case_file = (case.files.filter(pk=file_pk).exclude(file="").first()
                 if str(file_pk).isdigit() else None)
    if case_file is None:
        raise NotFound("文件不存在", code="case.file_not_found")
    audit.record("case.file_downloaded", actor=user, subject=case, ip=ip,
                 summary=f"下载办件{case.number}的材料“{case_file.original_name}”",
                 data={"file": case_file.pk, "sha256": case_file.sha256})
    return case_file
