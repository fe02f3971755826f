"""统一出件 through the services: the pick-up made at 制证, the hand-over that completes 送达, and
every way a hand-over is refused with nothing written."""

import re

import pytest
from django.utils import timezone

from tests.hall.pickup_world import HallWorld, hall_user, sign_in
from yiwang.cases.models import CaseEvent, DeliveryMethod, Status, TaskKind, TaskStatus
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.hall.models import PickupStatus, ResultPickup, Window, WindowKind, WindowSession
from yiwang.hall.services import pickup as pickups
from yiwang.notify.models import Message
from yiwang.orgs.models import ServiceHall
from yiwang.supervision.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return HallWorld()


def _hand_over(world, pickup, *, clerk=None, window=None, **proof):
    return pickups.hand_over(clerk or world.pickup_clerk, window or world.counter, pickup,
                             recipient_name="王芳", contents=["食品经营许可证（纸质打印件）"],
                             **proof)


def _unchanged(pickup):
    pickup.refresh_from_db()
    pickup.case.refresh_from_db()
    assert pickup.status == PickupStatus.READY and pickup.handed_by is None
    assert pickup.case.status == Status.CERTIFIED
    assert not AuditRecord.objects.filter(kind="hall.pickup_handed_over").exists()


def test_certifying_a_window_case_makes_a_pickup_and_tells_the_code_and_place(world):
    case = world.certified()
    pickup = ResultPickup.objects.get(case=case)
    assert pickup.hall == world.hall and pickup.status == PickupStatus.READY
    assert re.fullmatch(r"\d{6}", pickup.code)
    assert pickup.contents == ["决定书", "食品经营许可证（纸质打印件）"]
    message = Message.objects.get(user=world.user, channel="inbox", subject="办理结果待领取")
    assert pickup.code in message.body
    assert "吉林省政务服务中心8号出件窗口（长春市人民大街1号）" in message.body
    assert AuditRecord.objects.filter(kind="hall.pickup_ready", subject_id=str(pickup.pk)).exists()
    # The 送达 task is the hall clerk's to finish now.
    deliver = case.tasks.get(kind=TaskKind.DELIVER)
    assert deliver.status == TaskStatus.OPEN
    assert pickups.waiting_for_applicant(case) == pickup


def test_an_online_delivery_case_gets_no_pickup(world):
    case = world.certified(delivery_method=DeliveryMethod.ONLINE)
    assert not ResultPickup.objects.filter(case=case).exists()


def test_the_pickup_waits_where_the_case_was_taken_in(world):
    other = ServiceHall.objects.create(name="长春市政务服务中心", region=world.province,
                                       address="长春市")
    desk = Window.objects.create(hall=other, number="3", name="综合", kind=WindowKind.COMPREHENSIVE)
    case = world.certified(taken_in_at=desk)
    assert ResultPickup.objects.get(case=case).hall == other


def test_pickup_codes_are_unique_per_hall(world, monkeypatch):
    first = ResultPickup.objects.get(case=world.certified())
    codes = iter([first.code, first.code, "424242"])
    monkeypatch.setattr(pickups, "_new_code", lambda: next(codes))
    second = ResultPickup.objects.get(case=world.certified(applicant=world.stranger.user))
    assert second.code == "424242"


def test_hand_over_by_id_number_records_it_and_completes_delivery(world):
    case = world.certified()
    pickup = ResultPickup.objects.get(case=case)
    moment = timezone.now()
    _hand_over(world, pickup, id_number=world.applicant.id_number.lower(), now=moment)
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.COLLECTED and pickup.collected_at == moment
    assert pickup.handed_by == world.pickup_clerk and pickup.window == world.counter
    assert pickup.recipient_name == "王芳" and pickup.proof == "id_number"
    assert pickup.recipient_id_number == world.applicant.id_number
    assert pickup.contents == ["食品经营许可证（纸质打印件）"]
    case.refresh_from_db()
    assert case.status == Status.DELIVERED and case.closed_at is not None
    event = case.events.get(action="deliver")
    assert event.actor == world.pickup_clerk and event.data == {"method": "窗口领取"}
    assert "8号出件窗口领取，领取人王*（核对本人证件）" in event.reason
    audit = AuditRecord.objects.get(kind="hall.pickup_handed_over")
    assert audit.data["recipient_id_number"] != world.applicant.id_number  # masked in the log
    assert Message.objects.filter(user=world.user, subject="办理结果已送达").exists()
    assert not pickups.waiting(world.hall).exists()


def test_hand_over_by_pickup_code(world):
    pickup = ResultPickup.objects.get(case=world.certified())
    _hand_over(world, pickup, code=pickup.code)
    pickup.refresh_from_db()
    assert pickup.proof == "pickup_code" and pickup.recipient_id_number == ""


