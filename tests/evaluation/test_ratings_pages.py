"""The rating pages: the invitation link without log-in, the case page's block, 我的评价,
综合点评, the kiosk, and the workbench's 差评原因 and 监督查评."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.clients import VerifiedClient
from yiwang.evaluation.models import BadReviewReason, EvaluationPolicy, Rating, RatingChange
from yiwang.evaluation.services import ratings

from .rating_world import RatingWorld


@pytest.fixture
def world(db):
    return RatingWorld()

BAD_FORM = {"level": "5", "reasons": ["attitude", "many_trips"], "text": "跑了三次"}


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _token(world, case):
    return ratings.invite(world.user, event_key=f"case:{case.pk}", channel="sms")


def test_the_link_shows_the_form_and_rates_without_log_in(world):
    case = world.delivered()
    token = _token(world, case)
    page = Client().get(f"/rate/{token}/").content.decode()
    for text in (case.number, "非常满意", "非常不满意", "服务态度差", 'name="text"'):
        assert text in page
    answer = Client().post(f"/rate/{token}/", BAD_FORM)
    assert answer.status_code == 200 and "感谢您的评价" in answer.content.decode()
    rating = Rating.objects.get()
    assert (rating.level, rating.channel, rating.rater) == (5, "sms", world.user)
    assert sorted(r.code for r in rating.reasons.all()) == ["attitude", "many_trips"]
    again = Client().get(f"/rate/{token}/")
    assert again.status_code == 404 and "评价链接无效" in again.content.decode()


def test_a_bad_rating_by_link_shows_the_rule_and_keeps_the_input(world):
    case = world.delivered()
    token = _token(world, case)
    answer = Client().post(f"/rate/{token}/", {"level": "4", "text": "不好"})
    page = answer.content.decode()
    assert answer.status_code == 400 and "差评请选择至少一项差评原因" in page and "不好" in page
    assert 'value="4" checked' in page and not Rating.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_a_clear_404(world, method):
    answer = getattr(Client(), method)("/rate/forged-token-123/", {"level": "1"})
    page = answer.content.decode()
    assert answer.status_code == 404 and "评价链接无效、已使用或已过期" in page
    assert 'data-code="rating.bad_token"' in page and not Rating.objects.exists()


def test_the_case_page_offers_the_rating_after_delivery(world):
    case = world.delivered()
    client = signed_in(world.user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "评价本次办理" in page and f'action="/evaluation/rate/case:{case.pk}/"' in page
    answer = client.post(f"/evaluation/rate/case:{case.pk}/",
                         {"level": "1", "text": "很好", "next": f"/cases/{case.pk}/"})
    assert answer.status_code == 302 and answer["Location"] == f"/cases/{case.pk}/"
    assert Rating.objects.get().channel == "pc"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "修改评价" in page and "非常满意" in page and "感谢您的评价" in page


def test_the_case_page_offers_nothing_while_the_case_is_handled(world):
    case = world.accepted()
    assert "评价本次办理" not in signed_in(world.user).get(f"/cases/{case.pk}/").content.decode()


def test_the_rating_is_changed_from_its_page_and_the_change_kept(world):
    case = world.delivered()
    client = signed_in(world.user)
    client.post(f"/evaluation/rate/case:{case.pk}/", {"level": "2"})
    page = client.get(f"/evaluation/rate/case:{case.pk}/").content.decode()
    assert "修改评价" in page and 'value="2" checked' in page
    answer = client.post(f"/evaluation/rate/case:{case.pk}/", BAD_FORM, HTTP_USER_AGENT="iPhone Mobile")
    assert answer.status_code == 302 and answer["Location"] == "/evaluation/mine/"
    rating = Rating.objects.get()
    assert (rating.level, rating.channel) == (5, "mobile")
    assert RatingChange.objects.get(rating=rating).old_level == 2


def test_a_bad_rating_on_the_page_without_a_reason_is_refused(world):
    case = world.delivered()
    answer = signed_in(world.user).post(f"/evaluation/rate/case:{case.pk}/",
                                        {"level": "5", "text": "差"})
    assert answer.status_code == 400 and "差评请选择至少一项差评原因" in answer.content.decode()
    assert not Rating.objects.exists()


def test_somebody_elses_case_cannot_be_rated_on_the_page(world):
    case = world.delivered()
    client = signed_in(world.stranger.user)
    assert client.get(f"/evaluation/rate/case:{case.pk}/").status_code == 403
    assert client.post(f"/evaluation/rate/case:{case.pk}/", {"level": "1"}).status_code == 403
    assert not Rating.objects.exists()


def test_after_the_window_the_page_says_so(world):
    # A region whose window closes as the service ends: the case is past it at once.
    EvaluationPolicy.objects.create(region=world.province, rating_days=0,
                                    rectification_working_days=5)
    case = world.delivered()
    client = signed_in(world.user)
    page = client.get(f"/evaluation/rate/case:{case.pk}/").content.decode()
    assert "已超过可评价期限" in page and 'name="level"' not in page
    answer = client.post(f"/evaluation/rate/case:{case.pk}/", {"level": "1"})
    assert answer.status_code == 409 and not Rating.objects.exists()


def test_my_ratings_lists_mine_only_with_change_links_while_open(world):
    case = world.delivered()
    ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, text="好", channel="pc")
    ratings.rate(world.stranger.user, event_key=ratings.overall_key(world.hall), level=4,
                 reasons=["long_wait"], text="排队太久", channel="pc")
    page = signed_in(world.user).get("/evaluation/mine/").content.decode()
    assert case.number in page and "修改评价" in page and "排队太久" not in page
    other = signed_in(world.stranger.user).get("/evaluation/mine/").content.decode()
    assert "排队太久" in other and case.number not in other and "排队等候时间长" in other


def test_my_ratings_link_a_bad_rating_to_its_rectification(world):
    case = world.delivered()
    good = ratings.rate(world.user, event_key=ratings.overall_key(world.hall), level=1,
                        channel="pc")
    bad = ratings.rate(world.user, event_key=f"case:{case.pk}", level=4,
                       reasons=["many_trips"], text="跑了两次", channel="pc")
    page = signed_in(world.user).get("/evaluation/mine/").content.decode()
    assert f'href="/evaluation/rectifications/{bad.rectification.pk}/"' in page
    assert "差评整改：待核实" in page and page.count("查看整改情况") == 1
    assert not hasattr(good, "rectification")


def test_my_ratings_is_paginated(world):
    halls = [world.hall, world.far_hall]
    for hall in halls:
        ratings.rate(world.user, event_key=ratings.overall_key(hall), level=1, channel="pc")
    for department in (world.market, world.health, world.other, world.far_department):
        ratings.rate(world.user, event_key=ratings.overall_key(department), level=2, channel="pc")
    for _ in range(5):
        ratings.rate_inspection(world.supervisor, hall=world.hall, level=1)
    client = signed_in(world.user)
    first = client.get("/evaluation/mine/").content.decode()
    assert first.count('class="card rating-row"') == 6
    for n in range(5):
        ratings.rate(world.user, event_key=f"overall:hall:{world.hall.pk}:2026-{n + 1:02d}",
                     level=1, channel="pc", now=timezone.make_aware(dt.datetime(2026, n + 1, 5)))
    assert 'rel="next"' in client.get("/evaluation/mine/").content.decode()
    assert client.get("/evaluation/mine/", {"page": "2"}).content.decode().count(
        'class="card rating-row"') == 1


def test_overall_review_page_chooses_and_rates(world):
    client = signed_in(world.user)
    page = client.get("/evaluation/overall/", {"q": "吉林省"}).content.decode()
    assert world.hall.name in page and world.market.name in page and world.far_hall.name not in page
    form = client.get("/evaluation/overall/", {"target": f"hall:{world.hall.pk}"}).content.decode()
    assert "综合点评" in form and 'name="level"' in form
    answer = client.post("/evaluation/overall/", {"target": f"hall:{world.hall.pk}", "level": "2"})
    assert answer.status_code == 302
    rating = Rating.objects.get()
    assert (rating.kind, rating.hall, rating.event_key) == ("overall", world.hall,
                                                            ratings.overall_key(world.hall))
    assert client.get("/evaluation/overall/", {"target": "hall:99999"}).status_code == 404


def test_rating_pages_need_a_log_in(world):
    for url in ("/evaluation/mine/", "/evaluation/overall/", "/evaluation/rate/case:1/"):
        answer = Client().get(url)
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


# --- workbench ------------------------------------------------------------------------------------


def test_the_region_admin_keeps_the_reasons(world):
    client = signed_in(world.region_admin)
    assert "服务态度差" in client.get("/workbench/evaluation/reasons/").content.decode()
    client.post("/workbench/evaluation/reasons/", {"action": "add", "code": "no_reply",
                                                   "name": "咨询无人答复"})
    added = BadReviewReason.objects.get(code="no_reply")
    assert added.name == "咨询无人答复" and list(BadReviewReason.objects.all())[-1] == added
    client.post("/workbench/evaluation/reasons/", {"action": "rename", "reason": added.pk,
                                                   "name": "咨询电话无人接听"})
    client.post("/workbench/evaluation/reasons/", {"action": "up", "reason": added.pk})
    order = list(BadReviewReason.objects.values_list("code", flat=True))
    assert order[-2:] == ["no_reply", "other"]
    client.post("/workbench/evaluation/reasons/", {"action": "disable", "reason": added.pk})
    added.refresh_from_db()
    assert (added.name, added.active) == ("咨询电话无人接听", False)
    assert "咨询电话无人接听" not in [r.name for r in ratings.active_reasons()]
    duplicate = client.post("/workbench/evaluation/reasons/", {"action": "add", "code": "other",
                                                               "name": "重复"})
    assert duplicate.status_code == 409 and "该代码已存在" in duplicate.content.decode()


def test_only_administrators_keep_the_reasons(world):
    for who in (world.supervisor, world.examiner, world.user):
        assert signed_in(who).get("/workbench/evaluation/reasons/").status_code == 403
        signed_in(who).post("/workbench/evaluation/reasons/", {"action": "add", "code": "x_y",
                                                                "name": "恶意"})
    assert not BadReviewReason.objects.filter(code="x_y").exists()
    assert signed_in(world.admin).get("/workbench/evaluation/reasons/").status_code == 200


def test_a_supervisor_records_an_inspection_on_the_workbench(world):
    client = signed_in(world.supervisor)
    page = client.get("/workbench/evaluation/inspections/").content.decode()
    assert world.hall.name in page and world.far_hall.name not in page
    answer = client.post("/workbench/evaluation/inspections/",
                         {"target": f"hall:{world.hall.pk}", **BAD_FORM})
    assert answer.status_code == 302
    rating = Rating.objects.get()
    assert (rating.kind, rating.hall, rating.rater) == ("inspection", world.hall, world.supervisor)
    case = world.delivered()
    client.post("/workbench/evaluation/inspections/", {"target": "case", "case_number": case.number,
                                                       "level": "1"})
    assert Rating.objects.filter(case=case, kind="inspection").exists()
    far = client.post("/workbench/evaluation/inspections/",
                      {"target": f"hall:{world.far_hall.pk}", "level": "1"})
    assert far.status_code == 403 and Rating.objects.count() == 2
    assert "跑了三次" in client.get("/workbench/evaluation/inspections/").content.decode()


def test_only_supervisors_record_inspections(world):
    for who in (world.region_admin, world.examiner, world.user):
        answer = signed_in(who).post("/workbench/evaluation/inspections/",
                                     {"target": f"hall:{world.hall.pk}", "level": "1"})
        assert answer.status_code == 403
    assert not Rating.objects.exists()


def test_the_workbench_links_the_pages_for_who_may_use_them(world):
    inspections, reasons = "/workbench/evaluation/inspections/", "/workbench/evaluation/reasons/"
    supervisor = signed_in(world.supervisor).get("/workbench/").content.decode()
    assert inspections in supervisor and reasons not in supervisor
    admin = signed_in(world.region_admin).get("/workbench/").content.decode()
    assert reasons in admin and inspections not in admin
