"""A hall with its opening hours, a queue served by a window, a stationed item, a manager and a
terminal, for the terminal and kiosk tests; and a second hall in the same city.

The clock is pinned to Monday 7 December 2026 at 10:00 (a working day, the hall open: 08:30–12:00
and 13:00–17:00 on working days, 09:00–12:00 on Saturdays); bookings are made through the booking
service for a slot later that day, so checking in goes through every rule of the real one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import citizen
from tests.factories import UserFactory
from tests.portal.factories import city, department_in, publish_item
from yiwang.hall.models import (
    Appointment,
    Channel,
    DayKind,
    HallItem,
    HallMember,
    HallRole,
    OpeningPeriod,
    Queue,
    Window,
    WindowKind,
)
from yiwang.hall.services import appointments, terminals
from yiwang.orgs.models import ServiceHall

MONDAY_MORNING = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
OPENING_HOURS = ((DayKind.WORKDAY, dt.time(8, 30), dt.time(12)),
                 (DayKind.WORKDAY, dt.time(13), dt.time(17)),
                 (DayKind.SATURDAY, dt.time(9), dt.time(12)))


class World:
    def __init__(self):
        self.city = city()
        self.department = department_in(self.city, name="长春市市场监督管理局", code="31")
        self.hall = ServiceHall.objects.create(name="长春市政务服务中心", region=self.city,
                                               address="长春市人民大街1号")
        self.other_hall = ServiceHall.objects.create(name="长春市朝阳区政务服务中心",
                                                     region=self.city, address="朝阳区")
        for hall in (self.hall, self.other_hall):
            for kind, start, end in OPENING_HOURS:
                OpeningPeriod.objects.create(hall=hall, day_kind=kind, start=start, end=end)
        self.queue = Queue.objects.create(hall=self.hall, code="A", name="企业开办与经营",
                                          window_kind=WindowKind.COMPREHENSIVE, category="enterprise")
        # A window serving the queue: without one the item cannot be booked.
        Window.objects.create(hall=self.hall, number="1", name="综合受理",
                              kind=WindowKind.COMPREHENSIVE).queues.add(self.queue)
        self.item = publish_item(self.department, name="食品经营许可")
        self.hall_item = HallItem.objects.create(hall=self.hall, item=self.item, queue=self.queue,
                                                 category="enterprise")
        self.other_queue = Queue.objects.create(hall=self.other_hall, code="A", name="综合",
                                                window_kind=WindowKind.COMPREHENSIVE)
        self.other_hall_item = HallItem.objects.create(hall=self.other_hall, item=self.item,
                                                       queue=self.other_queue)
        self.manager = self.member("hall_manager", self.hall, HallRole.MANAGER)
        self.other_manager = self.member("other_manager", self.other_hall, HallRole.MANAGER)
        self.clerk = self.member("hall_clerk", self.hall, HallRole.CLERK)
        self.person = citizen("王芳")
        self.terminal, self.secret = terminals.register_terminal(
            self.manager, name="一楼1号机", hall=self.hall, location="一楼东侧")

    @staticmethod
    def member(username, hall, role):
        user = UserFactory(username=username)
        user.save()
        HallMember.objects.create(hall=hall, user=user, role=role)
        return user

    def appointment(self, *, start=dt.time(14), now=MONDAY_MORNING) -> Appointment:
        """王芳 books the item online (the booking service) for ``start`` on the day of ``now``."""
        return appointments.book(self.person.user, self.hall_item, now.date(), start,
                                 channel=Channel.PC, now=now)


# --- fixtures (tests/hall/conftest.py makes them known) -------------------------------------------


@pytest.fixture
def monday_morning(monkeypatch):
    """The clock the services see, on a Monday morning."""
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_MORNING)
    return MONDAY_MORNING


@pytest.fixture
def kiosk_world(db, monday_morning):
    return World()
