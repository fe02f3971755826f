"""Two 出件窗口 handing the same result over at once, on a real server database (SQLite's test
database lives in memory and cannot be shared between threads)."""

import pytest
from django.db import connection

from tests.concurrency import in_threads
from tests.hall.pickup_world import HallWorld, hall_user, sign_in
from yiwang.cases.models import CaseEvent, Status
from yiwang.common.errors import Conflict
from yiwang.hall.models import PickupStatus, ResultPickup, Window, WindowKind
from yiwang.hall.services import pickup as pickups
from yiwang.supervision.models import AuditRecord

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="需要可多线程共享的数据库（PostgreSQL 或 MariaDB）"),
]


def test_double_hand_over_at_once_hands_over_once():
    world = HallWorld()
    second = Window.objects.create(hall=world.hall, number="7", name="出件二", kind=WindowKind.PICKUP)
    colleague = hall_user(world.hall, "hall_pickup2")
    sign_in(colleague, second)
    case = world.certified()
    pickup = ResultPickup.objects.get(case=case)
    desks = [(world.pickup_clerk, world.counter), (colleague, second)]

    def hand_over(i):
        clerk, window = desks[i]
        return pickups.hand_over(clerk, window, pickup, recipient_name="王芳", code=pickup.code,
                                 contents=["决定书"]).handed_by_id

    results, errors = in_threads(2, hand_over)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict) and errors[0].code == "pickup.collected"
    pickup.refresh_from_db()
    case.refresh_from_db()
    assert pickup.status == PickupStatus.COLLECTED and pickup.handed_by_id == results[0]
    assert case.status == Status.DELIVERED
    assert CaseEvent.objects.filter(case=case, action="deliver").count() == 1
    assert AuditRecord.objects.filter(kind="hall.pickup_handed_over").count() == 1
