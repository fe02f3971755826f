"""Hall staff pages: the hall home (/workbench/hall/) with the clerk's 签入窗口/签出, and the
manager's configuration pages — windows, queues, stationed items, opening hours, roster (排班)
and hall staff. Each page finds the hall among the user's (a manager of another hall gets 403)
and calls one service of ``services.setup`` or ``services.windows``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError
from yiwang.common.pagination import paginate
from yiwang.orgs.models import ServiceHall
from yiwang.workbench.views import any_staff_required

from .. import access
from ..models import (
    DayKind,
    HallItem,
    HallMember,
    HallRole,
    Shift,
    Window,
    WindowKind,
)
from ..services import hours, setup, windows
from ..setup_forms import (
    ItemFilterForm,
    MemberForm,
    QueueForm,
    ShiftForm,
    StationForm,
    WindowForm,
    parse_periods,
)

TABS = (("windows", "窗口"), ("queues", "排队队列"), ("items", "进驻事项"), ("hours", "办公时间"),
        ("roster", "排班"), ("members", "大厅人员"))


def manager_page(view):
    """The hall of the URL, for its 大厅管理员 only (403 for anyone else, 404 if no such hall)."""

    @any_staff_required
    @wraps(view)
    def wrapper(request, hall_id: int, *args, **kwargs):
        hall = get_object_or_404(ServiceHall.objects.select_related("region"), pk=hall_id)
        if not access.has_hall_role(request.user, hall, HallRole.MANAGER):
            raise PermissionDenied(f"您不是{hall.name}的大厅管理员")
        return view(request, hall, *args, **kwargs)

    return wrapper


def _attempt(request, action: Callable, success: str) -> int:
    """Run a service call from a POST: 0 and a success message, or the error's status and its
    message on the page."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return exc.status
    messages.success(request, success)
    return 0


def _page(request, hall, tab: str, template: str, context: dict, status: int = 200):
    return render(request, f"hall/setup/{template}", {
        "hall": hall, "tabs": TABS, "tab": tab, **context}, status=status or 200)


def _invalid(request, form) -> int:
    messages.error(request, "请检查填写的内容")
    return 400


def _submit(request, form, action: Callable[[dict], object], success: Callable[[dict], str]) -> int:
    """A configuration form's POST: 200 when there is none, 0 once ``action`` (given the form's
    cleaned data) succeeded and ``success`` was said (the caller redirects), else the status to
    show the form again with."""
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return _invalid(request, form)
    return _attempt(request, lambda: action(form.cleaned_data), success(form.cleaned_data))


# --- hall home and window sign-in -----------------------------------------------------------------


@any_staff_required
def home(request):
    """The halls the user works in or manages; for each, today's hours and which windows are
    open; the user's own window (签入/签出)."""
    now = timezone.now()
    today = timezone.localdate(now)
    user = request.user
    halls = list(access.working_halls(user).select_related("region"))
    open_sessions = windows.open_sessions(now).select_related("user")
    cards = []
    for hall in halls:
        roles = access.hall_roles(user, hall)
        hall_windows = list(hall.windows.filter(active=True).prefetch_related(
            Prefetch("sessions", queryset=open_sessions, to_attr="open_sessions")))
        cards.append({
            "hall": hall,
            "roles": [HallRole(r).label for r in sorted(roles)],
            "manager": HallRole.MANAGER in roles,
            "hours": hours.format_periods(hours.opening_periods(hall, today)),
            "windows": hall_windows,
        })
    shifts = (Shift.objects.filter(user=user, date=today, window__active=True,
                                   window__hall__in=halls)
              .select_related("window", "window__hall").order_by("window__hall_id", "window__number"))
    return render(request, "hall/setup/home.html", {
        "cards": cards, "session": windows.current_session(user, now=now),
        "shifts": [s for s in shifts if access.can_work_window(user, s.window)],
        "today": today,
    })


@any_staff_required
@require_POST
def sign_in(request):
    window = Window.objects.filter(pk=_int(request.POST.get("window"))).select_related("hall").first()
    if window is None:
        raise Http404("没有这个窗口")
    _attempt(request, lambda: windows.sign_in(request.user, window),
             f"已签入{window.hall.name}{window}")
    return redirect("hall:home")


@any_staff_required
@require_POST
def sign_out(request):
    _attempt(request, lambda: windows.sign_out(request.user), "已签出窗口")
    return redirect("hall:home")


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 10 else 0


# --- windows and queues ---------------------------------------------------------------------------


def _window_fields(data: dict) -> dict:
    return {"number": data["number"], "name": data["name"], "kind": data["kind"],
            "department": data["department"], "queues": data["queues"], "active": data["active"]}


