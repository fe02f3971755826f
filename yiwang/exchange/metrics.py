"""The supervision figures of data sharing, over the cases submitted in a period (``start`` ≤
submitted < ``end``), optionally of one region and the regions under it:

- 材料减少率: materials satisfied by an electronic licence or a shared registry record ÷ all
  required and 容缺 online materials those cases asked for;
- 一证通办率: cases in which every exemptible material was satisfied without an upload ÷ cases
  with at least one exemptible material.

A material is exemptible for 一证通办率 only if the platform actually provides its source when the
figures are computed (``selectors.provided_sources``: an existing licence type, an active
registry). A guide may name a source that nobody provides yet (a registry still to be connected,
or a label instead of a code): such a material is never offered for reuse, so counting it would
make every case asking for it a failure of 一证通办 that no applicant could have avoided. The
provided sources are read once per computation (two queries), not per case.

The figures of several regions come from one pass over the cases (``rates_by_region``): each case
counts for every listed region whose ``path`` prefixes the case's region path, so a breakdown into
sub-regions costs the same few queries whatever their number. The cases are read in chunks with
only the columns the figures need, so a busy province does not load a month of cases at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q

from yiwang.cases.models import Case, CaseFile
from yiwang.cases.prereview import online_materials
from yiwang.catalog.models import GuideVersion, Material, Necessity

from .selectors import provided_sources

COUNTED = (Necessity.REQUIRED, Necessity.TOLERATED)
# Cases read per query (with their versions, materials and exempted files prefetched per chunk).
CHUNK = 2000


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The rate between 0 and 1; None when nothing was counted."""
        return self.numerator / self.denominator if self.denominator else None

    def __add__(self, other: Rate) -> Rate:
        """The rate of disjoint sets of cases adds up numerator by numerator."""
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True)
class SharingRates:
    """材料减少率 and 一证通办率 of one set of cases."""

    material_reduction: Rate = Rate(0, 0)
    one_licence: Rate = Rate(0, 0)

    def __add__(self, other: SharingRates) -> SharingRates:
        return SharingRates(self.material_reduction + other.material_reduction,
                            self.one_licence + other.one_licence)


def _cases(start: dt.datetime, end: dt.datetime, within: Sequence | None):
    cases = Case.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if within is not None:
        where = Q(pk__in=[])
        for region in within:
            where |= Q(region__path__startswith=region.path)
        cases = cases.filter(where)
    exempted = CaseFile.objects.filter(Q(licence__isnull=False) | Q(registry_record__isnull=False),
                                       superseded=False).only("case", "material")
    materials = Material.objects.only("version", "form", "necessity", "exemption_source")
    return (cases.order_by().only("pk", "version").annotate(region_path=F("region__path"))
            .prefetch_related(Prefetch("version", queryset=GuideVersion.objects.only("pk")),
                              Prefetch("version__materials", queryset=materials),
                              Prefetch("files", queryset=exempted, to_attr="exempted"))
            .iterator(chunk_size=CHUNK))


def _rates(case: Case, provided: dict[str, str]) -> SharingRates:
    """The figures of one case: its counted materials and how many of them were exempted, and
    whether it had exemptible materials and all of them were."""
    exempted = {f.material_id for f in case.exempted}
    materials = online_materials(case.version)
    counted = {m.pk for m in materials if m.necessity in COUNTED}
    exemptible = {m.pk for m in materials if m.exemption_source in provided}
    return SharingRates(Rate(len(counted & exempted), len(counted)),
                        Rate(int(exemptible <= exempted), 1) if exemptible else Rate(0, 0))


def _matcher(regions: Sequence) -> dict[int, dict[str, list[int]]]:
    """Region paths by their length, to find the listed regions a case path starts with by a
    few dictionary look-ups instead of comparing it with every region."""
    by_length: dict[int, dict[str, list[int]]] = {}
    for index, region in enumerate(regions):
        by_length.setdefault(len(region.path), {}).setdefault(region.path, []).append(index)
    return by_length


def rates_by_region(start: dt.datetime, end: dt.datetime, regions: Sequence = (),
                    within: Iterable | None = None) -> tuple[SharingRates, list[SharingRates]]:
    """The figures of the cases in ``within`` (regions and the regions under them; None: every
    region), and of each of ``regions`` (in that order), from one pass over the cases.

    A listed region counts the cases of itself and the regions under it; a case in none of the
    listed regions (e.g. in the ``within`` region itself) counts for the total only."""
    within = None if within is None else list(within)
    provided = provided_sources()
    by_length = _matcher(regions)
    total = SharingRates()
    rows = [SharingRates() for _ in regions]
    for case in _cases(start, end, within):
        rates = _rates(case, provided)
        total += rates
        for length, paths in by_length.items():
            for index in paths.get(case.region_path[:length], ()):
                rows[index] += rates
    return total, rows


def sharing_rates(start: dt.datetime, end: dt.datetime, region=None) -> SharingRates:
    """Both figures of the cases of ``region`` (None: every region)."""
    return rates_by_region(start, end, within=None if region is None else [region])[0]


def material_reduction_rate(start: dt.datetime, end: dt.datetime, region=None) -> Rate:
    return sharing_rates(start, end, region).material_reduction


def one_licence_rate(start: dt.datetime, end: dt.datetime, region=None) -> Rate:
    return sharing_rates(start, end, region).one_licence
