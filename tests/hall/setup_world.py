"""Two halls with their windows, queues and staff, written with the ORM, for the tests of hall
setup, hours and window sign-in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from yiwang.hall.models import (
    DayKind,
    HallMember,
    HallRole,
    OpeningPeriod,
    Queue,
    Shift,
    Window,
    WindowKind,
)
from yiwang.orgs.models import Role, ServiceHall
from yiwang.regions.models import Region, RegionLevel

from ..factories import DepartmentFactory, RegionFactory, UserFactory, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-12-07 is a Monday, an ordinary working day.
MONDAY = dt.date(2026, 12, 7)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@dataclass
class World:
    hall: ServiceHall
    other_hall: ServiceHall
    comprehensive: Window  # 1号 综合
    second: Window  # 2号 综合
    specialised: Window  # 4号 专业 (police)
    other_window: Window  # 1号 of the other hall
    queue: Queue
    police: object
    manager: object
    clerk: object
    clerk2: object
    acceptor: object
    other_manager: object
    other_clerk: object


def member(hall, role, username):
    user = UserFactory(username=username)
    HallMember.objects.create(hall=hall, user=user, role=role)
    return user


def build_world() -> World:
    province = RegionFactory()
    city = Region.objects.create(code="220100", name="长春市", level=RegionLevel.CITY,
                                 parent=province, path="220000/220100/", full_name="吉林省长春市")
    other_city = Region.objects.create(code="220200", name="吉林市", level=RegionLevel.CITY,
                                       parent=province, path="220000/220200/",
                                       full_name="吉林省吉林市")
    hall = ServiceHall.objects.create(name="长春市政务服务中心", region=city, address="南湖大路")
    other_hall = ServiceHall.objects.create(name="吉林市政务服务中心", region=other_city,
                                            address="解放中路")
    police = DepartmentFactory(name="长春市公安局", code="11", region=city)
    for kind, start, end in ((DayKind.WORKDAY, (8, 30), (11, 30)),
                             (DayKind.WORKDAY, (13, 0), (17, 0)),
                             (DayKind.SATURDAY, (9, 0), (15, 0))):
        OpeningPeriod.objects.create(hall=hall, day_kind=kind, start=dt.time(*start),
                                     end=dt.time(*end))
    queue = Queue.objects.create(hall=hall, code="A", name="企业开办与经营",
                                 window_kind=WindowKind.COMPREHENSIVE, category="enterprise")
    comprehensive = Window.objects.create(hall=hall, number="1", name="综合受理",
                                          kind=WindowKind.COMPREHENSIVE)
    second = Window.objects.create(hall=hall, number="2", name="综合受理",
                                   kind=WindowKind.COMPREHENSIVE)
    specialised = Window.objects.create(hall=hall, number="4", name="公安服务",
                                        kind=WindowKind.SPECIALISED, department=police)
    other_window = Window.objects.create(hall=other_hall, number="1", name="综合受理",
                                         kind=WindowKind.COMPREHENSIVE)
    comprehensive.queues.add(queue)
    second.queues.add(queue)
    return World(
        hall=hall, other_hall=other_hall, comprehensive=comprehensive, second=second,
        specialised=specialised, other_window=other_window, queue=queue, police=police,
        manager=member(hall, HallRole.MANAGER, "zx_manager"),
        clerk=member(hall, HallRole.CLERK, "zx_clerk"),
        clerk2=member(hall, HallRole.CLERK, "zx_clerk2"),
        acceptor=staff(police, Role.ACCEPTOR, Role.WINDOW_CLERK, username="gaj_acceptor"),
        other_manager=member(other_hall, HallRole.MANAGER, "jl_manager"),
        other_clerk=member(other_hall, HallRole.CLERK, "jl_clerk"),
    )


def roster(window, user, day=MONDAY):
    return Shift.objects.create(window=window, user=user, date=day)
