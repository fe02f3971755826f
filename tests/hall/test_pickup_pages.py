"""The 出件窗口 page and the pick-up notice on the citizen's case page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.hall.pickup_world import HallWorld, hall_user, sign_in
from yiwang.cases.models import Status
from yiwang.hall.models import PickupStatus, ResultPickup, Window, WindowKind, WindowSession
from yiwang.orgs.models import ServiceHall

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return HallWorld()


def test_the_pickup_page_lists_what_waits_masked_and_finds_by_code(world, client):
    case = world.certified()
    pickup = ResultPickup.objects.get(case=case)
    client.force_login(world.pickup_clerk)
    page = client.get(reverse("hall:pickup")).content.decode()
    assert "8号窗口（出件）" in page and case.number in page and "王*" in page
    assert "王芳" not in page and pickup.code not in page  # the code is the applicant's proof
    found = client.post(reverse("hall:pickup"), {"code": pickup.code}).content.decode()
    assert reverse("hall:pickup-hand-over", args=[pickup.pk]) in found
    missing = client.post(reverse("hall:pickup"), {"code": "x"})
    assert missing.status_code == 404 and "没有找到待领取的办理结果" in missing.content.decode()


def test_hand_over_on_the_page_records_delivery(world, client):
    case = world.certified()
    pickup = ResultPickup.objects.get(case=case)
    client.force_login(world.pickup_clerk)
    url = reverse("hall:pickup-hand-over", args=[pickup.pk])
    assert "食品经营许可证（纸质打印件）" in client.get(url).content.decode()
    wrong = client.post(url, {"proof": "id_number", "id_number": world.stranger.id_number,
                              "recipient_name": "王芳", "contents": "决定书"})
    assert wrong.status_code == 400 and "证件号码与申请人不符" in wrong.content.decode()
    done = client.post(url, {"proof": "id_number", "id_number": world.applicant.id_number,
                             "recipient_name": "王芳", "contents": "决定书\n食品经营许可证"})
    assert done.status_code == 302
    pickup.refresh_from_db()
    case.refresh_from_db()
    assert pickup.status == PickupStatus.COLLECTED and pickup.contents == ["决定书", "食品经营许可证"]
    assert case.status == Status.DELIVERED


def test_the_page_needs_a_signed_in_pickup_window(world, client):
    WindowSession.objects.filter(user=world.pickup_clerk).update(ended_at=timezone.now())
    client.force_login(world.pickup_clerk)
    response = client.get(reverse("hall:pickup"))
    assert response.status_code == 403 and "您没有签入出件窗口" in response.content.decode()
    client.force_login(world.clerk)  # signed in, but at a 综合窗口
    assert client.get(reverse("hall:pickup")).status_code == 403


def test_another_halls_clerk_cannot_open_a_pickup(world, client):
    pickup = ResultPickup.objects.get(case=world.certified())
    other = ServiceHall.objects.create(name="吉林市政务服务中心", region=world.province, address="吉林市")
    stranger = hall_user(other, "other_pickup")
    sign_in(stranger, Window.objects.create(hall=other, number="8", name="出件",
                                            kind=WindowKind.PICKUP))
    client.force_login(stranger)
    url = reverse("hall:pickup-hand-over", args=[pickup.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"proof": "code", "code": pickup.code, "recipient_name": "王芳",
                             "contents": "决定书"}).status_code == 404
    assert world.certified().number not in client.get(reverse("hall:pickup")).content.decode()
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.READY


def test_the_citizens_case_page_shows_code_and_place(world, client):
    case = world.certified()
    pickup = ResultPickup.objects.get(case=case)
    client.force_login(world.user)
    page = client.get(reverse("portal:case-detail", args=[case.pk])).content.decode()
    notice = f'待领取：取件码 <span class="code">{pickup.code}</span>，地点 吉林省政务服务中心8号出件窗口'
    assert notice in page
    ResultPickup.objects.filter(pk=pickup.pk).update(status=PickupStatus.COLLECTED)
    assert "待领取：取件码" not in client.get(reverse("portal:case-detail", args=[case.pk])).content.decode()
