"""Working-day arithmetic (工作日计算) for 承诺时限 and other time limits.

Where a day's status comes from, in increasing precedence:

1. the weekday rule: Monday to Friday work, Saturday and Sunday rest;
2. the ``chinese-calendar`` package (State Council arrangements 2004–2026 in version 1.11; it raises
   NotImplementedError for other years, which is caught here) — or, for a year it does not know and
   for which no ``KnownYear`` has been recorded, the fixed-date fallback below, which makes every
   deadline touching that year *provisional*;
3. nationwide ``CalendarDay`` rows (imported arrangements and administrators' corrections);
4. ``CalendarDay`` rows of the region's ancestors and of the region itself, the deeper region
   winning: a row for 吉林省 applies to 长春市朝阳区 unless 长春市 or 朝阳区 says otherwise.

Counting rule (承诺时限, 受理次日起算): 《行政许可法》第八十二条 counts time limits in working days,
statutory holidays excluded, and, as 《民法典》第二百零一条 says of periods counted in days, the first
day is not counted. So a limit of *n* working days runs from the day after the start date (受理日),
which itself never counts whatever kind of day it is. Working day 1 is the first working day after
the start date; the due date (截止日期) is working day *n*, so exactly n − 1 working days lie
strictly between the start date and the due date. n = 0 (即办件) is due on the start date itself.
A stop (补正, 特别程序; 《行政许可法》第四十五条) from ``start`` to ``end`` — both days included —
suspends the clock: no day in it counts, and the count resumes the day after ``end``. A stop
therefore moves the due date by the number of working days it covers inside the running period;
where stops overlap, a day is suspended once. An ongoing stop is passed with its expected end
(特别程序) or today's date.

Speed: the day set of one (year, region) is built once — one query for the ``CalendarDay`` rows
that apply, plus one shared query for all ``KnownYear`` rows — and kept in this process's memory.
Services call ``invalidate()`` whenever they change the calendar; other processes (task workers)
pick changes up when their copy expires after ``settings.CALENDAR_CACHE_SECONDS`` (300 s by
default), or at once if they call ``invalidate()`` themselves, as a recomputation after
``calendar_changed`` should.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from yiwang.common.errors import ValidationError

from .models import CalendarDay, DayKind, DaySource, KnownYear

ONE_DAY = dt.timedelta(days=1)
MIN_YEAR, MAX_YEAR = 1950, 2199
MAX_WORKING_DAYS = 2000  # far above any statutory time limit; keeps every computation bounded
MAX_RANGE_DAYS = 366
DEFAULT_CACHE_SECONDS = 300

FALLBACK = "fallback"
SOURCE_LABELS = {**dict(DaySource.choices), FALLBACK: "按固定日期推定"}
KIND_LABELS = dict(DayKind.choices)
WEEKDAYS = "一二三四五六日"

# The fallback for a year whose arrangement is not known yet: only the holidays that
# 《全国年节及纪念日放假办法》 (as revised by 国务院令第795号, in force since 2025-01-01) fixes on the
# Gregorian calendar. 春节 (除夕 to 初三), 清明, 端午 and 中秋 move with the lunar calendar or the solar
# terms, and the 调休 weekends and in-lieu days (补假) of a year exist only in that year's State
# Council notice, so none of them is guessed. A provisional deadline therefore usually comes out
# earlier than the final one: staff are warned too early rather than too late.
FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "元旦"),
    (5, 1, "劳动节"),
    (5, 2, "劳动节"),  # the second 劳动节 day was added by the 2024 revision
    (10, 1, "国庆节"),
    (10, 2, "国庆节"),
    (10, 3, "国庆节"),
)
FALLBACK_DESCRIPTION = "周末及元旦（1月1日）、劳动节（5月1日、2日）、国庆节（10月1日至3日）"

# chinese-calendar names holidays in English; Holiday carries the short Chinese name.
_PACKAGE_NAMES = {h.value: h.chinese for h in Holiday}
_FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@dataclass(frozen=True, slots=True)
class DayInfo:
    """A day that differs from the weekday rule, or is part of a named holiday period."""

    kind: str  # DayKind value
    name: str
    source: str  # DaySource value or FALLBACK
    region: str | None = None  # region code of the override, None for nationwide

    @property
    def working(self) -> bool:
        return self.kind == DayKind.WORKDAY


@dataclass(frozen=True)
class YearCalendar:
    """The days of one year (for one region) that differ from the weekday rule."""

    year: int
    days: Mapping[dt.date, DayInfo]
    provisional: bool

    def info(self, day: dt.date) -> DayInfo | None:
        return self.days.get(day)

    def is_working(self, day: dt.date) -> bool:
        info = self.days.get(day)
        return info.working if info is not None else day.weekday() < 5


class Calendar(Protocol):
    """Anything that gives the YearCalendar of a year: the database-backed ``RegionCalendar`` in
    production, ``BaseCalendar`` (package + fallback only) or a synthetic one in tests."""

    def year(self, year: int) -> YearCalendar: ...


# --- the package and the fallback (pure) ---------------------------------------------------------


def _package_year(year: int) -> dict[dt.date, DayInfo] | None:
    """The package's arrangement for ``year``, or None if it has no data for that year."""
    days: dict[dt.date, DayInfo] = {}
    day = dt.date(year, 1, 1)
    try:
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            _, english = chinese_calendar.get_holiday_detail(day)
            weekend = day.weekday() >= 5
            name = _package_name(english)
            if working and weekend:
                days[day] = DayInfo(DayKind.WORKDAY, name, DaySource.PACKAGE)
            elif not working and (not weekend or english):
                days[day] = DayInfo(DayKind.HOLIDAY, name, DaySource.PACKAGE)
            day += ONE_DAY
    except NotImplementedError:  # "no available data for year …"
        return None
    return days