@manager_page
def window_list(request, hall):
    form = WindowForm(request.POST or None, hall=hall, initial={"kind": WindowKind.COMPREHENSIVE})
    status = _submit(request, form, lambda data: setup.save_window(request.user, hall,
                                                                   **_window_fields(data)),
                     lambda data: f"已添加{data['number']}号窗口")
    if not status:
        return redirect("hall:windows", hall.pk)
    rows = (hall.windows.select_related("department").prefetch_related("queues")
            .order_by("number"))
    return _page(request, hall, "windows", "windows.html", {"windows": rows, "form": form},
                 status)


@manager_page
def window_edit(request, hall, window_id: int):
    window = get_object_or_404(hall.windows, pk=window_id)
    initial = {"number": window.number, "name": window.name, "kind": window.kind,
               "department": window.department_id, "queues": list(window.queues.all()),
               "active": window.active}
    form = WindowForm(request.POST or None, hall=hall, initial=initial)
    status = _submit(request, form, lambda data: setup.save_window(
        request.user, hall, window=window, **_window_fields(data)), lambda data: f"已保存{window}")
    if not status:
        return redirect("hall:windows", hall.pk)
    return _page(request, hall, "windows", "edit.html",
                 {"form": form, "heading": f"修改{window}"}, status)


def _queue_fields(data: dict) -> dict:
    return {key: data[key] for key in ("code", "name", "window_kind", "category", "department",
                                       "order", "active")}


@manager_page
def queue_list(request, hall):
    form = QueueForm(request.POST or None, hall=hall, initial={"window_kind": WindowKind.COMPREHENSIVE})
    status = _submit(request, form, lambda data: setup.save_queue(request.user, hall,
                                                                  **_queue_fields(data)),
                     lambda data: f"已添加队列 {data['code'].upper()}")
    if not status:
        return redirect("hall:queues", hall.pk)
    rows = hall.queues.select_related("department").prefetch_related("windows")
    return _page(request, hall, "queues", "queues.html", {"queues": rows, "form": form}, status)


@manager_page
def queue_edit(request, hall, queue_id: int):
    queue = get_object_or_404(hall.queues, pk=queue_id)
    initial = {key: getattr(queue, key) for key in ("code", "name", "window_kind", "category",
                                                    "order", "active")}
    form = QueueForm(request.POST or None, hall=hall,
                     initial={**initial, "department": queue.department_id})
    status = _submit(request, form, lambda data: setup.save_queue(
        request.user, hall, queue=queue, **_queue_fields(data)),
        lambda data: f"已保存队列 {queue.code}")
    if not status:
        return redirect("hall:queues", hall.pk)
    return _page(request, hall, "queues", "edit.html",
                 {"form": form, "heading": f"修改队列 {queue}"}, status)


# --- stationed items ------------------------------------------------------------------------------


def _station(request, hall, form, success: str) -> int:
    return _submit(request, form, lambda data: setup.station_item(
        request.user, hall, data["implementation_code"], queue=data["queue"],
        average_minutes=data["average_minutes"], bookable=data["bookable"],
        active=data["active"]), lambda data: success)


@manager_page
def item_list(request, hall):
    form = StationForm(request.POST or None, hall=hall)
    status = _station(request, hall, form, "事项已进驻")
    if not status:
        return redirect("hall:items", hall.pk)
    filters = ItemFilterForm(request.GET, hall=hall)
    entries = (HallItem.objects.filter(hall=hall)
               .select_related("item__published_version", "item__department", "queue")
               .order_by("queue__order", "queue__code", "item__implementation_code"))
    page = None
    if filters.is_valid():
        if filters.cleaned_data["q"]:
            entries = entries.filter(item__published_version__name__contains=filters.cleaned_data["q"])
        if filters.cleaned_data["queue"]:
            entries = entries.filter(queue=filters.cleaned_data["queue"])
        try:
            page = paginate(entries, filters.cleaned_data["page"] or 1, 30)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
    else:
        status = 400
    return _page(request, hall, "items", "items.html",
                 {"form": form, "filters": filters, "page": page}, status)


@manager_page
def item_edit(request, hall, entry_id: int):
    entry = get_object_or_404(HallItem.objects.filter(hall=hall).select_related(
        "item__published_version"), pk=entry_id)
    form = StationForm(request.POST or None, hall=hall, initial={
        "implementation_code": entry.item.implementation_code, "queue": entry.queue_id,
        "average_minutes": entry.average_minutes, "bookable": entry.bookable,
        "active": entry.active})
    status = _station(request, hall, form, "已保存进驻事项")
    if not status:
        return redirect("hall:items", hall.pk)
    name = entry.item.published_version.name if entry.item.published_version else entry.item
    return _page(request, hall, "items", "edit.html",
                 {"form": form, "heading": f"修改进驻事项：{name}"}, status)


# --- opening hours --------------------------------------------------------------------------------


