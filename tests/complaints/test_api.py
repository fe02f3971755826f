"""What the 12345 API answers: a request submitted with its number and token, errors in the one
``{code, message, details}`` shape, the requester masked for those who may not read them, and a
request walked from submission to rating through the API alone."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients import VerifiedClient
from tests.complaints.factories import WANG_FANG_MOBILE, HotlineWorld
from yiwang.complaints.models import HotlineRequest, RequestStatus
from yiwang.complaints.services import requests as svc
from yiwang.notify.models import Channel, Message

API = "/api/complaints"


@pytest.fixture
def w(db):
    return HotlineWorld()


def as_(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


def post(client, path, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def test_a_citizen_submits_and_gets_the_number_and_the_follow_up_token(w):
    answer = post(as_(w.citizen), "/requests", {
        "kind": "complaint", "title": "餐馆油烟扰民", "content": "每晚油烟很大", "region": "220100",
        "channel": "web"})
    assert answer.status_code == 201
    body = answer.json()
    request = HotlineRequest.objects.get(number=body["number"])
    assert svc.request_by_token(body["token"]) == request
    assert (body["status"], body["requester_name"], body["requester_phone"]) == (
        "registered", "王芳", WANG_FANG_MOBILE)
    assert [e["action"] for e in body["events"]] == ["registered"] and body["assignments"] == []


@pytest.mark.parametrize(("fields", "status", "code"), [
    ({"title": ""}, 400, "complaint.title_required"),
    ({"region": "999999"}, 400, "complaint.bad_region"),
    ({"anonymous": True}, 400, "complaint.anonymous_only_for_report"),
    ({"kind": "rumour"}, 422, "request.invalid"),
    ({"item_id": 999999}, 404, "complaint.item_not_found"),
    ({"case_id": 999999}, 403, "complaint.case_not_yours"),
])
def test_a_bad_submission_is_answered_with_its_code(w, fields, status, code):
    answer = post(as_(w.citizen), "/requests", {
        "kind": "complaint", "title": "路灯不亮", "content": "坏了一周", "region": "220100",
        **fields})
    assert answer.status_code == status
    assert answer.json()["code"] == code and answer.json()["message"]
    assert not HotlineRequest.objects.exists()


def test_a_wrong_state_step_is_a_409_naming_the_status(w):
    assignment = w.handling()
    answer = post(as_(w.handler), f"/assignments/{assignment.pk}/accept")
    assert answer.status_code == 409
    assert answer.json()["code"] == "complaint.illegal_transition"
    assert "办理中" in answer.json()["message"]


def test_the_hotline_sees_the_caller_in_full_on_the_detail_and_masked_in_the_queue(w):
    request = w.registered()
    operator = as_(w.operator)
    [row] = operator.get(f"{API}/queues/dispatch").json()["items"]
    assert (row["requester_name"], row["requester_phone"]) == ("王*", "139****0002")
    detail = operator.get(f"{API}/requests/{request.number}").json()
    assert (detail["requester_name"], detail["requester_phone"]) == ("王芳", WANG_FANG_MOBILE)


def test_the_follow_up_link_shows_the_public_steps_and_masks_the_requester(w):
    request, token = w.submit()
    svc.dispatch(w.operator, request, w.market)
    svc.return_assignment(w.handler, request.assignments.get(), "非本部门职责")
    body = VerifiedClient().get(f"{API}/requests/by-token/{token}").json()
    assert body["requester_phone"] == "139****0002"
    assert [e["action"] for e in body["events"]] == ["registered", "dispatched"]
    staff_view = as_(w.admin).get(f"{API}/requests/{request.number}").json()
    assert [e["action"] for e in staff_view["events"]][-1] == "returned"
    assert staff_view["assignments"][0]["return_reason"] == "非本部门职责"


def test_a_request_walks_from_the_call_to_the_rating_through_the_api(w):
    operator, handler, admin = as_(w.operator), as_(w.handler), as_(w.admin)
    body = post(operator, "/requests", {
        "kind": "complaint", "title": "超市售卖过期食品", "content": "某超市货架上有过期牛奶",
        "region": "220104", "channel": "phone", "requester_name": "李明",
        "requester_phone": "13804310099"}).json()
    number, token = body["number"], body["token"]
    assert post(operator, f"/requests/{number}/dispatch",
                {"department_id": w.health.pk}).status_code == 200
    [wrong] = as_(w.health_handler).get(f"{API}/assignments").json()["items"]
    assert post(as_(w.health_handler), f"/assignments/{wrong['id']}/return",
                {"reason": "过期食品属市场监管"}).json()["status"] == "returned"
    assert post(admin, f"/requests/{number}/arbitrate", {
        "upheld": True, "note": "退单成立", "redispatch_to_id": w.market.pk}).status_code == 200
    [mine] = handler.get(f"{API}/assignments").json()["items"]
    assert post(handler, f"/assignments/{mine['id']}/accept").json()["status"] == "handling"
    assert post(handler, f"/assignments/{mine['id']}/answer",
                {"text": "已下架过期商品并立案调查"}).json()["status"] == "answered"
    assert VerifiedClient().get(f"{API}/requests/by-token/{token}").status_code == 404
    request = HotlineRequest.objects.get(number=number)
    assert request.status == RequestStatus.ANSWERED
    [*_, answered_sms] = [m.body for m in Message.objects.filter(channel=Channel.SMS)
                          .order_by("pk") if m.address == "13804310099"]
    new_token = re.search(r"/12345/t/([^/]+)/", answered_sms).group(1)
    rated = VerifiedClient().post(f"{API}/requests/by-token/{new_token}/rate",
                                  {"satisfaction": "satisfied", "comment": "很快"},
                                  content_type="application/json")
    assert rated.status_code == 200 and rated.json()["status"] == "closed"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("who", "url"), [
    ("operator", "/queues/dispatch"), ("citizen", "/requests/mine"), ("handler", "/assignments")])
def test_the_lists_cost_the_same_queries_for_two_rows_or_six(w, who, url):
    """No query per row (NetBox's query budget): a page of six costs what a page of two does."""
    client = as_(getattr(w, who))
    make = w.dispatched if who == "handler" else w.registered
    for _ in range(2):
        make()
    two = _queries(client, f"{API}{url}")
    for _ in range(4):
        make()
    assert _queries(client, f"{API}{url}") == two
