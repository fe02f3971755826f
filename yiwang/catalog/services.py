"""Every change of state in the catalogue: creating items, editing drafts and the review flow
draft → submitted → approved → published → withdrawn.

Each function owns its transaction and its history record, checks permission through
``orgs.services.require_role``, and schedules the search-index update on commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.orgs.models import Department, Role
from yiwang.orgs.services import require_role

from . import codes
from .guide import clean_guide, diff_guides, guide_to_dict, write_guide
from .models import GuideVersion, ServiceItem, Topic, VersionEvent, VersionStatus
from .selectors import AUTHORING_ACTIONS

Action = VersionEvent.Action


def _schedule_reindex(item_id: int) -> None:
    from .tasks import reindex_item

    transaction.on_commit(lambda: reindex_item.enqueue(item_id))


def _record(version: GuideVersion, action: str, actor, comment: str = "",
            changes: dict | None = None) -> VersionEvent:
    return VersionEvent.objects.create(version=version, action=action, actor=actor,
                                       comment=comment, changes=changes or {})


def _lock_version(version: GuideVersion) -> GuideVersion:
    return GuideVersion.objects.select_for_update().select_related("item__department").get(
        pk=version.pk)


def expect_status(version, *statuses: str, doing: str, code: str = "guide.illegal_transition") -> None:
    """Refuse a step of the review flow that the version's status does not allow. Shared by
    every versioned definition (guide versions, 一件事 versions)."""
    if version.status not in statuses:
        raise Conflict(
            f"该版本当前状态为“{version.get_status_display()}”，不能{doing}",
            code=code,
            details={"status": version.status},
        )


def area_class_for(department: Department, nationally_set: bool) -> str:
    """"00" for items set by national law; otherwise the province's two-digit code."""
    return "00" if nationally_set else department.region.code[:2]


def next_sequence(*, area_class: str, item_type: str, department_code: str) -> int:
    prefix = f"{area_class}{item_type}{department_code}"
    last = (ServiceItem.objects.filter(basic_code__startswith=prefix)
            .aggregate(m=Max("basic_code"))["m"])
    sequence = int(last[6:9]) + 1 if last else 1
    if sequence > 999:
        raise Conflict("该部门此类事项的主项顺序号已用尽", code="item_code.sequence_exhausted")
    return sequence


def item_codes(*, department: Department, item_type: str, level: str,
               basic_code: str | None = None, nationally_set: bool = False,
               suffix: int = 1) -> codes.HandlingCode:
    """The codes a new item of ``department`` gets: an explicit ``basic_code`` is validated and
    must agree with the item type and the department; without one the next free sequence number
    is taken. Uniqueness against existing items is the caller's check (create_item, the import)."""
    if basic_code:
        basic = codes.parse_basic_code(basic_code)
        if basic.item_type != item_type:
            raise ValidationError(
                f"基本编码中的事项类型“{basic.item_type}”与所选事项类型“{item_type}”不一致",
                code="item_code.type_mismatch")
        if basic.department_code != department.code:
            raise ValidationError(
                f"基本编码中的部门编码“{basic.department_code}”与实施部门编码“{department.code}”不一致",
                code="item_code.department_mismatch")
    else:
        area_class = area_class_for(department, nationally_set)
        basic = codes.build_basic_code(
            area_class=area_class, item_type=item_type, department_code=department.code,
            sequence=next_sequence(area_class=area_class, item_type=item_type,
                                   department_code=department.code))
    return codes.build_handling_code(uscc=department.uscc, level=level, basic=basic, suffix=suffix)


