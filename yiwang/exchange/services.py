"""Writing the usage log (every use of a holder's licence or registry record by a department, for
a case), the snapshot a case keeps of a registry record it used, and the registries' own changes
(a providing department's 部门管理员 sends a new version of a record, or cancels it, each change
audited), with the read side those maintenance pages and the API share."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from yiwang.common.errors import Conflict, ValidationError
from yiwang.common.identifiers import mask_id, validate_resident_id, validate_uscc
from yiwang.licences.models import HolderKind
from yiwang.orgs.services import require_role
from yiwang.supervision import audit

from .models import DataUse, RecordStatus, Registry, RegistryRecord
from .selectors import MAINTAINER_ROLES

PURPOSE_ATTACHED = "申请材料免提交（申请人同意使用）"
PURPOSE_VIEWED = "审查办件时查看电子证照"
PURPOSE_DATA_VIEWED = "审查办件时查看共享数据"


def record_licence_use(licence, case, *, purpose: str, actor) -> DataUse:
    """One row of the holder's log, in the caller's transaction."""
    return DataUse.objects.create(
        holder_user=licence.holder_user, holder_company=licence.holder_company, licence=licence,
        data_source=f"{licence.type_name}（{licence.identifier}）", department=case.department,
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


# --- the providing department's maintenance of its registries ------------------------------------
#
# Who keeps a registry's records: ``selectors.MAINTAINER_ROLES`` of its providing department.
# ``actor=None`` is the platform itself loading a registry's feed (the demo loader, a nightly
# import): not checked, audited as the system, as ``calendar.services`` treats its command-line
# operator.

MAX_REASON = 200
# How far a record's time may lie ahead of the platform's clock (the registry's clock may differ).
CLOCK_SKEW = dt.timedelta(minutes=5)


def _require_maintainer(actor, registry: Registry) -> None:
    if actor is not None:
        require_role(actor, registry.provider, *MAINTAINER_ROLES)


def _subject_id(registry: Registry, value: str) -> str:
    """The compact ID number of a record's subject: a 居民身份证号 (GB 11643) for a registry of
    people, a 统一社会信用代码 (GB 32100) for one of companies, as licences name their holders."""
    value = (value or "").strip()
    if not value:
        raise ValidationError("请填写数据主体的证件号码", code="exchange.subject_id_required")
    if registry.subject_kind == HolderKind.COMPANY:
        return validate_uscc(value)
    return validate_resident_id(value)


def _subject_name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationError("请填写数据主体名称", code="exchange.subject_name_required")
    if len(name) > 200:
        raise ValidationError("数据主体名称不能超过200个字", code="exchange.subject_name_too_long")
    return name


def _plain_fields(data: dict) -> dict:
    if not isinstance(data, dict):
        raise ValidationError("数据内容应为对象", code="exchange.data_not_object")
    return {str(k): v if isinstance(v, str | int | bool) or v is None else str(v)
            for k, v in data.items()}


def _registry_data(registry: Registry, data: dict) -> dict:
    """The record's data checked against the registry's declared fields: only declared names,
    and a value for each field, unless its declaration says ``"required": false``. Strings are
    trimmed, so a value of spaces counts as missing."""
    data = {name: value.strip() if isinstance(value, str) else value
            for name, value in _plain_fields(data).items()}
    declared = {f["name"]: f for f in registry.fields}
    unknown = sorted(set(data) - set(declared))
    if unknown:
        raise ValidationError(f"{registry.name}没有数据字段：{'、'.join(unknown)}",
                              code="exchange.field_unknown", details={"fields": unknown})
    missing = [f for name, f in declared.items()
               if f.get("required", True) and data.get(name) in (None, "")]
    if missing:
        raise ValidationError(f"请填写：{'、'.join(f['label'] for f in missing)}",
                              code="exchange.field_required",
                              details={"fields": [f["name"] for f in missing]})
    return data


@transaction.atomic
def put_record(registry: Registry, *, actor, subject_id_number: str, subject_name: str, data: dict,
               updated_at=None) -> RegistryRecord:
    """The providing department sends a subject's record (new, or a new version of it; a
    cancelled record sent again is valid again). The time is the registry's; a case that used
    the old version keeps its snapshot and a draft that has not been submitted yet is asked to
    confirm again (``cases`` checks at submission).

    Raises PermissionDenied unless ``actor`` is a 部门管理员 of the provider (``None``: the system),
    ValidationError for an ID number, name or data the registry cannot hold or a time ahead of
    the platform's clock, Conflict for a version older than the one held (a feed delivered out
    of order must not overwrite the newer record)."""
    _require_maintainer(actor, registry)
    subject_id_number = _subject_id(registry, subject_id_number)
    now = timezone.now()
    updated_at = updated_at or now
    if updated_at > now + CLOCK_SKEW:
        raise ValidationError(f"数据更新时间 {timezone.localtime(updated_at):%Y-%m-%d %H:%M} 晚于当前时间",
                              code="exchange.updated_at_future")
    fields = {"subject_name": _subject_name(subject_name), "data": _registry_data(registry, data),
              "status": RecordStatus.VALID, "status_reason": "", "updated_at": updated_at}
    record = RegistryRecord.objects.select_for_update().filter(
        registry=registry, subject_id_number=subject_id_number).first()
    if record is not None and updated_at < record.updated_at:
        raise Conflict(f"平台已有该记录 {timezone.localtime(record.updated_at):%Y-%m-%d %H:%M:%S} 的版本，"
                       "不能用更早的版本覆盖", code="exchange.record_stale",
                       details={"held_updated_at": record.updated_at.isoformat()})
    created = record is None
    if created:
        record = RegistryRecord.objects.create(registry=registry,
                                               subject_id_number=subject_id_number, **fields)
    else:
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()
    # The log keeps which fields were sent, not their values: they are the subject's personal
    # data, and the record itself holds them.
    masked, verb = mask_id(subject_id_number), "新增" if created else "更新"
    audit.record("exchange.record_created" if created else "exchange.record_updated",
                 actor=actor, subject=record,
                 summary=f"{verb}{registry.name}记录 {fields['subject_name']}（{masked}）",
                 data={"registry": registry.code, "subject_id_number": masked,
                       "fields": sorted(fields["data"])})
    return record


@transaction.atomic
def cancel_record(record: RegistryRecord, *, actor, reason: str, cancelled_at=None) -> RegistryRecord:
    """The registry cancels the record (户籍注销, 市场主体注销): it is no longer offered, and a draft
    that used it is refused at submission.

    Raises PermissionDenied as ``put_record`` does, ValidationError without a reason, Conflict
    when the record is already cancelled (the first reason stands)."""
    # Only the record's row is locked: a join would lock its registry and department too.
    record = RegistryRecord.objects.select_for_update().get(pk=record.pk)
    _require_maintainer(actor, record.registry)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写注销的原因", code="exchange.reason_required")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"注销原因不能超过{MAX_REASON}个字", code="exchange.reason_too_long")
    if record.status == RecordStatus.CANCELLED:
        when = timezone.localtime(record.updated_at)
        raise Conflict(f"该记录已于{when:%Y-%m-%d}注销（{record.status_reason}），不能再次注销",
                       code="exchange.record_already_cancelled")
    record.status, record.status_reason = RecordStatus.CANCELLED, reason
    record.updated_at = cancelled_at or timezone.now()
    record.save(update_fields=["status", "status_reason", "updated_at"])
    masked = mask_id(record.subject_id_number)
    audit.record("exchange.record_cancelled", actor=actor, subject=record,
                 summary=f"注销{record.registry.name}记录 {record.subject_name}（{masked}）：{reason}",
                 data={"registry": record.registry.code, "subject_id_number": masked,
                       "reason": reason})
    return record
