"""The pages of 差评整改 and 申诉复核 (workbench) and the rater's view of the fix (portal)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.evaluation.rectify_world import RATED_AT, RectifyWorld
from yiwang.evaluation.models import AppealStatus, BadReviewReason, RectificationStatus
from yiwang.evaluation.services import rectification as rectify

S = RectificationStatus


@pytest.fixture
def w(db):
    return RectifyWorld()


def page(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data) if data is not None else client.get(url)


def staff_url(rect):
    return f"/workbench/evaluation/rectifications/{rect.pk}/"


def test_the_list_shows_only_the_users_own_with_colours_filters_and_search(client, w):
    late = w.rating(at=RATED_AT - dt.timedelta(days=40), text="窗口态度差").rectification
    fresh = w.rating().rectification
    hall_rect = w.rating(hall=w.hall).rectification
    answer = page(client, w.handler, "/workbench/evaluation/rectifications/")
    text = answer.content.decode()
    assert answer.status_code == 200
    assert text.count("食品经营许可") == 2 and "吉林省政务服务中心</td>" not in text
    assert "warning-red" in text and "王*" in text and "王芳" not in text
    assert text.index(staff_url(late)) < text.index(staff_url(fresh))  # the most urgent first
    red = client.get("/workbench/evaluation/rectifications/?warning=red").content.decode()
    assert staff_url(late) in red and staff_url(fresh) not in red
    rectify.verify(w.handler, fresh, "属实")
    rectifying = client.get("/workbench/evaluation/rectifications/?status=rectifying")
    assert staff_url(fresh) in rectifying.content.decode()
    assert staff_url(late) not in rectifying.content.decode()
    assert staff_url(fresh) not in client.get(
        "/workbench/evaluation/rectifications/?q=不存在的事项").content.decode()
    assert staff_url(fresh) in client.get(
        "/workbench/evaluation/rectifications/?q=食品").content.decode()
    # The hall's manager sees the hall's, not the department's.
    text = page(client, w.manager, "/workbench/evaluation/rectifications/").content.decode()
    assert staff_url(hall_rect) in text and staff_url(fresh) not in text
    assert client.get("/workbench/evaluation/rectifications/?page=x").status_code == 400


def test_the_list_pages(client, w):
    for _ in range(21):
        w.rating()
    text = page(client, w.handler, "/workbench/evaluation/rectifications/").content.decode()
    assert "第 1 / 2 页，共 21 条" in text
    text = client.get("/workbench/evaluation/rectifications/?page=2").content.decode()
    assert text.count("/workbench/evaluation/rectifications/") >= 1 and "第 2 / 2 页" in text


def test_the_workbench_links_to_the_pages_of_those_who_may_use_them(client, w):
    nav = page(client, w.handler, "/workbench/").content.decode()
    assert "差评整改" in nav and "申诉复核" not in nav
    nav = page(client, w.supervisor, "/workbench/").content.decode()
    assert "申诉复核" in nav and "差评整改" not in nav
    assert "差评整改" in page(client, w.manager, "/workbench/").content.decode()
    assert "差评整改" not in page(client, w.clerk, "/workbench/").content.decode()


def test_the_handler_walks_a_rectification_through_the_detail_page(client, w):
    case = w.cases.submitted()
    rect = w.rating(case=case).rectification
    rect.rating.reasons.set(BadReviewReason.objects.filter(code__in=["attitude", "many_trips"]))
    url = staff_url(rect)
    text = page(client, w.handler, url).content.decode()
    assert "确认核实" in text and "王*" in text and case.number in text
    assert "多次跑动、服务态度差" in text and "等了两个小时没人管" in text
    # The handler holds no case role: the number is shown, but not as a link to the case.
    assert f"/workbench/cases/{case.pk}/" not in text
    answer = client.post(url, {"action": "verify", "finding": ""})
    assert answer.status_code == 400 and "请填写核实情况" in answer.content.decode()
    assert client.post(url, {"action": "verify", "finding": "属实"}).status_code == 302
    answer = client.post(url, {"action": "reply", "reply": "  "})
    assert answer.status_code == 400 and "请填写整改答复" in answer.content.decode()
    client.post(url, {"action": "reply", "reply": "已整改：增设引导岗"})
    text = client.get(url).content.decode()
    assert "已整改：增设引导岗" in text and "记录回访" in text
    client.post(url, {"action": "revisit", "method": "phone", "note": "电话回访", "verdict": "satisfied"})
    rect.refresh_from_db()
    assert (rect.status, rect.verdict) == (S.REVISITED, "satisfied")
    assert client.post(url, {"action": "dance"}).status_code == 400


def test_a_case_handler_of_the_department_gets_the_case_link(client, w):
    from yiwang.orgs.models import Role
    from yiwang.orgs.services import grant_role

    case = w.cases.submitted()
    rect = w.rating(case=case).rectification
    grant_role(w.clerk, w.market, Role.EVALUATION)
    assert f"/workbench/cases/{case.pk}/" in page(client, w.clerk, staff_url(rect)).content.decode()


def test_another_departments_rectification_does_not_exist(client, w):
    rect = w.rating().rectification
    for user in (w.outsider, w.other_manager, w.clerk):
        assert page(client, user, staff_url(rect)).status_code == 404
        assert page(client, user, staff_url(rect), {"action": "verify", "finding": "x"}
                    ).status_code == 404
    rect.refresh_from_db()
    assert rect.status == S.PENDING
    assert page(client, w.clerk, "/workbench/evaluation/rectifications/").status_code == 403


def test_appeal_from_the_detail_page_and_decide(client, w):
    rating = w.rating()
    url = staff_url(rating.rectification)
    answer = page(client, w.handler, url, {"action": "appeal", "ground": "malicious",
                                           "statement": ""})
    assert answer.status_code == 400 and "请填写申诉说明" in answer.content.decode()
    page(client, w.handler, url, {"action": "appeal", "ground": "malicious",
                                  "statement": "同一人一日内差评十次"})
    text = client.get(url).content.decode()
    assert "待复核" in text and "提交申诉" not in text  # no second pending appeal
    appeal = rating.appeals.get()
    listing = page(client, w.supervisor, "/workbench/evaluation/appeals/").content.decode()
    assert f"/workbench/evaluation/appeals/{appeal.pk}/" in listing and "恶意差评" in listing
    assert page(client, w.city_supervisor, f"/workbench/evaluation/appeals/{appeal.pk}/"
                ).status_code == 404
    decide = f"/workbench/evaluation/appeals/{appeal.pk}/"
    answer = page(client, w.supervisor, decide, {"outcome": "upheld", "decision": ""})
    assert answer.status_code == 400 and "请填写复核意见" in answer.content.decode()
    answer = client.post(decide, {"decision": "成立"})
    assert answer.status_code == 400 and "请选择申诉是否成立" in answer.content.decode()
    assert client.post(decide, {"outcome": "upheld", "decision": "确属恶意"}).status_code == 302
    appeal.refresh_from_db()
    rating.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and rating.excluded
    assert "确属恶意" in client.get(decide).content.decode()
    text = page(client, w.handler, url).content.decode()
    assert "已复核剔除" in text and "确认核实" not in text
    listing = client.get("/workbench/evaluation/rectifications/").content.decode()
    assert url not in listing
    assert url in client.get("/workbench/evaluation/rectifications/?status=excluded"
                             ).content.decode()


def test_the_rater_sees_the_fix_and_gives_a_verdict(client, w):
    rect = w.rating().rectification
    url = f"/evaluation/rectifications/{rect.pk}/"
    text = page(client, w.rater, url).content.decode()
    assert "部门正在核实整改" in text and "您对整改结果满意吗" not in text
    assert client.post(url, {"verdict": "satisfied"}).status_code == 409
    rectify.reply(w.handler, rectify.verify(w.handler, rect, "属实"), "已整改：增设引导岗")
    text = client.get(url).content.decode()
    assert "已整改：增设引导岗" in text and "您对整改结果满意吗" in text
    assert client.post(url, {"verdict": "bogus"}).status_code == 400
    assert client.post(url, {"verdict": "satisfied"}).status_code == 302
    rect.refresh_from_db()
    assert (rect.status, rect.verdict, rect.revisit_method) == (S.REVISITED, "satisfied", "online")


@pytest.mark.parametrize("who", ["stranger", "handler", "supervisor"])
def test_only_the_rater_sees_the_fix(client, w, who):
    rect = w.rating().rectification
    assert page(client, getattr(w, who), f"/evaluation/rectifications/{rect.pk}/").status_code == 404


def test_the_rater_view_is_mobile_friendly_and_signed_in_only(client, w):
    rect = w.rating().rectification
    answer = client.get(f"/evaluation/rectifications/{rect.pk}/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert 'name="viewport"' in page(client, w.rater, f"/evaluation/rectifications/{rect.pk}/"
                                     ).content.decode()
