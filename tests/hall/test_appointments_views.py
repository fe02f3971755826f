"""The citizens' booking pages with the test client: the buttons on the guide and case pages,
choosing a slot, confirming, 我的预约 with code and QR, cancel and reschedule, refusals shown on
the page, and someone else's booking not found. ``timezone.now`` is pinned to Monday 2 March
2026, 07:30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.hall.appointments_world import MONDAY, HallWorld, at, t
from yiwang.cases import services as case_services
from yiwang.hall.models import Appointment, AppointmentStatus, Channel
from yiwang.hall.services import appointments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY, 7, 30))


@pytest.fixture
def world():
    return HallWorld()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_guide_page_offers_booking_only_where_a_hall_takes_it(world):
    page = text(Client().get(f"/items/{world.item.handling_code}/"))
    assert f'href="/appointments/items/{world.item.handling_code}/">预约办理</a>' in page
    world.hall_item.bookable = False
    world.hall_item.save()
    assert "预约办理" not in text(Client().get(f"/items/{world.item.handling_code}/"))


def test_choose_a_day_and_a_slot_then_confirm(world):
    client = client_of(world.user)
    page = text(client.get(f"/appointments/items/{world.item.handling_code}/",
                           {"date": "2026-03-03"}))
    assert "测试政务服务中心" in page and 'aria-current="date"' in page
    assert 'value="09:00"' in page and "余 2 个" in page

    confirm = client.get("/appointments/confirm/", {"hall_item": world.hall_item.pk,
                                                    "date": "2026-03-03", "start": "09:00"})
    assert "2026年3月3日 星期二 09:00–09:30" in text(confirm) and "确认预约" in text(confirm)
    assert not Appointment.objects.exists()

    done = client.post("/appointments/confirm/", {"hall_item": world.hall_item.pk,
                                                  "date": "2026-03-03", "start": "09:00"},
                       HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile/15E148")
    appointment = Appointment.objects.get()
    assert done.status_code == 302 and done.url == f"/appointments/{appointment.pk}/"
    assert appointment.channel == Channel.MOBILE

    detail = text(client.get(done.url))
    assert appointment.code in detail and "<svg" in detail and "改约" in detail
    mine = text(client.get("/appointments/"))
    assert appointment.code in mine and "已预约" in mine


def test_a_refused_booking_shows_the_reason_on_the_confirm_page(world):
    client = client_of(world.user)
    appointments.book(world.user, world.hall_item, MONDAY, t(9), channel=Channel.PC)
    answer = client.post("/appointments/confirm/", {"hall_item": world.hall_item.pk,
                                                    "date": "2026-03-03", "start": "10:00"})
    assert answer.status_code == 409
    assert 'data-code="appointment.duplicate"' in text(answer)
    assert Appointment.objects.count() == 1


def test_cancel_and_reschedule_pages(world):
    appointment = appointments.book(world.user, world.hall_item, MONDAY, t(9), channel=Channel.PC)
    client = client_of(world.user)
    assert "2026年3月2日" in text(client.get(f"/appointments/{appointment.pk}/reschedule/"))
    moved = client.post(f"/appointments/{appointment.pk}/reschedule/save/",
                        {"date": "2026-03-04", "start": "14:30"})
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.date, appointment.start) == (dt.date(2026, 3, 4), t(14, 30))

    full = client.post(f"/appointments/{appointment.pk}/reschedule/save/",
                       {"date": "2026-03-04", "start": "12:00"})
    assert full.status_code == 400 and "不在测试政务服务中心的预约时段内" in text(full)

    assert "确定取消" in text(client.get(f"/appointments/{appointment.pk}/cancel/"))
    client.post(f"/appointments/{appointment.pk}/cancel/")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_someone_elses_booking_does_not_exist(world):
    appointment = appointments.book(world.user, world.hall_item, MONDAY, t(9), channel=Channel.PC)
    stranger = client_of(world.other.user)
    assert stranger.get(f"/appointments/{appointment.pk}/").status_code == 404
    assert stranger.post(f"/appointments/{appointment.pk}/cancel/").status_code == 404
    assert appointment.code not in text(stranger.get("/appointments/"))
    assert Client().get("/appointments/").status_code == 302  # to the log-in page


def test_a_draft_offers_booking_and_the_booking_links_it(world):
    draft = case_services.start_application(world.user, world.item)
    client = client_of(world.user)
    page = text(client.get(f"/cases/{draft.pk}/"))
    link = f"/appointments/items/{world.item.handling_code}/?case={draft.pk}"
    assert f'href="{link}">预约到大厅办理</a>' in page
    assert "关联您的草稿" in text(client.get(link))
    client.post("/appointments/confirm/", {"hall_item": world.hall_item.pk, "date": "2026-03-03",
                                           "start": "09:00", "case": draft.pk})
    assert Appointment.objects.get().case == draft
    assert client_of(world.other.user).get(link).status_code == 404
