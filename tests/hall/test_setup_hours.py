"""Opening hours from the working-day calendar: holidays closed, make-up days on workday hours,
Saturday 延时服务, and the message a closed hall gives."""

import datetime as dt

import pytest

from yiwang.calendar.models import CalendarDay
from yiwang.calendar.models import DayKind as CalendarKind
from yiwang.common.errors import Conflict
from yiwang.hall.services import hours

from .setup_world import MONDAY, at, build_world

WORKDAY_HOURS = [(dt.time(8, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0))]
SATURDAY_HOURS = [(dt.time(9, 0), dt.time(15, 0))]


@pytest.fixture
def hall(db):
    return build_world().hall


def test_an_ordinary_working_day_has_the_workday_periods(hall):
    assert hours.opening_periods(hall, MONDAY) == WORKDAY_HOURS


def test_a_public_holiday_is_closed_even_on_a_weekday(hall):
    national_day = dt.date(2026, 10, 1)  # a Thursday
    assert hours.opening_periods(hall, national_day) == []
    assert not hours.is_open(hall, at(national_day, 10))


def test_a_weekend_inside_a_holiday_period_is_closed_despite_saturday_hours(hall):
    assert hours.opening_periods(hall, dt.date(2026, 10, 3)) == []  # Saturday of 国庆节


def test_a_make_up_saturday_uses_workday_hours(hall):
    make_up = dt.date(2026, 10, 10)  # 调休上班 Saturday
    assert hours.opening_periods(hall, make_up) == WORKDAY_HOURS
    assert hours.is_open(hall, at(make_up, 16))


def test_an_ordinary_saturday_uses_its_extended_service_hours(hall):
    saturday = dt.date(2026, 12, 12)
    assert hours.opening_periods(hall, saturday) == SATURDAY_HOURS
    assert hours.is_open(hall, at(saturday, 14, 59))
    assert not hours.is_open(hall, at(saturday, 15))
    assert hours.opening_periods(hall, dt.date(2026, 12, 13)) == []  # Sunday: no periods


def test_a_regional_holiday_closes_only_the_halls_under_that_region(hall):
    CalendarDay.objects.create(date=MONDAY, region=hall.region, kind=CalendarKind.HOLIDAY,
                               name="地方假日")
    assert hours.opening_periods(hall, MONDAY) == []


def test_open_between_periods_and_at_the_edges(hall):
    assert hours.is_open(hall, at(MONDAY, 8, 30))
    assert not hours.is_open(hall, at(MONDAY, 8, 29))
    assert not hours.is_open(hall, at(MONDAY, 12))
    assert not hours.is_open(hall, at(MONDAY, 17))


def test_require_open_at_noon_gives_todays_hours(hall):
    with pytest.raises(Conflict) as caught:
        hours.require_open(hall, at(MONDAY, 12))
    assert caught.value.code == "hall.closed"
    assert "今天的办公时间：08:30–11:30、13:00–17:00" in caught.value.message
    assert "下一个办公日" not in caught.value.message


def test_require_open_on_a_holiday_says_closed_and_names_the_next_open_day(hall):
    with pytest.raises(Conflict) as caught:
        hours.require_open(hall, at(dt.date(2026, 10, 1), 10))
    # 10月1日 to 7日 are 国庆节; the 8th is a Thursday working day.
    assert "今天不办公" in caught.value.message
    assert "下一个办公日：10月8日（周四） 08:30–11:30、13:00–17:00" in caught.value.message


def test_require_open_after_closing_names_tomorrow(hall):
    with pytest.raises(Conflict) as caught:
        hours.require_open(hall, at(dt.date(2026, 12, 11), 18))  # Friday evening
    assert "下一个办公日：12月12日（周六） 09:00–15:00" in caught.value.message
    hours.require_open(hall, at(MONDAY, 9))


def test_next_open_days_skip_closed_days_and_optionally_weekends(hall):
    friday = dt.date(2026, 12, 11)
    assert hours.next_open_days(hall, 2, after=friday) == [dt.date(2026, 12, 12), dt.date(2026, 12, 14)]
    assert hours.next_open_days(hall, 2, after=friday, working_only=True) == [
        dt.date(2026, 12, 14), dt.date(2026, 12, 15)]
    assert hours.next_open_days(hall, 1, after=dt.date(2026, 9, 30)) == [dt.date(2026, 10, 8)]


def test_a_hall_without_periods_never_opens(db):
    world = build_world()
    assert hours.next_open_days(world.other_hall, 3, after=MONDAY) == []
    with pytest.raises(Conflict, match="今天不办公"):
        hours.require_open(world.other_hall, at(MONDAY, 10))
