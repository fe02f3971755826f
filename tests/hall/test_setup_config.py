"""Configuring a hall: only its managers, every change checked and audited."""

import datetime as dt

import pytest

from tests.factories import guide_data
from tests.portal.factories import publish_item
from yiwang.catalog.models import ServiceItem
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.hall.models import DayKind, HallItem, HallMember, HallRole, OpeningPeriod, Shift, WindowKind
from yiwang.hall.services import setup
from yiwang.supervision.models import AuditRecord

from .setup_world import MONDAY, build_world, roster

T = dt.time


def other_code(code: str) -> str:
    """The same code with its last digit changed: another item's, of the same length."""
    return code[:-1] + ("1" if code[-1] == "0" else "0")


@pytest.fixture
def world(db):
    return build_world()


def test_a_manager_adds_a_window_serving_a_queue_and_it_is_audited(world):
    window = setup.save_window(world.manager, world.hall, number="5", name="综合受理",
                               kind=WindowKind.COMPREHENSIVE, queues=[world.queue])
    assert list(window.queues.all()) == [world.queue]
    record = AuditRecord.objects.get(kind="hall.window_saved")
    assert record.actor_id == world.manager.pk and "5号窗口" in record.summary
    setup.save_window(world.manager, world.hall, window=window, number="5", name="综合受理（暂停）",
                      kind=WindowKind.COMPREHENSIVE, active=False)
    window.refresh_from_db()
    assert (window.name, window.active, window.queues.count()) == ("综合受理（暂停）", False, 0)


def test_window_numbers_are_unique_and_specialised_windows_need_their_department(world):
    with pytest.raises(Conflict) as caught:
        setup.save_window(world.manager, world.hall, number="1", name="重复", kind=WindowKind.PICKUP)
    assert caught.value.code == "hall.duplicate_window"
    with pytest.raises(ValidationError) as caught:
        setup.save_window(world.manager, world.hall, number="6", name="公安",
                          kind=WindowKind.SPECIALISED)
    assert caught.value.code == "hall.department_required"
    with pytest.raises(ValidationError) as caught:
        setup.save_window(world.manager, world.hall, number="6", name="出件",
                          kind=WindowKind.PICKUP, queues=[world.queue])
    assert caught.value.code == "hall.queue_kind_mismatch"
    assert world.hall.windows.count() == 3


def test_queues_have_a_code_and_a_category_or_department(world):
    queue = setup.save_queue(world.manager, world.hall, code="b", name="社会事务",
                             window_kind=WindowKind.COMPREHENSIVE, category="social")
    assert queue.code == "B"
    for code, kwargs, error in (
            ("A", {"window_kind": WindowKind.COMPREHENSIVE, "category": "social"}, "hall.duplicate_queue"),
            ("A1", {"window_kind": WindowKind.PICKUP}, "hall.queue_code_invalid"),
            ("D", {"window_kind": WindowKind.COMPREHENSIVE}, "hall.category_required"),
            ("D", {"window_kind": WindowKind.SPECIALISED}, "hall.department_required")):
        with pytest.raises((Conflict, ValidationError)) as caught:
            setup.save_queue(world.manager, world.hall, code=code, name="x", **kwargs)
        assert caught.value.code == error
    police = setup.save_queue(world.manager, world.hall, code="C", name="公安服务",
                              window_kind=WindowKind.SPECIALISED, department=world.police,
                              category="social")
    assert police.category == ""  # only 综合 queues have a category


def test_only_published_items_are_stationed_and_a_second_time_changes_them(world):
    item = publish_item(world.police, **guide_data(name="居民身份证换领"))
    entry = setup.station_item(world.manager, world.hall, item, queue=world.queue,
                               average_minutes=20)
    assert (entry.queue, entry.average_minutes, entry.category) == (world.queue, 20, "enterprise")
    setup.station_item(world.manager, world.hall, item, queue=world.queue, average_minutes=10,
                       bookable=False)
    entry.refresh_from_db()
    assert (entry.average_minutes, entry.bookable) == (10, False)
    assert HallItem.objects.count() == 1
    draft = ServiceItem.objects.create(
        basic_code=item.basic_code, implementation_code=other_code(item.implementation_code),
        handling_code=other_code(item.handling_code), item_type=item.item_type,
        level=item.level, department=item.department, region=item.region)
    with pytest.raises(ValidationError) as caught:
        setup.station_item(world.manager, world.hall, draft, queue=world.queue)
    assert caught.value.code == "hall.item_not_published"
    with pytest.raises(ValidationError) as caught:
        setup.station_item(world.manager, world.hall, item, queue=world.queue, average_minutes=0)
    assert caught.value.code == "hall.average_minutes_invalid"


