"""Staff API of the shared registries (共享数据项): a providing department's 部门管理员 lists the
records of a registry it provides, sends a subject's record (PUT, by the subject's ID number) and
cancels it. Mounted under /api/staff/, where the middleware asks for the second factor. Another
department's registry does not exist for the caller (404); staff who administer no providing
department get 403. Lists show ID numbers masked: a department's system that knows a number finds
its record by searching for the whole number."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.security import django_auth

from yiwang.common.identifiers import mask_id
from yiwang.common.pagination import paginate
from yiwang.common.schemas import Int64, PageNumber, PageSize

from . import selectors, services
from .models import Registry, RegistryRecord

router = Router(tags=["共享数据项维护（提供部门）"], auth=django_auth)


class FieldOut(Schema):
    name: str
    label: str


class RegistryOut(Schema):
    code: str
    name: str
    provider: str
    subject_kind: str
    fields: list[FieldOut]
    active: bool


class RecordOut(Schema):
    id: int
    registry: str
    subject_id_masked: str
    subject_name: str
    data: dict
    status: str
    status_label: str
    status_reason: str
    updated_at: str


class RecordPage(Schema):
    items: list[RecordOut]
    total: int
    page: int
    page_size: int
    pages: int


class RecordFilters(Schema):
    q: str = ""
    status: Literal["", "valid", "cancelled"] = ""
    page: PageNumber = 1
    page_size: PageSize = 20


class RecordIn(Schema):
    subject_name: str
    data: dict[str, str | Int64 | bool | None] = {}
    updated_at: dt.datetime | None = None


class CancelIn(Schema):
    reason: str


def _registry_out(registry: Registry) -> dict:
    return {"code": registry.code, "name": registry.name, "provider": registry.provider.name,
            "subject_kind": registry.subject_kind,
            "fields": [{"name": f["name"], "label": f["label"]} for f in registry.fields],
            "active": registry.active}


def _record_out(record: RegistryRecord, registry: Registry) -> dict:
    return {"id": record.pk, "registry": registry.code,
            "subject_id_masked": mask_id(record.subject_id_number),
            "subject_name": record.subject_name, "data": record.data, "status": record.status,
            "status_label": record.get_status_display(), "status_reason": record.status_reason,
            "updated_at": record.updated_at.isoformat()}


def _registry(request, code: str) -> Registry:
    """The caller's registry: 403 for staff who keep no registry at all, 404 for one of another
    department (as the workbench pages answer)."""
    selectors.require_maintainer(request.user)
    return selectors.maintained_registry(request.user, code)


@router.get("", response=list[RegistryOut], summary="我所在部门提供的共享数据项")
def provided_registries(request):
    selectors.require_maintainer(request.user)
    return [_registry_out(r) for r in selectors.maintained_registries(request.user)]


@router.get("/{code}/records", response=RecordPage,
            summary="共享数据项的记录（q 按名称或完整证件号码查找，status 按状态筛选）")
def registry_records(request, code: str, filters: Query[RecordFilters]):
    registry = _registry(request, code)
    page = paginate(selectors.registry_records(registry, q=filters.q, status=filters.status),
                    filters.page, filters.page_size)
    return page.as_json(lambda record: _record_out(record, registry))


@router.put("/{code}/records/{subject_id_number}", response=RecordOut,
            summary="报送一条记录（新增，或以新版本替换；已注销的记录重新报送即恢复有效）")
def put_registry_record(request, code: str, subject_id_number: str, body: RecordIn):
    registry = _registry(request, code)
    updated_at = body.updated_at
    if updated_at is not None and timezone.is_naive(updated_at):
        updated_at = timezone.make_aware(updated_at)  # a time without offset is local (Asia/Shanghai)
    record = services.put_record(registry, actor=request.user, subject_id_number=subject_id_number,
                                 subject_name=body.subject_name, data=body.data,
                                 updated_at=updated_at)
    return _record_out(record, registry)


@router.post("/{code}/records/{subject_id_number}/cancel", response=RecordOut,
             summary="注销一条记录（须写明原因）")
def cancel_registry_record(request, code: str, subject_id_number: str, body: CancelIn):
    registry = _registry(request, code)
    record = selectors.registry_record(registry, subject_id_number=subject_id_number)
    return _record_out(services.cancel_record(record, actor=request.user, reason=body.reason),
                       registry)
