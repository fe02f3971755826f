"""Who may see, download and dispose of which package: the one place the authorization matrix
looks at. A 档案员 (department role) has the packages of their department's cases; a 档案管理员
(region role) those of every department of their region and the regions under it; a system
administrator all. Anyone else — case handlers and supervisors included — none: a package holds
the full, unmasked record."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.common.errors import NotFound
from yiwang.orgs.models import Membership, RegionRole, Role
from yiwang.orgs.services import scope_regions

from .models import ArchivePackage, DisposalRecord


def _scope(user) -> Q:
    departments = list(Membership.objects.filter(user=user, role=Role.ARCHIVIST)
                       .values_list("department_id", flat=True))
    scope = Q(department_id__in=departments)
    for region in scope_regions(user, RegionRole.ARCHIVIST):
        scope |= Q(region__path__startswith=region.path)
    return scope


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_archivist(user) -> bool:
    """Holds an archives role somewhere (or is a system administrator): may open the pages."""
    if not _active(user):
        return False
    return (user.is_superuser
            or Membership.objects.filter(user=user, role=Role.ARCHIVIST).exists()
            or bool(scope_regions(user, RegionRole.ARCHIVIST)))


def visible_packages(user) -> QuerySet[ArchivePackage]:
    packages = ArchivePackage.objects.all()
    if not _active(user):
        return packages.none()
    return packages if user.is_superuser else packages.filter(_scope(user))


def package_for(user, pk) -> ArchivePackage:
    """A package ``user`` may see, or NotFound: another department's package does not exist for
    them."""
    package = (visible_packages(user).select_related("department", "region", "case")
               .filter(pk=pk).first() if str(pk).isdigit() and len(str(pk)) < 19 else None)
    if package is None:
        raise NotFound("档案不存在或您无权查看", code="archive.not_found")
    return package


def visible_disposals(user) -> QuerySet[DisposalRecord]:
    records = DisposalRecord.objects.all()
    if not _active(user):
        return records.none()
    return records if user.is_superuser else records.filter(_scope(user))
