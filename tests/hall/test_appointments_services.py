"""预约 in the service layer: slots from hours, windows and service time; the horizon; each refused
booking (full, outside hours, holiday, too far, duplicate, suspended, too late) with its code and
nothing written; cancel, reschedule, check-in and no-shows with suspension."""

from __future__ import annotations

import datetime as dt
import io
import types

import pytest

from tests.hall.appointments_world import MONDAY, HallWorld, at, t
from yiwang.common.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from yiwang.hall.models import (
    Appointment,
    AppointmentStatus,
    BookingSuspension,
    Channel,
    SlotCounter,
)
from yiwang.hall.services import appointments
from yiwang.notify.models import Message
from yiwang.supervision.models import AuditRecord

pytestmark = pytest.mark.django_db

EARLY = at(MONDAY, 7, 30)


def book(world, day=MONDAY, start=t(9), *, user=None, hall_item=None, now=EARLY, **kwargs):
    return appointments.book(user or world.user, hall_item or world.hall_item, day, start,
                             channel=Channel.PC, now=now, **kwargs)


def state():
    return (list(Appointment.objects.order_by("pk").values_list("pk", "status", "date", "start")),
            list(SlotCounter.objects.order_by("pk").values_list("start", "booked")),
            AuditRecord.objects.count(), BookingSuspension.objects.count())


def refused(error_type, code, run) -> DomainError:
    before = state()
    with pytest.raises(error_type) as caught:
        run()
    assert caught.value.code == code
    assert state() == before
    return caught.value


# --- slots and days ------------------------------------------------------------------------------


def test_slots_cut_the_opening_periods_into_half_hours_sized_by_windows_and_service_time():
    world = HallWorld(windows=2, average_minutes=10)
    slots = appointments.slots(world.hall_item, MONDAY, now=EARLY)
    assert [s.start for s in slots][:3] == [t(8, 30), t(9), t(9, 30)]
    assert len(slots) == 6 + 8  # 08:30–11:30 and 13:00–17:00
    assert (slots[-1].start, slots[-1].end) == (t(16, 30), t(17))
    assert {(s.capacity, s.free) for s in slots} == {(6, 6)}  # 2 windows × 30 ÷ 10


def test_a_long_item_takes_a_whole_window_of_a_slot_and_a_booking_reduces_the_places():
    world = HallWorld(windows=2, average_minutes=45)
    book(world, start=t(9))
    nine = next(s for s in appointments.slots(world.hall_item, MONDAY, now=EARLY) if s.start == t(9))
    assert (nine.capacity, nine.free) == (2, 1)
    assert SlotCounter.objects.get(start=t(9)).booked == 30


def test_todays_started_slots_and_closed_days_offer_nothing():
    world = HallWorld()
    later = appointments.slots(world.hall_item, MONDAY, now=at(MONDAY, 15, 10))
    assert [s.start for s in later] == [t(15, 30), t(16), t(16, 30)]
    assert appointments.slots(world.hall_item, dt.date(2026, 3, 8), now=EARLY) == []  # Sunday
    world.windows[0].active = False
    world.windows[0].save()
    assert appointments.slots(world.hall_item, MONDAY, now=EARLY) == []


def test_bookable_days_run_to_the_fifth_working_day_with_the_open_saturday_and_without_sunday():
    world = HallWorld()
    days = appointments.bookable_days(world.hall, now=EARLY)
    assert days == [MONDAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 4, 5, 7)]
    evening = appointments.bookable_days(world.hall, now=at(MONDAY, 17))
    assert evening[0] == MONDAY + dt.timedelta(days=1)


# --- booking -------------------------------------------------------------------------------------


def test_a_booking_takes_a_place_with_a_numeric_code_and_an_audit_record():
    world = HallWorld()
    appointment = book(world)
    assert appointment.status == AppointmentStatus.BOOKED
    assert (appointment.date, appointment.start, appointment.end) == (MONDAY, t(9), t(9, 30))
    assert appointment.code.isdigit() and len(appointment.code) == 10
    assert SlotCounter.objects.get(queue=world.queue, date=MONDAY, start=t(9)).booked == 15
    assert AuditRecord.objects.filter(kind="appointment.booked", subject_id=str(appointment.pk)).exists()


def test_the_last_place_goes_once():
    world = HallWorld()  # one window, 15 minutes: two people per half hour
    book(world)
    book(world, user=world.other.user)
    from tests.accounts.factories import citizen

    third = citizen("王五").user
    error = refused(Conflict, "appointment.slot_full", lambda: book(world, user=third))
    assert "已约满" in error.message


@pytest.mark.parametrize("start", [t(12), t(7, 30), t(17), t(9, 10)])
def test_outside_opening_hours_is_refused_with_the_hours(start):
    world = HallWorld()
    error = refused(ValidationError, "appointment.outside_hours", lambda: book(world, start=start))
    assert "08:30–11:30、13:00–17:00" in error.message


