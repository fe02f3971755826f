"""预约: citizens book a slot for an item at a hall, cancel or move it until the cut-off, check in
on the day (which takes a queue ticket), and lose the right to book for a while after too many
no-shows.

Slots (时段): every opening period of the day is cut into slots of ``SLOT_MINUTES`` from its
start (the last one shorter if the period does not divide). A slot offers the counter time of
the windows serving the item's queue: ``windows × slot length`` minutes. A booking uses the
item's average service time (``HallItem.average_minutes``), at most one slot's length, so a slot
of 30 minutes with 2 windows holds 2 × floor(30 / 15) = 4 people for a 15-minute item, 6 for a
10-minute one, 2 for a 45-minute one. Items of one queue share its windows, so the counter of a
slot (``SlotCounter``, one per queue, day and slot start) counts *booked minutes*, and each
item's number of places is what those minutes leave for it. Windows count while active
(``Window.active``): rosters are made day by day and cannot size bookings days ahead.

Horizon (可预约日期): today up to the ``booking_days_ahead``-th working day after today; inside
that, every day with opening hours is bookable (a Saturday with 延时服务 hours too), today only
while a slot has not started.

Serialisation: a booking locks the person's user row first (one active booking per person per
item, which a partial unique index cannot keep on MariaDB), then takes its minutes from the slot
counter with one upsert that holds the counter row's lock until commit — the same pattern as the
case counter, because an INSERT-or-UPDATE race on the first booking of a slot deadlocks on
MariaDB. Over-capacity rolls the whole booking back."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from yiwang.accounts.models import Company
from yiwang.accounts.services import act_as, citizen_of
from yiwang.calendar import workdays
from yiwang.cases import access as case_access
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.notify.services import notify_user
from yiwang.supervision.audit import record

from ..models import (
    Appointment,
    AppointmentStatus,
    BookingSuspension,
    HallItem,
    SlotCounter,
    Window,
)
from . import hours, tickets

SLOT_MINUTES = 30
CODE_DIGITS = 10  # digits only: terminals have a number pad
NO_SHOW_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Slot:
    """One bookable time slot; ``capacity`` and ``free`` are people for one item."""

    start: dt.time
    end: dt.time
    capacity: int
    free: int


def _local_now(now: dt.datetime | None) -> dt.datetime:
    return timezone.localtime(now or timezone.now())


def _at(day: dt.date, moment: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, moment))


def _format_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- days and slots -----------------------------------------------------------------------------


def last_bookable_day(hall, today: dt.date) -> dt.date:
    """The ``booking_days_ahead``-th working day after ``today``."""
    day, left = today, hall.booking_days_ahead
    while left > 0:
        day += dt.timedelta(days=1)
        if workdays.is_working_day(day, hall.region):
            left -= 1
    return day


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _grid(hall, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """The slots of ``day`` as (start, end), before capacities."""
    grid = []
    for opens, closes in hours.opening_periods(hall, day):
        start = dt.datetime.combine(day, opens)
        close = dt.datetime.combine(day, closes)
        while start < close:
            end = min(start + dt.timedelta(minutes=SLOT_MINUTES), close)
            grid.append((start.time(), end.time()))
            start = end
    return grid


def slot_end(hall, day: dt.date, start: dt.time) -> dt.time | None:
    """When the slot starting at ``start`` ends; None if no slot starts then."""
    return dict(_grid(hall, day)).get(start)


def _windows(hall_item: HallItem) -> int:
    return Window.objects.filter(hall_id=hall_item.hall_id, active=True,
                                 queues=hall_item.queue_id).count()


def _use(hall_item: HallItem, start: dt.time, end: dt.time) -> int:
    """Minutes of counter time one booking of the item uses in a slot."""
    return max(1, min(hall_item.average_minutes, _minutes(start, end)))


def _slot(hall_item, start, end, windows: int, booked: int) -> Slot:
    use = _use(hall_item, start, end)
    offered = windows * _minutes(start, end)
    return Slot(start=start, end=end, capacity=offered // use,
                free=max(0, offered - booked) // use)


def slots(hall_item: HallItem, day: dt.date, *, now: dt.datetime | None = None) -> list[Slot]:
    """The slots of ``day`` still ahead (today: those not started yet), with places for the item;
    empty on a closed day or when no window serves the item's queue."""
    local = _local_now(now)
    windows = _windows(hall_item)
    if not windows or day < local.date():
        return []
    booked = dict(SlotCounter.objects.filter(queue_id=hall_item.queue_id, date=day)
                  .values_list("start", "booked"))
    return [_slot(hall_item, start, end, windows, booked.get(start, 0))
            for start, end in _grid(hall_item.hall, day)
            if _at(day, start) > local]


