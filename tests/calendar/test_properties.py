"""Properties of add_working_days that hold for every calendar: the package's (with the fallback
for the years it does not know), synthetic ones with random overrides, and the database-backed one.

Counting rule under test: the due date of n ≥ 1 working days is the n-th counting working day
after the start date (a day counts if it is a working day and no stop covers it), so exactly
n − 1 counting working days lie strictly between the start date and the due date."""

import datetime as dt
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.calendar.models import DayKind, DaySource
from yiwang.calendar.workdays import (
    BaseCalendar,
    DayInfo,
    Stop,
    YearCalendar,
    add_working_days,
    base_year,
    count_working_days,
)

ONE_DAY = dt.timedelta(days=1)
# 2003 and 2027–2028 are outside chinese-calendar 1.11, so the fallback is exercised too.
starts = st.dates(min_value=dt.date(2003, 6, 1), max_value=dt.date(2028, 6, 30))
counts = st.integers(min_value=1, max_value=80)


class SyntheticCalendar:
    """The package's calendar with random days turned into holidays or working days."""

    def __init__(self, overrides: dict[dt.date, str]) -> None:
        self.overrides = overrides

    def year(self, year: int) -> YearCalendar:
        base = base_year(year)
        days = dict(base.days)
        for day, kind in self.overrides.items():
            if day.year == year:
                days[day] = DayInfo(kind, "测试", DaySource.MANUAL)
        return YearCalendar(year, MappingProxyType(days), base.provisional)


@st.composite
def calendars(draw):
    if draw(st.booleans()):
        return BaseCalendar()
    overrides = draw(st.dictionaries(
        st.dates(min_value=dt.date(2003, 6, 1), max_value=dt.date(2029, 12, 31)),
        st.sampled_from([DayKind.HOLIDAY, DayKind.WORKDAY]), max_size=200))
    return SyntheticCalendar(overrides)


@st.composite
def starts_with_stops(draw):
    """A start date and up to three stops around it (some before it, most in the running period)."""
    start = draw(starts)
    stops = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        first = start + dt.timedelta(days=draw(st.integers(min_value=-10, max_value=120)))
        stops.append(Stop(first, first + dt.timedelta(days=draw(st.integers(0, 40))), "补正"))
    return start, stops


def _due(start, n, calendar, stops=()):
    return add_working_days(start, n, stops=stops, calendar=calendar).due_date


def _counts(day, calendar, stops=()):
    return calendar.year(day.year).is_working(day) and not any(s.covers(day) for s in stops)


@given(starts, counts, calendars())
def test_the_due_date_is_a_working_day_after_the_start(start, n, calendar):
    due = _due(start, n, calendar)
    assert due > start
    assert calendar.year(due.year).is_working(due)


@given(starts, st.integers(0, 60), st.integers(0, 60), calendars())
def test_adding_n_then_m_is_adding_n_plus_m(start, n, m, calendar):
    assert _due(_due(start, n, calendar), m, calendar) == _due(start, n + m, calendar)


@given(starts, st.integers(0, 80), st.integers(0, 80), calendars())
def test_the_due_date_grows_with_n(start, n, m, calendar):
    low, high = sorted((n, m))
    if low < high:
        assert _due(start, low, calendar) < _due(start, high, calendar)
    else:
        assert _due(start, low, calendar) == _due(start, high, calendar)


@given(starts_with_stops(), counts, calendars())
def test_a_stop_never_makes_the_due_date_earlier(start_and_stops, n, calendar):
    start, stops = start_and_stops
    assert _due(start, n, calendar, stops) >= _due(start, n, calendar)


@given(starts_with_stops(), counts, calendars())
def test_exactly_n_minus_one_counting_working_days_lie_strictly_between_start_and_due(start_and_stops, n,
                                                                                      calendar):
    start, stops = start_and_stops
    due = _due(start, n, calendar, stops)
    assert _counts(due, calendar, stops)
    between, day = 0, start + ONE_DAY
    while day < due:
        between += _counts(day, calendar, stops)
        day += ONE_DAY
    assert between == n - 1
    assert count_working_days(start, due, stops=stops, calendar=calendar) == n


@given(starts_with_stops(), counts, calendars())
def test_stops_move_the_due_date_by_the_working_days_they_suspend(start_and_stops, n, calendar):
    start, stops = start_and_stops
    stopped = add_working_days(start, n, stops=stops, calendar=calendar)
    suspended = sum(effect.working_days for effect in stopped.stops)
    assert stopped.due_date == _due(start, n + suspended, calendar)


@given(starts, counts)
def test_a_deadline_is_provisional_exactly_when_it_touches_a_year_the_package_lacks(start, n):
    deadline = add_working_days(start, n, calendar=BaseCalendar())
    years = set(range((start + ONE_DAY).year, deadline.due_date.year + 1))
    assert deadline.provisional == bool(years - set(range(2004, 2027)))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 6, 30)), st.integers(0, 40),
       st.integers(0, 40))
def test_the_database_calendar_keeps_the_same_laws(start, n, m):
    due = add_working_days(start, n).due_date
    assert add_working_days(due, m).due_date == add_working_days(start, n + m).due_date
    if n:
        assert add_working_days(start, n, calendar=BaseCalendar()).due_date == due
