"""/api/evaluation/rectifications and /api/evaluation/appeals: the same services as the pages,
JSON errors with the services' codes."""

from __future__ import annotations

import pytest

from tests.evaluation.rectify_world import RectifyWorld
from yiwang.evaluation.models import AppealStatus

API = "/api/evaluation"


@pytest.fixture
def w(db):
    return RectifyWorld()


def as_user(client, user):
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_list_detail_and_the_steps(client, w):
    rect = w.rating(text="窗口人员玩手机").rectification
    w.rating(hall=w.hall)
    api = as_user(client, w.handler)
    listing = api.get(f"{API}/rectifications").json()
    assert listing["total"] == 1
    item = listing["items"][0]
    assert (item["id"], item["status"], item["due_on"], item["about"]) == (
        rect.pk, "pending", "2026-12-28", "食品经营许可")
    assert item["rating"]["rater"] == "王*" and item["rating"]["text"] == "窗口人员玩手机"
    assert api.get(f"{API}/rectifications?status=rectified").json()["total"] == 0
    assert api.get(f"{API}/rectifications?q=食品").json()["total"] == 1
    assert api.get(f"{API}/rectifications?warning=purple").status_code == 422
    base = f"{API}/rectifications/{rect.pk}"
    answer = post(api, f"{base}/reply", {"reply": "答复"})
    assert answer.status_code == 409 and answer.json()["code"] == "rectification.wrong_state"
    answer = post(api, f"{base}/verify", {"finding": ""})
    assert answer.status_code == 400 and answer.json()["code"] == "rectification.finding_required"
    assert post(api, f"{base}/verify", {"finding": "属实"}).json()["status"] == "rectifying"
    answer = post(api, f"{base}/revisit", {"method": "phone", "note": "回访", "verdict": "satisfied"})
    assert answer.status_code == 409 and answer.json()["code"] == "rectification.not_replied"
    answer = post(api, f"{base}/reply", {"reply": ""})
    assert answer.status_code == 400 and answer.json()["code"] == "rectification.reply_required"
    assert post(api, f"{base}/reply", {"reply": "已整改"}).json()["status"] == "rectified"
    done = post(api, f"{base}/revisit", {"method": "phone", "note": "回访", "verdict": "satisfied"})
    assert done.json()["status"] == "revisited" and done.json()["verdict"] == "satisfied"
    assert api.get(base).json()["reply"] == "已整改"


def test_appeal_and_decide(client, w):
    rating = w.rating()
    rect = rating.rectification
    api = as_user(client, w.handler)
    url = f"{API}/rectifications/{rect.pk}/appeal"
    answer = post(api, url, {"ground": "malicious", "statement": ""})
    assert answer.status_code == 400 and answer.json()["code"] == "appeal.statement_required"
    filed = post(api, url, {"ground": "off_topic", "statement": "评价内容为广告"})
    assert filed.status_code == 201 and filed.json()["status"] == "pending"
    again = post(api, url, {"ground": "malicious", "statement": "再申诉"})
    assert again.status_code == 409 and again.json()["code"] == "appeal.pending_exists"
    appeal_id = filed.json()["id"]
    # 吉林市's supervisor: the appeal does not exist for them.
    other = as_user(client, w.city_supervisor)
    assert other.get(f"{API}/appeals").json()["total"] == 0
    answer = post(other, f"{API}/appeals/{appeal_id}/decide", {"upheld": True, "decision": "成立"})
    assert answer.status_code == 404
    api = as_user(client, w.supervisor)
    assert [a["id"] for a in api.get(f"{API}/appeals").json()["items"]] == [appeal_id]
    answer = post(api, f"{API}/appeals/{appeal_id}/decide", {"upheld": True, "decision": ""})
    assert answer.status_code == 400 and answer.json()["code"] == "appeal.decision_required"
    decided = post(api, f"{API}/appeals/{appeal_id}/decide", {"upheld": True, "decision": "成立"})
    assert decided.json()["status"] == AppealStatus.UPHELD
    rating.refresh_from_db()
    assert rating.excluded
    assert api.get(f"{API}/appeals?status=upheld").json()["total"] == 1


def test_who_may_use_the_api(client, w):
    rect = w.rating().rectification
    url = f"{API}/rectifications/{rect.pk}"
    assert client.get(f"{API}/rectifications").status_code == 401
    for user in (w.outsider, w.other_manager, w.clerk):
        api = as_user(client, user)
        assert api.get(url).status_code == 404
        assert post(api, f"{url}/verify", {"finding": "属实"}).status_code == 404
        assert api.get(f"{API}/rectifications").json()["total"] == 0
    citizen = as_user(client, w.rater)
    answer = citizen.get(f"{API}/rectifications")
    assert answer.status_code == 403 and answer.json()["code"] == "permission.staff_only"
    assert citizen.get(f"{API}/appeals").status_code == 403
    # A staff session without the second factor.
    from django.test import Client

    unverified = Client()
    unverified.force_login(w.handler)
    answer = unverified.get(f"{API}/rectifications")
    assert answer.status_code == 403 and answer.json()["code"] == "auth.second_factor_required"
    rect.refresh_from_db()
    assert rect.status == "pending"