def _package_name(english: str | None) -> str:
    if not english:
        return ""
    short = _PACKAGE_NAMES.get(english, english)
    return _FULL_NAMES.get(short, short)


def _fallback_year(year: int) -> dict[dt.date, DayInfo]:
    return {dt.date(year, month, day): DayInfo(DayKind.HOLIDAY, name, FALLBACK)
            for month, day, name in FIXED_HOLIDAYS}


_package_cache: dict[int, dict[dt.date, DayInfo] | None] = {}


def package_knows(year: int) -> bool:
    """Whether ``chinese-calendar`` has the State Council arrangement for ``year``."""
    base_year(year)
    return _package_cache[year] is not None


def base_year(year: int, *, known: bool = False) -> YearCalendar:
    """The year without any database override: the package's data if it has the year; else, if
    the year's arrangement has been entered (``known``), the weekday rule alone (the entered rows
    are the whole arrangement); else the fixed-date fallback, provisional."""
    if year not in _package_cache:
        _package_cache[year] = _package_year(year)  # static data: cached for the process
    package = _package_cache[year]
    if package is not None:
        return YearCalendar(year, MappingProxyType(package), provisional=False)
    if known:
        return YearCalendar(year, MappingProxyType({}), provisional=False)
    return YearCalendar(year, MappingProxyType(_fallback_year(year)), provisional=True)


class BaseCalendar:
    """Package data and fallback only, no database: for pure tests and tools."""

    def year(self, year: int) -> YearCalendar:
        return base_year(year)


# --- the database layer and its cache ------------------------------------------------------------


class _Cache:
    def __init__(self) -> None:
        self.years: dict[tuple[int, str], tuple[float, YearCalendar]] = {}
        self.known: tuple[float, frozenset[tuple[int, str]]] | None = None

    @staticmethod
    def expiry() -> float:
        return time.monotonic() + getattr(settings, "CALENDAR_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)


_cache = _Cache()


def invalidate() -> None:
    """Forget every cached (year, region) day set, so the next computation reads the database."""
    _cache.years = {}
    _cache.known = None


def _ancestor_paths(path: str) -> list[str]:
    """"220000/220100/220104/" → ["220000/", "220000/220100/", "220000/220100/220104/"]."""
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[:i + 1]) for i in range(len(codes))]


