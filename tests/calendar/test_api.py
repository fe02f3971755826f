"""/api/calendar: public, bounded, and every bad input answers 4xx with a code."""

import datetime as dt

import pytest

from tests.calendar.conftest import TABLE_2027
from yiwang.calendar import services
from yiwang.calendar.models import DayKind


def test_days_lists_every_day_of_the_range_with_its_status(client, regions):
    response = client.get("/api/calendar/days", {"from": "2026-09-28", "to": "2026-10-11"})
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["region"]) == ("2026-09-28", "2026-10-11", None)
    assert len(body["days"]) == 14 and not body["provisional"]
    assert body["working_days"] == 6  # 9/28, 9/29, 9/30, 10/8, 10/9, 10/10
    by_date = {d["date"]: d for d in body["days"]}
    day = by_date["2026-10-01"]
    assert (day["working"], day["kind"], day["name"]) == (False, "holiday", "国庆节")
    make_up = by_date["2026-10-10"]
    assert make_up["working"] and make_up["kind"] == "workday" and make_up["kind_label"] == "调休上班日"
    assert make_up["weekday"] == 6 and make_up["source"] == "package"
    assert (by_date["2026-10-11"]["working"], by_date["2026-10-11"]["kind"]) == (False, None)


def test_days_of_a_region_show_its_overrides(client, regions, root):
    services.set_day(actor=root, date=dt.date(2026, 11, 16), kind=DayKind.HOLIDAY, name="本地假日",
                     region=regions["changchun"])
    body = client.get("/api/calendar/days", {"from": "2026-11-16", "to": "2026-11-16",
                                             "region": "220104"}).json()
    assert body["region"] == "220104"
    assert (body["days"][0]["working"], body["days"][0]["region"], body["days"][0]["source"]) == (
        False, "220100", "manual")


def test_days_of_an_unknown_year_are_marked_provisional(client, db):
    body = client.get("/api/calendar/days", {"from": "2027-01-01", "to": "2027-01-01"}).json()
    assert body["provisional"] and body["days"][0]["source"] == "fallback"


def test_deadline_answers_the_due_date_flag_and_explanation(client, db):
    body = client.get("/api/calendar/deadline", {"start": "2026-09-30", "days": 5}).json()
    assert body["due_date"] == "2026-10-13" and body["provisional"] is False
    assert body["makeup_days"][0]["date"] == "2026-10-10"
    assert body["explanation"][0] == "起算日（受理日）为2026年9月30日，自次日起计算5个工作日。"
    assert body["explanation"][-1] == "截止日期：2026年10月13日（星期二）。"


def test_deadline_into_an_unknown_year_is_provisional_until_imported(client, regions, root):
    query = {"start": "2026-12-24", "days": 10, "region": "220104"}
    before = client.get("/api/calendar/deadline", query).json()
    assert (before["due_date"], before["provisional"], before["provisional_years"]) == (
        "2027-01-08", True, [2027])
    services.import_arrangement(TABLE_2027, actor=root)
    after = client.get("/api/calendar/deadline", query).json()
    assert (after["due_date"], after["provisional"], after["region"]) == ("2027-01-09", False, "220104")


@pytest.mark.parametrize("path, query, status, code", [
    ("days", {"from": "2026-01-01", "to": "2027-01-02"}, 400, "calendar.range_too_long"),
    ("days", {"from": "2026-03-01", "to": "2026-02-01"}, 400, "calendar.range_invalid"),
    ("days", {"from": "2026-01-01", "to": "2026-01-05", "region": "999999"}, 404, "region.not_found"),
    ("days", {"from": "2026-02-30", "to": "2026-03-01"}, 422, "request.invalid"),
    ("days", {"to": "2026-03-01"}, 422, "request.invalid"),
    ("days", {"from": "0001-01-01", "to": "0001-01-02"}, 400, "calendar.date_out_of_range"),
    ("deadline", {"start": "2026-11-02", "days": -1}, 400, "calendar.days_negative"),
    ("deadline", {"start": "2026-11-02", "days": 100000}, 400, "calendar.days_too_many"),
    ("deadline", {"start": "2026-11-02", "days": "ten"}, 422, "request.invalid"),
    ("deadline", {"start": "2026-11-02", "days": 5, "region": "nowhere"}, 404, "region.not_found"),
    ("deadline", {"start": "9999-12-31", "days": 5}, 400, "calendar.date_out_of_range"),
])
def test_bad_input_answers_4xx_with_a_code_and_a_chinese_message(client, db, path, query, status, code):
    response = client.get(f"/api/calendar/{path}", query)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["message"]


def test_a_full_year_is_allowed(client, db):
    body = client.get("/api/calendar/days", {"from": "2028-01-01", "to": "2028-12-31"}).json()
    assert len(body["days"]) == 366
