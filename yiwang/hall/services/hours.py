"""Opening hours of a hall (办公时间) by the working-day calendar.

A stand-in of part A's module with only what booking needs; part A's ``hours`` replaces it at
merge time with the same signature."""

from __future__ import annotations

import datetime as dt

from yiwang.calendar import workdays
from yiwang.calendar.models import DayKind as CalendarDayKind

from ..models import DayKind, OpeningPeriod


def is_public_holiday(hall, day: dt.date) -> bool:
    """法定节假日 in the hall's region (a weekend that is only a weekend is not one)."""
    info = workdays.year_calendar(day.year, hall.region).info(day)
    return info is not None and info.kind == CalendarDayKind.HOLIDAY


def day_kind(hall, day: dt.date) -> str | None:
    """Which opening hours ``day`` uses, None on a public holiday (closed)."""
    if workdays.is_working_day(day, hall.region):
        return DayKind.WORKDAY
    if is_public_holiday(hall, day):
        return None
    return DayKind.SATURDAY if day.weekday() == 5 else DayKind.SUNDAY


def opening_periods(hall, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """The hall's periods on ``day`` in order; empty on a closed day."""
    kind = day_kind(hall, day)
    if kind is None:
        return []
    return list(OpeningPeriod.objects.filter(hall=hall, day_kind=kind).order_by("start")
                .values_list("start", "end"))
