"""Two people booking the last place of a slot at once, and one person booking twice at once,
on a real server database. SQLite's test database lives in memory and cannot be shared between
threads, so these run on PostgreSQL and MariaDB (the suite runs on both in CI)."""

import pytest
from django.db import connection

from tests.accounts.factories import citizen
from tests.concurrency import in_threads
from tests.hall.appointments_world import MONDAY, HallWorld, at, t
from yiwang.common.errors import Conflict
from yiwang.hall.models import Appointment, Channel, SlotCounter
from yiwang.hall.services import appointments

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="需要可多线程共享的数据库（PostgreSQL 或 MariaDB）"),
]

EARLY = at(MONDAY, 7)


def _book(world, user, start=t(9)):
    return appointments.book(user, world.hall_item, MONDAY, start, channel=Channel.MOBILE, now=EARLY)


def test_two_people_booking_the_last_place_at_once_one_gets_it():
    world = HallWorld(average_minutes=30)  # one window, one person per half hour
    people = [world.user, world.other.user]
    results, errors = in_threads(2, lambda i: _book(world, people[i]).pk)
    assert len(results) == 1
    assert [e.code for e in errors] == ["appointment.slot_full"]
    assert Appointment.objects.count() == 1
    assert SlotCounter.objects.get(start=t(9)).booked == 30


def test_many_people_at_once_fill_a_slot_exactly():
    world = HallWorld(windows=2, average_minutes=15)  # four places
    people = [citizen(f"申请人{i}").user for i in range(8)]
    results, errors = in_threads(8, lambda i: _book(world, people[i]).pk)
    assert len(results) == 4
    assert all(isinstance(e, Conflict) and e.code == "appointment.slot_full" for e in errors)
    assert len(errors) == 4
    assert SlotCounter.objects.get(start=t(9)).booked == 60


def test_one_person_booking_two_slots_at_once_gets_one():
    world = HallWorld()
    starts = [t(9), t(10), t(14)]
    results, errors = in_threads(3, lambda i: _book(world, world.user, starts[i]).pk)
    assert len(results) == 1
    assert [e.code for e in errors] == ["appointment.duplicate"] * 2
    assert sum(SlotCounter.objects.values_list("booked", flat=True)) == 15


def test_two_people_swapping_slots_at_once_do_not_deadlock():
    world = HallWorld(average_minutes=30)
    first, second = _book(world, world.user, t(9)), _book(world, world.other.user, t(10))
    moves = [(world.user, first, t(10)), (world.other.user, second, t(9))]
    results, errors = in_threads(2, lambda i: appointments.reschedule(
        moves[i][0], moves[i][1], MONDAY, moves[i][2], now=EARLY).pk)
    # Each slot holds one person and a move gives its place back only when it has the other:
    # both are refused cleanly, in either order — never a deadlock, nothing half-moved.
    assert results == []
    assert [e.code for e in errors] == ["appointment.slot_full"] * 2
    booked = dict(SlotCounter.objects.values_list("start", "booked"))
    assert booked == {t(9): 30, t(10): 30}