def test_opening_periods_are_replaced_per_kind_of_day_and_may_not_overlap(world):
    setup.set_opening_periods(world.manager, world.hall, DayKind.SATURDAY,
                              [(T(13), T(16)), (T(9), T(12))])
    assert list(OpeningPeriod.objects.filter(hall=world.hall, day_kind=DayKind.SATURDAY)
                .order_by("start").values_list("start", "end")) == [(T(9), T(12)), (T(13), T(16))]
    for periods, code in (([(T(9), T(12)), (T(11), T(14))], "hall.period_overlap"),
                          ([(T(12), T(9))], "hall.period_invalid")):
        with pytest.raises(ValidationError) as caught:
            setup.set_opening_periods(world.manager, world.hall, DayKind.SATURDAY, periods)
        assert caught.value.code == code
    assert OpeningPeriod.objects.filter(hall=world.hall, day_kind=DayKind.SATURDAY).count() == 2
    setup.set_opening_periods(world.manager, world.hall, DayKind.SATURDAY, [])
    assert not OpeningPeriod.objects.filter(hall=world.hall, day_kind=DayKind.SATURDAY).exists()
    assert "周六（非节假日）办公时间：不办公" in AuditRecord.objects.filter(
        kind="hall.hours_set").last().summary


def test_a_run_of_shifts_skips_the_days_the_hall_is_closed(world):
    friday = dt.date(2026, 12, 11)
    shifts = setup.assign_shifts(world.manager, world.comprehensive, world.clerk, friday,
                                 friday + dt.timedelta(days=3), today=MONDAY)
    # Friday, Saturday (延时服务) and Monday; Sunday has no opening periods.
    assert [s.date for s in shifts] == [friday, dt.date(2026, 12, 12), dt.date(2026, 12, 14)]
    again = setup.assign_shift(world.manager, world.comprehensive, world.clerk, friday, today=MONDAY)
    assert again == shifts[0] and Shift.objects.count() == 3
    assert AuditRecord.objects.filter(kind="hall.shift_assigned").count() == 3
    setup.remove_shift(world.manager, again)
    assert Shift.objects.count() == 2


def test_shifts_only_for_who_may_work_the_window_and_not_in_the_past(world):
    with pytest.raises(ValidationError) as caught:
        setup.assign_shift(world.manager, world.specialised, world.clerk, MONDAY, today=MONDAY)
    assert caught.value.code == "hall.cannot_work_window"
    with pytest.raises(ValidationError) as caught:
        setup.assign_shift(world.manager, world.comprehensive, world.other_clerk, MONDAY, today=MONDAY)
    assert caught.value.code == "hall.cannot_work_window"
    with pytest.raises(ValidationError) as caught:
        setup.assign_shift(world.manager, world.comprehensive, world.clerk,
                           MONDAY - dt.timedelta(days=1), today=MONDAY)
    assert caught.value.code == "hall.shift_in_past"
    assert setup.assign_shift(world.manager, world.specialised, world.acceptor, MONDAY, today=MONDAY)


def test_members_are_added_and_removed_but_a_manager_keeps_their_own_role(world):
    member = setup.add_member(world.manager, world.hall, world.other_clerk, HallRole.PROXY)
    assert HallMember.objects.filter(hall=world.hall, user=world.other_clerk).exists()
    setup.remove_member(world.manager, member)
    assert not HallMember.objects.filter(hall=world.hall, user=world.other_clerk).exists()
    own = HallMember.objects.get(hall=world.hall, user=world.manager)
    with pytest.raises(Conflict):
        setup.remove_member(world.manager, own)


def test_a_manager_of_another_hall_and_a_clerk_are_refused_every_change(world):
    item = publish_item(world.police, **guide_data(name="居民身份证换领"))
    shift = roster(world.comprehensive, world.clerk)
    member = HallMember.objects.get(hall=world.hall, user=world.clerk)
    actions = [
        lambda u: setup.save_window(u, world.hall, number="7", name="x", kind=WindowKind.PICKUP),
        lambda u: setup.save_window(u, world.hall, window=world.comprehensive, number="1",
                                    name="x", kind=WindowKind.COMPREHENSIVE),
        lambda u: setup.save_queue(u, world.hall, code="Q", name="出件", window_kind=WindowKind.PICKUP),
        lambda u: setup.station_item(u, world.hall, item, queue=world.queue),
        lambda u: setup.set_opening_periods(u, world.hall, DayKind.SUNDAY, [(T(9), T(12))]),
        lambda u: setup.assign_shift(u, world.second, world.clerk2, MONDAY, today=MONDAY),
        lambda u: setup.remove_shift(u, shift),
        lambda u: setup.add_member(u, world.hall, world.other_clerk, HallRole.CLERK),
        lambda u: setup.remove_member(u, member),
    ]
    before = AuditRecord.objects.count()
    for user in (world.other_manager, world.clerk):
        for action in actions:
            with pytest.raises(PermissionDenied) as caught:
                action(user)
            assert caught.value.code == "permission.hall_role_required"
    assert AuditRecord.objects.count() == before
    assert Shift.objects.count() == 1 and world.hall.windows.count() == 3


def test_a_window_of_another_hall_is_not_found(world):
    with pytest.raises(NotFound):
        setup.save_window(world.manager, world.hall, window=world.other_window, number="1",
                          name="x", kind=WindowKind.COMPREHENSIVE)
