"""Who sees and handles a 曝光纠错 report in the workbench.

- The 事项编辑 (``Role.CATALOG_EDITOR``) of the report's department: they correct the guide or
  reject the report.
- A 区域管理员 (``RegionRole.REGION_ADMIN``): the reports no department answers for yet (no item
  was named or found), to assign one of the departments of their regions, or to reject; and,
  to follow them, the reports of those departments.
- A superuser: everything.

The public column shows every report to anyone, masked (``services.error_reports``); only the
department's editors see the contact phone.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.common.errors import NotFound, PermissionDenied
from yiwang.orgs.models import RegionRole, Role
from yiwang.orgs.services import departments_for, has_role, scope_regions

from .models import ErrorReport


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def admin_regions(user) -> list:
    return scope_regions(user, RegionRole.REGION_ADMIN) if _active(user) else []


def can_correct(user, report: ErrorReport) -> bool:
    """An editor of the report's department (a report without one has no editor yet)."""
    return report.department_id is not None and has_role(user, report.department,
                                                         Role.CATALOG_EDITOR)


def can_assign(user, department) -> bool:
    """A region administrator over ``department``'s region (or a region above it)."""
    if not _active(user):
        return False
    return user.is_superuser or any(department.region.path.startswith(r.path)
                                    for r in admin_regions(user))


def can_route(user, report: ErrorReport) -> bool:
    """Who may name the report's department: any region administrator while none answers for it
    (no item tells whose it is), else one over its department."""
    if report.department_id is None:
        return _active(user) and (user.is_superuser or bool(admin_regions(user)))
    return can_assign(user, report.department)


def can_reject(user, report: ErrorReport) -> bool:
    """The department's editors; while no department answers for it, the region administrators."""
    return can_route(user, report) if report.department_id is None else can_correct(user, report)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message, code="error_report.forbidden")


def handles_reports(user) -> bool:
    """Whether the workbench shows ``user`` the 曝光纠错 link at all."""
    if not _active(user):
        return False
    return (user.is_superuser or user.memberships.filter(role=Role.CATALOG_EDITOR).exists()
            or bool(admin_regions(user)))


def staff_reports(user) -> QuerySet[ErrorReport]:
    """The reports ``user`` may see in the workbench."""
    if not _active(user):
        return ErrorReport.objects.none()
    if user.is_superuser:
        return ErrorReport.objects.all()
    scope = Q(department__in=departments_for(user, Role.CATALOG_EDITOR).values("pk"))
    regions = admin_regions(user)
    if regions:
        scope |= Q(department__isnull=True)
        for region in regions:
            scope |= Q(department__region__path__startswith=region.path)
    return ErrorReport.objects.filter(scope)


def staff_report(user, pk) -> ErrorReport:
    """One of ``user``'s reports, or NotFound: another department's does not exist for them."""
    report = (staff_reports(user).select_related(
        "item__published_version", "item__department", "department__region", "reporter",
        "guide_version", "handled_by").filter(pk=pk).first())
    if report is None:
        raise NotFound("纠错信息不存在或您无权查看", code="error_report.not_found")
    return report
