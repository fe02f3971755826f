"""A hall with queues, stationed items, a manager and a terminal, for the terminal and kiosk tests;
and stand-ins for the functions other parts of the hall build (``idcard``,
``tickets.take_ticket``, ``appointments.check_in``), installed only while those modules are
missing, so these tests use the real ones as soon as they are there.

The clock is pinned to a Monday morning (a working day) and the hall is open all day on every
kind of day, so a ticket can be taken whatever the real take_ticket asks of the hours."""

from __future__ import annotations

import datetime as dt
import importlib
import secrets
import sys
import types
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tests.accounts.factories import citizen
from tests.factories import UserFactory
from tests.portal.factories import city, department_in, publish_item
from yiwang.hall.models import (
    Appointment,
    DayKind,
    HallItem,
    HallMember,
    HallRole,
    OpeningPeriod,
    Queue,
    Ticket,
    TicketCounter,
    WindowKind,
)
from yiwang.hall.services import terminals
from yiwang.orgs.models import ServiceHall

MONDAY_MORNING = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class World:
    def __init__(self):
        self.city = city()
        self.department = department_in(self.city, name="长春市市场监督管理局", code="31")
        self.hall = ServiceHall.objects.create(name="长春市政务服务中心", region=self.city,
                                               address="长春市人民大街1号")
        self.other_hall = ServiceHall.objects.create(name="长春市朝阳区政务服务中心",
                                                     region=self.city, address="朝阳区")
        for kind in DayKind.values:
            OpeningPeriod.objects.create(hall=self.hall, day_kind=kind, start=dt.time(0, 0),
                                         end=dt.time(23, 59))
        self.queue = Queue.objects.create(hall=self.hall, code="A", name="企业开办与经营",
                                          window_kind=WindowKind.COMPREHENSIVE, category="enterprise")
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

    def appointment(self, *, day=None, user=None, code=None) -> Appointment:
        return Appointment.objects.create(
            code=code or f"{secrets.randbelow(10**8):08d}", hall=self.hall,
            hall_item=self.hall_item, user=user or self.person.user,
            date=day or MONDAY_MORNING.date(), start=dt.time(10, 0), end=dt.time(10, 30))


# --- stand-ins for the other parts' functions ---------------------------------------------------


@dataclass(frozen=True)
class Reading:
    name: str
    id_number: str


def _idcard():
    module = types.ModuleType("yiwang.hall.idcard")

    def parse_reading(data):
        from yiwang.common.errors import ValidationError
        from yiwang.common.identifiers import validate_resident_id

        try:
            number = validate_resident_id(data["id_number"])
        except ValidationError as exc:
            raise ValidationError("身份证号校验位错误", code="idcard.bad_check_digit") from exc
        return Reading(name=data["name"], id_number=number)

    class Simulator:
        def read(self, placed):
            from yiwang.accounts.models import Citizen

            holder = Citizen.objects.filter(id_number=placed.strip().upper()).first()
            return {"name": holder.name if holder else "赵磊", "id_number": placed}

    module.parse_reading, module.get_reader = parse_reading, Simulator
    return module


@dataclass(frozen=True)
class Position:
    ahead: int
    estimated_minutes: int


def _tickets():
    module = types.ModuleType("yiwang.hall.services.tickets")

    def take_ticket(hall, *, channel, hall_item=None, queue=None, appointment=None, user=None,
                    id_number="", name="", priority_group="", terminal=None, issued_by=None,
                    now=None):
        now = now or timezone.now()
        queue = queue or hall_item.queue
        with transaction.atomic():
            counter, _ = TicketCounter.objects.get_or_create(queue=queue, date=now.date())
            TicketCounter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
            counter.refresh_from_db()
            return Ticket.objects.create(
                hall=hall, queue=queue, date=now.date(), sequence=counter.value,
                number=f"{queue.code}{counter.value:03d}", channel=channel, hall_item=hall_item,
                appointment=appointment, user=user, id_number=id_number, name=name,
                terminal=terminal, issued_by=issued_by, access_key=secrets.token_hex(16),
                arrived_at=now, taken_at=now)

    def position(ticket):
        ahead = Ticket.objects.filter(queue=ticket.queue, date=ticket.date, status="waiting",
                                      sequence__lt=ticket.sequence).count()
        return Position(ahead=ahead, estimated_minutes=ahead * 15)

    module.take_ticket, module.position = take_ticket, position
    return module


def _appointments():
    module = types.ModuleType("yiwang.hall.services.appointments")

    def check_in(code, *, hall, channel, terminal=None, clerk=None, now=None):
        from yiwang.common.errors import Conflict, NotFound
        from yiwang.hall.services import tickets

        now = now or timezone.now()
        appointment = Appointment.objects.select_for_update().filter(code=code).first()
        if appointment is None:
            raise NotFound("没有该预约", code="appointment.not_found")
        if appointment.status != "booked":
            raise Conflict("该预约已签到", code="appointment.used")
        appointment.status, appointment.checked_in_at = "checked_in", now
        appointment.save(update_fields=["status", "checked_in_at"])
        return tickets.take_ticket(hall, channel=channel, hall_item=appointment.hall_item,
                                   appointment=appointment, user=appointment.user,
                                   terminal=terminal, now=now)

    module.check_in = check_in
    return module


STAND_INS = {"yiwang.hall.idcard": _idcard,
             "yiwang.hall.services.tickets": _tickets,
             "yiwang.hall.services.appointments": _appointments}


def install_stand_ins(monkeypatch) -> list[str]:
    """Put a stand-in in place of each contract module that is not (yet) in the code base;
    returns which were stood in for."""
    stood_in = []
    for name, make in STAND_INS.items():
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            module = make()
            monkeypatch.setitem(sys.modules, name, module)
            parent, _, attribute = name.rpartition(".")
            monkeypatch.setattr(sys.modules[parent], attribute, module, raising=False)
            stood_in.append(name)
    return stood_in


# --- fixtures (tests/hall/conftest.py makes them known) -------------------------------------------


@pytest.fixture
def hall_stand_ins(monkeypatch):
    return install_stand_ins(monkeypatch)


@pytest.fixture
def monday_morning(monkeypatch):
    """The clock the services see, on a Monday morning."""
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_MORNING)
    return MONDAY_MORNING


@pytest.fixture
def kiosk_world(db, hall_stand_ins, monday_morning):
    return World()
