"""The terminal API (/api/hall/terminals): the terminal's own credential in X-Terminal-Key, its
answers for a missing, wrong or revoked credential, and what it does (heartbeat, tickets,
check-in) recorded with the terminal."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.hall.models import Channel, Terminal, Ticket, Window
from yiwang.hall.services import terminals
from yiwang.supervision.models import AuditRecord

from .terminal_world import MONDAY_MORNING

BASE = "/api/hall/terminals"


@pytest.fixture
def world(kiosk_world):
    return kiosk_world


def key(world, secret=None) -> dict:
    return {"HTTP_X_TERMINAL_KEY": f"{world.terminal.code}:{secret or world.secret}"}


def test_the_heartbeat_names_the_terminal_and_marks_it_seen(world):
    answer = Client().post(f"{BASE}/heartbeat", **key(world))
    assert answer.status_code == 200
    assert answer.json()["code"] == world.terminal.code and answer.json()["hall"] == world.hall.name
    assert Terminal.objects.get(pk=world.terminal.pk).last_seen_at == MONDAY_MORNING


def test_without_a_credential_the_answer_is_401(world):
    answer = Client().post(f"{BASE}/heartbeat")
    assert answer.status_code == 401 and answer.json()["code"] == "auth.required"


@pytest.mark.parametrize("header", ["nonsense", "ZD220100AAAAA:x", ":"])
def test_bad_credentials_are_refused(world, header):
    answer = Client().post(f"{BASE}/tickets", {"hall_item_id": world.hall_item.pk},
                           content_type="application/json", HTTP_X_TERMINAL_KEY=header)
    assert answer.status_code == 403 and answer.json()["code"] == "terminal.bad_credentials"
    assert not Ticket.objects.exists()


def test_a_wrong_secret_of_a_real_terminal_is_refused(world):
    answer = Client().post(f"{BASE}/heartbeat", **key(world, secret="x" * 32))
    assert answer.status_code == 403 and answer.json()["code"] == "terminal.bad_credentials"
    assert Terminal.objects.get(pk=world.terminal.pk).last_seen_at is None


def test_a_revoked_terminal_is_refused_at_once(world):
    client = Client()
    assert client.post(f"{BASE}/heartbeat", **key(world)).status_code == 200
    terminals.revoke_terminal(world.manager, world.terminal)
    answer = client.post(f"{BASE}/tickets", {"hall_item_id": world.hall_item.pk},
                         content_type="application/json", **key(world))
    assert answer.status_code == 403 and answer.json()["code"] == "terminal.revoked"
    assert not Ticket.objects.exists()


def test_a_windows_pad_takes_no_tickets_through_the_terminal_api(world):
    window = Window.objects.get(hall=world.hall, number="1")
    pad, secret = terminals.register_terminal(world.manager, name="1号窗口评价器", hall=world.hall,
                                              location="1号窗口台面", window=window)
    answer = Client().post(f"{BASE}/tickets", {"hall_item_id": world.hall_item.pk},
                           content_type="application/json",
                           HTTP_X_TERMINAL_KEY=f"{pad.code}:{secret}")
    assert answer.status_code == 403 and answer.json()["code"] == "terminal.is_pad"
    assert not Ticket.objects.exists()


def test_the_items_of_the_terminals_hall(world):
    answer = Client().get(f"{BASE}/items", **key(world))
    assert answer.json() == [{"id": world.hall_item.pk, "name": "食品经营许可", "queue": "A",
                              "queue_name": "企业开办与经营"}]


def test_a_ticket_taken_through_the_api_records_the_terminal(world):
    answer = Client().post(f"{BASE}/tickets", {"hall_item_id": world.hall_item.pk,
                                               "id_number": world.person.id_number, "name": "王芳"},
                           content_type="application/json", **key(world))
    assert answer.status_code == 201
    ticket = Ticket.objects.get()
    assert answer.json()["number"] == ticket.number == "A001"
    assert answer.json()["name"] == "王*" and answer.json()["ahead"] == 0
    assert (ticket.terminal, ticket.channel) == (world.terminal, Channel.TERMINAL)
    record = AuditRecord.objects.get(kind="hall.terminal.ticket_taken")
    assert record.data["terminal"] == world.terminal.code


def test_a_ticket_for_another_halls_item_is_404(world):
    answer = Client().post(f"{BASE}/tickets", {"hall_item_id": world.other_hall_item.pk},
                           content_type="application/json", **key(world))
    assert answer.status_code == 404 and answer.json()["code"] == "terminal.item_not_stationed"


def test_checking_in_through_the_api(world):
    appointment = world.appointment()
    answer = Client().post(f"{BASE}/check-ins", {"code": appointment.code},
                           content_type="application/json", **key(world))
    assert answer.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.appointment == appointment and ticket.terminal == world.terminal
    assert AuditRecord.objects.get(kind="hall.terminal.checked_in").data["terminal"] == world.terminal.code