def bookable_days(hall, *, today: dt.date | None = None,
                  now: dt.datetime | None = None) -> list[dt.date]:
    """The days a slot may be booked on (see the module's horizon rule)."""
    local = _local_now(now)
    today = today or local.date()
    days = []
    day = today
    last = last_bookable_day(hall, today)
    while day <= last:
        periods = hours.opening_periods(hall, day)
        if periods and (day > today or any(_at(day, s) > local for s, _ in _grid(hall, day))):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# --- rules shared by booking and moving a booking ------------------------------------------------


def bookable_item(hall_item: HallItem) -> HallItem:
    if not (hall_item.active and hall_item.bookable and hall_item.queue.active
            and hall_item.item.published_version_id):
        raise Conflict(f"“{hall_item.item}”在{hall_item.hall.name}不接受预约",
                       code="appointment.not_bookable")
    return hall_item


def active_suspension(user, today: dt.date) -> BookingSuspension | None:
    return (BookingSuspension.objects.filter(user=user, starts_on__lte=today, ends_on__gt=today)
            .order_by("-ends_on").first())


def _refuse_if_suspended(user, today: dt.date) -> None:
    suspension = active_suspension(user, today)
    if suspension is not None:
        raise PermissionDenied(
            f"您30日内爽约{suspension.no_shows}次，预约已暂停，"
            f"{_format_day(suspension.ends_on)}起可再次预约", code="appointment.suspended",
            details={"until": suspension.ends_on.isoformat()})


def _checked_slot(hall_item: HallItem, day: dt.date, start: dt.time,
                  local: dt.datetime) -> tuple[Slot, int]:
    """The slot starting at ``start`` on ``day`` and its capacity in minutes, or the reason it
    cannot be booked."""
    hall = hall_item.hall
    start = start.replace(tzinfo=None)  # a slot is in the hall's local time
    if day < local.date():
        raise ValidationError("不能预约已经过去的日期", code="appointment.slot_passed")
    last = last_bookable_day(hall, local.date())
    if day > last:
        raise ValidationError(f"最多可预约{hall.booking_days_ahead}个工作日内（{_format_day(last)}前）的时段",
                              code="appointment.too_far")
    if hours.is_public_holiday(hall, day):
        raise ValidationError(f"{_format_day(day)}是法定节假日，{hall.name}不办公",
                              code="appointment.holiday")
    grid = dict(_grid(hall, day))
    if start not in grid:
        periods = hours.format_periods(hours.opening_periods(hall, day))
        text = f"办公时间为{periods}，请选择其中的预约时段" if periods else "该日大厅不办公"
        raise ValidationError(f"{_format_day(day)} {start:%H:%M} 不在{hall.name}的预约时段内：{text}",
                              code="appointment.outside_hours")
    if _at(day, start) <= local:
        raise ValidationError("该时段已开始，请选择之后的时段", code="appointment.slot_passed")
    windows = _windows(hall_item)
    if not windows:
        raise Conflict("暂无窗口办理该事项，无法预约", code="appointment.not_bookable")
    end = grid[start]
    return _slot(hall_item, start, end, windows, 0), windows * _minutes(start, end)


def _take(hall_item: HallItem, day: dt.date, slot: Slot, offered: int) -> None:
    """Take one booking's minutes of the slot; ``appointment.slot_full`` if they are not there.
    Must run inside the booking's transaction: a refusal rolls the increment back."""
    use = _use(hall_item, slot.start, slot.end)
    quote = connection.ops.quote_name
    table, booked = quote(SlotCounter._meta.db_table), quote("booked")
    key = ", ".join(quote(column) for column in ("queue_id", "date", "start"))
    upsert = {
        "mysql": f"ON DUPLICATE KEY UPDATE {booked} = {booked} + %s",
    }.get(connection.vendor, f"ON CONFLICT ({key}) DO UPDATE SET {booked} = {table}.{booked} + %s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {booked}) VALUES (%s, %s, %s, %s) {upsert}",  # noqa: S608
            [hall_item.queue_id, connection.ops.adapt_datefield_value(day),
             connection.ops.adapt_timefield_value(slot.start), use, use])
    total = SlotCounter.objects.select_for_update().get(
        queue_id=hall_item.queue_id, date=day, start=slot.start).booked
    if total > offered:
        raise Conflict(f"{_format_day(day)} {slot.start:%H:%M} 的时段已约满，请选择其他时段",
                       code="appointment.slot_full")


