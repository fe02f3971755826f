"""The working-day calendar and deadline arithmetic on real dates."""

import datetime as dt

import pytest

from tests.calendar.conftest import TABLE_2027
from yiwang.calendar import services, workdays
from yiwang.calendar.models import DayKind
from yiwang.calendar.workdays import Stop, add_working_days, count_working_days, is_working_day
from yiwang.common.errors import ValidationError

D = dt.date


def test_the_package_gives_2026s_mid_autumn_and_national_day_and_their_make_up_days(db):
    # chinese-calendar 1.11: 中秋 9/25–9/27, 国庆 10/1–10/7, worked on Sunday 9/20 and Saturday 10/10.
    assert D(2026, 9, 20).weekday() == 6 and is_working_day(D(2026, 9, 20))
    assert D(2026, 10, 10).weekday() == 5 and is_working_day(D(2026, 10, 10))
    assert not any(is_working_day(D(2026, 9, d)) for d in (25, 26, 27))
    assert not any(is_working_day(D(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(D(2026, 9, 30)) and is_working_day(D(2026, 10, 8))
    assert not is_working_day(D(2026, 10, 11))  # the Sunday after the make-up Saturday rests
    year = workdays.year_calendar(2026)
    assert year.info(D(2026, 9, 20)).name == "国庆节" and year.info(D(2026, 9, 25)).name == "中秋节"
    assert not year.provisional


def test_a_limit_over_national_day_skips_the_week_and_counts_the_make_up_saturday(db):
    deadline = add_working_days(D(2026, 9, 30), 5)
    # 10/8, 10/9, 10/10 (Saturday, worked), 10/12, 10/13
    assert deadline.due_date == D(2026, 10, 13)
    assert not deadline.provisional
    assert [n.date for n in deadline.makeup_days] == [D(2026, 10, 10)]
    assert [n.date for n in deadline.holidays if n.displaced] == [
        D(2026, 10, d) for d in (1, 2, 5, 6, 7)]
    text = "\n".join(deadline.explanation)
    assert "国庆节：2026年10月1日至10月7日放假，顺延5个工作日" in text
    assert "2026年10月10日（星期六）为国庆节调休上班日，计入时限" in text
    assert deadline.explanation[-1] == "截止日期：2026年10月13日（星期二）。"


def test_counting_starts_the_day_after_acceptance(db):
    friday = D(2026, 11, 6)
    assert add_working_days(friday, 1).due_date == D(2026, 11, 9)  # next Monday
    assert add_working_days(friday, 0).due_date == friday  # 即办件
    saturday = D(2026, 11, 7)
    assert add_working_days(saturday, 1).due_date == D(2026, 11, 9)
    assert count_working_days(friday, D(2026, 11, 9)) == 1


def test_acceptance_time_counts_as_its_day_in_beijing(db):
    accepted = dt.datetime(2026, 11, 5, 17, 30, tzinfo=dt.UTC)  # 01:30 on 11/6 in Beijing
    assert add_working_days(accepted, 1).start == D(2026, 11, 6)


def test_a_december_2026_case_running_into_2027_is_provisional_until_2027_is_imported(regions, root):
    before = add_working_days(D(2026, 12, 24), 10)
    # Fallback for 2027: weekends and 元旦 1/1 only around New Year.
    assert before.due_date == D(2027, 1, 8)
    assert before.provisional and before.provisional_years == (2027,)
    assert "2027年的放假安排尚未录入" in "\n".join(before.explanation)
    assert before.explanation[-1].endswith("（暂定）。")

    services.import_arrangement(TABLE_2027, actor=root)
    after = add_working_days(D(2026, 12, 24), 10)
    # The (synthetic) table adds 1/4 off and makes Saturday 1/9 a working day.
    assert after.due_date == D(2027, 1, 9)
    assert not after.provisional and after.provisional_years == ()
    assert "元旦：2027年1月1日放假" in "\n".join(after.explanation)


def test_a_region_import_settles_that_region_only(regions, root):
    services.import_arrangement(TABLE_2027, actor=root, region=regions["jilin"])
    assert not add_working_days(D(2026, 12, 24), 10, regions["chaoyang"]).provisional
    assert add_working_days(D(2026, 12, 24), 10, regions["liaoning"]).provisional
    assert add_working_days(D(2026, 12, 24), 10).provisional


@pytest.mark.parametrize("day, working", [
    (D(2027, 1, 1), False),  # 元旦, a Friday
    (D(2027, 5, 3), True),  # an ordinary Monday: the real 劳动节 week is not guessed
    (D(2028, 5, 1), False), (D(2028, 5, 2), False),  # 劳动节, Monday and Tuesday
    (D(2027, 10, 1), False),  # 国庆节, a Friday; 10/2 and 10/3 are a weekend anyway
    (D(2027, 10, 4), True),  # no in-lieu day (补假) is guessed
    (D(2027, 2, 8), True),  # 春节 follows the lunar calendar: not in the fallback
])
def test_the_fallback_rests_on_the_fixed_statutory_dates_only(db, day, working):
    assert is_working_day(day) is working
    assert workdays.year_calendar(day.year).provisional


def test_a_region_override_beats_the_nationwide_row_and_reaches_the_regions_below(regions, root,
                                                                                   changchun_admin):
    monday = D(2026, 11, 16)
    services.set_day(actor=root, date=monday, kind=DayKind.HOLIDAY, name="测试假日")
    services.set_day(actor=changchun_admin, date=monday, kind=DayKind.WORKDAY, region=regions["changchun"],
                     note="本市照常上班")
    assert not is_working_day(monday)
    assert is_working_day(monday, regions["changchun"])
    assert is_working_day(monday, regions["chaoyang"])  # below 长春市
    assert not is_working_day(monday, regions["jilin_city"])  # beside it
    assert not is_working_day(monday, regions["jilin"])  # above it


def test_the_deeper_region_wins_over_its_province(regions, root):
    day = D(2026, 11, 17)
    services.set_day(actor=root, date=day, kind=DayKind.HOLIDAY, name="省内假日", region=regions["jilin"])
    services.set_day(actor=root, date=day, kind=DayKind.WORKDAY, region=regions["chaoyang"])
    assert not is_working_day(day, regions["changchun"])
    assert is_working_day(day, regions["chaoyang"])
    assert is_working_day(day, regions["liaoning"])


def test_a_correction_of_a_package_holiday_changes_the_deadline(regions, root):
    assert add_working_days(D(2026, 9, 30), 1).due_date == D(2026, 10, 8)
    services.set_day(actor=root, date=D(2026, 10, 2), kind=DayKind.WORKDAY, region=regions["jilin"])
    assert add_working_days(D(2026, 9, 30), 1, regions["changchun"]).due_date == D(2026, 10, 2)
    assert add_working_days(D(2026, 9, 30), 1).due_date == D(2026, 10, 8)


def test_a_stop_moves_the_due_date_by_its_working_days(db):
    start = D(2026, 11, 2)  # Monday
    plain = add_working_days(start, 10)
    assert plain.due_date == D(2026, 11, 16)
    # 补正 from Thursday 11/5 to Monday 11/9: Thu, Fri and Mon are working days.
    stopped = add_working_days(start, 10, stops=[(D(2026, 11, 5), D(2026, 11, 9), "补正")])
    assert stopped.due_date == D(2026, 11, 19)
    assert [(s.stop.label, s.working_days) for s in stopped.stops] == [("补正", 3)]
    assert "补正：2026年11月5日至11月9日，暂停计时3个工作日。" in stopped.explanation
    assert count_working_days(plain.due_date, stopped.due_date) == 3


def test_stops_before_the_start_or_after_the_due_date_change_nothing(db):
    start = D(2026, 11, 2)
    stops = [Stop(D(2026, 10, 20), D(2026, 11, 2)), Stop(D(2026, 12, 1), D(2026, 12, 4))]
    assert add_working_days(start, 10, stops=stops).due_date == D(2026, 11, 16)


def test_a_stop_over_national_day_counts_only_the_working_days_it_covers(db):
    deadline = add_working_days(D(2026, 9, 28), 3, stops=[Stop(D(2026, 9, 30), D(2026, 10, 9), "特别程序")])
    # 9/29 counts; the stop takes 9/30, 10/8 and 10/9; 10/10 (make-up Saturday) and 10/12 count.
    assert deadline.due_date == D(2026, 10, 12)
    assert deadline.stops[0].working_days == 3
    assert not any(n.name == "国庆节" and n.kind == DayKind.HOLIDAY for n in deadline.holidays)


@pytest.mark.parametrize("n, stops, code", [
    (-1, (), "calendar.days_negative"),
    (2001, (), "calendar.days_too_many"),
    ("3", (), "calendar.days_invalid"),
    (3, [(D(2026, 11, 9), D(2026, 11, 5))], "calendar.stop_invalid"),
])
def test_bad_arguments_are_refused_with_a_code(db, n, stops, code):
    with pytest.raises(ValidationError) as exc:
        add_working_days(D(2026, 11, 2), n, stops=stops)
    assert exc.value.code == code


def test_dates_outside_the_supported_years_are_refused(db):
    with pytest.raises(ValidationError) as exc:
        add_working_days(D(9999, 12, 1), 30)
    assert exc.value.code == "calendar.date_out_of_range"


def test_one_query_per_year_and_region_then_none(regions, django_assert_num_queries):
    with django_assert_num_queries(2):  # the known years, then the rows of 2026 nationwide
        add_working_days(D(2026, 3, 2), 100)
    with django_assert_num_queries(0):
        add_working_days(D(2026, 3, 2), 100)
        is_working_day(D(2026, 10, 10))
    with django_assert_num_queries(1):  # 2026 for 朝阳区: its own set
        add_working_days(D(2026, 3, 2), 100, regions["chaoyang"])
    with django_assert_num_queries(2):  # 2026 and 2027 for 吉林市
        add_working_days(D(2026, 12, 1), 30, regions["jilin_city"])


def test_a_change_empties_the_cache(regions, root, django_assert_num_queries):
    add_working_days(D(2026, 3, 2), 10)
    services.set_day(actor=root, date=D(2026, 3, 3), kind=DayKind.HOLIDAY, name="更正")
    assert add_working_days(D(2026, 3, 2), 1).due_date == D(2026, 3, 4)
