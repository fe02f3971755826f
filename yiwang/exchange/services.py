"""Writing the usage log: every use of a holder's licence by a department, for a case."""

from __future__ import annotations

from django.utils import timezone

from .models import DataUse

PURPOSE_ATTACHED = "申请材料免提交（申请人同意使用）"
PURPOSE_VIEWED = "审查办件时查看电子证照"


def record_licence_use(licence, case, *, purpose: str, actor) -> DataUse:
    """One row of the holder's log, in the caller's transaction."""
    return DataUse.objects.create(
        holder_user=licence.holder_user, holder_company=licence.holder_company, licence=licence,
        data_source=f"{licence.licence_type.name}（{licence.identifier}）", department=case.department,
        case=case, purpose=purpose, used_at=timezone.now(), actor=actor)


def record_case_view(case, *, actor) -> int:
    """A staff member opened ``case``: each licence attached in place of a material is a use."""
    files = case.files.filter(superseded=False, licence__isnull=False).select_related(
        "licence__licence_type")
    for case_file in files:
        record_licence_use(case_file.licence, case, purpose=PURPOSE_VIEWED, actor=actor)
    return len(files)
