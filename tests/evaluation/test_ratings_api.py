"""The rating API: reasons, rating as the signed-in person, one's own ratings, rating by token;
refusals as 4xx JSON with the service's code."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import VerifiedClient
from yiwang.evaluation.models import Rating
from yiwang.evaluation.services import ratings

from .rating_world import RatingWorld


@pytest.fixture
def world(db):
    return RatingWorld()


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_reasons_are_public_and_in_order(world):
    answer = Client().get("/api/evaluation/reasons")
    assert answer.status_code == 200
    assert answer.json()[:2] == [{"code": "guide_inaccurate", "name": "办事指南不准确"},
                                 {"code": "many_trips", "name": "多次跑动"}]


def test_the_applicant_rates_a_case_and_changes_it(world):
    case = world.delivered()
    client = signed_in(world.user)
    answer = post(client, "/api/evaluation/ratings", {"case_id": case.pk, "level": 2, "channel": "mobile"})
    assert answer.status_code == 201
    body = answer.json()
    assert (body["event_key"], body["level_label"], body["channel"], body["changeable"]) == (
        f"case:{case.pk}", "满意", "mobile", True)
    again = post(client, "/api/evaluation/ratings", {"event_key": f"case:{case.pk}", "level": 5,
                                                     "reasons": ["overdue"], "text": "超期三天"})
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert again.json()["reasons"] == [{"code": "overdue", "name": "超时办理"}] and again.json()["bad"]
    mine = client.get("/api/evaluation/ratings/mine").json()
    assert mine["total"] == 1 and mine["items"][0]["level"] == 5


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"level": 5, "text": "差"}, 400, "rating.reasons_required"),
    ({"level": 5, "reasons": ["overdue"]}, 400, "rating.text_required"),
    ({"level": 4, "reasons": ["nonsense"], "text": "差"}, 400, "rating.unknown_reason"),
    ({"level": 0}, 400, "rating.bad_level"),
])
def test_bad_input_is_answered_with_its_code(world, payload, status, code):
    case = world.delivered()
    answer = post(signed_in(world.user), "/api/evaluation/ratings", {"case_id": case.pk, **payload})
    assert answer.status_code == status and answer.json()["code"] == code
    assert not Rating.objects.exists()


def test_an_event_must_be_named_once(world):
    case = world.delivered()
    client = signed_in(world.user)
    for payload in ({"level": 1}, {"case_id": case.pk, "ticket_id": 1, "level": 1}):
        answer = post(client, "/api/evaluation/ratings", payload)
        assert answer.status_code == 400 and answer.json()["code"] == "rating.event_required"


def test_somebody_elses_case_is_refused(world):
    case = world.delivered()
    answer = post(signed_in(world.stranger.user), "/api/evaluation/ratings",
                  {"case_id": case.pk, "level": 1})
    assert answer.status_code == 403 and answer.json()["code"] == "rating.not_yours"
    assert post(Client(), "/api/evaluation/ratings", {"case_id": case.pk, "level": 1}).status_code == 401
    assert not Rating.objects.exists()


def test_an_unfinished_ticket_is_a_conflict(world):
    from yiwang.hall.models import TicketStatus

    ticket = world.ticket(user=world.user, status=TicketStatus.SERVING)
    answer = post(signed_in(world.user), "/api/evaluation/ratings", {"ticket_id": ticket.pk, "level": 1})
    assert answer.status_code == 409 and answer.json()["code"] == "rating.not_rateable"


def test_my_ratings_are_mine_only(world):
    case = world.delivered()
    ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc")
    assert signed_in(world.stranger.user).get("/api/evaluation/ratings/mine").json()["total"] == 0
    assert Client().get("/api/evaluation/ratings/mine").status_code == 401


def test_rating_by_token_needs_no_session_and_works_once(world):
    case = world.delivered()
    token = ratings.invite(world.user, event_key=f"case:{case.pk}", channel="sms")
    answer = post(Client(), f"/api/evaluation/ratings/by-token/{token}", {"level": 3})
    assert answer.status_code == 201 and answer.json()["channel"] == "sms"
    again = post(Client(), f"/api/evaluation/ratings/by-token/{token}", {"level": 1})
    assert again.status_code == 404 and again.json()["code"] == "rating.bad_token"
    forged = post(Client(), "/api/evaluation/ratings/by-token/forged", {"level": 1})
    assert forged.status_code == 404 and forged.json()["code"] == "rating.bad_token"
    assert Rating.objects.get().level == 3
