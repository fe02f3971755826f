"""A small hall for the booking tests: 测试政务服务中心 with workday hours 08:30–11:30 and
13:00–17:00, Saturday 09:00–12:00, one 综合 queue A served by one window, and 居民身份证换领
stationed there at 15 minutes a case. Times are pinned: ``MONDAY`` is Monday 2 March 2026, a
working day the calendar package knows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.accounts.factories import citizen
from tests.factories import DepartmentFactory, RegionFactory
from tests.portal.factories import publish_item
from yiwang.hall.models import Category, DayKind, HallItem, OpeningPeriod, Queue, Window, WindowKind
from yiwang.orgs.models import ServiceHall

MONDAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


class HallWorld:
    def __init__(self, *, windows: int = 1, average_minutes: int = 15):
        self.region = RegionFactory()
        self.department = DepartmentFactory(region=self.region, name="吉林省公安厅")
        self.item = publish_item(self.department)
        self.hall = self.new_hall("测试政务服务中心")
        self.queue = Queue.objects.create(hall=self.hall, code="A", name="社会事务",
                                          window_kind=WindowKind.COMPREHENSIVE,
                                          category=Category.SOCIAL)
        self.windows = [self.window(str(n)) for n in range(1, windows + 1)]
        self.hall_item = HallItem.objects.create(hall=self.hall, item=self.item, queue=self.queue,
                                                 category=Category.SOCIAL,
                                                 average_minutes=average_minutes)
        self.person = citizen("张伟")
        self.other = citizen("李娜")

    @property
    def user(self):
        return self.person.user

    def new_hall(self, name: str) -> ServiceHall:
        hall = ServiceHall.objects.create(name=name, region=self.region, address="人民大街 1 号",
                                          booking_days_ahead=5, booking_cutoff_minutes=60,
                                          no_show_limit=3, suspension_days=30)
        for kind, start, end in ((DayKind.WORKDAY, t(8, 30), t(11, 30)),
                                 (DayKind.WORKDAY, t(13), t(17)),
                                 (DayKind.SATURDAY, t(9), t(12))):
            OpeningPeriod.objects.create(hall=hall, day_kind=kind, start=start, end=end)
        return hall

    def window(self, number: str, hall: ServiceHall | None = None, queue: Queue | None = None):
        window = Window.objects.create(hall=hall or self.hall, number=number, name="综合受理",
                                       kind=WindowKind.COMPREHENSIVE)
        window.queues.add(queue or self.queue)
        return window

    def second_hall(self) -> HallItem:
        """The same item stationed in another hall."""
        hall = self.new_hall("第二政务服务中心")
        queue = Queue.objects.create(hall=hall, code="A", name="社会事务",
                                     window_kind=WindowKind.COMPREHENSIVE)
        self.window("1", hall=hall, queue=queue)
        return HallItem.objects.create(hall=hall, item=self.item, queue=queue)