@manager_page
def hours_page(request, hall):
    """The periods of each kind of day, written as “08:30-11:30、13:00-17:00”."""
    current = {kind: [] for kind in DayKind.values}
    for period in hall.opening_periods.order_by("start"):
        current[period.day_kind].append((period.start, period.end))
    status, typed, errors = 200, {}, {}
    if request.method == "POST":
        kind, text = request.POST.get("day_kind", ""), request.POST.get("periods", "")
        try:
            periods = parse_periods(text)
        except forms.ValidationError as exc:
            errors[kind], status = exc.messages[0], 400
        else:
            label = DayKind(kind).label if kind in DayKind.values else ""
            status = _attempt(request, lambda: setup.set_opening_periods(
                request.user, hall, kind, periods), f"已保存{label}办公时间")
            if not status:
                return redirect("hall:hours", hall.pk)
        typed[kind] = text
    today = timezone.localdate()
    kinds = [{"value": value, "label": label,
              "text": typed.get(value, hours.format_periods(current[value])),
              "error": errors.get(value, "")} for value, label in DayKind.choices]
    upcoming = [(hours.describe_day(day),
                 hours.format_periods(hours.opening_periods(hall, day)) or "不办公")
                for day in (today + dt.timedelta(days=n) for n in range(14))]
    return _page(request, hall, "hours", "hours.html", {"kinds": kinds, "upcoming": upcoming},
                 status)


# --- roster ----------------------------------------------------------------------------------------


def _chosen_day(request, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        return today


@manager_page
def roster(request, hall):
    """排班 of one day: each window and who works it; add (for a day or a run of days) and
    remove shifts."""
    today = timezone.localdate()
    day = _chosen_day(request, today)
    form = ShiftForm(request.POST or None, hall=hall)
    status = _submit(request, form, lambda data: setup.assign_shifts(
        request.user, data["window"], data["username"], day, data["until"] or day),
        lambda data: f"已为 {data['username'].username} 排班：{data['window']}，{day:%Y-%m-%d}"
        + (f" 至 {data['until']:%Y-%m-%d}" if data["until"] and data["until"] != day else ""))
    if not status:
        return redirect(f"{request.path}?date={day.isoformat()}")
    shifts = Shift.objects.filter(date=day).select_related("user")
    rows = hall.windows.filter(active=True).prefetch_related(
        Prefetch("shifts", queryset=shifts, to_attr="today_shifts")).order_by("number")
    return _page(request, hall, "roster", "roster.html", {
        "form": form, "windows": rows, "day": day, "today": today,
        "day_label": hours.describe_day(day),
        "day_hours": hours.format_periods(hours.opening_periods(hall, day)) or "不办公",
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1)}, status)


@manager_page
@require_POST
def shift_remove(request, hall, shift_id: int):
    shift = get_object_or_404(Shift.objects.filter(window__hall=hall).select_related("window",
                                                                                     "user"),
                              pk=shift_id)
    _attempt(request, lambda: setup.remove_shift(request.user, shift),
             f"已取消 {shift.user.username} {shift.date:%Y-%m-%d} 在{shift.window}的排班")
    return redirect(f"{reverse('hall:roster', args=[hall.pk])}?date={shift.date.isoformat()}")


# --- hall staff ------------------------------------------------------------------------------------


@manager_page
def members(request, hall):
    form = MemberForm(request.POST or None)
    status = _submit(request, form, lambda data: setup.add_member(request.user, hall,
                                                                  data["username"], data["role"]),
                     lambda data: f"已授予 {data['username'].username} {HallRole(data['role']).label}")
    if not status:
        return redirect("hall:members", hall.pk)
    rows = (HallMember.objects.filter(hall=hall).select_related("user")
            .order_by("role", "user__username"))
    return _page(request, hall, "members", "members.html", {"form": form, "members": rows},
                 status)


@manager_page
@require_POST
def member_remove(request, hall, member_id: int):
    member = get_object_or_404(HallMember.objects.filter(hall=hall).select_related("user"),
                               pk=member_id)
    _attempt(request, lambda: setup.remove_member(request.user, member),
             f"已取消 {member.user.username} 的{member.get_role_display()}角色")
    return redirect("hall:members", hall.pk)


urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", sign_in, name="sign-in"),
    path("sign-out/", sign_out, name="sign-out"),
    path("<int:hall_id>/windows/", window_list, name="windows"),
    path("<int:hall_id>/windows/<int:window_id>/", window_edit, name="window-edit"),
    path("<int:hall_id>/queues/", queue_list, name="queues"),
    path("<int:hall_id>/queues/<int:queue_id>/", queue_edit, name="queue-edit"),
    path("<int:hall_id>/items/", item_list, name="items"),
    path("<int:hall_id>/items/<int:entry_id>/", item_edit, name="item-edit"),
    path("<int:hall_id>/hours/", hours_page, name="hours"),
    path("<int:hall_id>/roster/", roster, name="roster"),
    path("<int:hall_id>/roster/<int:shift_id>/remove/", shift_remove, name="shift-remove"),
    path("<int:hall_id>/members/", members, name="members"),
    path("<int:hall_id>/members/<int:member_id>/remove/", member_remove, name="member-remove"),
]