@transaction.atomic
def create_item(*, department: Department, item_type: str, level: str, guide: dict[str, Any],
                actor, basic_code: str | None = None, nationally_set: bool = False,
                suffix: int = 1, topics: list[Topic] | None = None,
                check_permission: bool = True) -> ServiceItem:
    """Register an item and its first draft guide. Without ``basic_code`` one is generated from the
    department code and the next free sequence number; with one, it is validated and must agree
    with the item type and the department."""
    if check_permission:
        require_role(actor, department, Role.CATALOG_EDITOR)
    cleaned = clean_guide(guide)
    handling = item_codes(department=department, item_type=item_type, level=level,
                          basic_code=basic_code, nationally_set=nationally_set, suffix=suffix)
    basic = handling.implementation.basic
    if ServiceItem.objects.filter(handling_code=str(handling)).exists():
        raise Conflict(f"业务办理项编码“{handling}”已存在", code="item_code.duplicate",
                       details={"code": str(handling)})
    if ServiceItem.objects.filter(implementation_code=str(handling.implementation)).exists():
        raise Conflict(f"实施编码“{handling.implementation}”已存在", code="item_code.duplicate",
                       details={"code": str(handling.implementation)})
    item = ServiceItem.objects.create(
        basic_code=str(basic), implementation_code=str(handling.implementation),
        handling_code=str(handling), item_type=item_type, level=level, department=department,
        region=department.region,
    )
    if topics:
        item.topics.set(topics)
    version = GuideVersion(item=item, number=1, created_by=actor)
    write_guide(version, cleaned)
    _record(version, Action.CREATED, actor)
    return item


@transaction.atomic
def update_draft(version: GuideVersion, guide: dict[str, Any], *, actor) -> GuideVersion:
    version = _lock_version(version)
    require_role(actor, version.item.department, Role.CATALOG_EDITOR)
    expect_status(version, VersionStatus.DRAFT, doing="修改")
    cleaned = clean_guide(guide)
    changes = diff_guides(guide_to_dict(version), cleaned)
    if changes:
        write_guide(version, cleaned)
        _record(version, Action.EDITED, actor, changes=changes)
    return version


@transaction.atomic
def set_topics(item: ServiceItem, topics: list[Topic], *, actor) -> None:
    require_role(actor, item.department, Role.CATALOG_EDITOR)
    item.topics.set(topics)
    _schedule_reindex(item.pk)


@transaction.atomic
def submit_version(version: GuideVersion, *, actor, comment: str = "") -> GuideVersion:
    version = _lock_version(version)
    require_role(actor, version.item.department, Role.CATALOG_EDITOR)
    expect_status(version, VersionStatus.DRAFT, doing="提交审核")
    version.status = VersionStatus.SUBMITTED
    version.save(update_fields=["status", "updated_at"])
    _record(version, Action.SUBMITTED, actor, comment)
    return version


def authors_of(version: GuideVersion) -> set[int]:
    """Users who wrote this version's content: its creator and everyone who edited it."""
    ids = set(version.events.filter(action__in=AUTHORING_ACTIONS)
              .values_list("actor_id", flat=True))
    if version.created_by_id:
        ids.add(version.created_by_id)
    ids.discard(None)
    return ids


def require_other_reviewer(version, actor) -> None:
    """Four-eyes rule (四眼原则): nobody approves content they wrote themselves. ``version`` is
    any versioned definition with ``created_by`` and authoring ``events``."""
    if actor.pk in authors_of(version):
        raise PermissionDenied("不能审核自己起草或修改的版本", code="guide.self_review")


@transaction.atomic
def approve_version(version: GuideVersion, *, actor, comment: str = "") -> GuideVersion:
    version = _lock_version(version)
    require_role(actor, version.item.department, Role.CATALOG_REVIEWER)
    expect_status(version, VersionStatus.SUBMITTED, doing="审核")
    require_other_reviewer(version, actor)
    version.status = VersionStatus.APPROVED
    version.save(update_fields=["status", "updated_at"])
    _record(version, Action.APPROVED, actor, comment)
    return version


@transaction.atomic
def reject_version(version: GuideVersion, *, actor, comment: str) -> GuideVersion:
    version = _lock_version(version)
    require_role(actor, version.item.department, Role.CATALOG_REVIEWER)
    expect_status(version, VersionStatus.SUBMITTED, VersionStatus.APPROVED, doing="退回")
    if not (comment or "").strip():
        raise ValidationError("退回修改时请说明原因", code="guide.reason_required")
    version.status = VersionStatus.DRAFT
    version.save(update_fields=["status", "updated_at"])
    _record(version, Action.REJECTED, actor, comment)
    return version


