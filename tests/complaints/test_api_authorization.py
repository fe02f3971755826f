"""Who may use each URL of the 12345 API (/api/complaints/…), part A:
``HOTLINE_API_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role.

The roles go in ``ROLES`` order; those who may act come last, so that the first of them
succeeding shows the step happened and everyone before them changed nothing (a later permitted
role then meets the new state: 409)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import VerifiedClient
from tests.complaints.factories import HotlineWorld
from yiwang.complaints.models import (
    Assignment,
    AssignmentStatus,
    HotlineRequest,
    RequestKind,
    RequestStatus,
    Satisfaction,
)
from yiwang.complaints.services import requests as svc

REQUESTER = "the requester (by their session)"
SEES = ("who may see the request: its requester, the 12345话务员/热线管理员 of its region (or "
        "above), the handlers of a department it was assigned to; anyone else 404; anonymous 401")
OPERATOR_STEP = ("12345话务员 or 热线管理员 of the request's region (or above); others who see it "
                 "403 (requester, handler); anyone else 404; anonymous 401; staff without the "
                 "second factor 403")
HANDLER_STEP = ("12345承办员 or 部门管理员 of the assignment's department; anyone else 404 (another "
                "department's handler, the hotline, the requester); anonymous 401; staff without "
                "the second factor 403")
TOKEN = "public by the follow-up link's token (only the current one); unknown or forged 404"

HOTLINE_API_RULES: dict[str, str] = {
    "api:hotline_submit": ("signed-in person as the requester (web, mobile, api); channel phone "
                           "only 12345话务员/热线管理员 of the region (others 403); anonymous 401"),
    "api:hotline_mine": "signed-in user: their own requests only; anonymous 401",
    "api:hotline_detail": SEES,
    "api:hotline_by_token": TOKEN,
    "api:hotline_rate_by_token": TOKEN + "; rates as the requester",
    "api:hotline_rate": (REQUESTER + "; staff who see it 403; anyone else 404; anonymous 401"),
    "api:hotline_queue": ("12345话务员 (待派单, 待回访, 超期) and 热线管理员 (also 退单待仲裁): the "
                          "requests of their regions only; everyone else signed in gets an empty "
                          "list; anonymous 401"),
    "api:hotline_dispatch": OPERATOR_STEP,
    "api:hotline_answer_at_once": OPERATOR_STEP,
    "api:hotline_merge": OPERATOR_STEP + " (of both requests)",
    "api:hotline_revisit": OPERATOR_STEP,
    "api:hotline_reopen": OPERATOR_STEP,
    "api:hotline_arbitrate": ("12345热线管理员 of the request's region (or above); 话务员, handler "
                              "and requester 403; anyone else 404; anonymous 401"),
    "api:hotline_inbox": ("12345承办员 and 部门管理员: their departments' assignments only; "
                          "everyone else signed in gets an empty list; anonymous 401"),
    "api:hotline_accept": HANDLER_STEP,
    "api:hotline_return": HANDLER_STEP,
    "api:hotline_subdispatch": HANDLER_STEP,
    "api:hotline_answer": HANDLER_STEP,
}

API = "/api/complaints"
ROLES = ("anonymous", "stranger", "health_handler", "jilin_operator", "citizen", "handler",
         "operator", "admin")
NOBODY = {"anonymous": 401, "stranger": 404, "health_handler": 404, "jilin_operator": 404}


@pytest.fixture
def w(db):
    return HotlineWorld()


def client_for(w, role):
    client = Client() if role == "anonymous" else VerifiedClient()
    if role != "anonymous":
        client.force_login(getattr(w, role))
    return client


def check(w, expected: dict, call):
    """``call(client)`` as every role in ROLES order; ``expected`` maps a role to its status."""
    seen = {role: call(client_for(w, role)).status_code for role in ROLES}
    assert seen == {role: expected[role] for role in ROLES}


def post(path, data=None):
    return lambda client: client.post(path, data or {}, content_type="application/json")


def get(path):
    return lambda client: client.get(path)


def test_submitting_on_the_web_is_for_anyone_signed_in(w):
    body = {"kind": "complaint", "title": "路灯不亮", "content": "小区门口路灯坏了一周",
            "region": "220100", "requester_phone": "13800000000"}
    check(w, {**dict.fromkeys(ROLES, 201), "anonymous": 401}, post(f"{API}/requests", body))


def test_registering_a_call_is_for_the_regions_hotline(w):
    body = {"kind": "help", "title": "停水求助", "content": "整栋楼停水", "region": "220100",
            "channel": "phone", "requester_name": "李明", "requester_phone": "13804310099"}
    check(w, {**dict.fromkeys(ROLES, 403), "anonymous": 401, "operator": 201, "admin": 201},
          post(f"{API}/requests", body))
    assert not HotlineRequest.objects.filter(registered_by=w.jilin_operator).exists()


def test_my_requests_are_my_own(w):
    w.registered()
    check(w, {**dict.fromkeys(ROLES, 200), "anonymous": 401}, get(f"{API}/requests/mine"))
    totals = {role: client_for(w, role).get(f"{API}/requests/mine").json()["total"]
              for role in ("citizen", "stranger", "operator")}
    assert totals == {"citizen": 1, "stranger": 0, "operator": 0}


def test_the_detail_is_for_who_may_see_it(w):
    number = w.dispatched().request.number
    check(w, {**NOBODY, "citizen": 200, "handler": 200, "operator": 200, "admin": 200},
          get(f"{API}/requests/{number}"))


def test_the_follow_up_link_opens_and_rates_without_a_session(w):
    request, token = w.submit()
    assert Client().get(f"{API}/requests/by-token/forged").status_code == 404
    assert Client().get(f"{API}/requests/by-token/{token}").json()["number"] == request.number
    svc.answer(w.handler, svc.accept(w.handler, svc.dispatch(w.operator, request, w.market)),
               "已处理")
    assert Client().post(f"{API}/requests/by-token/{token}/rate", {"satisfaction": "satisfied"},
                         content_type="application/json").status_code == 404  # the old link
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED


def test_only_the_requester_rates(w):
    number = w.answered().number
    check(w, {**NOBODY, "citizen": 200, "handler": 403, "operator": 403, "admin": 403},
          post(f"{API}/requests/{number}/rate", {"satisfaction": "satisfied"}))
    assert HotlineRequest.objects.get(number=number).status == RequestStatus.CLOSED


def test_the_queues_hold_the_regions_requests_only(w):
    w.registered()
    check(w, {**dict.fromkeys(ROLES, 200), "anonymous": 401}, get(f"{API}/queues/dispatch"))
    totals = {role: client_for(w, role).get(f"{API}/queues/dispatch").json()["total"]
              for role in ROLES[1:]}
    assert totals == {**dict.fromkeys(ROLES[1:], 0), "operator": 1, "admin": 1}


def test_dispatch_is_for_the_regions_hotline(w):
    request = w.registered()
    check(w, {**NOBODY, "citizen": 403, "handler": 404, "operator": 200, "admin": 409},
          post(f"{API}/requests/{request.number}/dispatch", {"department_id": w.market.pk}))
    request.refresh_from_db()
    assert request.department == w.market


def test_answering_a_consultation_at_once_is_for_the_regions_hotline(w):
    request = w.registered(kind=RequestKind.CONSULT)
    check(w, {**NOBODY, "citizen": 403, "handler": 404, "operator": 200, "admin": 409},
          post(f"{API}/requests/{request.number}/answer-at-once", {"text": "携带身份证即可"}))


def test_merging_is_for_the_regions_hotline(w):
    duplicate, parent = w.registered(), w.registered()
    check(w, {**NOBODY, "citizen": 403, "handler": 404, "operator": 200, "admin": 409},
          post(f"{API}/requests/{duplicate.number}/merge", {"parent": parent.number}))
    duplicate.refresh_from_db()
    assert duplicate.parent == parent


def test_arbitration_is_for_the_regions_hotline_admin(w):
    assignment = w.dispatched()
    svc.return_assignment(w.handler, assignment, "非本部门职责")
    check(w, {**NOBODY, "citizen": 403, "handler": 403, "operator": 403, "admin": 200},
          post(f"{API}/requests/{assignment.request.number}/arbitrate",
               {"upheld": False, "note": "请继续办理"}))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.HANDLING


def test_revisits_and_reopening_are_for_the_regions_hotline(w):
    answered = w.answered()
    check(w, {**NOBODY, "citizen": 403, "handler": 403, "operator": 200, "admin": 409},
          post(f"{API}/requests/{answered.number}/revisit",
               {"method": "phone", "satisfaction": "satisfied", "note": "诉求人满意"}))
    answered.refresh_from_db()
    assert answered.satisfaction == Satisfaction.SATISFIED
    check(w, {**NOBODY, "citizen": 403, "handler": 403, "operator": 200, "admin": 409},
          post(f"{API}/requests/{answered.number}/reopen", {"reason": "问题复发"}))


def test_the_inbox_holds_the_departments_assignments_only(w):
    w.dispatched()
    check(w, {**dict.fromkeys(ROLES, 200), "anonymous": 401}, get(f"{API}/assignments"))
    totals = {role: client_for(w, role).get(f"{API}/assignments").json()["total"]
              for role in ROLES[1:]}
    assert totals == {**dict.fromkeys(ROLES[1:], 0), "handler": 1}


HANDLER_ONLY = {**NOBODY, "citizen": 404, "operator": 404, "admin": 404}


def test_the_departments_steps_are_for_its_handlers(w):
    pending = w.dispatched()
    check(w, {**HANDLER_ONLY, "handler": 200}, post(f"{API}/assignments/{pending.pk}/accept"))
    returned = w.dispatched()
    check(w, {**HANDLER_ONLY, "handler": 200},
          post(f"{API}/assignments/{returned.pk}/return", {"reason": "非本部门职责"}))
    passed_on = w.handling()
    check(w, {**HANDLER_ONLY, "handler": 201},
          post(f"{API}/assignments/{passed_on.pk}/subdispatch",
               {"department_id": w.sub_market.pk}))
    answered = w.handling()
    check(w, {**HANDLER_ONLY, "handler": 200},
          post(f"{API}/assignments/{answered.pk}/answer", {"text": "已处理"}))
    statuses = {a.pk: a.status for a in Assignment.objects.filter(
        pk__in=(pending.pk, returned.pk, answered.pk))}
    assert statuses == {pending.pk: AssignmentStatus.HANDLING,
                        returned.pk: AssignmentStatus.RETURNED,
                        answered.pk: AssignmentStatus.ANSWERED}
    assert passed_on.children.count() == 1


def test_staff_without_the_second_factor_are_refused(w):
    request = w.registered()
    client = Client()
    client.force_login(w.operator)
    response = client.post(f"{API}/requests/{request.number}/dispatch",
                           {"department_id": w.market.pk}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "auth.second_factor_required"
