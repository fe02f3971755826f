"""好差评统计 figures against numbers worked out by hand (tests/evaluation/stats_world.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from tests.evaluation.stats_world import build_world, january
from yiwang.common.errors import ValidationError
from yiwang.evaluation.models import RatingStat
from yiwang.evaluation.services import statistics

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


@pytest.fixture
def world(db):
    world = build_world()
    world["ratings"] = january(world)
    statistics.aggregate_month(JAN)
    statistics.aggregate_month(FEB)
    return world


def figures(**kw):
    return statistics.figures(months=(JAN, FEB), **kw)


def test_a_region_counts_its_descendants_and_leaves_out_the_excluded_rating(world):
    result = figures(region=world["city"])
    january_counts = dict(result.months)[JAN]
    assert (january_counts.ratings, january_counts.good, january_counts.bad) == (8, 4, 4)
    assert (january_counts.rectified, january_counts.rectified_on_time,
            january_counts.revisited) == (3, 1, 1)
    assert january_counts.good_rate == 0.5
    assert january_counts.rectification_rate == 0.75
    assert january_counts.timely_rate == 0.3333
    assert january_counts.revisit_rate == 0.25
    assert dict(result.months)[FEB].ratings == 1
    assert result.total.ratings == 9 and result.total.good == 5


def test_the_county_alone(world):
    total = statistics.figures(region=world["county"], months=(JAN, JAN)).total
    assert (total.ratings, total.good, total.bad, total.rectified) == (6, 3, 3, 2)
    assert (total.good_rate, total.rectification_rate, total.timely_rate, total.revisit_rate) == \
        (0.5, 0.6667, 0.5, 0.3333)


def test_rates_without_a_denominator_are_none(world):
    total = statistics.figures(region=world["other"], months=(JAN, JAN)).total
    assert (total.ratings, total.good, total.bad) == (1, 1, 0)
    assert total.good_rate == 1.0
    assert (total.rectification_rate, total.timely_rate, total.revisit_rate) == (None, None, None)
    february = dict(figures(region=world["other"]).months)[FEB]
    assert february.ratings == 0 and february.good_rate is None


def test_answered_after_midnight_china_time_is_late_though_the_utc_date_is_the_due_date(world):
    total = statistics.figures(channel="mobile", months=(JAN, JAN)).total
    assert (total.ratings, total.bad, total.rectified, total.rectified_on_time) == (2, 1, 1, 0)
    assert total.timely_rate == 0.0


def test_months_follow_china_time(world):
    """23:59 on 31 January counts in January, 00:01 on 1 February in February (UTC: both 31 Jan)."""
    result = figures()
    assert [(month, counts.ratings) for month, counts in result.months] == [(JAN, 9), (FEB, 1)]


def test_department_item_and_channel_filters(world):
    assert figures(department=world["county_department"]).total.ratings == 7  # Jan 6 + Feb 1
    assert figures(item=world["item"]).total.ratings == 6
    assert figures(channel="hall").total.ratings == 2
    assert figures(department=world["county_department"], channel="hall").total.ratings == 1


def test_the_ranking_by_region_and_department(world):
    result = figures(region=world["province"])
    assert [(label, counts.ratings) for label, _, counts in result.by_region] == \
        [("吉林市", 1), ("长春市", 9)]  # 100 % 好评 first, then 5/9
    by_city = figures(region=world["city"]).by_region
    assert [(label, counts.ratings) for label, _, counts in by_city] == \
        [("朝阳区", 7), ("长春市（本级）", 2)]  # 4/7 before 1/2
    parties = [(label, party, counts.ratings) for label, party, counts in result.by_department]
    assert parties == [
        ("吉林市政务服务中心（大厅）", {"department": None, "hall": world["hall"].pk}, 1),
        ("朝阳区政务服务局", {"department": world["county_department"].pk, "hall": None}, 7),
        ("长春市市场监督管理局", {"department": world["city_department"].pk, "hall": None}, 2),
    ]


def test_rebuilding_a_month_replaces_its_rows(world):
    before = RatingStat.objects.filter(month=JAN).count()
    world["ratings"]["good1"].delete()
    assert statistics.aggregate_month(dt.date(2026, 1, 17)) == before  # the group is still there
    assert figures(region=world["city"]).total.ratings == 8
    assert RatingStat.objects.filter(month=JAN).count() == before


def test_the_command_rebuilds_one_month(world, capsys):
    RatingStat.objects.all().delete()
    call_command("aggregate_ratings", "--month", "2026-01")
    assert "2026-01" in capsys.readouterr().out
    assert figures(region=world["city"]).total.ratings == 8


def test_the_command_refuses_a_bad_month(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="年-月"):
        call_command("aggregate_ratings", "--month", "2026-13")


def test_the_task_rebuilds_this_and_last_month(world):
    assert statistics.months_to_aggregate(today=dt.date(2026, 2, 14)) == [JAN, FEB]
    RatingStat.objects.all().delete()
    from yiwang.evaluation.tasks import aggregate_ratings

    assert aggregate_ratings.call("2026-01") > 0
    assert figures().total.ratings == 9


@pytest.mark.parametrize(("params", "code"), [
    ({"start": "2026-13"}, "statistics.bad_month"),
    ({"end": "January"}, "statistics.bad_month"),
    ({"start": "2026-03", "end": "2026-01"}, "statistics.range_reversed"),
    ({"start": "2020-01", "end": "2026-01"}, "statistics.range_too_long"),
    ({"region": "abc"}, "statistics.bad_region"),
    ({"region": "999999"}, "statistics.region_not_found"),
    ({"department": "-1"}, "statistics.bad_department"),
    ({"department": "99999999999999999999999"}, "statistics.bad_department"),
    ({"item": "12345"}, "statistics.item_not_found"),
    ({"channel": "fax"}, "statistics.bad_channel"),
    ({"month": "2025-01", "start": "2026-01", "end": "2026-02"}, "statistics.month_outside"),
])
def test_bad_filters_are_validation_errors(db, params, code):
    with pytest.raises(ValidationError) as caught:
        statistics.parse_filters(params)
    assert caught.value.code == code and caught.value.status == 400


def test_the_default_range_is_the_last_twelve_months(db):
    filters = statistics.parse_filters({}, today=dt.date(2026, 3, 9))
    assert (filters.start, filters.end) == (dt.date(2025, 4, 1), dt.date(2026, 3, 1))
    assert len(filters.months) == 12


def test_the_ratings_behind_a_figure(world):
    filters = statistics.parse_filters({"region": "220100", "start": "2026-01", "end": "2026-01"})
    made = world["ratings"]
    expected = {
        "ratings": 8, "good": 4, "bad": 4, "rectified": 3, "on_time": 1, "revisited": 1}
    for figure, count in expected.items():
        assert statistics.ratings_behind(filters, figure).total == count, figure
    bad = statistics.ratings_behind(filters, "bad").items
    assert [r.level for r in bad] == [made[k].level for k in ("city_bad", "pending", "late", "on_time")]
    on_time = statistics.ratings_behind(filters, "on_time").items[0]
    assert on_time.rater == "王*明"
    assert on_time.text == "窗口让我跑了三次，身份证号2201**********1234，电话139****5678"
    assert (on_time.rectification, on_time.on_time) == ("已整改", True)
    assert statistics.ratings_behind(filters, "rectified", page=1, page_size=2).pages == 2
    with pytest.raises(ValidationError):
        statistics.ratings_behind(filters, "everything")