def _release(appointment: Appointment) -> None:
    use = _use(appointment.hall_item, appointment.start, appointment.end)
    counter = SlotCounter.objects.select_for_update().filter(
        queue_id=appointment.hall_item.queue_id, date=appointment.date,
        start=appointment.start).first()
    if counter is not None:
        counter.booked = max(0, counter.booked - use)
        counter.save(update_fields=["booked"])


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        if not Appointment.objects.filter(code=code).exists():
            return code


def _linked_case(user, hall_item: HallItem, case, bundle_application):
    """A draft or case (or a 一件事 application) the booking is for: the applicant's own, for
    this item."""
    if case is not None:
        if not case_access.applicant_cases(user).filter(pk=case.pk).exists():
            raise NotFound("办件不存在", code="case.not_found")
        if case.item_id != hall_item.item_id:
            raise ValidationError("所选大厅事项与办件的事项不一致", code="appointment.case_mismatch")
    if bundle_application is not None and bundle_application.applicant_id != user.pk:
        raise NotFound("一件事申请不存在", code="bundle.not_found")


# --- finding what to book -----------------------------------------------------------------------


def item_name(hall_item: HallItem) -> str:
    version = hall_item.item.published_version
    return version.name if version is not None else str(hall_item.item)


def bookable_entries():
    return (HallItem.objects.filter(active=True, bookable=True, queue__active=True,
                                    item__published_version__isnull=False)
            .select_related("hall", "queue", "item__published_version"))


def halls_for_item(item) -> list[HallItem]:
    """The halls where ``item`` is stationed and bookable (选择大厅)."""
    return list(bookable_entries().filter(item=item).order_by("hall__region__code", "hall__name"))


def bookable_hall_item(pk: int) -> HallItem:
    hall_item = bookable_entries().filter(pk=pk).first()
    if hall_item is None:
        raise NotFound("该大厅不接受该事项的预约", code="appointment.not_bookable")
    return hall_item


def book_for(user, hall_item: HallItem, day: dt.date, start: dt.time, *, channel: str,
             company_id: int | None = None, case_id: int | None = None,
             now: dt.datetime | None = None) -> Appointment:
    """``book`` from the ids a page or the API receives: the case must be the user's own (else it
    does not exist), a 一件事 case links its application too."""
    case = case_access.applicant_case(user, case_id) if case_id is not None else None
    company = None
    if company_id is not None:
        company = Company.objects.filter(pk=company_id).first()
        if company is None:
            raise NotFound("法人账号不存在", code="company.not_found")
    elif case is not None:
        company = case.company
    return book(user, hall_item, day, start, channel=channel, company=company, case=case,
                bundle_application=case.bundle_application if case is not None else None, now=now)


