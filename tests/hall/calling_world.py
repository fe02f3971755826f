"""A small hall for the calling tests: two queues (A 综合, B 社会事务), three windows, clerks
signed in, opening hours on working days. Rosters and sign-ins are written with the ORM, as the
contract asks until part A's services are merged."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from stdnum.cn import ric

from tests.factories import RegionFactory, UserFactory
from yiwang.hall.models import (
    Channel,
    DayKind,
    HallItem,
    HallMember,
    HallRole,
    OpeningPeriod,
    Queue,
    Shift,
    Ticket,
    Window,
    WindowKind,
    WindowSession,
)
from yiwang.orgs.models import ServiceHall

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday that is a working day; 10:00 is inside the opening hours.
DAY = dt.date(2026, 12, 7)


def at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute, second), tzinfo=SHANGHAI)


def id_number(born: dt.date, serial: str = "123") -> str:
    body = f"220100{born:%Y%m%d}{serial}"  # 长春市: valid for births of any year
    return body + ric.calc_check_digit(body + "0")  # it wants a place for the digit


ELDERLY_ID = id_number(dt.date(1950, 3, 1))
YOUNG_ID = id_number(dt.date(1990, 5, 20), "456")


class HallWorld:
    def __init__(self, *, remote_queueing: bool = False, max_calls: int = 3, windows: int = 3,
                 name: str = "测试政务服务中心", prefix: str = "clerk"):
        region = RegionFactory()
        self.hall = ServiceHall.objects.create(
            name=name, region=region, address="测试路1号",
            remote_queueing=remote_queueing, max_calls=max_calls)
        for start, end in ((dt.time(8, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0))):
            OpeningPeriod.objects.create(hall=self.hall, day_kind=DayKind.WORKDAY, start=start,
                                         end=end)
        self.queue_a = Queue.objects.create(hall=self.hall, code="A", name="企业开办与经营",
                                            window_kind=WindowKind.COMPREHENSIVE, order=1)
        self.queue_b = Queue.objects.create(hall=self.hall, code="B", name="社会事务",
                                            window_kind=WindowKind.COMPREHENSIVE, order=2)
        self.windows, self.clerks = [], []
        for n in range(1, windows + 1):
            window = Window.objects.create(hall=self.hall, number=str(n), name=f"综合受理{n}",
                                           kind=WindowKind.COMPREHENSIVE)
            window.queues.add(self.queue_a, self.queue_b)
            clerk = UserFactory(username=f"{prefix}{n}")
            clerk.save()
            HallMember.objects.create(hall=self.hall, user=clerk, role=HallRole.CLERK)
            self.windows.append(window)
            self.clerks.append(clerk)
        self.window, self.clerk = self.windows[0], self.clerks[0]

    def sign_in(self, clerk, window, *, day: dt.date = DAY) -> WindowSession:
        Shift.objects.get_or_create(window=window, user=clerk, date=day)
        return WindowSession.objects.create(window=window, user=clerk, started_at=at(8, 30))

    def sign_in_all(self) -> None:
        for clerk, window in zip(self.clerks, self.windows, strict=True):
            self.sign_in(clerk, window)

    def stationed(self, item, queue=None, minutes: int = 15) -> HallItem:
        return HallItem.objects.create(hall=self.hall, item=item, queue=queue or self.queue_a,
                                       average_minutes=minutes)


def waiting_today(world: HallWorld, count: int, *, queue=None, **fields) -> list[Ticket]:
    """Tickets waiting now, written with the ORM (the pages and the stream run on the real clock,
    which the opening hours of the fixture need not cover)."""
    queue = queue or world.queue_a
    now, today = timezone.now(), timezone.localdate()
    start = Ticket.objects.filter(queue=queue, date=today).count()
    return [Ticket.objects.create(
        hall=world.hall, queue=queue, date=today, sequence=start + n + 1,
        number=f"{queue.code}{start + n + 1:03d}", channel=Channel.TERMINAL,
        access_key=f"key-{queue.pk}-{start + n + 1}", arrived_at=now - dt.timedelta(minutes=10 - n),
        taken_at=now, **fields) for n in range(count)]


def sign_in_today(clerk, window) -> WindowSession:
    Shift.objects.get_or_create(window=window, user=clerk, date=timezone.localdate())
    return WindowSession.objects.create(window=window, user=clerk, started_at=timezone.now())
