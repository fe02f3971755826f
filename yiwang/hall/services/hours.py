"""Opening hours (办公时间) from the working-day calendar.

Minimal stand-in written by part C (calling) against the shared contract, so that tickets can
require an open hall before part A's module is merged; part A's version replaces this file."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yiwang.calendar.models import DayKind as CalendarDayKind
from yiwang.calendar.workdays import year_calendar
from yiwang.common.errors import Conflict

from ..models import DayKind, OpeningPeriod


def _day_kind(hall, day: dt.date) -> str | None:
    info = year_calendar(day.year, hall.region).info(day)
    if info is not None:
        return DayKind.WORKDAY if info.kind == CalendarDayKind.WORKDAY else None
    return {5: DayKind.SATURDAY, 6: DayKind.SUNDAY}.get(day.weekday(), DayKind.WORKDAY)


def opening_periods(hall, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    kind = _day_kind(hall, day)
    if kind is None:
        return []
    return list(OpeningPeriod.objects.filter(hall=hall, day_kind=kind).order_by("start")
                .values_list("start", "end"))


def is_open(hall, at: dt.datetime) -> bool:
    local = timezone.localtime(at)
    return any(start <= local.time() < end for start, end in opening_periods(hall, local.date()))


def require_open(hall, at: dt.datetime | None = None) -> None:
    at = at or timezone.now()
    if is_open(hall, at):
        return
    periods = opening_periods(hall, timezone.localtime(at).date())
    hours = "、".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in periods)
    raise Conflict(f"{hall.name}现在不在办公时间（今天办公时间：{hours}）" if periods
                   else f"{hall.name}今天不办公", code="hall.closed")
