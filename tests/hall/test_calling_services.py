"""Queue tickets and calling (排队叫号) through the services: numbering, the calling policy,
过号, 转窗, and the errors a clerk or a visitor can cause."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.accounts.factories import citizen
from tests.factories import DepartmentFactory
from tests.hall.calling_world import DAY, ELDERLY_ID, YOUNG_ID, HallWorld, at
from tests.portal.factories import publish_item
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.hall.models import (
    Appointment,
    Call,
    Channel,
    PriorityGroup,
    Queue,
    Ticket,
    TicketCounter,
    TicketStatus,
    WindowKind,
)
from yiwang.hall.services import calling, tickets
from yiwang.notify.models import Message
from yiwang.orgs.models import ServiceHall
from yiwang.supervision.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return HallWorld()


def walk_in(world, minute: int, queue=None, **fields) -> Ticket:
    return tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=queue or world.queue_a,
                               now=at(9, minute), **fields)


def called_numbers(world, count: int, *, hour: int = 10) -> list[str]:
    """Call, and finish, ``count`` tickets at window 1; the numbers in calling order."""
    numbers = []
    for n in range(count):
        ticket = calling.call_next(world.clerk, world.window, now=at(hour, n))
        numbers.append(ticket.number if ticket else None)
        if ticket:
            calling.finish(world.clerk, ticket, now=at(hour, n, 30))
    return numbers


# --- taking a ticket -------------------------------------------------------------------------

def test_numbers_run_per_queue_and_start_again_next_day(world):
    assert [walk_in(world, m).number for m in range(3)] == ["A001", "A002", "A003"]
    assert walk_in(world, 4, queue=world.queue_b).number == "B001"
    tomorrow = tickets.take_ticket(world.hall, channel=Channel.WINDOW, queue=world.queue_a,
                                   now=at(9) + dt.timedelta(days=1))
    assert (tomorrow.number, tomorrow.date) == ("A001", DAY + dt.timedelta(days=1))


def test_a_stationed_item_chooses_the_queue(world):
    department = DepartmentFactory(region=world.hall.region)
    hall_item = world.stationed(publish_item(department), queue=world.queue_b)
    ticket = tickets.take_ticket(world.hall, channel=Channel.TERMINAL, hall_item=hall_item,
                                 now=at(9))
    assert (ticket.queue, ticket.number, ticket.hall_item) == (world.queue_b, "B001", hall_item)


def test_an_elderly_id_number_puts_the_ticket_in_the_priority_group(world):
    assert walk_in(world, 1, id_number=ELDERLY_ID).priority_group == PriorityGroup.ELDERLY
    assert walk_in(world, 2, id_number=YOUNG_ID).priority_group == ""
    chosen = walk_in(world, 3, priority_group=PriorityGroup.PREGNANT)
    assert chosen.priority_group == PriorityGroup.PREGNANT


def test_a_ticket_for_a_closed_hall_is_refused_and_nothing_is_written(world):
    with pytest.raises(Conflict) as raised:
        tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a,
                            now=at(12, 0))
    assert raised.value.code == "hall.closed"
    assert "08:30–11:30" in raised.value.message
    sunday = dt.datetime.combine(DAY - dt.timedelta(days=1), dt.time(10), tzinfo=at(9).tzinfo)
    with pytest.raises(Conflict, match="今天不办公"):
        tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a, now=sunday)
    assert not Ticket.objects.exists() and not TicketCounter.objects.exists()


def test_remote_queueing_only_where_the_hall_allows_it(world):
    user = citizen("张伟").user
    with pytest.raises(Conflict) as raised:
        tickets.take_ticket(world.hall, channel=Channel.MOBILE, queue=world.queue_a, user=user,
                            now=at(9))
    assert raised.value.code == "ticket.remote_not_allowed"
    world.hall.remote_queueing = True
    world.hall.save()
    ticket = tickets.take_ticket(world.hall, channel=Channel.MOBILE, queue=world.queue_a,
                                 user=user, now=at(9))
    assert (ticket.number, ticket.channel, ticket.user) == ("A001", Channel.MOBILE, user)


def test_one_open_ticket_per_person_and_queue(world):
    walk_in(world, 1, id_number=YOUNG_ID)
    with pytest.raises(Conflict) as raised:
        walk_in(world, 2, id_number=YOUNG_ID)
    assert raised.value.code == "ticket.duplicate" and "A001" in raised.value.message
    assert walk_in(world, 3, queue=world.queue_b, id_number=YOUNG_ID).number == "B001"
    # The refused take gave its number back: the next one is A002.
    assert walk_in(world, 4).number == "A002"


def test_bad_id_number_and_mobile_are_refused(world):
    with pytest.raises(ValidationError) as raised:
        walk_in(world, 1, id_number=YOUNG_ID[:-1] + ("0" if YOUNG_ID[-1] != "0" else "1"))
    assert raised.value.code.startswith("ric.")
    with pytest.raises(ValidationError, match="手机号"):
        walk_in(world, 1, mobile="12345")
    assert not Ticket.objects.exists()


def test_taking_a_ticket_is_audited_with_masked_personal_data(world):
    ticket = walk_in(world, 1, id_number=YOUNG_ID, mobile="13900001111")
    entry = AuditRecord.objects.get(kind="hall.ticket_taken", subject_id=str(ticket.pk))
    assert entry.data["number"] == "A001"
    assert entry.data["id_number"] == YOUNG_ID[:4] + "*" * 10 + YOUNG_ID[-4:]
    assert entry.data["mobile"] == "139****1111"


# --- the calling policy --------------------------------------------------------------------------

def test_arrival_order_among_ordinary_tickets(world):
    world.sign_in(world.clerk, world.window)
    for minute in range(3):
        walk_in(world, minute)
    assert called_numbers(world, 4) == ["A001", "A002", "A003", None]


def test_an_elderly_walk_in_is_called_before_earlier_ordinary_arrivals(world):
    world.sign_in(world.clerk, world.window)
    walk_in(world, 50)
    walk_in(world, 51, queue=world.queue_b)
    elderly = walk_in(world, 55, id_number=ELDERLY_ID)
    assert elderly.number == "A002"
    assert called_numbers(world, 3) == ["A002", "A001", "B001"]


def test_a_booked_visitor_is_called_first_once_the_slot_has_begun(world):
    world.sign_in(world.clerk, world.window)
    department = DepartmentFactory(region=world.hall.region)
    hall_item = world.stationed(publish_item(department))
    booking = Appointment.objects.create(code="Y0000001", hall=world.hall, hall_item=hall_item,
                                         user=citizen("王芳").user, date=DAY,
                                         start=dt.time(10, 0), end=dt.time(10, 30))
    walk_in(world, 40, id_number=ELDERLY_ID)
    walk_in(world, 41)
    booked = tickets.take_ticket(world.hall, channel=Channel.TERMINAL, appointment=booking,
                                 now=at(9, 45))
    assert booked.user == booking.user and booked.queue == world.queue_a
    # Before the slot the booking waits like anyone else: the elderly walk-in goes first.
    first = calling.call_next(world.clerk, world.window, now=at(9, 50))
    assert first.number == "A001"
    calling.finish(world.clerk, first, now=at(9, 55))
    # From the slot's start the booked visitor is called before everyone.
    assert called_numbers(world, 2) == ["A003", "A002"]


def test_ageing_calls_a_long_waiting_ordinary_ticket_before_a_later_elderly_one(world):
    world.sign_in(world.clerk, world.window)
    tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a, now=at(9, 0))
    tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a, now=at(9, 40),
                        id_number=ELDERLY_ID)
    # At 9:45 the ordinary ticket has waited 45 minutes (past the 30 of ageing).
    assert calling.call_next(world.clerk, world.window, now=at(9, 45)).number == "A001"


def test_without_ageing_the_later_elderly_ticket_goes_first(world):
    world.sign_in(world.clerk, world.window)
    tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a, now=at(9, 0))
    tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a, now=at(9, 10),
                        id_number=ELDERLY_ID)
    assert calling.call_next(world.clerk, world.window, now=at(9, 15)).number == "A002"


def test_a_window_calls_only_its_own_queues(world):
    world.sign_in(world.clerk, world.window)
    world.window.queues.remove(world.queue_a)
    walk_in(world, 1)
    walk_in(world, 2, queue=world.queue_b)
    assert called_numbers(world, 2) == ["B001", None]


# --- clerks and windows ------------------------------------------------------------------------

def test_calling_from_a_window_not_signed_in_to_is_refused(world):
    walk_in(world, 1)
    world.sign_in(world.clerks[1], world.windows[1])
    with pytest.raises(PermissionDenied) as raised:
        calling.call_next(world.clerk, world.window, now=at(10))
    assert raised.value.code == "hall.not_signed_in"
    # Signed in to window 2 does not let clerk 1 call there either.
    with pytest.raises(PermissionDenied):
        calling.call_next(world.clerk, world.windows[1], now=at(10))
    assert Ticket.objects.get().status == TicketStatus.WAITING and not Call.objects.exists()


def test_another_clerk_cannot_act_on_a_ticket_called_at_my_window(world):
    world.sign_in_all()
    walk_in(world, 1)
    ticket = calling.call_next(world.clerk, world.window, now=at(10))
    for action in (calling.recall, calling.start, calling.finish, calling.skip):
        with pytest.raises(PermissionDenied):
            action(world.clerks[1], ticket, now=at(10, 1))
    assert Ticket.objects.get().status == TicketStatus.CALLED


def test_a_clerk_finishes_the_current_ticket_before_calling_the_next(world):
    world.sign_in(world.clerk, world.window)
    walk_in(world, 1)
    walk_in(world, 2)
    calling.call_next(world.clerk, world.window, now=at(10))
    with pytest.raises(Conflict) as raised:
        calling.call_next(world.clerk, world.window, now=at(10, 1))
    assert raised.value.code == "calling.busy" and "A001" in raised.value.message
    assert Ticket.objects.get(number="A002").status == TicketStatus.WAITING


def test_call_start_finish_records_the_times_and_sends_the_rating_hook(world):
    world.sign_in(world.clerk, world.window)
    walk_in(world, 1)
    finished = []
    calling.ticket_finished.connect(lambda sender, ticket, clerk, **kw: finished.append(
        (ticket.number, clerk.username)), weak=False, dispatch_uid="test-rating-hook")
    try:
        ticket = calling.call_next(world.clerk, world.window, now=at(10))
        assert calling.serving_ticket(world.clerk, now=at(10, 1)) == ticket
        calling.start(world.clerk, ticket, now=at(10, 2))
        ticket = calling.finish(world.clerk, ticket, now=at(10, 12))
    finally:
        calling.ticket_finished.disconnect(dispatch_uid="test-rating-hook")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert (ticket.called_at, ticket.started_at, ticket.finished_at) == (at(10), at(10, 2), at(10, 12))
    assert ticket.window == world.window and ticket.served_by == world.clerk
    assert finished == [("A001", "clerk1")]
    assert calling.serving_ticket(world.clerk, now=at(10, 13)) is None
    kinds = list(AuditRecord.objects.filter(subject_id=str(ticket.pk), kind__startswith="hall.")
                 .values_list("kind", flat=True))
    assert kinds == ["hall.ticket_taken", "hall.ticket_called", "hall.ticket_started",
                     "hall.ticket_finished"]


def test_recall_adds_a_call(world):
    world.sign_in(world.clerk, world.window)
    walk_in(world, 1)
    ticket = calling.call_next(world.clerk, world.window, now=at(10))
    ticket = calling.recall(world.clerk, ticket, now=at(10, 1))
    assert ticket.call_count == 2
    assert list(Call.objects.values_list("kind", flat=True)) == ["call", "recall"]


def test_a_skipped_ticket_waits_again_and_is_missed_after_max_calls(world):
    world.sign_in(world.clerk, world.window)
    walk_in(world, 1)
    walk_in(world, 2)
    first = calling.call_next(world.clerk, world.window, now=at(10))
    skipped = calling.skip(world.clerk, first, now=at(10, 1))
    assert (skipped.status, skipped.window, skipped.call_count) == (TicketStatus.WAITING, None, 1)
    # Not answered once: behind A002, not yet called.
    assert called_numbers(world, 1, hour=11) == ["A002"]
    ticket = calling.call_next(world.clerk, world.window, now=at(11, 5))
    assert ticket.number == "A001"
    ticket = calling.recall(world.clerk, ticket, now=at(11, 6))  # third call: max_calls = 3
    missed = calling.skip(world.clerk, ticket, now=at(11, 7))
    assert missed.status == TicketStatus.MISSED and missed.finished_at == at(11, 7)
    assert calling.call_next(world.clerk, world.window, now=at(11, 8)) is None
    assert AuditRecord.objects.filter(kind="hall.ticket_missed").count() == 1


def test_transfer_keeps_the_place_in_the_other_queue(world):
    world.sign_in(world.clerk, world.window)
    world.window.queues.remove(world.queue_b)
    second = world.windows[1]
    second.queues.remove(world.queue_a)
    world.sign_in(world.clerks[1], second)
    walk_in(world, 1, id_number=YOUNG_ID)
    walk_in(world, 5, queue=world.queue_b)  # arrived after A001
    ticket = calling.call_next(world.clerk, world.window, now=at(10))
    new = calling.transfer(world.clerk, ticket, world.queue_b, now=at(10, 3))
    assert (new.number, new.arrived_at, new.transferred_from) == ("B002", at(9, 1), ticket)
    assert new.id_number == YOUNG_ID and new.status == TicketStatus.WAITING
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.TRANSFERRED
    assert calling.call_next(world.clerks[1], second, now=at(10, 4)).number == "B002"


def test_transfer_to_another_halls_queue_is_refused(world):
    other_hall = ServiceHall.objects.create(name="另一大厅", region=world.hall.region, address="x")
    other_queue = Queue.objects.create(hall=other_hall, code="A", name="另一队列",
                                       window_kind=WindowKind.COMPREHENSIVE)
    world.sign_in(world.clerk, world.window)
    walk_in(world, 1)
    ticket = calling.call_next(world.clerk, world.window, now=at(10))
    with pytest.raises(ValidationError):
        calling.transfer(world.clerk, ticket, other_queue, now=at(10, 1))
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.CALLED


def test_cancel_by_the_holder_or_a_hall_clerk_only(world):
    holder, stranger = citizen("张伟").user, citizen("赵强").user
    ticket = walk_in(world, 1, user=holder)
    with pytest.raises(PermissionDenied):
        calling.cancel(stranger, ticket)
    assert calling.cancel(holder, ticket).status == TicketStatus.CANCELLED
    other = walk_in(world, 2)
    assert calling.cancel(world.clerk, other).status == TicketStatus.CANCELLED
    with pytest.raises(Conflict):
        calling.cancel(world.clerk, other)


# --- the visitor's place and reminder ------------------------------------------------------------

def test_position_and_estimated_wait(world):
    world.sign_in_all()
    department = DepartmentFactory(region=world.hall.region)
    world.stationed(publish_item(department), minutes=20)
    for minute in range(6):
        walk_in(world, minute)
    sixth = Ticket.objects.get(number="A006")
    place = tickets.position(sixth, now=at(9, 10))
    # Five ahead, 20 minutes each, three windows open.
    assert (place.ahead, place.estimated_minutes) == (5, 34)
    elderly = walk_in(world, 11, id_number=ELDERLY_ID)
    assert tickets.position(elderly, now=at(9, 12)).ahead == 0
    assert tickets.position(sixth, now=at(9, 12)).ahead == 6


def test_an_sms_is_sent_once_when_three_are_ahead(world):
    world.sign_in(world.clerk, world.window)
    for minute in range(4):
        walk_in(world, minute)
    watcher = walk_in(world, 10, mobile="13900002222")  # A005: four ahead
    assert not Message.objects.filter(address="13900002222").exists()
    called_numbers(world, 1)
    messages = list(Message.objects.filter(address="13900002222").values_list("body", flat=True))
    assert len(messages) == 1 and "A005" in messages[0] and "前面还有3位" in messages[0]
    called_numbers(world, 2, hour=11)
    assert Message.objects.filter(address="13900002222").count() == 1
    watcher.refresh_from_db()
    assert watcher.reminded_at is not None


def test_ticket_by_key(world):
    ticket = walk_in(world, 1)
    assert tickets.ticket_by_key(ticket.access_key) == ticket
    with pytest.raises(NotFound) as raised:
        tickets.ticket_by_key("nope")
    assert raised.value.code == "ticket.not_found"

