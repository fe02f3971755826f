"""Who may see and act on 12345 requests.

- 12345话务员 (``RegionRole.HOTLINE_OPERATOR``) and 12345热线管理员 (``RegionRole.HOTLINE_ADMIN``)
  operate the requests of their region and every region below it: register, dispatch, answer a
  咨询 at once, merge, revisit, reopen. Only the 热线管理员 arbitrates a 退单.
- 12345承办员 (``Role.HOTLINE``) and 部门管理员 of a department handle its assignments: 签收,
  退单, 二级派单, 答复; they see the requests they were ever assigned.
- The requester sees their own requests (by their account, or by the follow-up token).
- A superuser may do everything.
Anyone else is told the request does not exist (NotFound), so numbers cannot be probed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.common.errors import NotFound, PermissionDenied
from yiwang.orgs.models import Membership, RegionMembership, RegionRole, Role
from yiwang.orgs.services import departments_for, has_role, scope_regions

from .models import Assignment, HotlineRequest

OPERATOR_ROLES = (RegionRole.HOTLINE_OPERATOR, RegionRole.HOTLINE_ADMIN)
ADMIN_ROLES = (RegionRole.HOTLINE_ADMIN,)
HANDLER_ROLES = (Role.HOTLINE, Role.DEPARTMENT_ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _within(user, region, roles) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(region.path.startswith(r.path) for r in scope_regions(user, *roles))


def can_operate(user, region) -> bool:
    """话务员 or 热线管理员 over ``region`` (or a region above it)."""
    return _within(user, region, OPERATOR_ROLES)


def can_arbitrate(user, region) -> bool:
    """热线管理员 over ``region`` (or a region above it): decides 退单, rules and deadlines."""
    return _within(user, region, ADMIN_ROLES)


def can_handle(user, department) -> bool:
    """12345承办员 or 部门管理员 of ``department``."""
    return _active(user) and has_role(user, department, *HANDLER_ROLES)


def require_operator(user, region) -> None:
    if not can_operate(user, region):
        raise PermissionDenied(f"您不是{region.name}的12345话务员，无权办理此诉求",
                               code="complaint.forbidden")


def require_arbitrator(user, region) -> None:
    if not can_arbitrate(user, region):
        raise PermissionDenied(f"您不是{region.name}的12345热线管理员，无权仲裁退单",
                               code="complaint.forbidden")


def require_handler(user, department) -> None:
    if not can_handle(user, department):
        raise PermissionDenied(f"您不是{department.name}的12345承办员，无权办理此工单",
                               code="complaint.forbidden")


def operates(user) -> bool:
    """Whether the workbench shows ``user`` the hotline's console and queues."""
    return _active(user) and (user.is_superuser or bool(scope_regions(user, *OPERATOR_ROLES)))


def arbitrates(user) -> bool:
    return _active(user) and (user.is_superuser or bool(scope_regions(user, *ADMIN_ROLES)))


def handles(user) -> bool:
    """Whether the workbench shows ``user`` a department's 12345 inbox."""
    return _active(user) and (user.is_superuser
                              or user.memberships.filter(role__in=HANDLER_ROLES).exists())


def regions_q(user, roles=OPERATOR_ROLES, field: str = "region") -> Q:
    """Rows whose ``field`` region lies in ``user``'s regions for ``roles`` (all for a superuser)."""
    if user.is_superuser:
        return Q()
    scope = Q(pk__in=[])
    for region in scope_regions(user, *roles):
        scope |= Q(**{f"{field}__path__startswith": region.path})
    return scope


def require_dispatchable(user, department) -> None:
    """The hotline sends requests only to departments of the regions it operates."""
    if not _within(user, department.region, OPERATOR_ROLES):
        raise PermissionDenied(f"{department.name}不在您所辖区划内，不能派单至该部门",
                               code="complaint.department_out_of_scope")


def handled_departments(user):
    return departments_for(user, *HANDLER_ROLES)


def visible_requests(user) -> QuerySet[HotlineRequest]:
    """The requests ``user`` may see: their own, those of the regions they operate, and those
    ever assigned to a department they handle for."""
    if not _active(user):
        return HotlineRequest.objects.none()
    if user.is_superuser:
        return HotlineRequest.objects.all()
    assigned = Assignment.objects.filter(department__in=handled_departments(user).values("pk"))
    operated = regions_q(user) if scope_regions(user, *OPERATOR_ROLES) else Q(pk__in=[])
    return HotlineRequest.objects.filter(
        Q(requester=user) | operated | Q(pk__in=assigned.values("request_id")))


def visible_request(user, number: str) -> HotlineRequest:
    request = (visible_requests(user).select_related("region", "department", "parent", "case",
                                                     "item", "about_department")
               .filter(number=number).first())
    if request is None:
        raise NotFound("诉求工单不存在或您无权查看", code="complaint.not_found")
    return request


def handled_assignments(user) -> QuerySet[Assignment]:
    if not _active(user):
        return Assignment.objects.none()
    if user.is_superuser:
        return Assignment.objects.all()
    return Assignment.objects.filter(department__in=handled_departments(user).values("pk"))


def handled_assignment(user, pk) -> Assignment:
    """One of the assignments of ``user``'s departments; another department's does not exist."""
    assignment = (handled_assignments(user).select_related("request__region", "department",
                                                           "parent__department")
                  .filter(pk=pk).first())
    if assignment is None:
        raise NotFound("派单不存在或您无权办理", code="complaint.assignment_not_found")
    return assignment


def department_handlers(department) -> list:
    """Who is told of the department's assignments: its 12345承办员, else its 部门管理员."""
    for role in HANDLER_ROLES:
        users = [m.user for m in Membership.objects.filter(department=department, role=role)
                 .select_related("user") if m.user.is_active]
        if users:
            return users
    return []


def region_codes(region) -> list[str]:
    """The codes of ``region`` and every region above it, the province first."""
    return [code for code in region.path.split("/") if code]


def hotline_admins(region) -> list:
    """The 12345热线管理员 of ``region`` and of every region above it."""
    codes = region_codes(region)
    return list({m.user.pk: m.user for m in RegionMembership.objects.filter(
        role=RegionRole.HOTLINE_ADMIN, region__code__in=codes).select_related("user")
        if m.user.is_active}.values())


def sees_contact(user, request: HotlineRequest) -> bool:
    """Whether ``user`` reads the requester's name and phone unmasked: the requester, the hotline
    of the region, and a department the request was assigned to."""
    if not _active(user):
        return False
    if request.requester_id == user.pk or can_operate(user, request.region):
        return True
    return request.assignments.filter(
        department__in=handled_departments(user).values("pk")).exists()
