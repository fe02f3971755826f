"""The rating service: who may rate what and when, 差评 rules, changes kept, invitations by
one-time token, 综合点评 and 监督查评, and the signal the other parts listen to."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from yiwang.cases import services as case_services
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.evaluation.models import (
    BadReviewReason,
    EvaluationPolicy,
    Rating,
    RatingChange,
    RatingInvitation,
)
from yiwang.evaluation.services import ratings
from yiwang.evaluation.signals import rating_given
from yiwang.hall.models import TicketStatus
from yiwang.supervision.models import AuditRecord

from .rating_world import RatingWorld


@pytest.fixture
def world(db):
    return RatingWorld()

BAD = {"level": 4, "reasons": ["attitude"], "text": "窗口人员态度生硬"}


@pytest.fixture
def given(db):
    """Every rating_given the service sends: (rating pk, created, previous_level)."""
    seen = []

    def receive(sender, rating, created, previous_level, **kwargs):
        seen.append((rating.pk, created, previous_level))

    rating_given.connect(receive, dispatch_uid="test.given")
    yield seen
    rating_given.disconnect(dispatch_uid="test.given")


def test_the_applicant_rates_a_delivered_case(world, given):
    case = world.delivered()
    rating = ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, text="很快",
                          channel="pc")
    assert (rating.kind, rating.channel, rating.level, rating.text) == ("case", "pc", 1, "很快")
    assert (rating.case, rating.department, rating.region, rating.item) == (
        case, world.market, world.province, world.item)
    assert rating.rater == world.user and rating.event_at == case.closed_at
    assert given == [(rating.pk, True, None)]
    record = AuditRecord.objects.get(kind="evaluation.rated")
    assert record.data["level"] == 1 and record.data["event"] == f"case:{case.pk}"


def test_a_second_rating_changes_the_first_and_keeps_what_it_was(world, given):
    case = world.delivered()
    first = ratings.rate(world.user, event_key=f"case:{case.pk}", level=2, text="还行", channel="pc")
    second = ratings.rate(world.user, event_key=f"case:{case.pk}", channel="mobile", **BAD)
    assert second.pk == first.pk and Rating.objects.count() == 1
    second.refresh_from_db()
    assert (second.level, second.channel, second.text) == (4, "mobile", "窗口人员态度生硬")
    assert [r.code for r in second.reasons.all()] == ["attitude"]
    [change] = RatingChange.objects.filter(rating=second)
    assert (change.old_level, change.old_text, change.old_reasons) == (2, "还行", [])
    assert given == [(first.pk, True, None), (first.pk, False, 2)]
    assert AuditRecord.objects.filter(kind="evaluation.rating_changed").count() == 1


def test_a_rating_after_the_window_is_refused(world):
    case = world.delivered()
    late = case.closed_at + dt.timedelta(days=15, minutes=1)
    with pytest.raises(Conflict) as refused:
        ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc", now=late)
    assert refused.value.code == "rating.window_closed" and not Rating.objects.exists()
    ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc",
                 now=late - dt.timedelta(minutes=2))


def test_the_regions_policy_sets_the_window(world):
    EvaluationPolicy.objects.create(region=world.province, rating_days=3,
                                    rectification_working_days=5)
    case = world.delivered()
    with pytest.raises(Conflict, match="已超过可评价期限"):
        ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc",
                     now=case.closed_at + dt.timedelta(days=4))


def test_a_change_after_the_window_is_refused_and_the_rating_stays(world):
    case = world.delivered()
    ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc")
    with pytest.raises(Conflict):
        ratings.rate(world.user, event_key=f"case:{case.pk}", channel="pc",
                     now=timezone.now() + dt.timedelta(days=30), **BAD)
    assert Rating.objects.get().level == 1 and not RatingChange.objects.exists()


@pytest.mark.parametrize(("change", "code"), [
    ({"reasons": []}, "rating.reasons_required"),
    ({"text": "  "}, "rating.text_required"),
    ({"reasons": ["no_such_reason"]}, "rating.unknown_reason"),
    ({"level": 6}, "rating.bad_level"),
    ({"level": "bad"}, "rating.bad_level"),
    ({"text": "长" * 1001}, "rating.text_too_long"),
])
def test_a_bad_rating_needs_standard_reasons_and_a_text(world, change, code):
    case = world.delivered()
    with pytest.raises(ValidationError) as refused:
        ratings.rate(world.user, event_key=f"case:{case.pk}", channel="pc", **{**BAD, **change})
    assert refused.value.code == code and not Rating.objects.exists()


def test_a_switched_off_reason_cannot_be_chosen(world):
    BadReviewReason.objects.filter(code="attitude").update(active=False)
    case = world.delivered()
    with pytest.raises(ValidationError, match="差评原因无效"):
        ratings.rate(world.user, event_key=f"case:{case.pk}", channel="pc", **BAD)


def test_a_good_rating_carries_no_reasons(world):
    case = world.delivered()
    rating = ratings.rate(world.user, event_key=f"case:{case.pk}", level=3, reasons=["attitude"],
                          channel="pc")
    assert not rating.reasons.exists()


def test_somebody_elses_case_cannot_be_rated(world):
    case = world.delivered()
    with pytest.raises(PermissionDenied) as refused:
        ratings.rate(world.stranger.user, event_key=f"case:{case.pk}", level=5, channel="pc",
                     reasons=["other"], text="捣乱")
    assert refused.value.code == "rating.not_yours"
    with pytest.raises(PermissionDenied):
        ratings.rate(world.examiner, event_key=f"case:{case.pk}", level=1, channel="pc")
    assert not Rating.objects.exists()


@pytest.mark.parametrize("key", ["case:999999", "case:abc", "case:", "ticket:99999", "nothing:1",
                                 "overall:hall:99999:2026-12", "inspection:unknown", ""])
def test_an_unknown_event_is_not_found(world, key):
    with pytest.raises(NotFound) as refused:
        ratings.rate(world.user, event_key=key, level=1, channel="pc")
    assert refused.value.code == "rating.not_found"


def test_a_case_still_being_handled_is_not_rateable(world):
    case = world.accepted()
    with pytest.raises(Conflict) as refused:
        ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc")
    assert refused.value.code == "rating.not_rateable"


def test_a_case_not_accepted_can_be_rated(world):
    case = world.submitted()
    case_services.not_accept(case, world.acceptor, "材料不属于本部门")
    rating = ratings.rate(world.user, event_key=f"case:{case.pk}", channel="pc", **BAD)
    case.refresh_from_db()
    assert rating.event_at == case.closed_at and rating.is_bad


def test_an_unknown_channel_is_refused(world):
    case = world.delivered()
    with pytest.raises(ValidationError, match="评价渠道无效"):
        ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="fax")


def test_a_failing_listener_undoes_the_rating(world):
    case = world.delivered()

    def fail(**kwargs):
        raise RuntimeError("rectification failed")

    rating_given.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(RuntimeError):
            ratings.rate(world.user, event_key=f"case:{case.pk}", level=1, channel="pc")
    finally:
        rating_given.disconnect(dispatch_uid="test.fail")
    assert not Rating.objects.exists()
    assert not AuditRecord.objects.filter(kind="evaluation.rated").exists()


# --- tickets ----------------------------------------------------------------------------------


def test_the_holder_rates_a_finished_ticket(world):
    ticket = world.ticket(user=world.user)
    rating = ratings.rate(world.user, event_key=f"ticket:{ticket.pk}", channel="mobile", **BAD)
    assert (rating.kind, rating.hall, rating.window, rating.staff) == (
        "event", world.hall, world.desk, world.clerk)
    assert (rating.department, rating.item, rating.region) == (world.market, world.item, world.province)


def test_a_ticket_not_finished_or_of_another_holder_is_refused(world):
    waiting = world.ticket(user=world.user, status=TicketStatus.WAITING)
    with pytest.raises(Conflict, match="尚未办结"):
        ratings.rate(world.user, event_key=f"ticket:{waiting.pk}", level=1, channel="pc")
    done = world.ticket(user=world.user)
    with pytest.raises(PermissionDenied):
        ratings.rate(world.stranger.user, event_key=f"ticket:{done.pk}", level=1, channel="pc")


def test_a_ticket_without_an_account_is_rated_only_on_the_spot_the_same_day(world):
    ticket = world.ticket(id_number="220102199001011234")
    key = f"ticket:{ticket.pk}"
    with pytest.raises(PermissionDenied):
        ratings.rate(None, event_key=key, level=1, channel="pc")
    first = ratings.rate(None, event_key=key, level=2, channel="terminal")
    second = ratings.rate(None, event_key=key, level=1, channel="terminal")
    assert first.pk == second.pk and first.rater is None and RatingChange.objects.count() == 1
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(Conflict, match="已超过可评价期限"):
        ratings.rate(None, event_key=key, level=1, channel="terminal", now=tomorrow)


def test_a_ticket_with_an_account_is_not_rated_anonymously(world):
    ticket = world.ticket(user=world.user)
    with pytest.raises(PermissionDenied):
        ratings.rate(None, event_key=f"ticket:{ticket.pk}", level=1, channel="terminal")


def test_the_terminal_finds_the_card_holders_last_ticket_of_the_hall_today(world):
    older = world.ticket(id_number="220102199001011234",
                         finished_at=timezone.now() - dt.timedelta(hours=1))
    latest = world.ticket(id_number="220102199001011234")
    world.ticket(id_number="220102198001011235")
    assert ratings.last_ticket_at_hall(world.hall, id_number="220102199001011234") == latest
    assert older != latest
    assert ratings.last_ticket_at_hall(world.far_hall, id_number="220102199001011234") is None
    assert ratings.last_ticket_at_hall(world.hall) is None


# --- 综合点评 and 监督查评 -----------------------------------------------------------------------


def test_overall_review_once_a_month_changed_within_it(world):
    key = ratings.overall_key(world.hall)
    first = ratings.rate(world.user, event_key=key, level=3, channel="pc")
    again = ratings.rate(world.user, event_key=key, level=2, channel="pc")
    assert first.pk == again.pk and (again.kind, again.hall, again.department) == (
        "overall", world.hall, None)
    next_month = timezone.now() + dt.timedelta(days=32)
    with pytest.raises(Conflict) as closed:
        ratings.rate(world.user, event_key=key, level=1, channel="pc", now=next_month)
    assert closed.value.code == "rating.window_closed"
    fresh = ratings.rate(world.user, event_key=ratings.overall_key(world.hall, next_month), level=1,
                         channel="pc", now=next_month)
    assert fresh.pk != first.pk
    department = ratings.rate(world.user, event_key=ratings.overall_key(world.market), level=1,
                              channel="pc")
    assert department.department == world.market and department.region == world.province


def test_overall_review_of_a_future_month_or_anonymous_is_refused(world):
    with pytest.raises(Conflict, match="未来"):
        ratings.rate(world.user, event_key=f"overall:hall:{world.hall.pk}:2099-01", level=1,
                     channel="pc")
    with pytest.raises(PermissionDenied):
        ratings.rate(None, event_key=ratings.overall_key(world.hall), level=1, channel="terminal")


def test_a_supervisor_records_an_inspection(world, given):
    rating = ratings.rate_inspection(world.supervisor, hall=world.hall, **BAD)
    assert rating.kind == "inspection" and rating.event_key.startswith("inspection:")
    assert (rating.rater, rating.hall, rating.region) == (world.supervisor, world.hall, world.province)
    case = world.delivered()
    on_case = ratings.rate_inspection(world.supervisor, case=case, level=2)
    assert (on_case.department, on_case.case) == (world.market, case)
    assert len(given) == 2 and on_case.event_key != rating.event_key


def test_only_a_supervisor_of_the_region_records_an_inspection(world):
    for outsider in (world.far_supervisor, world.examiner, world.user):
        with pytest.raises(PermissionDenied):
            ratings.rate_inspection(outsider, department=world.market, level=1)
    with pytest.raises(ValidationError):
        ratings.rate_inspection(world.supervisor, hall=world.hall, department=world.market, level=1)
    assert not Rating.objects.exists()


# --- invitations ----------------------------------------------------------------------------------


def test_an_invitation_token_rates_once(world):
    case = world.delivered()
    RatingInvitation.objects.all().delete()  # the one 送达 sent (tests/…receivers)
    token = ratings.invite(world.user, event_key=f"case:{case.pk}", channel="sms")
    stored = RatingInvitation.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in str(
        stored.__dict__)
    invited = ratings.rating_by_token(token)
    assert invited.event.case == case and invited.rating is None
    rating = ratings.rate_by_token(token, **BAD)
    assert (rating.rater, rating.channel) == (world.user, "sms")
    stored.refresh_from_db()
    assert stored.used_at is not None
    for use in (lambda: ratings.rating_by_token(token), lambda: ratings.rate_by_token(token, level=1)):
        with pytest.raises(NotFound) as refused:
            use()
        assert refused.value.code == "rating.bad_token"


@pytest.mark.parametrize("token", ["forged-token", "", "x" * 500])
def test_a_forged_token_rates_nothing(world, token):
    with pytest.raises(NotFound) as refused:
        ratings.rate_by_token(token, level=1)
    assert refused.value.code == "rating.bad_token" and not Rating.objects.exists()


def test_an_expired_token_rates_nothing(world):
    case = world.delivered()
    token = ratings.invite(world.user, event_key=f"case:{case.pk}", channel="sms")
    with pytest.raises(NotFound):
        ratings.rate_by_token(token, level=1, now=timezone.now() + dt.timedelta(days=16))


def test_a_failed_token_rating_leaves_the_token_usable(world):
    case = world.delivered()
    token = ratings.invite(world.user, event_key=f"case:{case.pk}", channel="sms")
    with pytest.raises(ValidationError):
        ratings.rate_by_token(token, level=5, reasons=[], text="")
    assert ratings.rate_by_token(token, level=1).level == 1


def test_nobody_is_invited_to_rate_somebody_elses_case(world):
    case = world.delivered()
    with pytest.raises(PermissionDenied):
        ratings.invite(world.stranger.user, event_key=f"case:{case.pk}", channel="sms")
