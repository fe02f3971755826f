"""The hall staff pages: the hall home with 签入/签出, and the configuration pages, which a
manager of another hall (or a clerk) cannot open or post to."""

import pytest
from django.urls import reverse
from django.utils import timezone

from yiwang.hall.models import HallMember, OpeningPeriod, Shift, Window, WindowSession

from .setup_world import build_world, roster


@pytest.fixture
def world(db):
    return build_world()


def page_urls(world) -> list[str]:
    hall = world.hall.pk
    shift = roster(world.comprehensive, world.clerk, day=timezone.localdate())
    member = HallMember.objects.get(hall=world.hall, user=world.clerk)
    return [reverse(name, args=args) for name, args in (
        ("hall:windows", [hall]), ("hall:window-edit", [hall, world.comprehensive.pk]),
        ("hall:queues", [hall]), ("hall:queue-edit", [hall, world.queue.pk]),
        ("hall:items", [hall]), ("hall:hours", [hall]), ("hall:roster", [hall]),
        ("hall:members", [hall]), ("hall:shift-remove", [hall, shift.pk]),
        ("hall:member-remove", [hall, member.pk]))]


def test_a_manager_of_another_hall_and_a_clerk_get_403_on_every_page_and_action(world, client):
    urls = page_urls(world)
    for user in (world.other_manager, world.clerk):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (403, 405), url
            assert client.post(url, {"number": "9", "name": "x", "kind": "pickup",
                                     "day_kind": "sunday", "periods": "09:00-12:00"}
                               ).status_code == 403, url
    assert Window.objects.filter(hall=world.hall).count() == 3
    assert Shift.objects.count() == 1 and HallMember.objects.filter(hall=world.hall).count() == 3
    assert not OpeningPeriod.objects.filter(day_kind="sunday").exists()


def test_the_manager_opens_every_page(world, client):
    client.force_login(world.manager)
    for url in page_urls(world)[:8]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "长春市政务服务中心 · 大厅配置" in response.content.decode()


def test_the_manager_adds_a_window_and_a_duplicate_number_is_shown_as_an_error(world, client):
    client.force_login(world.manager)
    url = reverse("hall:windows", args=[world.hall.pk])
    response = client.post(url, {"number": "5", "name": "综合受理", "kind": "comprehensive",
                                 "queues": [world.queue.pk], "active": "on"}, follow=True)
    assert "已添加5号窗口" in response.content.decode()
    assert list(world.hall.windows.get(number="5").queues.all()) == [world.queue]
    response = client.post(url, {"number": "5", "name": "又一个", "kind": "pickup"})
    assert response.status_code == 409
    assert "长春市政务服务中心已有5号窗口" in response.content.decode()


def test_hours_are_typed_as_text_and_a_bad_period_is_explained(world, client):
    client.force_login(world.manager)
    url = reverse("hall:hours", args=[world.hall.pk])
    response = client.post(url, {"day_kind": "sunday", "periods": "9:00-11:00、25:00-26:00"})
    assert response.status_code == 400
    assert "不是有效的时间" in response.content.decode()
    response = client.post(url, {"day_kind": "sunday", "periods": "09:00-11:00，13:00-15:30"})
    assert response.status_code == 302
    assert OpeningPeriod.objects.filter(hall=world.hall, day_kind="sunday").count() == 2
    assert "09:00–11:00、13:00–15:30" in client.get(url).content.decode()


def test_the_roster_page_assigns_a_clerk_by_user_name(world, client):
    client.force_login(world.manager)
    today = timezone.localdate()
    url = reverse("hall:roster", args=[world.hall.pk]) + f"?date={today.isoformat()}"
    response = client.post(url, {"window": world.second.pk, "username": "zx_clerk2"})
    assert response.status_code == 302
    assert Shift.objects.filter(window=world.second, user=world.clerk2, date=today).exists()
    response = client.post(url, {"window": world.specialised.pk, "username": "zx_clerk2"})
    assert response.status_code == 400
    assert "不能在4号窗口（公安服务）工作" in response.content.decode()


def test_a_clerk_signs_in_on_the_hall_home_and_out_again(world, client):
    roster(world.comprehensive, world.clerk, day=timezone.localdate())
    client.force_login(world.clerk)
    home = client.get(reverse("hall:home")).content.decode()
    assert "签入1号窗口" in home and "大厅配置" not in home
    response = client.post(reverse("hall:sign-in"), {"window": world.comprehensive.pk}, follow=True)
    page = response.content.decode()
    assert "已签入长春市政务服务中心1号窗口（综合受理）" in page and ">签出</button>" in page
    assert WindowSession.objects.get().ended_at is None
    response = client.post(reverse("hall:sign-out"), follow=True)
    assert "已签出窗口" in response.content.decode()
    assert WindowSession.objects.get().ended_at is not None


def test_a_clerk_of_another_hall_cannot_sign_in_here(world, client):
    roster(world.comprehensive, world.other_clerk, day=timezone.localdate())
    client.force_login(world.other_clerk)
    response = client.post(reverse("hall:sign-in"), {"window": world.comprehensive.pk}, follow=True)
    assert "您不能在长春市政务服务中心1号窗口（综合受理）工作" in response.content.decode()
    assert not WindowSession.objects.exists()


def test_hall_staff_see_the_hall_in_the_workbench_and_citizens_do_not_get_in(world, client):
    client.force_login(world.clerk)
    response = client.get("/workbench/")
    assert response.status_code == 200
    assert reverse("hall:home") in response.content.decode()
    client.logout()
    assert client.get(reverse("hall:home")).status_code == 302  # to the log-in page


def test_the_workbench_home_names_the_hall_role(world, client):
    client.force_login(world.manager)
    assert "您负责：长春市政务服务中心（大厅管理员）" in client.get("/workbench/").content.decode()


def test_the_hall_home_links_every_hall_page_and_only_managers_see_figures(world, client):
    hall = world.hall.pk
    everyone = [reverse("hall:calling"), reverse("hall:frontdesk"), reverse("hall:pickup"),
                reverse("hall_public:display", args=[hall]), reverse("hall_public:kiosk-home")]
    figures = f'{reverse("hall:figures")}?hall={hall}'
    client.force_login(world.clerk)
    home = client.get(reverse("hall:home")).content.decode()
    assert all(f'href="{url}"' in home for url in everyone) and figures not in home
    client.force_login(world.manager)
    home = client.get(reverse("hall:home")).content.decode()
    assert all(f'href="{url}"' in home for url in [*everyone, figures])
    assert client.get(figures).status_code == 200
