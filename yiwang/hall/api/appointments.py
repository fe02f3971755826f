"""预约 API for citizens (web, mobile app, third-party channels): where an item can be booked,
the open days and slots, book, list one's bookings, cancel and reschedule. Finding halls and
slots needs no sign-in; everything about a booking needs the holder's session (``django_auth``,
which also checks CSRF on unsafe methods). Someone else's booking does not exist (404). Every
refusal is a service's ``DomainError`` (``appointment.slot_full``, ``appointment.too_late`` …)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from yiwang.catalog.services import get_published_item
from yiwang.common.pagination import paginate
from yiwang.common.schemas import Id, PageNumber, PageSize

from ..models import AppointmentStatus, Channel
from ..services import appointments

router = Router(tags=["政务大厅：预约"], auth=django_auth)


class BookingHallOut(Schema):
    hall_item_id: int = Field(..., description="进驻事项编号（预约时传入）")
    hall_id: int
    hall_name: str
    address: str
    phone: str
    average_minutes: int


class BookingSlotOut(Schema):
    start: str = Field(..., description="开始时间 HH:MM")
    end: str
    capacity: int = Field(..., description="该时段可预约人数")
    free: int = Field(..., description="尚余名额")


class BookingDayOut(Schema):
    hall_item_id: int
    date: dt.date
    days: list[dt.date] = Field(..., description="可预约的日期")
    slots: list[BookingSlotOut]


class AppointmentSlotsQuery(Schema):
    hall_item_id: Id
    date: dt.date | None = Field(None, description="不填为最近的可预约日期")


class AppointmentBookIn(Schema):
    hall_item_id: Id
    date: dt.date
    start: dt.time = Field(..., description="时段开始时间，如 09:00")
    company_id: Id | None = Field(None, description="代表单位预约时的法人账号编号")
    case_id: Id | None = Field(None, description="关联的草稿或办件编号")


class AppointmentMoveIn(Schema):
    date: dt.date
    start: dt.time


class HallAppointmentOut(Schema):
    id: int
    code: str = Field(..., description="预约码，到大厅签到时出示")
    status: AppointmentStatus
    status_label: str
    hall_id: int
    hall_name: str
    hall_address: str
    item_name: str
    date: dt.date
    start: str
    end: str
    case_id: int | None
    company: str | None
    rescheduled: int
    changeable: bool = Field(..., description="是否仍可取消或改约（截止时间前）")


class HallAppointmentPage(Schema):
    items: list[HallAppointmentOut]
    total: int
    page: int
    page_size: int
    pages: int


class MyAppointmentsQuery(Schema):
    status: AppointmentStatus | None = None
    page: PageNumber = 1
    page_size: PageSize = 20


def appointment_out(appointment) -> dict:
    return {"id": appointment.pk, "code": appointment.code, "status": appointment.status,
            "status_label": appointment.get_status_display(), "hall_id": appointment.hall_id,
            "hall_name": appointment.hall.name, "hall_address": appointment.hall.address,
            "item_name": appointments.item_name(appointment.hall_item), "date": appointment.date,
            "start": f"{appointment.start:%H:%M}", "end": f"{appointment.end:%H:%M}",
            "case_id": appointment.case_id,
            "company": appointment.company.name if appointment.company_id else None,
            "rescheduled": appointment.rescheduled,
            "changeable": appointments.changeable(appointment)}


@router.get("/halls", response=list[BookingHallOut], auth=None,
            summary="可预约办理某事项的大厅（按事项业务办理项编码）")
def booking_halls(request, item_code: str):
    return [{"hall_item_id": h.pk, "hall_id": h.hall_id, "hall_name": h.hall.name,
             "address": h.hall.address, "phone": h.hall.phone, "average_minutes": h.average_minutes}
            for h in appointments.halls_for_item(get_published_item(item_code))]


@router.get("/slots", response=BookingDayOut, auth=None, summary="可预约日期和某日的时段")
def booking_slots(request, query: Query[AppointmentSlotsQuery]):
    hall_item = appointments.bookable_hall_item(query.hall_item_id)
    days = appointments.bookable_days(hall_item.hall)
    day = query.date or (days[0] if days else timezone.localdate())
    return {"hall_item_id": hall_item.pk, "date": day, "days": days,
            "slots": [{"start": f"{s.start:%H:%M}", "end": f"{s.end:%H:%M}",
                       "capacity": s.capacity, "free": s.free}
                      for s in appointments.slots(hall_item, day)]}


@router.post("", response={201: HallAppointmentOut}, summary="预约")
def book(request, payload: AppointmentBookIn):
    appointment = appointments.book_for(request.user, appointments.bookable_hall_item(payload.hall_item_id),
                                   payload.date, payload.start, channel=Channel.API,
                                   company_id=payload.company_id, case_id=payload.case_id)
    return 201, appointment_out(appointment)


@router.get("", response=HallAppointmentPage, summary="我的预约")
def my_appointments(request, query: Query[MyAppointmentsQuery]):
    mine = appointments.my_appointments(request.user)
    if query.status:
        mine = mine.filter(status=query.status)
    return paginate(mine, query.page, query.page_size).as_json(appointment_out)


@router.get("/{appointment_id}", response=HallAppointmentOut, summary="预约详情")
def my_appointment(request, appointment_id: Id):
    return appointment_out(appointments.my_appointment(request.user, appointment_id))


@router.post("/{appointment_id}/cancel", response=HallAppointmentOut, summary="取消预约（截止时间前）")
def cancel_appointment(request, appointment_id: Id):
    appointment = appointments.my_appointment(request.user, appointment_id)
    return appointment_out(appointments.cancel(request.user, appointment))


@router.post("/{appointment_id}/reschedule", response=HallAppointmentOut, summary="改约（截止时间前）")
def reschedule(request, appointment_id: Id, payload: AppointmentMoveIn):
    appointment = appointments.my_appointment(request.user, appointment_id)
    return appointment_out(appointments.reschedule(request.user, appointment, payload.date,
                                                   payload.start))