@transaction.atomic
def publish_version(version: GuideVersion, *, actor, comment: str = "") -> GuideVersion:
    """Make an approved version the public one; the version it replaces becomes history."""
    version = _lock_version(version)
    require_role(actor, version.item.department, Role.CATALOG_REVIEWER)
    expect_status(version, VersionStatus.APPROVED, doing="发布")
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    previous = item.published_version
    if previous is not None:
        # Release the one-to-one slot before pointing it at the new version.
        item.published_version = None
        item.save(update_fields=["published_version"])
        previous.status = VersionStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        _record(previous, Action.SUPERSEDED, actor, f"被第{version.number}版替代")
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    item.published_version = version
    item.save(update_fields=["published_version"])
    _record(version, Action.PUBLISHED, actor, comment)
    _schedule_reindex(item.pk)
    return version


@transaction.atomic
def withdraw_item(item: ServiceItem, *, actor, reason: str) -> GuideVersion:
    """Take an item off the public catalogue (事项取消/暂停)."""
    item = ServiceItem.objects.select_for_update().select_related("department").get(pk=item.pk)
    require_role(actor, item.department, Role.CATALOG_REVIEWER)
    if not (reason or "").strip():
        raise ValidationError("撤回事项时请说明原因", code="guide.reason_required")
    version = item.published_version
    if version is None:
        raise Conflict("该事项没有已发布的版本，无需撤回", code="guide.not_published")
    item.published_version = None
    item.save(update_fields=["published_version"])
    version.status = VersionStatus.WITHDRAWN
    version.save(update_fields=["status", "updated_at"])
    _record(version, Action.WITHDRAWN, actor, reason)
    _schedule_reindex(item.pk)
    return version


@transaction.atomic
def start_revision(item: ServiceItem, *, actor) -> GuideVersion:
    """Editing a published (or withdrawn) item: copy its latest version into a new draft. If a
    draft or a version under review already exists, that one is returned instead."""
    item = ServiceItem.objects.select_for_update().select_related("department").get(pk=item.pk)
    require_role(actor, item.department, Role.CATALOG_EDITOR)
    open_version = item.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED]).first()
    if open_version is not None:
        return open_version
    source = item.versions.order_by("-number").first()
    draft = GuideVersion(item=item, number=source.number + 1, created_by=actor)
    write_guide(draft, clean_guide(guide_to_dict(source)))
    _record(draft, Action.CREATED, actor, f"由第{source.number}版复制")
    return draft


def get_item_by_code(code: str) -> ServiceItem:
    """Find an item by any of its codes; a malformed code is reported precisely."""
    code = (code or "").strip()
    parser, field = {
        31: (codes.parse_implementation_code, "implementation_code"),
        33: (codes.parse_handling_code, "handling_code"),
    }.get(len(code), (None, None))
    if parser is None:
        raise ValidationError(f"事项编码应为31位实施编码或33位业务办理项编码，实际为{len(code)}位",
                              code="item_code.length", details={"value": code})
    parser(code)
    try:
        return ServiceItem.objects.select_related(
            "department", "region", "published_version").get(**{field: code})
    except ServiceItem.DoesNotExist:
        raise NotFound(f"事项“{code}”不存在", code="item.not_found") from None


def get_published_item(code: str) -> ServiceItem:
    item = get_item_by_code(code)
    if item.published_version_id is None:
        withdrawn = item.versions.filter(status=VersionStatus.WITHDRAWN).exists()
        raise NotFound(
            f"事项“{code}”已撤回，暂不提供服务" if withdrawn else f"事项“{code}”尚未发布",
            code="item.withdrawn" if withdrawn else "item.not_published",
        )
    return item