def test_wrong_code_is_refused(world):
    pickup = ResultPickup.objects.get(case=world.certified())
    wrong = f"{(int(pickup.code) + 1) % 1000000:06d}"
    with pytest.raises(ValidationError) as caught:
        _hand_over(world, pickup, code=wrong)
    assert caught.value.code == "pickup.wrong_code"
    _unchanged(pickup)


def test_wrong_id_number_is_refused(world):
    pickup = ResultPickup.objects.get(case=world.certified())
    with pytest.raises(ValidationError) as caught:
        _hand_over(world, pickup, id_number=world.stranger.id_number)
    assert caught.value.code == "pickup.wrong_id_number"
    _unchanged(pickup)


def test_no_proof_and_no_contents_are_refused(world):
    pickup = ResultPickup.objects.get(case=world.certified())
    with pytest.raises(ValidationError) as caught:
        _hand_over(world, pickup)
    assert caught.value.code == "pickup.proof_required"
    with pytest.raises(ValidationError) as caught:
        pickups.hand_over(world.pickup_clerk, world.counter, pickup, recipient_name="王芳",
                          code=pickup.code, contents=["  "])
    assert caught.value.code == "pickup.contents_required"
    _unchanged(pickup)


def test_already_collected_is_refused(world):
    pickup = ResultPickup.objects.get(case=world.certified())
    _hand_over(world, pickup, code=pickup.code)
    with pytest.raises(Conflict) as caught:
        _hand_over(world, pickup, code=pickup.code)
    assert caught.value.code == "pickup.collected"
    assert CaseEvent.objects.filter(case=pickup.case, action="deliver").count() == 1


def test_clerk_of_another_hall_is_refused(world):
    other = ServiceHall.objects.create(name="吉林市政务服务中心", region=world.province, address="吉林市")
    counter = Window.objects.create(hall=other, number="8", name="出件", kind=WindowKind.PICKUP)
    stranger = hall_user(other, "other_pickup")
    sign_in(stranger, counter)
    pickup = ResultPickup.objects.get(case=world.certified())
    with pytest.raises(PermissionDenied) as caught:
        _hand_over(world, pickup, clerk=stranger, window=counter, code=pickup.code)
    assert caught.value.code == "permission.hall_role_required"
    with pytest.raises(PermissionDenied):
        pickups.find(stranger, world.hall, code=pickup.code)
    # At their own hall the other hall's pick-ups are not there to be found.
    with pytest.raises(NotFound):
        pickups.find(stranger, other, code=pickup.code)
    _unchanged(pickup)


def test_department_staff_without_a_hall_role_are_refused(world):
    pickup = ResultPickup.objects.get(case=world.certified())
    sign_in(world.acceptor, Window.objects.create(hall=world.hall, number="9", name="出件二",
                                                  kind=WindowKind.PICKUP))
    with pytest.raises(PermissionDenied):
        _hand_over(world, pickup, clerk=world.acceptor, code=pickup.code)
    _unchanged(pickup)


def test_clerk_not_at_a_pickup_window_is_refused(world):
    pickup = ResultPickup.objects.get(case=world.certified())
    with pytest.raises(PermissionDenied) as caught:
        _hand_over(world, pickup, clerk=world.clerk, window=world.desk, code=pickup.code)
    assert caught.value.code == "pickup.not_pickup_window"
    # Signed in at the 综合窗口, not at the 出件窗口 they name.
    with pytest.raises(PermissionDenied) as caught:
        _hand_over(world, pickup, clerk=world.clerk, code=pickup.code)
    assert caught.value.code == "hall.not_signed_in"
    WindowSession.objects.filter(user=world.pickup_clerk).update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied) as caught:
        _hand_over(world, pickup, code=pickup.code)
    assert caught.value.code == "hall.not_signed_in"
    assert pickups.signed_in_pickup_window(world.pickup_clerk) is None
    _unchanged(pickup)


def test_find_by_code_or_applicant_id_number(world):
    mine = ResultPickup.objects.get(case=world.certified())
    theirs = ResultPickup.objects.get(case=world.certified(applicant=world.stranger.user))
    assert pickups.find(world.pickup_clerk, world.hall, code=mine.code) == [mine]
    assert pickups.find(world.pickup_clerk, world.hall,
                        id_number=world.stranger.id_number) == [theirs]
    assert list(pickups.waiting(world.hall)) == [mine, theirs]
    with pytest.raises(NotFound):
        pickups.find(world.pickup_clerk, world.hall, code="000000" if mine.code != "000000" else "1")
    with pytest.raises(ValidationError):
        pickups.find(world.pickup_clerk, world.hall)
