"""预约 pages for citizens (PC and phone, one responsive layout): from an item's guide page or a
draft/case page choose the hall, the day and the slot, confirm, and find the booking in 我的预约
with its code and QR code (shown at the hall's terminal or window), cancel or move it before the
cut-off. Each view parses the request, calls one service and renders or redirects; a refused
booking shows the service's message on the page it came from."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from yiwang.cases import access as case_access
from yiwang.catalog.services import get_published_item
from yiwang.common.errors import DomainError, ValidationError
from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors

from ..models import Channel
from ..services import appointments

LIST_PAGE_SIZE = 10


def citizen_page(view):
    return login_required(shows_domain_errors(view))


def _channel(request) -> str:
    agent = request.headers.get("User-Agent", "")
    return Channel.MOBILE if "Mobile" in agent or "Android" in agent else Channel.PC


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError("日期格式无效", code="appointment.bad_date") from None


def _time(value: str | None) -> dt.time:
    try:
        return dt.time.fromisoformat(value or "")
    except ValueError:
        raise ValidationError("请选择预约时段", code="appointment.bad_time") from None


def _int(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ValidationError("参数无效", code="request.invalid")
    return int(value)


def _picker(hall_item, day: dt.date | None, day_query: str = "") -> dict:
    """The days of the hall and the slots of the chosen (or first) day; ``day_query`` is what a
    day's link keeps of the page's query."""
    days = appointments.bookable_days(hall_item.hall)
    if day is None or day not in days:
        day = days[0] if days else None
    return {"hall_item": hall_item, "days": days, "day": day,
            "slots": appointments.slots(hall_item, day) if day else [],
            "cutoff": hall_item.hall.booking_cutoff_minutes, "day_query": day_query}


@citizen_page
def choose(request, code: str):
    """选择大厅、日期和时段. ``?case=`` carries the draft or case the booking is for."""
    item = get_published_item(code)
    case_id = _int(request.GET.get("case"))
    case = case_access.applicant_case(request.user, case_id) if case_id else None
    halls = appointments.halls_for_item(item)
    chosen = _int(request.GET.get("hall_item"))
    hall_item = next((h for h in halls if h.pk == chosen), halls[0] if len(halls) == 1 else None)
    context = {"item": item, "version": item.published_version, "halls": halls, "case": case}
    if hall_item is not None:
        query = f"hall_item={hall_item.pk}&" + (f"case={case.pk}&" if case else "")
        context.update(_picker(hall_item, _day(request.GET.get("date")), query))
    return render(request, "hall/appointments/choose.html", context)


@citizen_page
def confirm(request):
    """确认预约 (GET: what will be booked; POST: book it)."""
    params = request.POST if request.method == "POST" else request.GET
    hall_item = appointments.bookable_hall_item(_int(params.get("hall_item")) or 0)
    day, start = _day(params.get("date")), _time(params.get("start"))
    if day is None:
        raise ValidationError("请选择预约日期", code="appointment.bad_date")
    case_id = _int(params.get("case"))
    case = case_access.applicant_case(request.user, case_id) if case_id else None
    context = {"hall_item": hall_item, "day": day, "start": start, "case": case,
               "end": appointments.slot_end(hall_item.hall, day, start),
               "item_name": appointments.item_name(hall_item)}
    if request.method == "POST":
        try:
            appointment = appointments.book_for(request.user, hall_item, day, start,
                                                channel=_channel(request), case_id=case_id)
        except DomainError as error:
            return render(request, "hall/appointments/confirm.html", {**context, "error": error},
                          status=error.status)
        messages.success(request, f"预约成功，预约码 {appointment.code}")
        return redirect("hall_public:appointment", pk=appointment.pk)
    return render(request, "hall/appointments/confirm.html", context)


@citizen_page
def mine(request):
    """我的预约."""
    page = paginate(appointments.my_appointments(request.user), request.GET.get("page"),
                    LIST_PAGE_SIZE)
    now = timezone.now()
    rows = [(a, appointments.changeable(a, now=now)) for a in page.items]
    return render(request, "hall/appointments/mine.html", {"page": page, "rows": rows})


def _qr(code: str) -> str:
    return mark_safe(segno.make(code, error="m").svg_inline(scale=5, omitsize=True))  # noqa: S308 — segno's own SVG of a digit string


@citizen_page
def detail(request, pk: int):
    appointment = appointments.my_appointment(request.user, pk)
    return render(request, "hall/appointments/detail.html", {
        "appointment": appointment, "item_name": appointments.item_name(appointment.hall_item),
        "qr": _qr(appointment.code), "changeable": appointments.changeable(appointment)})


@citizen_page
def cancel(request, pk: int):
    """取消预约, after a confirmation page."""
    appointment = appointments.my_appointment(request.user, pk)
    context = {"appointment": appointment, "item_name": appointments.item_name(appointment.hall_item)}
    if request.method == "POST":
        try:
            appointments.cancel(request.user, appointment)
        except DomainError as error:
            return render(request, "hall/appointments/cancel.html", {**context, "error": error},
                          status=error.status)
        messages.success(request, "预约已取消")
        return redirect("hall_public:appointment", pk=appointment.pk)
    return render(request, "hall/appointments/cancel.html", context)


@citizen_page
def reschedule(request, pk: int):
    """改约: the same picker on the booking's hall and item."""
    appointment = appointments.my_appointment(request.user, pk)
    hall_item = appointments.bookable_item(appointment.hall_item)
    context = {"appointment": appointment, "item_name": appointments.item_name(hall_item),
               **_picker(hall_item, _day(request.GET.get("date")) or appointment.date)}
    return render(request, "hall/appointments/reschedule.html", context)


@citizen_page
@require_POST
def reschedule_to(request, pk: int):
    appointment = appointments.my_appointment(request.user, pk)
    day, start = _day(request.POST.get("date")), _time(request.POST.get("start"))
    try:
        if day is None:
            raise ValidationError("请选择预约日期", code="appointment.bad_date")
        appointments.reschedule(request.user, appointment, day, start)
    except DomainError as error:
        context = {"appointment": appointment, "error": error,
                   "item_name": appointments.item_name(appointment.hall_item),
                   **_picker(appointment.hall_item, day or appointment.date)}
        return render(request, "hall/appointments/reschedule.html", context, status=error.status)
    messages.success(request, f"已改约到{day:%Y-%m-%d} {start:%H:%M}")
    return redirect("hall_public:appointment", pk=appointment.pk)


public_urlpatterns = [
    path("appointments/", mine, name="appointments"),
    path("appointments/items/<str:code>/", choose, name="appointment-choose"),
    path("appointments/confirm/", confirm, name="appointment-confirm"),
    path("appointments/<int:pk>/", detail, name="appointment"),
    path("appointments/<int:pk>/cancel/", cancel, name="appointment-cancel"),
    path("appointments/<int:pk>/reschedule/", reschedule, name="appointment-reschedule"),
    path("appointments/<int:pk>/reschedule/save/", reschedule_to,
         name="appointment-reschedule-save"),
]
