"""Read side of identity: what the log-in audit shows to whom, and where an account belongs."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.common.errors import PermissionDenied
from yiwang.orgs.models import Department, RegionMembership, RegionRole
from yiwang.orgs.services import scope_regions
from yiwang.regions.models import Region, RegionLevel

from .models import AuthEvent


def visible_auth_events(user) -> QuerySet[AuthEvent]:
    """登录审计 for supervisors (监察员) and system administrators.

    A supervisor sees the events of staff whose department or region lies in their region. Only
    a province-level supervisor (and the system administrator) also sees citizens' and failed
    anonymous attempts, which belong to no region.
    """
    events = AuthEvent.objects.select_related("user", "company")
    if user.is_superuser:
        return events
    regions = scope_regions(user, RegionRole.SUPERVISOR)
    if not regions:
        raise PermissionDenied("只有监察员和系统管理员可以查看登录审计", code="permission.role_required")
    in_scope = Q(pk__in=[])
    for region in regions:
        departments = Department.objects.filter(region__path__startswith=region.path)
        region_staff = RegionMembership.objects.filter(region__path__startswith=region.path)
        in_scope |= (Q(user__memberships__department__in=departments)
                     | Q(user__region_memberships__in=region_staff))
        if region.level == RegionLevel.PROVINCE:
            in_scope |= Q(user__isnull=True) | Q(user__citizen__isnull=False)
    return events.filter(in_scope).distinct()


def filter_auth_events(events: QuerySet[AuthEvent], *, kind: str = "", identifier: str = "",
                       date_from=None, date_to=None) -> QuerySet[AuthEvent]:
    if kind:
        events = events.filter(kind=kind)
    if identifier:
        events = events.filter(Q(identifier__icontains=identifier)
                               | Q(user__username__iexact=identifier))
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events


def home_region(user) -> Region | None:
    """The region an account belongs to, which the search uses to choose the body that serves
    it: a staff member's (first) department's region; a citizen's 户籍地, the area code that opens
    the 居民身份证号 (GB 11643), or the city or province it lies in when the region table does not
    hold the district. None for anyone else."""
    if not user.is_authenticated:
        return None
    membership = user.memberships.select_related("department__region").order_by("pk").first()
    if membership is not None:
        return membership.department.region
    citizen = getattr(user, "citizen", None)
    if citizen is None:
        return None
    area = citizen.id_number[:6]
    candidates = [area, area[:4] + "00", area[:2] + "0000"]
    found = {r.code: r for r in Region.objects.filter(code__in=candidates)}
    return next((found[code] for code in candidates if code in found), None)
