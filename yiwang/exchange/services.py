"""Writing the usage log (every use of a holder's licence or registry record by a department, for
a case), the snapshot a case keeps of a registry record it used, and the registries' own changes
(a providing department sends a new version of a record, or cancels it)."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from yiwang.common.errors import ValidationError
from yiwang.licences.models import HolderKind

from .models import DataUse, RecordStatus, Registry, RegistryRecord

PURPOSE_ATTACHED = "申请材料免提交（申请人同意使用）"
PURPOSE_VIEWED = "审查办件时查看电子证照"
PURPOSE_DATA_VIEWED = "审查办件时查看共享数据"


def record_licence_use(licence, case, *, purpose: str, actor) -> DataUse:
    """One row of the holder's log, in the caller's transaction."""
    return DataUse.objects.create(
        holder_user=licence.holder_user, holder_company=licence.holder_company, licence=licence,
        data_source=f"{licence.licence_type.name}（{licence.identifier}）", department=case.department,
        case=case, item_name=case.version.name, purpose=purpose, used_at=timezone.now(), actor=actor)


def registry_source(record: RegistryRecord) -> str:
    registry = record.registry
    return f"{registry.name}（{registry.provider.name}）"


def record_registry_use(record: RegistryRecord, case, *, purpose: str, actor) -> DataUse:
    """One row of the subject's log, in the caller's transaction. The subject is the case's
    company or applicant: a record is only ever used by the case of its own subject."""
    company = record.registry.subject_kind == HolderKind.COMPANY
    return DataUse.objects.create(
        holder_user=None if company else case.applicant,
        holder_company=case.company if company else None, registry_record=record,
        data_source=registry_source(record), department=case.department, case=case,
        item_name=case.version.name, purpose=purpose, used_at=timezone.now(), actor=actor)


def record_case_view(case, *, actor) -> int:
    """A staff member opened ``case``: each licence or registry record attached in place of a
    material is a use."""
    files = case.files.filter(superseded=False).exclude(
        licence__isnull=True, registry_record__isnull=True).select_related(
        "licence__licence_type", "registry_record__registry__provider")
    for case_file in files:
        if case_file.licence_id:
            record_licence_use(case_file.licence, case, purpose=PURPOSE_VIEWED, actor=actor)
        else:
            record_registry_use(case_file.registry_record, case, purpose=PURPOSE_DATA_VIEWED,
                                actor=actor)
    return len(files)


def snapshot(record: RegistryRecord) -> dict:
    """What a case keeps of a record it used: the registry, the subject and each field with its
    label, as the registry had them at ``record_updated_at``."""
    registry = record.registry
    labels = {f["name"]: f["label"] for f in registry.fields}
    names = [f["name"] for f in registry.fields] + [n for n in record.data if n not in labels]
    return {
        "registry": registry.code, "registry_name": registry.name,
        "provider": registry.provider.name, "subject_name": record.subject_name,
        "subject_id_number": record.subject_id_number,
        "fields": [{"name": n, "label": labels.get(n, n), "value": record.data.get(n, "")}
                   for n in names if n in record.data],
        "record_updated_at": record.updated_at.isoformat(),
    }


def snapshot_digest(data: dict) -> str:
    """SHA-256 of the snapshot in canonical JSON: the attachment's fingerprint, like a file's."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain_fields(data: dict) -> dict:
    if not isinstance(data, dict):
        raise ValidationError("数据内容应为对象", code="exchange.data_not_object")
    return {str(k): v if isinstance(v, str | int | bool) or v is None else str(v)
            for k, v in data.items()}


@transaction.atomic
def put_record(registry: Registry, *, subject_id_number: str, subject_name: str, data: dict,
               updated_at=None) -> RegistryRecord:
    """The providing department sends a subject's record (new, or a new version of it). The
    time is the registry's; a case that used the old version keeps its snapshot and a draft
    that has not been submitted yet is asked to confirm again (``cases`` checks at submission)."""
    fields = {"subject_name": subject_name, "data": _plain_fields(data),
              "status": RecordStatus.VALID, "status_reason": "",
              "updated_at": updated_at or timezone.now()}
    record = RegistryRecord.objects.select_for_update().filter(
        registry=registry, subject_id_number=subject_id_number).first()
    if record is None:
        return RegistryRecord.objects.create(registry=registry, subject_id_number=subject_id_number,
                                             **fields)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record


@transaction.atomic
def cancel_record(record: RegistryRecord, *, reason: str, cancelled_at=None) -> RegistryRecord:
    """The registry cancels the record (户籍注销, 市场主体注销): it is no longer offered, and a draft
    that used it is refused at submission."""
    record = RegistryRecord.objects.select_for_update().get(pk=record.pk)
    record.status, record.status_reason = RecordStatus.CANCELLED, reason.strip()
    record.updated_at = cancelled_at or timezone.now()
    record.save(update_fields=["status", "status_reason", "updated_at"])
    return record
