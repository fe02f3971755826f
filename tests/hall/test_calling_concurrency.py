"""Ticket numbers and calls under concurrent requests, on a real server database (PostgreSQL,
MariaDB): SQLite's in-memory test database cannot be shared between threads."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.concurrency import in_threads
from tests.hall.calling_world import HallWorld, at
from yiwang.hall.models import Call, Channel, Ticket, TicketStatus
from yiwang.hall.services import calling, tickets

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="需要可多线程共享的数据库（PostgreSQL 或 MariaDB）"),
]

CLERKS = 20


def test_concurrent_takers_get_distinct_consecutive_numbers():
    world = HallWorld(windows=1)
    numbers, errors = in_threads(CLERKS, lambda i: tickets.take_ticket(
        world.hall, channel=Channel.TERMINAL, queue=world.queue_a, now=at(9, 0, i)).number)
    assert errors == []
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, CLERKS + 1)]


def test_twenty_clerks_calling_at_once_never_get_one_ticket_twice():
    world = HallWorld(windows=CLERKS)
    world.sign_in_all()
    for minute in range(CLERKS - 5):  # fewer tickets than clerks: some find nobody
        tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a,
                            now=at(9, minute))
    called, errors = in_threads(CLERKS, lambda i: calling.call_next(
        world.clerks[i], world.windows[i], now=at(10)))
    assert errors == []
    numbers = [t.number for t in called if t is not None]
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, CLERKS - 4)]
    assert called.count(None) == 5
    assert Call.objects.count() == CLERKS - 5
    assert Ticket.objects.filter(status=TicketStatus.CALLED).values("window").distinct().count() == 15


def test_two_clerks_calling_the_last_ticket_one_gets_it():
    world = HallWorld(windows=2)
    world.sign_in_all()
    only = tickets.take_ticket(world.hall, channel=Channel.TERMINAL, queue=world.queue_a, now=at(9))
    called, errors = in_threads(2, lambda i: calling.call_next(world.clerks[i], world.windows[i],
                                                               now=at(10)))
    assert errors == []
    winners = [t for t in called if t is not None]
    assert len(winners) == 1 and winners[0].pk == only.pk
    only.refresh_from_db()
    assert only.call_count == 1 and only.window == winners[0].window
