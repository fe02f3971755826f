"""自助终端 services: registering (the secret shown once, a keyed hash stored), authenticating,
revoking, who may do it, and the audit of what is done on a terminal."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.hall.models import AppointmentStatus, Channel, Terminal, TerminalStatus, Ticket
from yiwang.hall.services import terminals
from yiwang.supervision.models import AuditRecord

from .terminal_world import MONDAY_MORNING


@pytest.fixture
def world(kiosk_world):
    return kiosk_world


def test_registering_stores_only_a_keyed_hash_of_the_secret(world):
    terminal = Terminal.objects.get(pk=world.terminal.pk)
    assert len(world.secret) >= 32
    assert world.secret not in terminal.key_hash
    assert terminal.key_hash == terminals.credential_hash(terminal.code, world.secret)
    # Keyed: the same secret under another site key gives another hash.
    assert terminal.key_hash != terminals.credential_hash(terminal.code, world.secret, key="x" * 50)
    assert terminal.code.startswith("ZD220100")
    assert (terminal.hall, terminal.region, terminal.registered_by) == (world.hall, world.city,
                                                                        world.manager)
    record = AuditRecord.objects.get(kind="hall.terminal_registered")
    assert record.subject_id == str(terminal.pk) and record.data["terminal"] == terminal.code
    assert world.secret not in str(record.data) + record.summary


def test_each_registration_gets_its_own_code_and_secret(world):
    second, secret = terminals.register_terminal(world.manager, name="2号机", hall=world.hall,
                                                 location="二楼")
    assert second.code != world.terminal.code and secret != world.secret


def test_authenticate_returns_the_terminal_and_records_when_it_was_seen(world):
    terminal = terminals.authenticate(world.terminal.code.lower(), world.secret)
    assert terminal == world.terminal
    assert Terminal.objects.get(pk=terminal.pk).last_seen_at == MONDAY_MORNING


@pytest.mark.parametrize("code, secret", [("", ""), ("ZD220100ZZZZZ", "whatever"),
                                          (None, "wrong-secret")])
def test_an_unknown_code_and_a_wrong_secret_get_the_same_refusal(world, code, secret):
    with pytest.raises(PermissionDenied) as refused:
        terminals.authenticate(world.terminal.code if code is None else code, secret)
    assert refused.value.code == "terminal.bad_credentials"
    assert Terminal.objects.get(pk=world.terminal.pk).last_seen_at is None


def test_a_rotated_site_key_still_accepts_terminals_registered_under_the_old_one(world, settings):
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-key-" + "k" * 60
    assert terminals.authenticate(world.terminal.code, world.secret) == world.terminal
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(PermissionDenied):
        terminals.authenticate(world.terminal.code, world.secret)


def test_last_seen_is_written_at_most_once_a_minute(world, monkeypatch):
    terminals.authenticate(world.terminal.code, world.secret)
    later = MONDAY_MORNING + dt.timedelta(seconds=30)
    terminals.authenticate(world.terminal.code, world.secret, now=later)
    assert Terminal.objects.get(pk=world.terminal.pk).last_seen_at == MONDAY_MORNING
    terminals.authenticate(world.terminal.code, world.secret, now=later + dt.timedelta(seconds=31))
    assert Terminal.objects.get(pk=world.terminal.pk).last_seen_at == later + dt.timedelta(seconds=31)


def test_a_revoked_terminal_is_refused_at_once(world):
    terminals.revoke_terminal(world.manager, world.terminal)
    terminal = Terminal.objects.get(pk=world.terminal.pk)
    assert terminal.status == TerminalStatus.REVOKED and terminal.revoked_at == MONDAY_MORNING
    with pytest.raises(PermissionDenied) as refused:
        terminals.authenticate(terminal.code, world.secret)
    assert refused.value.code == "terminal.revoked"
    with pytest.raises(PermissionDenied) as refused:
        terminals.recheck(terminal.code, terminal.key_hash[:16])
    assert refused.value.code == "terminal.revoked"
    assert AuditRecord.objects.filter(kind="hall.terminal_revoked", subject_id=str(terminal.pk)).count() == 1
    with pytest.raises(Conflict):
        terminals.revoke_terminal(world.manager, terminal)


def test_recheck_refuses_a_cookie_of_an_earlier_credential(world):
    with pytest.raises(PermissionDenied) as refused:
        terminals.recheck(world.terminal.code, "0" * 16)
    assert refused.value.code == "terminal.bad_credentials"


@pytest.mark.parametrize("who", ["clerk", "other_manager"])
def test_only_a_manager_of_the_terminals_hall_registers_and_revokes(world, who):
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        terminals.register_terminal(user, name="x", hall=world.hall, location="y")
    with pytest.raises(PermissionDenied):
        terminals.revoke_terminal(user, world.terminal)
    assert Terminal.objects.count() == 1
    assert Terminal.objects.get().status == TerminalStatus.ACTIVE


def test_a_terminal_outside_a_hall_is_for_a_system_administrator(world):
    with pytest.raises(PermissionDenied):
        terminals.register_terminal(world.manager, name="建行网点", hall=None, region=world.city,
                                    location="人民大街网点")
    world.manager.is_superuser = True
    terminal, _ = terminals.register_terminal(world.manager, name="建行网点", hall=None,
                                              region=world.city, location="人民大街网点")
    assert terminal.hall is None and terminal.region == world.city


@pytest.mark.parametrize("fields, code", [
    ({"name": " ", "location": "一楼"}, "terminal.name_required"),
    ({"name": "3号机", "location": ""}, "terminal.location_required"),
])
def test_registration_needs_a_name_and_a_location(world, fields, code):
    with pytest.raises(ValidationError) as refused:
        terminals.register_terminal(world.manager, hall=world.hall, **fields)
    assert refused.value.code == code


def test_taking_a_ticket_records_the_terminal_on_the_ticket_and_in_the_audit(world):
    ticket = terminals.take_ticket(world.terminal, world.hall_item, user=world.person.user,
                                   id_number=world.person.id_number, name=world.person.name)
    assert (ticket.terminal, ticket.channel, ticket.hall) == (world.terminal, Channel.TERMINAL, world.hall)
    record = AuditRecord.objects.get(kind="hall.terminal.ticket_taken")
    assert record.data["terminal"] == world.terminal.code and record.data["ticket"] == ticket.number
    assert record.subject_id == str(ticket.pk) and record.actor_id == world.person.user.pk
    assert world.terminal.code in record.summary


def wrong_check_digit(world) -> str:
    number = world.person.id_number
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def test_a_ticket_for_another_halls_item_or_a_bad_id_number_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        terminals.take_ticket(world.terminal, world.other_hall_item)
    assert refused.value.code == "terminal.item_not_stationed"
    with pytest.raises(ValidationError) as refused:
        terminals.take_ticket(world.terminal, world.hall_item, id_number=wrong_check_digit(world))
    assert refused.value.code.startswith("ric.")
    assert not AuditRecord.objects.filter(kind="hall.terminal.ticket_taken").exists()


def test_checking_in_a_booking_on_a_terminal_is_audited_with_it(world):
    appointment = world.appointment()
    ticket = terminals.check_in(world.terminal, f"https://yiwang.example/appointments/{appointment.code}/")
    appointment.refresh_from_db()
    assert appointment.status == "checked_in"
    assert ticket.appointment == appointment and ticket.terminal == world.terminal
    record = AuditRecord.objects.get(kind="hall.terminal.checked_in")
    assert record.data == {"terminal": world.terminal.code, "ticket": ticket.number,
                           "appointment_id": appointment.pk}


def test_an_unknown_booking_code_changes_nothing(world):
    with pytest.raises(NotFound):
        terminals.check_in(world.terminal, "00000000")
    assert not AuditRecord.objects.filter(kind="hall.terminal.checked_in").exists()


def test_a_terminal_outside_a_hall_takes_no_ticket(world):
    world.manager.is_superuser = True
    bank, _ = terminals.register_terminal(world.manager, name="建行网点", hall=None,
                                          region=world.city, location="网点")
    with pytest.raises(Conflict) as refused:
        terminals.take_ticket(bank, world.hall_item)
    assert refused.value.code == "terminal.no_hall"


@pytest.mark.parametrize("text, code", [("ab12cd", "AB12CD"), (" 12345678 ", "12345678"),
                                        ("https://x.cn/appointments/Q7K2/", "Q7K2"),
                                        ("https://x.cn/a?code=99887766", "99887766")])
def test_the_booking_code_is_found_in_what_a_qr_scanner_types(text, code):
    assert terminals.booking_code(text) == code


def test_the_command_prints_the_secret_once_and_it_works(world):
    out = StringIO()
    world.manager.is_superuser = True
    world.manager.save()
    call_command("register_terminal", "--hall", "长春市政务服务中心", "--name", "自助机",
                 "--location", "一楼", "--by", world.manager.username, stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    terminal = terminals.authenticate(lines["终端编号"], lines["终端密钥"])
    assert terminal.name == "自助机" and terminal.hall == world.hall


def test_the_command_refuses_someone_who_may_not_register(world):
    with pytest.raises(CommandError, match="管理员"):
        call_command("register_terminal", "--hall", str(world.hall.pk), "--name", "x",
                     "--location", "y", "--by", world.clerk.username, stdout=StringIO())


def test_a_booking_of_another_hall_or_day_is_refused_on_the_terminal(world):
    appointment = world.appointment()
    elsewhere, _ = terminals.register_terminal(world.other_manager, name="朝阳1号机",
                                               hall=world.other_hall, location="一楼")
    with pytest.raises(Conflict) as wrong_hall:
        terminals.check_in(elsewhere, appointment.code)
    tomorrow = MONDAY_MORNING + dt.timedelta(days=1)
    with pytest.raises(Conflict) as wrong_day:
        terminals.check_in(world.terminal, appointment.code, now=tomorrow)
    assert (wrong_hall.value.code, wrong_day.value.code) == ("appointment.wrong_hall",
                                                             "appointment.wrong_day")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and not Ticket.objects.exists()
    assert not AuditRecord.objects.filter(kind="hall.terminal.checked_in").exists()
