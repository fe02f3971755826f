"""The booking API: halls and slots without signing in; booking, my bookings, cancel and
reschedule for the holder only; refusals with their codes. The API runs on the clock, so
``timezone.now`` is pinned to Monday 2 March 2026, 07:30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.hall.appointments_world import MONDAY, HallWorld, at
from yiwang.hall.models import Appointment, AppointmentStatus, SlotCounter

pytestmark = pytest.mark.django_db

API = "/api/hall/appointments"
TUESDAY = MONDAY + dt.timedelta(days=1)


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


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return body


def test_halls_and_slots_need_no_sign_in(world):
    halls = Client().get(f"{API}/halls", {"item_code": world.item.handling_code}).json()
    assert [(h["hall_name"], h["hall_item_id"]) for h in halls] == [("测试政务服务中心", world.hall_item.pk)]
    answer = Client().get(f"{API}/slots", {"hall_item_id": world.hall_item.pk}).json()
    assert answer["date"] == "2026-03-02"
    assert answer["days"][:2] == ["2026-03-02", "2026-03-03"]
    assert answer["slots"][0] == {"start": "08:30", "end": "09:00", "capacity": 2, "free": 2}
    assert len(answer["slots"]) == 14


def test_book_list_reschedule_and_cancel(world):
    client = client_of(world.user)
    created = client.post(API, {"hall_item_id": world.hall_item.pk, "date": "2026-03-03",
                                "start": "09:30"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["start"], body["end"], body["changeable"]) == (
        "booked", "09:30", "10:00", True)
    assert Appointment.objects.get(pk=body["id"]).channel == "api"

    mine = client.get(API).json()
    assert mine["total"] == 1 and mine["items"][0]["code"] == body["code"]

    moved = client.post(f"{API}/{body['id']}/reschedule", {"date": "2026-03-04", "start": "14:00"},
                        content_type="application/json").json()
    assert (moved["date"], moved["start"], moved["rescheduled"]) == ("2026-03-04", "14:00", 1)

    cancelled = client.post(f"{API}/{body['id']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["changeable"] is False
    assert set(SlotCounter.objects.values_list("booked", flat=True)) == {0}


def test_refusals_keep_their_codes(world):
    client = client_of(world.user)

    def post(**payload):
        return client.post(API, {"hall_item_id": world.hall_item.pk, **payload},
                           content_type="application/json")

    refused(post(date="2026-03-03", start="12:00"), 400, "appointment.outside_hours")
    refused(post(date="2026-03-20", start="09:00"), 400, "appointment.too_far")
    assert post(date="2026-03-03", start="09:00").status_code == 201
    refused(post(date="2026-03-03", start="10:00"), 409, "appointment.duplicate")
    refused(client.post(API, {"hall_item_id": 10**12, "date": "2026-03-03", "start": "09:00"},
                        content_type="application/json"), 404, "appointment.not_bookable")
    assert Appointment.objects.count() == 1


def test_a_booking_is_the_holders_only(world):
    appointment = client_of(world.user).post(
        API, {"hall_item_id": world.hall_item.pk, "date": "2026-03-03", "start": "09:00"},
        content_type="application/json").json()
    stranger = client_of(world.other.user)
    refused(stranger.get(f"{API}/{appointment['id']}"), 404, "appointment.not_found")
    refused(stranger.post(f"{API}/{appointment['id']}/cancel"), 404, "appointment.not_found")
    assert stranger.get(API).json()["total"] == 0
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    assert Client().get(API).status_code == 401


def test_a_booking_from_a_case_links_it_and_someone_elses_case_does_not_exist(world):
    from yiwang.cases import services as case_services

    case = case_services.start_application(world.user, world.item)
    client = client_of(world.user)
    body = client.post(API, {"hall_item_id": world.hall_item.pk, "date": "2026-03-03",
                             "start": "09:00", "case_id": case.pk},
                       content_type="application/json").json()
    assert body["case_id"] == case.pk
    other = client_of(world.other.user)
    refused(other.post(API, {"hall_item_id": world.hall_item.pk, "date": "2026-03-03",
                             "start": "10:00", "case_id": case.pk},
                       content_type="application/json"), 404, "case.not_found")
