"""Who may handle a 差评's rectification (整改) and appeal it (申诉), who decides appeals (复核),
and who sees the fix as the rater.

- A department's 好差评管理员 (``Role.EVALUATION``) and 部门管理员 handle the rectifications of
  the ratings the department answers for; a hall's 大厅管理员 (``HallRole.MANAGER``, which a
  区域管理员 over the hall and a superuser count as) those the hall answers for.
- A 监察员 (``RegionRole.SUPERVISOR``) of the rating's region or a region above it, or a
  superuser, decides appeals.
- The rater alone sees their rectification on the portal; for anyone else it does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.common.errors import NotFound, PermissionDenied
from yiwang.hall.access import halls_for, has_hall_role
from yiwang.hall.models import HallRole
from yiwang.orgs.models import RegionRole, Role
from yiwang.orgs.services import departments_for, has_role, scope_regions

from .models import Appeal, Rectification

HANDLER_ROLES = (Role.EVALUATION, Role.DEPARTMENT_ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_handle(user, department=None, hall=None) -> bool:
    """Whether ``user`` answers for ratings of ``department`` (else of ``hall``)."""
    if not _active(user):
        return False
    if department is not None:
        return has_role(user, department, *HANDLER_ROLES)
    if hall is not None:
        return has_hall_role(user, hall, HallRole.MANAGER)
    return False


def require_handler(user, department=None, hall=None) -> None:
    if not can_handle(user, department, hall):
        party = department or hall
        raise PermissionDenied(f"您不是{party}的好差评管理员，无权处理此差评",
                               code="rectification.not_handler")


def can_review_appeals(user, region) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(region.path.startswith(r.path) for r in scope_regions(user, RegionRole.SUPERVISOR))


def handles_ratings(user) -> bool:
    """Whether the workbench shows ``user`` the 差评整改 link at all."""
    if not _active(user):
        return False
    return (user.is_superuser or user.memberships.filter(role__in=HANDLER_ROLES).exists()
            or halls_for(user, HallRole.MANAGER).exists())


def reviews_appeals(user) -> bool:
    return _active(user) and (user.is_superuser or bool(scope_regions(user, RegionRole.SUPERVISOR)))


def _handled(user) -> Q:
    departments = departments_for(user, *HANDLER_ROLES).values("pk")
    return Q(department__in=departments) | Q(hall__in=halls_for(user, HallRole.MANAGER).values("pk"))


def handled_rectifications(user) -> QuerySet[Rectification]:
    """The rectifications ``user`` may see and act on as staff."""
    if not _active(user):
        return Rectification.objects.none()
    return Rectification.objects.filter(_handled(user))


def handled_rectification(user, pk) -> Rectification:
    """One of ``user``'s rectifications, or NotFound: another department's does not exist."""
    rect = (handled_rectifications(user).select_related(
        "rating__item__published_version", "rating__case", "rating__region", "rating__rater",
        "department", "hall", "region").filter(pk=pk).first())
    if rect is None:
        raise NotFound("差评整改不存在或您无权查看", code="rectification.not_found")
    return rect


def reviewable_appeals(user) -> QuerySet[Appeal]:
    if not _active(user):
        return Appeal.objects.none()
    if user.is_superuser:
        return Appeal.objects.all()
    scope = Q(pk__in=[])
    for region in scope_regions(user, RegionRole.SUPERVISOR):
        scope |= Q(rating__region__path__startswith=region.path)
    return Appeal.objects.filter(scope)


def reviewable_appeal(user, pk) -> Appeal:
    appeal = (reviewable_appeals(user).select_related(
        "rating__item__published_version", "rating__region", "rating__rater", "department", "hall",
        "filed_by").filter(pk=pk).first())
    if appeal is None:
        raise NotFound("申诉不存在或您无权复核", code="appeal.not_found")
    return appeal


def rater_rectification(user, pk) -> Rectification:
    """The rater's own rectification; anyone else's does not exist for them."""
    rect = None
    if _active(user):
        rect = (Rectification.objects.select_related(
            "rating__item__published_version", "rating__case", "department", "hall")
                .filter(pk=pk, rating__rater=user).first())
    if rect is None:
        raise NotFound("整改情况不存在", code="rectification.not_found")
    return rect
