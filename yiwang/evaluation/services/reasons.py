"""差评原因: the standard list a 差评 chooses from, kept by system administrators and region
administrators: add, rename, reorder, switch off (a reason in use is never deleted, so old ratings
keep their reasons)."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max

from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.orgs.models import RegionRole
from yiwang.orgs.services import scope_regions
from yiwang.supervision import audit

from ..models import BadReviewReason
from ..standard_reasons import ORDER_STEP, STANDARD_REASONS

CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_NAME = 60
ACTIONS = {"added": "新增", "renamed": "改名", "moved": "调整顺序", "switched": "启用/停用"}


def ensure_standard() -> None:
    """The standard reasons, written where they are missing (renamed or switched-off ones are
    left as the administrator made them)."""
    for order, (code, name) in enumerate(STANDARD_REASONS, start=1):
        BadReviewReason.objects.get_or_create(code=code, defaults={"name": name,
                                                                   "order": order * ORDER_STEP})


def may_manage(user) -> bool:
    return user.is_superuser or bool(scope_regions(user, RegionRole.REGION_ADMIN))


def require_manager(user) -> None:
    if not may_manage(user):
        raise PermissionDenied("只有系统管理员和区域管理员可以维护差评原因",
                               code="permission.reason_admin_required")


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写原因名称", code="reason.name_required")
    if len(name) > MAX_NAME:
        raise ValidationError(f"原因名称不能超过{MAX_NAME}个字", code="reason.name_too_long")
    return name


def _locked(pk) -> BadReviewReason:
    valid = str(pk).isdigit() and len(str(pk)) < 19
    reason = BadReviewReason.objects.select_for_update().filter(pk=pk).first() if valid else None
    if reason is None:
        raise NotFound("差评原因不存在", code="reason.not_found")
    return reason


def _record(user, reason: BadReviewReason, what: str, **data) -> None:
    audit.record(f"evaluation.reason_{what}", actor=user, subject=reason,
                 summary=f"差评原因“{reason.name}”：{ACTIONS[what]}",
                 data={"code": reason.code, "name": reason.name, "active": reason.active,
                       "order": reason.order, **data})


@transaction.atomic
def add(user, *, code: str, name: str) -> BadReviewReason:
    require_manager(user)
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise ValidationError("代码应为2到40位小写字母、数字或下划线，以字母开头", code="reason.bad_code")
    if BadReviewReason.objects.filter(code=code).exists():
        raise Conflict("该代码已存在", code="reason.duplicate")
    last = BadReviewReason.objects.aggregate(last=Max("order"))["last"] or 0
    reason = BadReviewReason.objects.create(code=code, name=_name(name), order=last + ORDER_STEP)
    _record(user, reason, "added")
    return reason


@transaction.atomic
def rename(user, pk, name: str) -> BadReviewReason:
    require_manager(user)
    reason = _locked(pk)
    old, reason.name = reason.name, _name(name)
    reason.save(update_fields=["name"])
    _record(user, reason, "renamed", old_name=old)
    return reason


@transaction.atomic
def move(user, pk, direction: str) -> BadReviewReason:
    """Swap with the neighbour above (``up``) or below (``down``); renumbers the list so equal
    orders never leave the swap without effect."""
    require_manager(user)
    reason = _locked(pk)
    if direction not in ("up", "down"):
        raise ValidationError("调整方向无效", code="reason.bad_direction")
    listed = list(BadReviewReason.objects.select_for_update().order_by("order", "pk"))
    at = next(i for i, r in enumerate(listed) if r.pk == reason.pk)
    other = at - 1 if direction == "up" else at + 1
    if 0 <= other < len(listed):
        listed[at], listed[other] = listed[other], listed[at]
    for position, item in enumerate(listed, start=1):
        if item.order != position * ORDER_STEP:
            item.order = position * ORDER_STEP
            item.save(update_fields=["order"])
    reason.refresh_from_db()
    _record(user, reason, "moved", direction=direction)
    return reason


@transaction.atomic
def set_active(user, pk, active: bool) -> BadReviewReason:
    require_manager(user)
    reason = _locked(pk)
    reason.active = bool(active)
    reason.save(update_fields=["active"])
    _record(user, reason, "switched")
    return reason