def changeable(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    """Whether the holder may still cancel or move it (booked, before the cut-off)."""
    cutoff = (_at(appointment.date, appointment.start)
              - dt.timedelta(minutes=appointment.hall.booking_cutoff_minutes))
    return appointment.status == AppointmentStatus.BOOKED and _local_now(now) < cutoff


# --- booking ------------------------------------------------------------------------------------


def book(user, hall_item: HallItem, day: dt.date, start: dt.time, *, channel: str, company=None,
         case=None, bundle_application=None, now: dt.datetime | None = None) -> Appointment:
    """预约 a slot; see the module for the rules and the locks."""
    local = _local_now(now)
    actor = act_as(user, company.pk if company is not None else None,
                   item_code=hall_item.item.basic_code)
    bookable_item(hall_item)
    _linked_case(user, hall_item, case, bundle_application)
    slot, offered = _checked_slot(hall_item, day, start, local)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        _refuse_if_suspended(user, local.date())
        _refuse_duplicate(user, hall_item)
        _take(hall_item, day, slot, offered)
        appointment = Appointment.objects.create(
            code=_new_code(), hall=hall_item.hall, hall_item=hall_item, user=user,
            company=actor.company, case=case, bundle_application=bundle_application, date=day,
            start=slot.start, end=slot.end, channel=channel)
        record("appointment.booked", actor=user, subject=appointment,
               summary=f"预约{hall_item.hall.name}“{hall_item.item}” {day} {slot.start:%H:%M}",
               data={"hall": hall_item.hall_id, "item": hall_item.item_id, "date": str(day),
                     "start": f"{slot.start:%H:%M}", "channel": channel,
                     "case": case.pk if case is not None else None})
    return appointment


def _refuse_duplicate(user, hall_item: HallItem, *, moving: Appointment | None = None) -> None:
    existing = Appointment.objects.filter(user=user, hall_item__item_id=hall_item.item_id,
                                          status=AppointmentStatus.BOOKED)
    if moving is not None:
        existing = existing.exclude(pk=moving.pk)
    other = existing.select_related("hall").first()
    if other is not None:
        raise Conflict(f"您已预约{other.hall.name}{_format_day(other.date)} {other.start:%H:%M}"
                       f"办理该事项（预约码 {other.code}），如需更改请改约或取消",
                       code="appointment.duplicate")


def my_appointments(user):
    return (Appointment.objects.filter(user=user)
            .select_related("hall", "hall_item__item__published_version", "case")
            .order_by("-date", "-start", "-id"))


def my_appointment(user, pk: int) -> Appointment:
    appointment = my_appointments(user).filter(pk=pk).first()
    if appointment is None:
        raise NotFound("预约不存在", code="appointment.not_found")
    return appointment


def _locked_own(user, appointment: Appointment, local: dt.datetime) -> Appointment:
    """The booking locked for a change by its holder, before the cut-off."""
    # No select_related: FOR UPDATE would lock the joined hall's row too, and with it every
    # other booking of the hall.
    locked = Appointment.objects.select_for_update().filter(pk=appointment.pk, user=user).first()
    if locked is None:
        raise NotFound("预约不存在", code="appointment.not_found")
    if locked.status != AppointmentStatus.BOOKED:
        raise Conflict(f"该预约{locked.get_status_display()}，不能再更改",
                       code="appointment.not_active")
    cutoff = _at(locked.date, locked.start) - dt.timedelta(minutes=locked.hall.booking_cutoff_minutes)
    if local >= cutoff:
        raise Conflict(f"预约开始前{locked.hall.booking_cutoff_minutes}分钟内不能取消或改约"
                       f"（截止{timezone.localtime(cutoff):%m月%d日 %H:%M}）",
                       code="appointment.too_late")
    return locked


def cancel(user, appointment: Appointment, *, now: dt.datetime | None = None) -> Appointment:
    """取消预约 until ``booking_cutoff_minutes`` before the start; the place is given back."""
    local = _local_now(now)
    with transaction.atomic():
        locked = _locked_own(user, appointment, local)
        _release(locked)
        locked.status = AppointmentStatus.CANCELLED
        locked.cancelled_at = local
        locked.save(update_fields=["status", "cancelled_at"])
        record("appointment.cancelled", actor=user, subject=locked,
               summary=f"取消预约 {locked.date} {locked.start:%H:%M}",
               data={"date": str(locked.date), "start": f"{locked.start:%H:%M}"})
    return locked


def reschedule(user, appointment: Appointment, day: dt.date, start: dt.time, *,
               now: dt.datetime | None = None) -> Appointment:
    """改约 to another slot of the same item and hall, until the cut-off of the current one."""
    local = _local_now(now)
    hall_item = bookable_item(appointment.hall_item)
    slot, offered = _checked_slot(hall_item, day, start, local)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        locked = _locked_own(user, appointment, local)
        if (locked.date, locked.start) == (day, slot.start):
            raise ValidationError("新时段与原预约相同", code="appointment.unchanged")
        _refuse_if_suspended(user, local.date())
        before = (locked.date, locked.start)
        # Counters in slot order, whichever way the booking moves, so two people swapping slots
        # cannot deadlock; a refusal rolls the release back with the rest.
        if before < (day, slot.start):
            _release(locked)
            _take(hall_item, day, slot, offered)
        else:
            _take(hall_item, day, slot, offered)
            _release(locked)
        locked.date, locked.start, locked.end = day, slot.start, slot.end
        locked.rescheduled += 1
        locked.save(update_fields=["date", "start", "end", "rescheduled"])
        record("appointment.rescheduled", actor=user, subject=locked,
               summary=f"改约 {before[0]} {before[1]:%H:%M} → {day} {slot.start:%H:%M}",
               data={"from": f"{before[0]} {before[1]:%H:%M}", "to": f"{day} {slot.start:%H:%M}"})
    return locked


# --- on the day ---------------------------------------------------------------------------------


def check_in(code: str, *, hall, channel: str, terminal=None, clerk=None,
             now: dt.datetime | None = None):
    """预约签到: the booking becomes 已签到 and its holder gets a queue ticket (part C's
    ``take_ticket``, which also refuses a closed hall); both or neither happen."""

    local = _local_now(now)
    with transaction.atomic():
        appointment = (Appointment.objects.select_for_update()
                       .filter(code=(code or "").strip()).first())
        if appointment is None:
            raise NotFound("预约码不存在，请核对", code="appointment.not_found")
        if appointment.hall_id != hall.pk:
            raise Conflict(f"该预约在{appointment.hall.name}办理，不在本大厅",
                           code="appointment.wrong_hall")
        if appointment.status != AppointmentStatus.BOOKED:
            raise Conflict(f"该预约{appointment.get_status_display()}，不能签到",
                           code="appointment.used")
        if appointment.date != local.date():
            raise Conflict(f"该预约是{_format_day(appointment.date)}的，请当天前来签到",
                           code="appointment.wrong_day")
        appointment.status = AppointmentStatus.CHECKED_IN
        appointment.checked_in_at = local
        appointment.save(update_fields=["status", "checked_in_at"])
        citizen = citizen_of(appointment.user)
        ticket = tickets.take_ticket(
            appointment.hall, channel=channel, hall_item=appointment.hall_item,
            appointment=appointment, user=appointment.user,
            id_number=citizen.id_number if citizen else "", name=citizen.name if citizen else "",
            mobile=citizen.mobile if citizen else "", terminal=terminal, issued_by=clerk, now=now)
        record("appointment.checked_in", actor=clerk, subject=appointment,
               summary=f"预约签到，取号 {ticket.number}",
               data={"ticket": ticket.pk, "channel": channel,
                     "terminal": terminal.pk if terminal is not None else None})
    return ticket


def no_show_day(value: str | None = None) -> dt.date:
    """The day a no-show sweep handles: ``value`` (YYYY-MM-DD), by default yesterday (the sweep
    runs once a day, after the halls have closed)."""
    if not value:
        return timezone.localdate() - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError("日期格式应为 YYYY-MM-DD", code="appointment.bad_date") from None


def mark_no_shows(day: dt.date, *, now: dt.datetime | None = None) -> int:
    """爽约: bookings of ``day`` still 已预约 after their slot ended become 爽约; whoever reaches
    the hall's ``no_show_limit`` in the last 30 days is suspended from booking for its
    ``suspension_days`` (told by a message). Returns how many were marked; running it again
    marks none and suspends no one twice."""
    local = _local_now(now)
    marked = 0
    due = Appointment.objects.filter(date=day, status=AppointmentStatus.BOOKED)
    for pk, user_id in due.values_list("pk", "user_id"):
        with transaction.atomic():
            # The person first, as booking and rescheduling lock them: one lock order.
            get_user_model().objects.select_for_update().filter(pk=user_id).first()
            appointment = (Appointment.objects.select_for_update()
                           .filter(pk=pk, status=AppointmentStatus.BOOKED).first())
            if appointment is None or _at(appointment.date, appointment.end) > local:
                continue
            appointment.status = AppointmentStatus.NO_SHOW
            appointment.save(update_fields=["status"])
            record("appointment.no_show", subject=appointment, summary="预约未到（爽约）",
                   data={"date": str(appointment.date), "start": f"{appointment.start:%H:%M}"})
            _suspend_if_due(appointment, local.date())
            marked += 1
    return marked


def _suspend_if_due(appointment: Appointment, today: dt.date) -> None:
    """Runs with the person's row locked (``mark_no_shows``), so one suspension is made."""
    hall, user = appointment.hall, appointment.user
    since = today - dt.timedelta(days=NO_SHOW_WINDOW_DAYS)
    count = Appointment.objects.filter(user=user, hall=hall, status=AppointmentStatus.NO_SHOW,
                                       date__gt=since).count()
    if count < hall.no_show_limit or active_suspension(user, today) is not None:
        return
    ends = today + dt.timedelta(days=hall.suspension_days)
    suspension = BookingSuspension.objects.create(user=user, no_shows=count, starts_on=today,
                                                  ends_on=ends)
    record("appointment.suspended", subject=suspension,
           summary=f"30日内爽约{count}次，暂停预约至{ends}", data={"hall": hall.pk, "until": str(ends)})
    notify_user(user, "预约已暂停",
                f"您30日内在{hall.name}爽约{count}次，网上预约暂停至{_format_day(ends)}，"
                f"该日起可再次预约。")
