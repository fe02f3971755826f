"""Read side of 电子监察: which regions a supervisor oversees, and the data-sharing figures of
``exchange.metrics`` (材料减少率, 一证通办率) over them, region by region.

A 监察员 of a region sees that region and every region under it (``Region.path`` prefix), the
same rule as the case list (``cases.access``); the system administrator sees every region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yiwang.common.errors import PermissionDenied
from yiwang.exchange.metrics import Rate, SharingRates, rates_by_region
from yiwang.orgs.models import RegionRole
from yiwang.orgs.services import scope_regions
from yiwang.regions.models import Region

# Sub-regions shown under a region (all of them come from one pass over the region's cases).
MAX_BREAKDOWN = 50
EVERY_REGION = "全部区划"
ALL_SUPERVISED = "您监督的全部区划"


@dataclass(frozen=True)
class SharingRow:
    """The two figures of one region (``region`` None: the sum over several)."""

    name: str
    region: Region | None
    material_reduction: Rate
    one_licence: Rate


@dataclass(frozen=True)
class SharingReport:
    total: SharingRow
    breakdown: list[SharingRow]
    # Sub-regions left out of the breakdown beyond MAX_BREAKDOWN.
    left_out: int = 0
    # The region code one level up that the user may see ("" for all of their regions), or None.
    up: str | None = None


def supervision_scope(user) -> list[Region] | None:
    """The top-most regions ``user`` supervises (a region under another one they supervise adds
    nothing), or None for a system administrator: every region.

    Raises PermissionDenied for anyone who supervises no region."""
    if user.is_superuser:
        return None
    top: list[Region] = []
    for region in sorted(scope_regions(user, RegionRole.SUPERVISOR), key=lambda r: r.path):
        if not any(region.path.startswith(t.path) for t in top):
            top.append(region)
    if not top:
        raise PermissionDenied("只有监察员和系统管理员可以查看数据共享监督指标",
                               code="permission.supervisor_required")
    return top


def supervises(scope: list[Region] | None, region: Region) -> bool:
    return scope is None or any(region.path.startswith(r.path) for r in scope)


def region_choices(scope: list[Region] | None, current: Region | None = None
                   ) -> list[tuple[Region, bool]]:
    """The regions offered in the filter as (region, is a sub-region): the supervised ones and
    the regions right under them (deeper ones are reached through the breakdown), and
    ``current`` if it is deeper still and theirs to see."""
    tops = scope if scope is not None else list(Region.objects.filter(parent__isnull=True)
                                                 .order_by("code"))
    by_parent: dict[int, list[Region]] = {}
    for child in Region.objects.filter(parent__in=tops).order_by("path"):
        by_parent.setdefault(child.parent_id, []).append(child)
    choices = [(r, r is not top) for top in tops for r in (top, *by_parent.get(top.pk, []))]
    if (current is not None and supervises(scope, current)
            and current.pk not in {r.pk for r, _ in choices}):
        choices.append((current, True))
    return choices


def _up(scope: list[Region] | None, region: Region) -> str | None:
    parent = region.parent
    if parent is not None and supervises(scope, parent):
        return parent.code
    # At the top of the scope: back to every region, if there is more than this one.
    return "" if scope is None or len(scope) > 1 else None


def _row(name: str, region: Region | None, rates: SharingRates) -> SharingRow:
    return SharingRow(name, region, rates.material_reduction, rates.one_licence)


def _name(region: Region) -> str:
    return region.full_name or region.name


def _rows(regions: list[Region], rates: list[SharingRates]) -> list[SharingRow]:
    return [_row(_name(r), r, x) for r, x in zip(regions, rates, strict=True)]


def _shown(regions) -> tuple[list[Region], int]:
    """The first MAX_BREAKDOWN of ``regions`` (siblings) and how many more there are."""
    regions = list(regions[:MAX_BREAKDOWN + 1])
    shown = regions[:MAX_BREAKDOWN]
    left_out = 0
    if len(regions) > MAX_BREAKDOWN:
        left_out = Region.objects.filter(parent_id=regions[0].parent_id).count() - MAX_BREAKDOWN
    return shown, left_out


def sharing_report(user, start: dt.datetime, end: dt.datetime,
                   region: Region | None = None) -> SharingReport:
    """材料减少率 and 一证通办率 of the cases submitted in [start, end) in ``region`` (default: every
    region ``user`` supervises), with one row per region right under it.

    Raises PermissionDenied when ``user`` supervises no region, or not ``region``."""
    scope = supervision_scope(user)
    if region is None and scope is not None and len(scope) == 1:
        region = scope[0]
    if region is not None:
        if not supervises(scope, region):
            raise PermissionDenied(f"您不是{_name(region)}的监察员，不能查看该区划的指标",
                                   code="permission.supervisor_required")
        shown, left_out = _shown(Region.objects.filter(parent=region).order_by("code"))
        total, rates = rates_by_region(start, end, shown, within=[region])
        return SharingReport(_row(_name(region), region, total),
                             _rows(shown, rates),
                             left_out, _up(scope, region))
    if scope is None:
        shown, left_out = _shown(Region.objects.filter(parent__isnull=True).order_by("code"))
        total, rates = rates_by_region(start, end, shown)
        return SharingReport(_row(EVERY_REGION, None, total),
                             _rows(shown, rates),
                             left_out)
    # The supervised regions are disjoint (none under another): their cases add up to the total.
    total, rates = rates_by_region(start, end, scope, within=scope)
    return SharingReport(_row(ALL_SUPERVISED, None, total),
                         _rows(scope, rates))