def test_a_sunday_without_hours_is_refused():
    world = HallWorld()
    error = refused(ValidationError, "appointment.outside_hours",
                    lambda: book(world, day=dt.date(2026, 3, 8)))
    assert "不办公" in error.message


def test_a_public_holiday_is_refused():
    world = HallWorld()
    labour_day = dt.date(2026, 5, 1)
    error = refused(ValidationError, "appointment.holiday",
                    lambda: book(world, day=labour_day, now=at(dt.date(2026, 4, 29), 8)))
    assert "法定节假日" in error.message


def test_too_far_ahead_is_refused_with_the_last_day():
    world = HallWorld()
    error = refused(ValidationError, "appointment.too_far",
                    lambda: book(world, day=MONDAY + dt.timedelta(days=8)))
    assert "2026年3月9日" in error.message


def test_a_started_slot_is_refused():
    world = HallWorld()
    refused(ValidationError, "appointment.slot_passed", lambda: book(world, now=at(MONDAY, 9, 5)))
    refused(ValidationError, "appointment.slot_passed",
            lambda: book(world, day=MONDAY - dt.timedelta(days=1)))


def test_one_active_booking_per_person_per_item_in_any_hall():
    world = HallWorld()
    first = book(world)
    error = refused(Conflict, "appointment.duplicate", lambda: book(world, start=t(10)))
    assert first.code in error.message
    refused(Conflict, "appointment.duplicate", lambda: book(world, hall_item=world.second_hall()))
    appointments.cancel(world.user, first, now=EARLY)
    assert book(world, start=t(10)).status == AppointmentStatus.BOOKED


def test_an_item_that_is_not_bookable_is_refused():
    world = HallWorld()
    world.hall_item.bookable = False
    world.hall_item.save()
    refused(Conflict, "appointment.not_bookable", lambda: book(world))


def test_a_booking_from_someone_elses_case_is_refused():
    world = HallWorld()
    case = types.SimpleNamespace(pk=10**9, item_id=world.item.pk)
    refused(NotFound, "case.not_found", lambda: book(world, case=case))


# --- cancel and reschedule ----------------------------------------------------------------------


def test_cancel_gives_the_place_back():
    world = HallWorld()
    appointment = book(world)
    appointments.cancel(world.user, appointment, now=at(MONDAY, 7, 59))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.cancelled_at
    assert SlotCounter.objects.get(start=t(9)).booked == 0
    refused(Conflict, "appointment.not_active",
            lambda: appointments.cancel(world.user, appointment, now=EARLY))


def test_cancel_and_reschedule_after_the_cut_off_are_refused():
    world = HallWorld()
    appointment = book(world)
    late = at(MONDAY, 8, 1)  # 59 minutes before 09:00
    error = refused(Conflict, "appointment.too_late",
                    lambda: appointments.cancel(world.user, appointment, now=late))
    assert "60分钟" in error.message
    refused(Conflict, "appointment.too_late",
            lambda: appointments.reschedule(world.user, appointment, MONDAY, t(15), now=late))


def test_someone_else_cannot_cancel_or_move_a_booking():
    world = HallWorld()
    appointment = book(world)
    refused(NotFound, "appointment.not_found",
            lambda: appointments.cancel(world.other.user, appointment, now=EARLY))
    refused(NotFound, "appointment.not_found",
            lambda: appointments.reschedule(world.other.user, appointment, MONDAY, t(10), now=EARLY))


def test_reschedule_moves_the_place_between_slots():
    world = HallWorld()
    appointment = book(world)
    moved = appointments.reschedule(world.user, appointment, MONDAY + dt.timedelta(days=1), t(14),
                                    now=EARLY)
    assert (moved.date, moved.start, moved.end, moved.rescheduled) == (
        MONDAY + dt.timedelta(days=1), t(14), t(14, 30), 1)
    counters = dict(SlotCounter.objects.values_list("date", "booked"))
    assert counters == {MONDAY: 0, MONDAY + dt.timedelta(days=1): 15}
    assert AuditRecord.objects.filter(kind="appointment.rescheduled").count() == 1


def test_reschedule_into_a_full_slot_leaves_the_booking_where_it_was():
    world = HallWorld()
    book(world, start=t(10))
    from tests.accounts.factories import citizen

    book(world, start=t(10), user=citizen("王五").user)
    appointment = book(world, user=world.other.user)
    refused(Conflict, "appointment.slot_full",
            lambda: appointments.reschedule(world.other.user, appointment, MONDAY, t(10), now=EARLY))


# --- check-in ------------------------------------------------------------------------------------


@pytest.fixture
def ticket_desk(monkeypatch):
    """A stand-in for ``tickets.take_ticket`` that records what it was asked; check-in's own
    rules are what these tests are about."""
    taken = []

    def take_ticket(hall, **kwargs):
        if hall.address == "装修中":
            raise Conflict("今天不办公", code="hall.closed")
        taken.append((hall, kwargs))
        return types.SimpleNamespace(pk=len(taken), number=f"A{len(taken):03d}")

    monkeypatch.setattr(appointments.tickets, "take_ticket", take_ticket)
    return taken


