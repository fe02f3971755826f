"""/api/evaluation/statistics: the 好差评公示 figures for anyone, with the page's filters."""

from __future__ import annotations

from ninja import Query, Router, Schema

from ..services import statistics

router = Router(tags=["好差评"])


class EvaluationStatisticsQuery(Schema):
    region: str = ""
    department: str = ""
    item: str = ""
    channel: str = ""
    start: str = ""
    end: str = ""


class EvaluationCountsOut(Schema):
    ratings: int
    good: int
    bad: int
    rectified: int
    rectified_on_time: int
    revisited: int
    good_rate: float | None
    rectification_rate: float | None
    timely_rate: float | None
    revisit_rate: float | None


class EvaluationMonthOut(EvaluationCountsOut):
    month: str


class EvaluationRegionOut(EvaluationCountsOut):
    region: str | None
    name: str


class EvaluationPartyOut(EvaluationCountsOut):
    department: int | None
    hall: int | None
    name: str


class EvaluationFiltersOut(Schema):
    start: str
    end: str
    region: str | None
    region_name: str | None
    department: int | None
    department_name: str | None
    item: int | None
    item_name: str | None
    channel: str | None
    channel_name: str | None


class EvaluationStatisticsOut(Schema):
    """Totals, the month series and the rankings; a rate is null when its denominator is 0."""

    filters: EvaluationFiltersOut
    total: EvaluationCountsOut
    months: list[EvaluationMonthOut]
    by_region: list[EvaluationRegionOut]
    by_department: list[EvaluationPartyOut]


@router.get("/statistics", response=EvaluationStatisticsOut, auth=None)
def evaluation_statistics(request, filters: Query[EvaluationStatisticsQuery]):
    """好差评统计：区划（含下级）、部门（编号）、事项（编号）、渠道、月份范围（YYYY-MM，默认近12个月）。
    条件有误时返回 400 与中文说明。"""
    chosen = statistics.parse_filters(filters.dict())
    return statistics.figures(filters=chosen).as_dict()
