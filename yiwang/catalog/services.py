"""Every change of state in the catalogue: creating items, editing drafts and the review flow
draft → submitted → approved → published → withdrawn.

Each function owns its transaction and its history record, checks permission through
``orgs.services.require_role``, and schedules the search-index update on commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal

from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.orgs.models import Department, Role
from yiwang.orgs.services import require_role

from . import codes
from .guide import clean_guide, diff_guides, guide_to_dict, write_guide
from .models import GuideVersion, ServiceItem, Topic, VersionEvent, VersionStatus
from .review import ReviewFlow

Action = VersionEvent.Action

# Sent with ``version`` and ``actor`` by ``publish_version`` inside its transaction, once the
# version is the item's public one: other apps act on a newly published guide (曝光纠错 marks the
# reports it corrects as fixed) without the catalogue knowing them. Inside the transaction, so a
# report is fixed exactly when its correction is published: a failing receiver rolls the
# publication back rather than leave a published correction whose report still says 整改中.
guide_published = Signal()


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


GUIDE_FLOW = ReviewFlow(lock=_lock_version, department_of=lambda version: version.item.department,
                        record=_record, code="guide")


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
    GUIDE_FLOW.expect(version, VersionStatus.DRAFT, doing="修改")
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
    return GUIDE_FLOW.submit(version, actor=actor, comment=comment)


@transaction.atomic
def approve_version(version: GuideVersion, *, actor, comment: str = "") -> GuideVersion:
    """审核通过, by a reviewer of the item's department who did not write the version."""
    return GUIDE_FLOW.approve(version, actor=actor, comment=comment)


@transaction.atomic
def reject_version(version: GuideVersion, *, actor, comment: str) -> GuideVersion:
    return GUIDE_FLOW.reject(version, actor=actor, comment=comment)


@transaction.atomic
def publish_version(version: GuideVersion, *, actor, comment: str = "") -> GuideVersion:
    """Make an approved version the public one; the version it replaces becomes history."""
    version = GUIDE_FLOW.publish(version, actor=actor, comment=comment, lock_owner=lambda v: (
        ServiceItem.objects.select_for_update().get(pk=v.item_id)))
    guide_published.send(sender=GuideVersion, version=version, actor=actor)
    _schedule_reindex(version.item_id)
    return version


@transaction.atomic
def withdraw_item(item: ServiceItem, *, actor, reason: str) -> GuideVersion:
    """Take an item off the public catalogue (事项取消/暂停)."""
    item = ServiceItem.objects.select_for_update().select_related("department").get(pk=item.pk)
    version = GUIDE_FLOW.withdraw(item, item.department, actor=actor, reason=reason, what="事项",
                                  doing="撤回")
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
