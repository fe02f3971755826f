"""The rating is offered at the natural moment: 送达, 不予受理 and 办结（不通过） invite the applicant
(in-app message and SMS with the link); a ticket finished at the window invites its holder."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from yiwang.cases import services as case_services
from yiwang.evaluation.models import Rating, RatingInvitation
from yiwang.hall.models import TicketStatus
from yiwang.hall.services import calling
from yiwang.notify.models import Channel, Message

from .rating_world import RatingWorld


@pytest.fixture
def world(db):
    return RatingWorld()

LINK = re.compile(r"http://127\.0\.0\.1:8000/rate/([\w-]+)/")


def _sent(user, channel):
    return list(Message.objects.filter(user=user, channel=channel, body__contains="/rate/"))


def test_delivery_invites_the_applicant_by_message_and_sms(world):
    case = world.delivered()
    invitation = RatingInvitation.objects.get()
    assert (invitation.user, invitation.case, invitation.event_key, invitation.channel) == (
        world.user, case, f"case:{case.pk}", "sms")
    [inbox], [sms] = _sent(world.user, Channel.INBOX), _sent(world.user, Channel.SMS)
    assert case.number in inbox.body and "15天内有效" in inbox.body
    # To the case's contact number, else the applicant's own.
    assert sms.address == (case.contact_mobile or world.applicant.mobile)
    assert sms.body.startswith("【一网通办】")
    token = LINK.search(sms.body).group(1)
    page = Client().get(f"/rate/{token}/")
    assert page.status_code == 200 and case.number in page.content.decode()


def test_not_accepting_a_case_invites_the_applicant(world):
    case = world.submitted()
    case_services.not_accept(case, world.acceptor, "不属于本部门职责")
    assert RatingInvitation.objects.filter(case=case, user=world.user).count() == 1


def test_a_withdrawn_case_invites_nobody(world):
    case = world.submitted()
    case_services.withdraw(case, world.user, "不办了")
    assert not RatingInvitation.objects.exists()


def test_a_ticket_finished_at_the_window_invites_its_holder(world):
    ticket = world.ticket(user=world.user, mobile="13900000009", status=TicketStatus.CALLED)
    calling.finish(world.clerk, ticket)
    invitation = RatingInvitation.objects.get()
    assert (invitation.ticket, invitation.event_key) == (ticket, f"ticket:{ticket.pk}")
    [sms] = _sent(world.user, Channel.SMS)
    assert sms.address == "13900000009" and ticket.number in sms.body
    token = LINK.search(sms.body).group(1)
    answer = Client().post(f"/rate/{token}/", {"level": "1"})
    assert answer.status_code == 200 and Rating.objects.get().ticket == ticket


def test_an_anonymous_ticket_invites_nobody(world):
    ticket = world.ticket(status=TicketStatus.CALLED)
    calling.finish(world.clerk, ticket)
    assert not RatingInvitation.objects.exists()
