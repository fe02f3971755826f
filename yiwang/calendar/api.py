"""Public working-day calendar API: the status of a range of days and the due date of a time
limit, with the explanation the workbench and the portal show."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from yiwang.common.schemas import Int64
from yiwang.regions.services import get_region

from . import workdays

router = Router(tags=["工作日历"])


class DaysQuery(Schema):
    first: dt.date = Field(..., alias="from", description="开始日期（含），YYYY-MM-DD")
    last: dt.date = Field(..., alias="to", description="结束日期（含），与开始日期相距不超过366天")
    region: str | None = Field(None, description="区划代码；不填为全国")


class DayOut(Schema):
    date: dt.date
    weekday: int = Field(..., description="1 = 星期一 … 7 = 星期日")
    working: bool
    kind: str | None = Field(None, description="holiday 法定节假日 / workday 调休上班日；普通日为空")
    kind_label: str
    name: str
    source: str | None = Field(None, description="package / imported / manual / fallback")
    source_label: str
    region: str | None = Field(None, description="给出该日设置的区划代码；全国设置为空")
    provisional: bool = Field(..., description="该年放假安排尚未录入，按固定日期推定")


class DaysOut(Schema):
    first: dt.date = Field(..., serialization_alias="from")
    last: dt.date = Field(..., serialization_alias="to")
    region: str | None
    working_days: int
    provisional: bool
    days: list[DayOut]


class DeadlineQuery(Schema):
    start: dt.date = Field(..., description="起算日（受理日），时限自次日起计算")
    days: Int64 = Field(..., description="工作日数（承诺时限），0 为即办件")
    region: str | None = Field(None, description="区划代码；不填为全国")


class HolidayOut(Schema):
    date: dt.date
    kind: str
    kind_label: str
    name: str
    source: str
    source_label: str
    region: str | None


class StopOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    working_days: int


class CalendarDeadlineOut(Schema):
    start: dt.date
    working_days: int
    due_date: dt.date
    provisional: bool
    provisional_years: list[int]
    region: str | None
    holidays: list[HolidayOut]
    makeup_days: list[HolidayOut]
    stops: list[StopOut]
    explanation: list[str]


def _region(code: str | None):
    return get_region(code) if code else None


@router.get("/days", response=DaysOut, by_alias=True, summary="某时间段每日是否为工作日")
def calendar_days(request, query: Query[DaysQuery]):
    region = _region(query.region)
    days = workdays.describe_days(query.first, query.last, region)
    return {"first": query.first, "last": query.last, "region": region.code if region else None,
            "working_days": sum(1 for d in days if d.working),
            "provisional": any(d.provisional for d in days),
            "days": [d.as_dict() for d in days]}


@router.get("/deadline", response=CalendarDeadlineOut, summary="按工作日计算截止日期（受理次日起算）")
def calendar_deadline(request, query: Query[DeadlineQuery]):
    return workdays.add_working_days(query.start, query.days, _region(query.region)).as_dict()