def test_check_in_on_the_day_takes_a_ticket_for_the_booking(ticket_desk):
    world = HallWorld()
    appointment = book(world)
    ticket = appointments.check_in(appointment.code, hall=world.hall, channel=Channel.TERMINAL,
                                   now=at(MONDAY, 8, 50))
    assert ticket.number == "A001"
    hall, asked = ticket_desk[0]
    assert hall == world.hall
    assert asked["appointment"] == appointment and asked["user"] == world.user
    assert asked["hall_item"] == world.hall_item and asked["id_number"] == world.person.id_number
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN and appointment.checked_in_at
    refused(Conflict, "appointment.used",
            lambda: appointments.check_in(appointment.code, hall=world.hall, channel=Channel.TERMINAL,
                                          now=at(MONDAY, 8, 51)))


def test_check_in_refusals(ticket_desk):
    world = HallWorld()
    appointment = book(world, day=MONDAY + dt.timedelta(days=1))
    other_hall = world.second_hall().hall
    refused(NotFound, "appointment.not_found",
            lambda: appointments.check_in("0000000000", hall=world.hall, channel=Channel.TERMINAL))
    refused(Conflict, "appointment.wrong_hall",
            lambda: appointments.check_in(appointment.code, hall=other_hall, channel=Channel.TERMINAL,
                                          now=at(MONDAY, 9)))
    error = refused(Conflict, "appointment.wrong_day",
                    lambda: appointments.check_in(appointment.code, hall=world.hall,
                                                  channel=Channel.TERMINAL, now=at(MONDAY, 9)))
    assert "2026年3月3日" in error.message
    assert ticket_desk == []


def test_a_ticket_refused_leaves_the_booking_unchecked(ticket_desk):
    world = HallWorld()
    appointment = book(world)
    world.hall.address = "装修中"
    world.hall.save()
    refused(Conflict, "hall.closed",
            lambda: appointments.check_in(appointment.code, hall=world.hall, channel=Channel.WINDOW,
                                          now=at(MONDAY, 8, 50)))


# --- no-shows ------------------------------------------------------------------------------------


def test_no_shows_are_marked_after_the_slot_and_once():
    world = HallWorld()
    morning = book(world)
    appointments.mark_no_shows(MONDAY, now=at(MONDAY, 9, 15))
    morning.refresh_from_db()
    assert morning.status == AppointmentStatus.BOOKED  # its slot has not ended
    assert appointments.mark_no_shows(MONDAY, now=at(MONDAY, 9, 30)) == 1
    assert appointments.mark_no_shows(MONDAY, now=at(MONDAY, 18)) == 0
    morning.refresh_from_db()
    assert morning.status == AppointmentStatus.NO_SHOW


def test_the_third_no_show_in_30_days_suspends_booking_with_the_date_it_ends():
    world = HallWorld()
    for week in range(3):
        day = MONDAY + dt.timedelta(days=7 * week)
        book(world, day=day, now=at(day, 8))
        appointments.mark_no_shows(day, now=at(day, 18))
    suspension = BookingSuspension.objects.get(user=world.user)
    last_monday = MONDAY + dt.timedelta(days=14)
    assert (suspension.no_shows, suspension.starts_on, suspension.ends_on) == (
        3, last_monday, last_monday + dt.timedelta(days=30))
    assert Message.objects.filter(user=world.user, subject="预约已暂停").count() == 1

    next_day = last_monday + dt.timedelta(days=1)
    error = refused(PermissionDenied, "appointment.suspended",
                    lambda: book(world, day=next_day, now=at(next_day, 8)))
    assert "爽约3次" in error.message and "2026年4月15日起可再次预约" in error.message
    assert error.details == {"until": "2026-04-15"}

    free_again = dt.date(2026, 4, 15)
    assert book(world, day=free_again, now=at(free_again, 8)).status == AppointmentStatus.BOOKED


def test_no_shows_more_than_30_days_apart_do_not_suspend():
    world = HallWorld()
    for day in (MONDAY, MONDAY + dt.timedelta(days=21), MONDAY + dt.timedelta(days=42)):
        book(world, day=day, now=at(day, 8))
        appointments.mark_no_shows(day, now=at(day, 18))
    assert not BookingSuspension.objects.exists()


def test_the_command_and_the_task_mark_a_past_day():
    from django.core.management import CommandError, call_command

    from yiwang.hall.tasks import mark_no_shows

    world = HallWorld()
    first = book(world)
    second = book(world, user=world.other.user, day=MONDAY + dt.timedelta(days=1))
    out = io.StringIO()
    call_command("mark_no_shows", "--date", "2026-03-02", stdout=out)
    assert out.getvalue().strip() == "2026-03-02：1个预约记为爽约"
    assert mark_no_shows.call("2026-03-03") == 1
    assert {a.status for a in Appointment.objects.filter(pk__in=[first.pk, second.pk])} == {
        AppointmentStatus.NO_SHOW}
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("mark_no_shows", "--date", "3月2日")
