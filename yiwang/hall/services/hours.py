"""Opening hours of a hall (办公时间), from its ``OpeningPeriod``s and the working-day calendar of
its region.

Which periods a day uses: a public holiday (法定节假日, and every day of a holiday period) is
closed; a working day — make-up Saturdays and Sundays (调休上班日) included — uses the 工作日
periods; any other Saturday or Sunday its own periods (延时服务), none meaning closed. Times are
local (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yiwang.calendar.models import DayKind as CalendarKind
from yiwang.calendar.workdays import year_calendar
from yiwang.common.errors import Conflict
from yiwang.orgs.models import ServiceHall

from ..models import DayKind, OpeningPeriod

Periods = list[tuple[dt.time, dt.time]]
# Far beyond any real closure (the longest holiday is 8 days); keeps every search bounded.
SEARCH_DAYS = 366
WEEKDAYS = "一二三四五六日"


def day_kind(hall: ServiceHall, day: dt.date) -> DayKind | None:
    """The kind of hours ``day`` uses in ``hall``, or None on a public holiday."""
    calendar = year_calendar(day.year, hall.region)
    info = calendar.info(day)
    if info is not None and info.kind == CalendarKind.HOLIDAY:
        return None
    if calendar.is_working(day):
        return DayKind.WORKDAY
    return DayKind.SATURDAY if day.weekday() == 5 else DayKind.SUNDAY


def _periods_by_kind(hall: ServiceHall) -> dict[str, Periods]:
    by_kind: dict[str, Periods] = {}
    for kind, start, end in (OpeningPeriod.objects.filter(hall=hall)
                             .order_by("start").values_list("day_kind", "start", "end")):
        by_kind.setdefault(kind, []).append((start, end))
    return by_kind


def opening_periods(hall: ServiceHall, day: dt.date) -> Periods:
    """The opening periods of ``hall`` on ``day``, earliest first; empty on a closed day."""
    kind = day_kind(hall, day)
    if kind is None:
        return []
    return [(start, end) for start, end in OpeningPeriod.objects.filter(hall=hall, day_kind=kind)
            .order_by("start").values_list("start", "end")]


def is_open(hall: ServiceHall, at: dt.datetime) -> bool:
    """Whether ``hall`` is open at ``at`` (a period includes its start, not its end)."""
    local = timezone.localtime(at)
    moment = local.time()
    return any(start <= moment < end for start, end in opening_periods(hall, local.date()))


def next_open_days(hall: ServiceHall, count: int, *, after: dt.date,
                   working_only: bool = False) -> list[dt.date]:
    """The next ``count`` days after ``after`` on which ``hall`` opens, Saturday 延时服务 days
    included; with ``working_only`` only working days (for a booking horizon of N 工作日).
    Fewer if the hall does not open that often within a year."""
    by_kind = _periods_by_kind(hall)
    days: list[dt.date] = []
    day = after
    for _ in range(SEARCH_DAYS):
        if len(days) >= count:
            break
        day += dt.timedelta(days=1)
        kind = day_kind(hall, day)
        if kind is None or not by_kind.get(kind):
            continue
        if working_only and kind != DayKind.WORKDAY:
            continue
        days.append(day)
    return days


def format_periods(periods: Periods) -> str:
    return "、".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in periods)


def describe_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def require_open(hall: ServiceHall, at: dt.datetime | None = None) -> None:
    """Raise Conflict ``hall.closed`` unless ``hall`` is open at ``at`` (now); the message gives
    today's hours, or says the hall does not open today, and when it opens next."""
    at = at or timezone.now()
    if is_open(hall, at):
        return
    local = timezone.localtime(at)
    today = opening_periods(hall, local.date())
    if today and local.time() < today[-1][1]:
        message = f"{hall.name}现在不在办公时间，今天的办公时间：{format_periods(today)}"
    else:
        message = (f"{hall.name}现在不在办公时间，今天的办公时间：{format_periods(today)}。"
                   if today else f"{hall.name}今天不办公。")
        following = next_open_days(hall, 1, after=local.date())
        if following:
            message += (f"下一个办公日：{describe_day(following[0])}"
                        f" {format_periods(opening_periods(hall, following[0]))}")
    raise Conflict(message, code="hall.closed")
