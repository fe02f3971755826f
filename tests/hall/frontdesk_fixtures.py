"""A hall for the front-desk tests: 长春-style 政务服务中心 with a 综合 window (window 1) where the
food licence of ``tests.cases.factories.World`` (市场监管 + 卫健 in parallel) is stationed, a
second hall, their clerks signed in, and the platform seal that signs 帮办代办 authorisations.
Window sessions are written directly, as part A's ``windows.sign_in`` would leave them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import citizen
from tests.cases.factories import World
from tests.factories import DepartmentFactory, UserFactory
from tests.seals.conftest import png
from yiwang.accounts.models import AssuranceLevel
from yiwang.hall.models import (
    Category,
    HallItem,
    HallMember,
    HallRole,
    Queue,
    Window,
    WindowKind,
    WindowSession,
)
from yiwang.orgs.models import ServiceHall
from yiwang.seals import services as seals
from yiwang.seals.models import SealKind


def user(username: str):
    made = UserFactory(username=username)
    made.save()
    return made


def sign_in(clerk, window: Window) -> WindowSession:
    return WindowSession.objects.create(window=window, user=clerk, started_at=timezone.now())


class Hall:
    def __init__(self, world: World):
        self.world = world
        self.hall = ServiceHall.objects.create(name="长春市政务服务中心", region=world.province,
                                               address="长春市人民大街1号")
        self.queue = Queue.objects.create(hall=self.hall, code="A", name="企业开办与经营",
                                          window_kind=WindowKind.COMPREHENSIVE,
                                          category=Category.ENTERPRISE)
        self.window = Window.objects.create(hall=self.hall, number="1", name="综合受理",
                                            kind=WindowKind.COMPREHENSIVE)
        self.window.queues.add(self.queue)
        self.pickup_window = Window.objects.create(hall=self.hall, number="8", name="出件",
                                                   kind=WindowKind.PICKUP)
        self.hall_item = HallItem.objects.create(hall=self.hall, item=world.item, queue=self.queue,
                                                 category=Category.ENTERPRISE)
        self.clerk = user("zx_clerk")
        HallMember.objects.create(hall=self.hall, user=self.clerk, role=HallRole.CLERK)
        self.session = sign_in(self.clerk, self.window)
        # Another hall with the same item and its own signed-in clerk.
        self.other_hall = ServiceHall.objects.create(name="吉林市政务服务中心", region=world.province,
                                                     address="吉林市")
        other_queue = Queue.objects.create(hall=self.other_hall, code="A", name="综合",
                                           window_kind=WindowKind.COMPREHENSIVE)
        self.other_window = Window.objects.create(hall=self.other_hall, number="1", name="综合",
                                                  kind=WindowKind.COMPREHENSIVE)
        self.other_item = HallItem.objects.create(hall=self.other_hall, item=world.item,
                                                  queue=other_queue)
        self.other_clerk = user("jl_clerk")
        HallMember.objects.create(hall=self.other_hall, user=self.other_clerk, role=HallRole.CLERK)
        sign_in(self.other_clerk, self.other_window)
        self.walk_in = citizen("李娜", level=AssuranceLevel.REGISTRY_VERIFIED)

    def seal(self):
        admin = UserFactory(username="platform_admin", is_superuser=True)
        department = DepartmentFactory(name="吉林省政务服务和数字化建设管理局", code="40",
                                       region=self.world.province)
        today = timezone.localdate()
        return seals.create_seal(department=department, name=SealKind.AUDIT.label,
                                 kind=SealKind.AUDIT, image=png(),
                                 valid_from=today - dt.timedelta(days=1),
                                 valid_until=today + dt.timedelta(days=365), actor=admin)


@pytest.fixture(name="hall")
def hall_fixture(db):
    return Hall(World())
