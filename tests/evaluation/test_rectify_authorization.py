"""Part B's rows of ``EVALUATION_RULES``, role by role: every URL of 差评整改 and 申诉复核 tried as
each person of the world; the one who may act goes last, so that their success shows the action
happened and everyone before them changed nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import VerifiedClient
from tests.evaluation.rectify_world import RectifyWorld
from tests.evaluation.test_authorization import EVALUATION_RULES
from yiwang.evaluation.models import AppealStatus, RectificationStatus
from yiwang.evaluation.services import rectification as rectify

LOGIN = "login"
ROLES = ("anonymous", "rater", "stranger", "clerk", "outsider", "other_manager",
         "city_supervisor", "manager", "supervisor", "handler")
CITIZENS = {"rater": 403, "stranger": 403}
OTHER_STAFF = dict.fromkeys(("clerk", "outsider", "other_manager", "city_supervisor", "manager",
                             "supervisor"), 404)


@pytest.fixture
def w(db):
    world = RectifyWorld()
    world.pending = world.rating().rectification
    world.rectifying = rectify.verify(world.handler, world.rating().rectification, "属实")
    world.rectified = rectify.reply(world.handler, rectify.verify(
        world.handler, world.rating().rectification, "属实"), "已整改")
    world.unappealed = world.rating().rectification
    world.appeal = rectify.appeal(world.handler, world.rating(), "malicious", "恶意差评")
    return world


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def client_for(w, role):
    client = Client() if role == "anonymous" else VerifiedClient()
    if role != "anonymous":
        client.force_login(getattr(w, role))
    return client


def check(w, expected: dict, call):
    """``call(client)`` as every role in ROLES order; ``expected`` maps a role to its outcome."""
    seen = {role: outcome(call(client_for(w, role))) for role in ROLES}
    assert seen == {role: expected[role] for role in ROLES}


def api_post(path, data):
    return lambda client: client.post(path, data, content_type="application/json")


def test_part_b_has_a_rule_for_each_of_its_urls():
    names = {"evaluation:rectification", "evaluation_staff:rectifications",
             "evaluation_staff:rectification", "evaluation_staff:appeals",
             "evaluation_staff:appeal", "api:rectification_list", "api:rectification_detail",
             "api:rectification_verify", "api:rectification_reply", "api:rectification_revisit",
             "api:rectification_appeal", "api:appeal_list", "api:appeal_decide"}
    assert names <= set(EVALUATION_RULES)


def test_the_raters_view(w):
    url = f"/evaluation/rectifications/{w.pending.pk}/"
    check(w, {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "rater": 200},
          lambda c: c.get(url))


def test_the_rectification_list(w):
    handlers = {"outsider": 200, "other_manager": 200, "manager": 200, "handler": 200}
    check(w, {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, **handlers},
          lambda c: c.get("/workbench/evaluation/rectifications/"))
    mine = f"/workbench/evaluation/rectifications/{w.pending.pk}/"
    for role in handlers:
        text = client_for(w, role).get("/workbench/evaluation/rectifications/").content.decode()
        assert (mine in text) == (role == "handler"), role


def test_the_rectification_page_and_its_actions(w):
    url = f"/workbench/evaluation/rectifications/{w.pending.pk}/"
    expected = {"anonymous": LOGIN, "rater": 404, "stranger": 404, **OTHER_STAFF}
    check(w, {**expected, "handler": 200}, lambda c: c.get(url))
    check(w, {**expected, "handler": 302},
          lambda c: c.post(url, {"action": "verify", "finding": "属实"}))
    w.pending.refresh_from_db()
    assert w.pending.status == RectificationStatus.RECTIFYING and w.pending.verified_by == w.handler


def test_the_appeal_pages(w):
    check(w, {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "city_supervisor": 200,
              "supervisor": 200}, lambda c: c.get("/workbench/evaluation/appeals/"))
    url = f"/workbench/evaluation/appeals/{w.appeal.pk}/"
    expected = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}
    check(w, {**expected, "supervisor": 200}, lambda c: c.get(url))
    expected["supervisor"] = 302
    check(w, expected, lambda c: c.post(url, {"outcome": "rejected", "decision": "不成立"}))
    w.appeal.refresh_from_db()
    assert w.appeal.status == AppealStatus.REJECTED and w.appeal.decided_by == w.supervisor


API = "/api/evaluation"
API_EXPECTED = {"anonymous": 401, **CITIZENS, **OTHER_STAFF}


def test_the_api_lists(w):
    check(w, {**dict.fromkeys(ROLES, 200), "anonymous": 401, **CITIZENS},
          lambda c: c.get(f"{API}/rectifications"))
    check(w, {**dict.fromkeys(ROLES, 200), "anonymous": 401, **CITIZENS},
          lambda c: c.get(f"{API}/appeals"))
    totals = {role: client_for(w, role).get(f"{API}/rectifications").json()["total"]
              for role in ("outsider", "manager", "supervisor", "handler")}
    assert totals == {"outsider": 0, "manager": 0, "supervisor": 0, "handler": 5}
    totals = {role: client_for(w, role).get(f"{API}/appeals").json()["total"]
              for role in ("city_supervisor", "handler", "supervisor")}
    assert totals == {"city_supervisor": 0, "handler": 0, "supervisor": 1}


def test_the_api_rectification_and_its_steps(w):
    check(w, {**API_EXPECTED, "handler": 200},
          lambda c: c.get(f"{API}/rectifications/{w.pending.pk}"))
    check(w, {**API_EXPECTED, "handler": 200},
          api_post(f"{API}/rectifications/{w.pending.pk}/verify", {"finding": "属实"}))
    check(w, {**API_EXPECTED, "handler": 200},
          api_post(f"{API}/rectifications/{w.rectifying.pk}/reply", {"reply": "已整改"}))
    check(w, {**API_EXPECTED, "handler": 200},
          api_post(f"{API}/rectifications/{w.rectified.pk}/revisit",
                   {"method": "online", "note": "已发送回访链接"}))
    check(w, {**API_EXPECTED, "handler": 201},
          api_post(f"{API}/rectifications/{w.unappealed.pk}/appeal",
                   {"ground": "off_topic", "statement": "与服务无关"}))
    for rect, status in ((w.pending, "rectifying"), (w.rectifying, "rectified"),
                         (w.rectified, "revisited")):
        rect.refresh_from_db()
        assert rect.status == status
    assert w.unappealed.rating.appeals.count() == 1


def test_the_api_decision(w):
    check(w, {**API_EXPECTED, "handler": 404, "supervisor": 200},
          api_post(f"{API}/appeals/{w.appeal.pk}/decide", {"upheld": True, "decision": "成立"}))
    w.appeal.rating.refresh_from_db()
    assert w.appeal.rating.excluded
