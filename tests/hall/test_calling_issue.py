"""代取号: a window clerk takes a ticket for a visitor, choosing the priority group they see."""

from __future__ import annotations

import pytest

from tests.hall.calling_world import ELDERLY_ID, HallWorld, at, sign_in_today
from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.hall.models import Channel, PriorityGroup, Ticket
from yiwang.hall.services import hours, tickets
from yiwang.supervision.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return HallWorld()


def test_the_clerk_puts_the_visitor_in_the_group_they_see(world):
    world.sign_in(world.clerk, world.window)
    ticket = tickets.issue_ticket(world.clerk, world.queue_b, name="李四",
                                  priority_group=PriorityGroup.DISABLED, now=at(9))
    assert (ticket.number, ticket.channel, ticket.priority_group, ticket.issued_by) == (
        "B001", Channel.WINDOW, PriorityGroup.DISABLED, world.clerk)
    record = AuditRecord.objects.get(kind="hall.ticket_taken")
    assert record.actor_id == world.clerk.pk and record.data["priority_group"] == "disabled"


def test_without_a_group_the_id_number_decides_and_a_consultation_needs_none(world):
    world.sign_in(world.clerk, world.window)
    elderly = tickets.issue_ticket(world.clerk, world.queue_a, id_number=ELDERLY_ID.lower(),
                                   now=at(9))
    anonymous = tickets.issue_ticket(world.clerk, world.queue_a, now=at(9, 1))
    assert elderly.priority_group == PriorityGroup.ELDERLY
    assert (anonymous.number, anonymous.priority_group, anonymous.id_number) == ("A002", "", "")


def test_a_clerk_not_signed_in_here_issues_nothing(world):
    with pytest.raises(PermissionDenied) as refused:
        tickets.issue_ticket(world.clerk, world.queue_a, now=at(9))
    assert refused.value.code == "hall.not_signed_in"
    other = HallWorld(name="另一政务服务中心", prefix="other")
    other.sign_in(other.clerk, other.window)
    with pytest.raises(PermissionDenied):
        tickets.issue_ticket(other.clerk, world.queue_a, now=at(9))
    assert not Ticket.objects.exists()


def test_an_unknown_group_is_refused(world):
    world.sign_in(world.clerk, world.window)
    with pytest.raises(ValidationError) as refused:
        tickets.issue_ticket(world.clerk, world.queue_a, priority_group="vip", now=at(9))
    assert refused.value.code == "ticket.bad_priority_group"
    assert not Ticket.objects.exists()


def test_the_desk_issues_a_ticket_and_says_its_number(client, world, monkeypatch):
    monkeypatch.setattr(hours, "require_open", lambda hall, at=None: None)
    sign_in_today(world.clerk, world.window)
    client.force_login(world.clerk)
    assert "代取号" in client.get("/workbench/hall/calling/").content.decode()
    response = client.post("/workbench/hall/calling/issue/", {
        "queue": world.queue_a.pk, "name": "王五", "priority_group": "pregnant"}, follow=True)
    assert "已代取号 A001（优先：孕妇）" in response.content.decode()
    ticket = Ticket.objects.get()
    assert (ticket.name, ticket.issued_by, ticket.channel) == ("王五", world.clerk, Channel.WINDOW)
    response = client.post("/workbench/hall/calling/issue/", {"queue": "99999999999999999999"},
                           follow=True)
    assert "请选择队列" in response.content.decode() and Ticket.objects.count() == 1
