"""Staff catalogue API: drafts and the review flow (session-authenticated).

The same rules as the workbench pages: a user sees only the items of the departments where they
are catalogue editor or reviewer (anything else is 404), and every change goes through one
catalogue service, whose refusals the API root maps to ``{code, message, details}`` (403 for a
missing role or self-review, 409 for a wrong state or a duplicate code, 400 for an invalid guide or
code). ``django_auth`` answers 401 without a session and checks CSRF on every unsafe method.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Query, Router, Schema
from ninja.security import django_auth

from yiwang.common.errors import NotFound, ValidationError
from yiwang.common.pagination import paginate
from yiwang.common.schemas import Id, Int64, PageNumber, PageSize
from yiwang.orgs.models import Department

from . import selectors, services
from .guide import compare_guides, guide_to_dict
from .models import GuideVersion, ServiceItem, Topic, VersionEvent

router = Router(tags=["事项管理（工作人员）"], auth=django_auth)


class VersionSummary(Schema):
    id: int
    number: int
    status: str
    status_name: str
    name: str
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class VersionOut(VersionSummary):
    item_id: Id
    guide: dict[str, Any]


class StaffItemSummary(Schema):
    id: int
    handling_code: str
    implementation_code: str
    basic_code: str
    item_type: str
    level: str
    department_id: int
    department: str
    name: str
    latest_version_id: int
    latest_number: int
    latest_status: str
    published_version_id: int | None


class StaffItemPage(Schema):
    items: list[StaffItemSummary]
    total: int
    page: int
    page_size: int
    pages: int


class StaffItemDetail(StaffItemSummary):
    topics: list[str]
    versions: list[VersionOut]


class StaffItemFilters(Schema):
    q: str = ""
    status: str = ""
    item_type: str = ""
    department: Id | None = None
    page: PageNumber = 1
    page_size: PageSize = 20


class ItemIn(Schema):
    department_id: Id
    item_type: str
    level: str
    basic_code: str | None = None
    nationally_set: bool = False
    suffix: Int64 = 1
    topics: list[str] = []
    guide: dict[str, Any]


class GuideIn(Schema):
    guide: dict[str, Any]


class CommentIn(Schema):
    comment: str = ""


class WithdrawItemIn(Schema):
    reason: str


class VersionEventOut(Schema):
    id: int
    version_id: Id
    version_number: int
    action: str
    action_name: str
    actor: str | None
    at: datetime
    comment: str
    changes: dict[str, Any]


class FieldChange(Schema):
    field: str
    label: str
    old: Any
    new: Any


class MaterialChange(Schema):
    status: str
    name: str
    old_position: int | None
    new_position: int | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    fields: dict[str, list[Any]]


class DiffOut(Schema):
    a: int
    b: int
    a_number: int
    b_number: int
    fields: list[FieldChange]
    materials: list[MaterialChange]


def _version_summary(version: GuideVersion) -> dict[str, Any]:
    return {
        "id": version.pk, "number": version.number, "status": version.status,
        "status_name": version.get_status_display(), "name": version.name,
        "created_by": version.created_by.username if version.created_by else None,
        "created_at": version.created_at, "updated_at": version.updated_at,
        "published_at": version.published_at,
    }


def _version(version: GuideVersion) -> dict[str, Any]:
    return {**_version_summary(version), "item_id": version.item_id,
            "guide": guide_to_dict(version)}


def _item_summary(item: ServiceItem) -> dict[str, Any]:
    return {
        "id": item.pk, "handling_code": item.handling_code,
        "implementation_code": item.implementation_code, "basic_code": item.basic_code,
        "item_type": item.item_type, "level": item.level, "department_id": item.department_id,
        "department": item.department.name, "name": item.latest_name,
        "latest_version_id": item.latest_version_id, "latest_number": item.latest_number,
        "latest_status": item.latest_status, "published_version_id": item.published_version_id,
    }


def _item_detail(user, item_id: int) -> dict[str, Any]:
    item = selectors.staff_item(user, item_id)
    versions = (item.versions.select_related("created_by").prefetch_related("materials", "faqs")
                .order_by("-number"))
    return {**_item_summary(item), "topics": [t.slug for t in item.topics.all()],
            "versions": [_version(v) for v in versions]}


def _reload(request, version: GuideVersion) -> dict[str, Any]:
    return _version(selectors.staff_version(request.user, version.pk))


def _topics(slugs: list[str]) -> list[Topic]:
    topics = list(Topic.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {t.slug for t in topics})
    if unknown:
        raise ValidationError(f"人生事件/主题“{'、'.join(unknown)}”不存在", code="topic.unknown",
                              details={"topics": unknown})
    return topics


@router.get("/items", response=StaffItemPage, summary="我所在部门的事项")
def list_items(request, filters: Query[StaffItemFilters]):
    items = selectors.filter_staff_items(
        request.user, q=filters.q, status=filters.status, item_type=filters.item_type,
        department_id=filters.department)
    page = paginate(items, filters.page, filters.page_size)
    return page.as_json(_item_summary)


@router.post("/items", response={201: StaffItemDetail}, summary="新建事项（第1版草稿）")
def create_item(request, payload: ItemIn):
    try:
        department = Department.objects.get(pk=payload.department_id)
    except Department.DoesNotExist:
        raise NotFound("部门不存在", code="department.not_found") from None
    item = services.create_item(
        department=department, item_type=payload.item_type, level=payload.level,
        basic_code=payload.basic_code or None, nationally_set=payload.nationally_set,
        suffix=payload.suffix, topics=_topics(payload.topics), guide=payload.guide,
        actor=request.user)
    return 201, _item_detail(request.user, item.pk)


@router.get("/items/{item_id}", response=StaffItemDetail, summary="事项及其全部版本")
def get_item(request, item_id: Id):
    return _item_detail(request.user, item_id)


@router.get("/versions/{version_id}", response=VersionOut, summary="一个版本的办事指南")
def get_version(request, version_id: Id):
    return _version(selectors.staff_version(request.user, version_id))


@router.put("/versions/{version_id}", response=VersionOut, summary="修改草稿")
def update_draft(request, version_id: Id, payload: GuideIn):
    version = selectors.staff_version(request.user, version_id)
    return _reload(request, services.update_draft(version, payload.guide, actor=request.user))


def _transition(request, version_id: int, service, payload: CommentIn) -> dict[str, Any]:
    version = selectors.staff_version(request.user, version_id)
    return _reload(request, service(version, actor=request.user, comment=payload.comment))


@router.post("/versions/{version_id}/submit", response=VersionOut, summary="提交审核")
def submit(request, version_id: Id, payload: CommentIn):
    return _transition(request, version_id, services.submit_version, payload)


@router.post("/versions/{version_id}/approve", response=VersionOut, summary="审核通过")
def approve(request, version_id: Id, payload: CommentIn):
    return _transition(request, version_id, services.approve_version, payload)


@router.post("/versions/{version_id}/reject", response=VersionOut, summary="退回修改（须说明原因）")
def reject(request, version_id: Id, payload: CommentIn):
    return _transition(request, version_id, services.reject_version, payload)


@router.post("/versions/{version_id}/publish", response=VersionOut, summary="发布")
def publish(request, version_id: Id, payload: CommentIn):
    return _transition(request, version_id, services.publish_version, payload)


@router.post("/items/{item_id}/withdraw", response=VersionOut, summary="撤回事项（须说明原因）")
def withdraw(request, item_id: Id, payload: WithdrawItemIn):
    item = selectors.staff_item(request.user, item_id)
    return _reload(request, services.withdraw_item(item, actor=request.user, reason=payload.reason))


@router.post("/items/{item_id}/revision", response=VersionOut,
             summary="修改已发布事项：打开新草稿（已有未发布版本时返回该版本）")
def start_revision(request, item_id: Id):
    item = selectors.staff_item(request.user, item_id)
    return _reload(request, services.start_revision(item, actor=request.user))


@router.get("/items/{item_id}/history", response=list[VersionEventOut],
            summary="版本历史：谁、何时、做了什么")
def history(request, item_id: Id):
    item = selectors.staff_item(request.user, item_id)
    events = (VersionEvent.objects.filter(version__item=item)
              .select_related("actor", "version").order_by("at", "pk"))
    return [{
        "id": e.pk, "version_id": e.version_id, "version_number": e.version.number,
        "action": e.action, "action_name": e.get_action_display(),
        "actor": e.actor.username if e.actor else None, "at": e.at, "comment": e.comment,
        "changes": e.changes,
    } for e in events]


@router.get("/items/{item_id}/diff", response=DiffOut, summary="两个版本逐项对比")
def diff(request, item_id: Id, a: Id, b: Id):
    item = selectors.staff_item(request.user, item_id)
    old, new = selectors.version_of_item(item, a), selectors.version_of_item(item, b)
    return {"a": old.pk, "b": new.pk, "a_number": old.number, "b_number": new.number,
            **compare_guides(guide_to_dict(old), guide_to_dict(new))}
