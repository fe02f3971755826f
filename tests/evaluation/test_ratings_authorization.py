"""Part A's rows of ``EVALUATION_RULES``, role by role: anonymous, the applicant, another
citizen, a staff member of the case's department, a supervisor, a region administrator. The one
who may act goes last, so "OK" for them means the action happened, and not before."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import VerifiedClient
from yiwang.evaluation.models import BadReviewReason, Rating
from yiwang.evaluation.services import ratings

from .rating_world import RatingWorld
from .test_authorization import EVALUATION_RULES

PART_A = {"evaluation:rate-token", "evaluation:rate", "evaluation:mine", "evaluation:overall",
          "evaluation_staff:reasons", "evaluation_staff:inspections", "api:evaluation_reasons",
          "api:evaluation_rate", "api:evaluation_my_ratings", "api:evaluation_rate_by_token"}


@pytest.fixture
def world(db):
    return RatingWorld()


def as_(world, role) -> Client:
    client = VerifiedClient()
    user = {"anonymous": None, "citizen": world.user, "other_citizen": world.stranger.user,
            "staff": world.examiner, "supervisor": world.supervisor,
            "region_admin": world.region_admin, "superuser": world.admin}[role]
    if user is not None:
        client.force_login(user)
    return client


def test_part_a_has_a_rule_for_each_of_its_urls():
    assert set(EVALUATION_RULES) >= PART_A


def _to_log_in(answer) -> bool:
    return answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_rating_a_case_page_is_for_its_applicant_only(world):
    case = world.delivered()
    url = f"/evaluation/rate/case:{case.pk}/"
    assert _to_log_in(as_(world, "anonymous").post(url, {"level": "1"}))
    for role in ("other_citizen", "staff", "supervisor", "region_admin"):
        assert as_(world, role).get(url).status_code == 403, role
        assert as_(world, role).post(url, {"level": "1"}).status_code == 403, role
    assert not Rating.objects.exists()
    assert as_(world, "citizen").post(url, {"level": "1"}).status_code == 302
    assert Rating.objects.get().rater == world.user


def test_my_ratings_page_shows_each_their_own(world):
    case = world.delivered()
    ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc")
    assert _to_log_in(as_(world, "anonymous").get("/evaluation/mine/"))
    for role in ("other_citizen", "staff", "supervisor"):
        answer = as_(world, role).get("/evaluation/mine/")
        assert answer.status_code == 200 and case.number not in answer.content.decode()
    assert case.number in as_(world, "citizen").get("/evaluation/mine/").content.decode()


def test_overall_review_page_needs_a_log_in(world):
    data = {"target": f"hall:{world.hall.pk}", "level": "1"}
    assert _to_log_in(as_(world, "anonymous").post("/evaluation/overall/", data))
    assert not Rating.objects.exists()
    assert as_(world, "other_citizen").post("/evaluation/overall/", data).status_code == 302
    assert Rating.objects.get().rater == world.stranger.user


def test_the_token_page_is_for_the_token_only(world):
    case = world.delivered()
    token = ratings.invite(world.user, event_key=f"case:{case.pk}", channel="sms")
    for role in ("anonymous", "other_citizen", "staff"):
        assert as_(world, role).get("/rate/not-the-token/").status_code == 404
    # Whoever holds the link rates as the invited person, signed in as someone else or not.
    assert as_(world, "other_citizen").post(f"/rate/{token}/", {"level": "2"}).status_code == 200
    assert Rating.objects.get().rater == world.user


def test_the_reasons_page_is_for_administrators(world):
    url = "/workbench/evaluation/reasons/"
    data = {"action": "add", "code": "new_one", "name": "新原因"}
    assert _to_log_in(as_(world, "anonymous").post(url, data))
    for role in ("citizen", "other_citizen", "staff", "supervisor"):
        assert as_(world, role).post(url, data).status_code == 403, role
    assert not BadReviewReason.objects.filter(code="new_one").exists()
    assert as_(world, "region_admin").post(url, data).status_code == 302
    assert BadReviewReason.objects.filter(code="new_one").exists()
    assert as_(world, "superuser").get(url).status_code == 200


def test_the_inspection_page_is_for_supervisors(world):
    url = "/workbench/evaluation/inspections/"
    data = {"target": f"hall:{world.hall.pk}", "level": "1"}
    assert _to_log_in(as_(world, "anonymous").post(url, data))
    for role in ("citizen", "other_citizen", "staff", "region_admin"):
        assert as_(world, role).post(url, data).status_code == 403, role
    assert not Rating.objects.exists()
    assert as_(world, "supervisor").post(url, data).status_code == 302
    assert Rating.objects.get().kind == "inspection"


def test_the_api_by_role(world):
    case = world.delivered()
    payload = {"case_id": case.pk, "level": 1}
    assert as_(world, "anonymous").get("/api/evaluation/reasons").status_code == 200
    assert as_(world, "anonymous").post("/api/evaluation/ratings", payload,
                                        content_type="application/json").status_code == 401
    assert as_(world, "anonymous").get("/api/evaluation/ratings/mine").status_code == 401
    for role in ("other_citizen", "staff", "supervisor"):
        answer = as_(world, role).post("/api/evaluation/ratings", payload,
                                       content_type="application/json")
        assert answer.status_code == 403, role
    assert not Rating.objects.exists()
    assert as_(world, "citizen").post("/api/evaluation/ratings", payload,
                                      content_type="application/json").status_code == 201
    assert as_(world, "other_citizen").get("/api/evaluation/ratings/mine").json()["total"] == 0
    assert as_(world, "citizen").get("/api/evaluation/ratings/mine").json()["total"] == 1
    assert as_(world, "anonymous").post("/api/evaluation/ratings/by-token/forged", {"level": 1},
                                        content_type="application/json").status_code == 404