def _known_years() -> frozenset[tuple[int, str]]:
    entry = _cache.known
    if entry is not None and entry[0] > time.monotonic():
        return entry[1]
    known = frozenset((year, path or "") for year, path in
                      KnownYear.objects.values_list("year", "region__path"))
    _cache.known = (_cache.expiry(), known)
    return known


def _load_year(year: int, path: str) -> YearCalendar:
    paths = _ancestor_paths(path)
    known_years = _known_years()
    known = any((year, p) in known_years for p in ["", *paths])
    base = base_year(year, known=known)
    days = dict(base.days)
    where = Q(region__isnull=True) | Q(region__path__in=paths) if paths else Q(region__isnull=True)
    rows = (CalendarDay.objects.filter(where, date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .values_list("date", "kind", "name", "source", "region__path", "region__code"))
    # Shallow before deep, so that the most specific region's row is the one left standing.
    for date, kind, name, source, _path, region_code in sorted(rows, key=lambda r: len(r[4] or "")):
        days[date] = DayInfo(kind, name, source, region_code)
    return YearCalendar(year, MappingProxyType(days), provisional=base.provisional)


def year_calendar(year: int, region=None) -> YearCalendar:
    """The cached YearCalendar of ``year`` for ``region`` (a regions.Region, or None = nationwide)."""
    key = (year, region.path if region is not None else "")
    entry = _cache.years.get(key)
    if entry is not None and entry[0] > time.monotonic():
        return entry[1]
    calendar = _load_year(*key)
    _cache.years[key] = (_cache.expiry(), calendar)
    return calendar


class RegionCalendar:
    """The calendar of one region (None = nationwide) as the database and the package say."""

    def __init__(self, region=None) -> None:
        self.region = region

    def year(self, year: int) -> YearCalendar:
        return year_calendar(year, self.region)


class _Years:
    """The years one computation has looked at, so each is fetched once per call."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.seen: dict[int, YearCalendar] = {}

    def __getitem__(self, year: int) -> YearCalendar:
        found = self.seen.get(year)
        if found is None:
            found = self.seen[year] = self.calendar.year(year)
        return found

    def provisional_years(self) -> tuple[int, ...]:
        return tuple(sorted(y for y, c in self.seen.items() if c.provisional))


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """A period in which the clock stands still (补正, 特别程序), both days included."""

    start: dt.date
    end: dt.date
    label: str = "暂停计时"

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class DayNote:
    """A holiday or make-up day met while counting."""

    date: dt.date
    kind: str
    name: str
    source: str
    region: str | None

    @property
    def displaced(self) -> bool:
        """A holiday on a weekday takes the place of a working day; one on a weekend does not."""
        return self.kind == DayKind.HOLIDAY and self.date.weekday() < 5

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date, "kind": self.kind, "kind_label": KIND_LABELS[self.kind],
                "name": self.name, "source": self.source, "source_label": SOURCE_LABELS[self.source],
                "region": self.region}


@dataclass(frozen=True)
class StopEffect:
    stop: Stop
    working_days: int  # working days of the stop that fell inside the running period

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.stop.start, "end": self.stop.end, "label": self.stop.label,
                "working_days": self.working_days}


@dataclass(frozen=True)
class Deadline:
    """The due date of a time limit and why it is where it is."""

    start: dt.date
    working_days: int
    due_date: dt.date
    provisional: bool
    provisional_years: tuple[int, ...] = ()
    holidays: tuple[DayNote, ...] = ()  # holiday days between start and due date (not in stops)
    makeup_days: tuple[DayNote, ...] = ()  # weekend working days counted
    stops: tuple[StopEffect, ...] = ()
    region: str | None = None

    @property
    def explanation(self) -> list[str]:
        """Chinese sentences, one per reason the due date moved, for pages and the API (built on
        demand: a bulk recomputation only needs the due date)."""
        return _explain(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start, "working_days": self.working_days, "due_date": self.due_date,
            "provisional": self.provisional, "provisional_years": list(self.provisional_years),
            "region": self.region,
            "holidays": [h.as_dict() for h in self.holidays],
            "makeup_days": [m.as_dict() for m in self.makeup_days],
            "stops": [s.as_dict() for s in self.stops],
            "explanation": self.explanation,
        }


# --- arithmetic ----------------------------------------------------------------------------------


def as_date(value: dt.date, what: str = "日期") -> dt.date:
    if isinstance(value, dt.datetime):  # an acceptance time: its local calendar day counts
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        raise ValidationError(f"{what}格式不正确", code="calendar.date_invalid")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"{what}须在{MIN_YEAR}年至{MAX_YEAR}年之间",
                              code="calendar.date_out_of_range")
    return value


def _stops(stops: Iterable[Stop | tuple]) -> list[Stop]:
    result = []
    for item in stops:
        stop = item if isinstance(item, Stop) else Stop(*item)
        stop = Stop(as_date(stop.start, "暂停计时开始日期"), as_date(stop.end, "暂停计时结束日期"),
                    stop.label)
        if stop.end < stop.start:
            raise ValidationError("暂停计时的结束日期不能早于开始日期", code="calendar.stop_invalid",
                                  details={"start": stop.start, "end": stop.end})
        result.append(stop)
    return sorted(result, key=lambda s: (s.start, s.end))


def _calendar(region, calendar: Calendar | None) -> Calendar:
    return calendar if calendar is not None else RegionCalendar(region)


def is_working_day(day: dt.date, region=None, *, calendar: Calendar | None = None) -> bool:
    """Whether ``day`` is a working day in ``region`` (None = nationwide)."""
    day = as_date(day)
    return _calendar(region, calendar).year(day.year).is_working(day)


def add_working_days(start: dt.date, n: int, region=None, *, stops: Iterable[Stop | tuple] = (),
                     calendar: Calendar | None = None) -> Deadline:
    """The due date of a limit of ``n`` working days that starts on ``start`` (受理日), counted
    from the next day, with the clock stopped during ``stops`` ((start, end[, label]) or Stop)."""
    start = as_date(start, "起算日期")
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValidationError("工作日数必须是整数", code="calendar.days_invalid")
    if n < 0:
        raise ValidationError("工作日数不能为负数", code="calendar.days_negative")
    if n > MAX_WORKING_DAYS:
        raise ValidationError(f"工作日数不能超过{MAX_WORKING_DAYS}", code="calendar.days_too_many")
    stop_list = _stops(stops)
    years = _Years(_calendar(region, calendar))
    holidays: list[DayNote] = []
    makeups: list[DayNote] = []
    suspended: dict[int, int] = {}  # stop index → working days it took; a day goes to the first stop
    day, counted, idle = start, 0, 0
    while counted < n:
        day += ONE_DAY
        idle += 1
        if idle > MAX_RANGE_DAYS * 30:  # only a calendar without working days gets here
            raise ValidationError("暂停计时或节假日过长，无法计算截止日期", code="calendar.no_working_days")
        year = years[day.year]
        working = year.is_working(day)
        stop = next((i for i, s in enumerate(stop_list) if s.covers(day)), None)
        if stop is not None:
            suspended[stop] = suspended.get(stop, 0) + (1 if working else 0)
            continue
        info = year.info(day)
        if working:
            counted, idle = counted + 1, 0
            if info is not None and day.weekday() >= 5:
                makeups.append(DayNote(day, info.kind, info.name, info.source, info.region))
        elif info is not None and info.kind == DayKind.HOLIDAY:
            holidays.append(DayNote(day, info.kind, info.name, info.source, info.region))
    provisional_years = years.provisional_years()
    return Deadline(
        start=start, working_days=n, due_date=day, provisional=bool(provisional_years),
        provisional_years=provisional_years, holidays=tuple(holidays), makeup_days=tuple(makeups),
        stops=tuple(StopEffect(s, suspended[i]) for i, s in enumerate(stop_list) if i in suspended),
        region=getattr(region, "code", None),
    )


def count_working_days(after: dt.date, until: dt.date, region=None, *,
                       stops: Iterable[Stop | tuple] = (), calendar: Calendar | None = None) -> int:
    """Working days d with after < d <= until that count (not in a stop): the days of a limit
    used up by ``until``, or, from today to a due date, the working days left."""
    after, until = as_date(after), as_date(until)
    stop_list = _stops(stops)
    years = _Years(_calendar(region, calendar))
    total, day = 0, after + ONE_DAY
    while day <= until:
        if years[day.year].is_working(day) and not any(s.covers(day) for s in stop_list):
            total += 1
        day += ONE_DAY
    return total


# --- a range of days, for the calendar API and pages --------------------------------------------


@dataclass(frozen=True)
class DayView:
    date: dt.date
    working: bool
    kind: str | None  # DayKind value for holidays and make-up days, None for an ordinary day
    name: str
    source: str | None
    region: str | None
    provisional: bool

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date, "weekday": self.date.isoweekday(), "working": self.working,
                "kind": self.kind, "kind_label": KIND_LABELS.get(self.kind or "", ""),
                "name": self.name, "source": self.source,
                "source_label": SOURCE_LABELS.get(self.source or "", ""), "region": self.region,
                "provisional": self.provisional}


def describe_days(first: dt.date, last: dt.date, region=None, *,
                  calendar: Calendar | None = None) -> list[DayView]:
    """Every day from ``first`` to ``last`` (both included, at most 366 days) with its status."""
    first, last = as_date(first, "开始日期"), as_date(last, "结束日期")
    if last < first:
        raise ValidationError("结束日期不能早于开始日期", code="calendar.range_invalid")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(f"一次最多查询{MAX_RANGE_DAYS}天", code="calendar.range_too_long",
                              details={"max_days": MAX_RANGE_DAYS})
    years = _Years(_calendar(region, calendar))
    views, day = [], first
    while day <= last:
        year = years[day.year]
        info = year.info(day)
        views.append(DayView(
            date=day, working=year.is_working(day), kind=info.kind if info else None,
            name=info.name if info else "", source=info.source if info else None,
            region=info.region if info else None, provisional=year.provisional))
        day += ONE_DAY
    return views


# --- explanation ---------------------------------------------------------------------------------


def format_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def format_range(first: dt.date, last: dt.date) -> str:
    if first == last:
        return format_date(first)
    tail = f"{last.month}月{last.day}日" if first.year == last.year else format_date(last)
    return f"{format_date(first)}至{tail}"


def _weekday(day: dt.date) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def _holiday_blocks(notes: Iterable[DayNote]) -> list[list[DayNote]]:
    blocks: list[list[DayNote]] = []
    for note in notes:
        last = blocks[-1][-1] if blocks else None
        if (last is not None and note.date - last.date == ONE_DAY and note.name == last.name
                and note.source == last.source):
            blocks[-1].append(note)
        else:
            blocks.append([note])
    return blocks


def _explain(result: Deadline) -> list[str]:
    lines = []
    if result.working_days == 0:
        lines.append(f"时限为0个工作日（即办件），截止日期即起算日{format_date(result.start)}。")
    else:
        lines.append(f"起算日（受理日）为{format_date(result.start)}，自次日起计算"
                     f"{result.working_days}个工作日。")
    for block in _holiday_blocks(result.holidays):
        moved = sum(1 for n in block if n.displaced)
        if moved:
            head = block[0]
            lines.append(f"{head.name or '节假日'}：{format_range(block[0].date, block[-1].date)}放假，"
                         f"顺延{moved}个工作日（依据：{SOURCE_LABELS[head.source]}）。")
    for note in result.makeup_days:
        lines.append(f"{format_date(note.date)}（{_weekday(note.date)}）为{note.name}调休上班日，计入时限"
                     f"（依据：{SOURCE_LABELS[note.source]}）。")
    for effect in result.stops:
        if effect.working_days:
            lines.append(f"{effect.stop.label}：{format_range(effect.stop.start, effect.stop.end)}，"
                         f"暂停计时{effect.working_days}个工作日。")
    for year in result.provisional_years:
        lines.append(f"{year}年的放假安排尚未录入，暂按{FALLBACK_DESCRIPTION}推算；截止日期为暂定，"
                     "录入后重新计算。")
    due = result.due_date
    mark = "（暂定）" if result.provisional else ""
    lines.append(f"截止日期：{format_date(due)}（{_weekday(due)}）{mark}。")
    return lines
