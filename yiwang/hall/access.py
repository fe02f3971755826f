"""Who may do what in a hall (大厅人员权限).

A hall's own staff hold ``HallRole``s there (``HallMember``); department staff work at the
hall's 专业窗口 through their department roles. A 大厅管理员 (MANAGER) configures the hall and may
work any of its windows. A system administrator, and a 区域管理员 of the hall's region or of a
region above it, count as the hall's MANAGER, as they do for departments (``orgs.services``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.common.errors import PermissionDenied
from yiwang.orgs.models import Membership, RegionRole, Role, ServiceHall
from yiwang.orgs.services import scope_regions

from .models import HallMember, HallRole, Window, WindowKind

# Department roles that staff a department's 专业窗口.
SPECIALISED_WINDOW_ROLES = (Role.WINDOW_CLERK, Role.ACCEPTOR)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _administers_region(user, region) -> bool:
    return any(region.path.startswith(r.path)
               for r in scope_regions(user, RegionRole.REGION_ADMIN))


def hall_roles(user, hall: ServiceHall) -> set[str]:
    """The ``HallRole`` values ``user`` holds in ``hall``; MANAGER included for a superuser and
    for a 区域管理员 over the hall's region."""
    if not _active(user):
        return set()
    roles = set(HallMember.objects.filter(user=user, hall=hall).values_list("role", flat=True))
    if user.is_superuser or _administers_region(user, hall.region):
        roles.add(HallRole.MANAGER)
    return roles


def has_hall_role(user, hall: ServiceHall, *roles: str) -> bool:
    return bool(hall_roles(user, hall) & set(roles))


def require_hall_role(user, hall: ServiceHall, *roles: str) -> None:
    """Raise PermissionDenied unless ``user`` holds one of ``roles`` in ``hall``."""
    if not has_hall_role(user, hall, *roles):
        names = "或".join(HallRole(r).label for r in roles)
        raise PermissionDenied(f"您不是{hall.name}的{names}，无权执行此操作",
                               code="permission.hall_role_required")


def halls_for(user, *roles: str) -> QuerySet[ServiceHall]:
    """The halls where ``user`` holds one of ``roles`` (any role if none is given); with MANAGER
    asked for, also the halls of the regions the user administers (every hall for a
    superuser)."""
    if not _active(user):
        return ServiceHall.objects.none()
    wanted = set(roles or HallRole.values)
    if user.is_superuser and HallRole.MANAGER in wanted:
        return ServiceHall.objects.all()
    where = Q(members__user=user, members__role__in=wanted)
    if HallRole.MANAGER in wanted:
        for region in scope_regions(user, RegionRole.REGION_ADMIN):
            where |= Q(region__path__startswith=region.path)
    return ServiceHall.objects.filter(where).distinct()


def _window_departments(user) -> set[int]:
    if not _active(user):
        return set()
    return set(Membership.objects.filter(user=user, role__in=SPECIALISED_WINDOW_ROLES)
               .values_list("department_id", flat=True))


def _may_work(roles: set[str], departments: set[int], window: Window) -> bool:
    if HallRole.MANAGER in roles:
        return True
    if window.kind == WindowKind.SPECIALISED:
        return window.department_id in departments
    if window.kind == WindowKind.CONSULT and HallRole.PROXY in roles:
        return True
    return HallRole.CLERK in roles


def can_work_window(user, window: Window) -> bool:
    """Whether ``user`` may sign in to ``window`` (a roster entry is asked for separately):
    a hall MANAGER any window of the hall; a hall CLERK any window but a 专业窗口; a 帮办代办员
    the 咨询/帮办窗口; a department's 窗口人员 or 受理员 that department's 专业窗口."""
    return _may_work(hall_roles(user, window.hall), _window_departments(user), window)


def windows_for(user, hall: ServiceHall) -> list[Window]:
    """The active windows of ``hall`` that ``user`` may work."""
    roles, departments = hall_roles(user, hall), _window_departments(user)
    return [w for w in hall.windows.filter(active=True) if _may_work(roles, departments, w)]


def working_halls(user) -> QuerySet[ServiceHall]:
    """Every hall the hall home page shows ``user``: where they hold a hall role or a 区域管理员
    scope, and where a 专业窗口 of one of their departments is."""
    departments = _window_departments(user)
    if not departments:
        return halls_for(user)
    specialised = Q(windows__kind=WindowKind.SPECIALISED, windows__department_id__in=departments)
    return ServiceHall.objects.filter(Q(pk__in=halls_for(user).values("pk")) | specialised).distinct()
