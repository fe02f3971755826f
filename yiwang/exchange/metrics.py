"""The supervision figures of data sharing, over the cases submitted in a period (``start`` ≤
submitted < ``end``), optionally of one region and the regions under it:

- 材料减少率: materials satisfied by an electronic licence or a shared registry record ÷ all
  required and 容缺 online materials those cases asked for;
- 一证通办率: cases in which every exemptible material was satisfied without an upload ÷ cases
  with at least one exemptible material."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from yiwang.cases.models import Case, CaseFile
from yiwang.cases.prereview import online_materials
from yiwang.catalog.models import Necessity

COUNTED = (Necessity.REQUIRED, Necessity.TOLERATED)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The rate between 0 and 1; None when nothing was counted."""
        return self.numerator / self.denominator if self.denominator else None


def _cases(start: dt.datetime, end: dt.datetime, region=None):
    cases = Case.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if region is not None:
        cases = cases.filter(region__path__startswith=region.path)
    exempted = CaseFile.objects.filter(Q(licence__isnull=False) | Q(registry_record__isnull=False),
                                       superseded=False)
    return cases.prefetch_related("version__materials",
                                  Prefetch("files", queryset=exempted, to_attr="exempted"))


def _exempted(case: Case) -> set[int]:
    return {f.material_id for f in case.exempted}


def material_reduction_rate(start: dt.datetime, end: dt.datetime, region=None) -> Rate:
    satisfied = asked = 0
    for case in _cases(start, end, region):
        counted = {m.pk for m in online_materials(case.version) if m.necessity in COUNTED}
        asked += len(counted)
        satisfied += len(counted & _exempted(case))
    return Rate(satisfied, asked)


def one_licence_rate(start: dt.datetime, end: dt.datetime, region=None) -> Rate:
    done = eligible = 0
    for case in _cases(start, end, region):
        exemptible = {m.pk for m in online_materials(case.version) if m.exemptible}
        if exemptible:
            eligible += 1
            done += exemptible <= _exempted(case)
    return Rate(done, eligible)
