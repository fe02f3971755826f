"""Configuring a hall (大厅配置): windows, queues, stationed items (进驻事项), opening periods,
rosters (排班) and hall staff. Only the hall's 大厅管理员 may (``access.require_hall_role``,
which counts a 区域管理员 over the hall's region and a system administrator as one).

Every change locks the hall's row, so two managers editing the same hall take turns and the
uniqueness checks below (window numbers, queue codes) see each other's writes; every change is
audited with the hall as its subject."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from yiwang.catalog.models import ServiceItem
from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.orgs.models import Department, ServiceHall
from yiwang.supervision import audit

from ..access import can_work_window, require_hall_role
from ..models import (
    Category,
    DayKind,
    HallItem,
    HallMember,
    HallRole,
    OpeningPeriod,
    Queue,
    Shift,
    Window,
    WindowKind,
)
from . import hours

QUEUE_CODE = re.compile(r"[A-Z]{1,2}")
MAX_AVERAGE_MINUTES = 480
# How far ahead a roster may be written: a quarter is what halls plan.
MAX_ROSTER_DAYS = 92


def _locked_hall(actor, hall: ServiceHall) -> ServiceHall:
    require_hall_role(actor, hall, HallRole.MANAGER)
    return ServiceHall.objects.select_for_update().get(pk=hall.pk)


def _record(kind: str, actor, hall: ServiceHall, summary: str, **data) -> None:
    audit.record(f"hall.{kind}", actor=actor, subject=hall, summary=summary, data=data)


def _check_department(hall: ServiceHall, department: Department | None, kind: str) -> None:
    if kind != WindowKind.SPECIALISED:
        if department is not None:
            raise ValidationError("只有专业窗口属于一个部门", code="hall.department_not_allowed")
        return
    if department is None:
        raise ValidationError("专业窗口须选择所属部门", code="hall.department_required")
    here, there = hall.region.path, department.region.path
    if not (here.startswith(there) or there.startswith(here)):
        raise ValidationError(f"{department.name}不在{hall.name}所在区划，不能进驻",
                              code="hall.department_elsewhere")


# --- windows and queues ---------------------------------------------------------------------------


def save_window(actor, hall: ServiceHall, *, number: str, name: str, kind: str,
                department: Department | None = None, queues: Iterable[Queue] = (),
                active: bool = True, window: Window | None = None) -> Window:
    """Create a window of ``hall`` or, with ``window``, change it. A window serves queues of
    its own kind (a 专业窗口 those of its department)."""
    number, name = (number or "").strip(), (name or "").strip()
    if not number or not name:
        raise ValidationError("请填写窗口号和窗口名称", code="hall.window_incomplete")
    if kind not in WindowKind.values:
        raise ValidationError("窗口类别无效", code="hall.window_kind_invalid")
    queues = list(queues)
    with transaction.atomic():
        hall = _locked_hall(actor, hall)
        if window is not None and window.hall_id != hall.pk:
            raise NotFound("该窗口不属于本大厅", code="hall.window_not_found")
        _check_department(hall, department, kind)
        for queue in queues:
            if queue.hall_id != hall.pk:
                raise NotFound("该队列不属于本大厅", code="hall.queue_not_found")
            if queue.window_kind != kind or queue.department_id != (department and department.pk):
                raise ValidationError(f"队列“{queue}”不由这类窗口办理",
                                      code="hall.queue_kind_mismatch")
        taken = Window.objects.filter(hall=hall, number=number)
        if window is not None:
            taken = taken.exclude(pk=window.pk)
        if taken.exists():
            raise Conflict(f"{hall.name}已有{number}号窗口", code="hall.duplicate_window")
        window = window or Window(hall=hall)
        window.number, window.name, window.kind = number, name, kind
        window.department, window.active = department, active
        window.save()
        window.queues.set(queues)
        _record("window_saved", actor, hall, f"{window}：{window.get_kind_display()}",
                window=window.pk, queues=[q.code for q in queues], active=active)
    return window


def save_queue(actor, hall: ServiceHall, *, code: str, name: str, window_kind: str,
               category: str = "", department: Department | None = None, order: int = 0,
               active: bool = True, queue: Queue | None = None) -> Queue:
    """Create a queue of ``hall`` or, with ``queue``, change it. A 综合 queue has a category,
    a 专业 queue a department."""
    code, name = (code or "").strip().upper(), (name or "").strip()
    if not QUEUE_CODE.fullmatch(code):
        raise ValidationError("号段字母应为一到两个大写字母", code="hall.queue_code_invalid")
    if not name:
        raise ValidationError("请填写队列名称", code="hall.queue_incomplete")
    if window_kind not in WindowKind.values:
        raise ValidationError("窗口类别无效", code="hall.window_kind_invalid")
    if window_kind == WindowKind.COMPREHENSIVE and category not in Category.values:
        raise ValidationError("综合受理队列须选择分类", code="hall.category_required")
    if window_kind != WindowKind.COMPREHENSIVE:
        category = ""
    with transaction.atomic():
        hall = _locked_hall(actor, hall)
        if queue is not None and queue.hall_id != hall.pk:
            raise NotFound("该队列不属于本大厅", code="hall.queue_not_found")
        _check_department(hall, department, window_kind)
        taken = Queue.objects.filter(hall=hall, code=code)
        if queue is not None:
            taken = taken.exclude(pk=queue.pk)
        if taken.exists():
            raise Conflict(f"{hall.name}已有号段“{code}”", code="hall.duplicate_queue")
        queue = queue or Queue(hall=hall)
        queue.code, queue.name, queue.window_kind, queue.category = code, name, window_kind, category
        queue.department, queue.order, queue.active = department, order, active
        queue.save()
        _record("queue_saved", actor, hall, f"队列 {queue}", queue=queue.pk, active=active)
    return queue


# --- stationed items ------------------------------------------------------------------------------


def station_item(actor, hall: ServiceHall, item: ServiceItem, *, queue: Queue,
                 average_minutes: int = 15, bookable: bool = True,
                 active: bool = True) -> HallItem:
    """Station ``item`` in ``hall`` (进驻), taken by the windows of ``queue``; again for an item
    already stationed, change how."""
    if item.published_version_id is None:
        raise ValidationError("只有已发布的事项可以进驻大厅", code="hall.item_not_published")
    if not 1 <= average_minutes <= MAX_AVERAGE_MINUTES:
        raise ValidationError(f"平均办理时长应在 1 到 {MAX_AVERAGE_MINUTES} 分钟之间",
                              code="hall.average_minutes_invalid")
    with transaction.atomic():
        hall = _locked_hall(actor, hall)
        if queue.hall_id != hall.pk:
            raise NotFound("该队列不属于本大厅", code="hall.queue_not_found")
        if queue.window_kind == WindowKind.SPECIALISED and queue.department_id != item.department_id:
            raise ValidationError("专业窗口队列只办理本部门的事项", code="hall.queue_department_mismatch")
        entry, created = HallItem.objects.update_or_create(hall=hall, item=item, defaults={
            "queue": queue, "window_kind": queue.window_kind, "category": queue.category,
            "average_minutes": average_minutes, "bookable": bookable, "active": active})
        _record("item_stationed", actor, hall,
                f"{'进驻' if created else '修改进驻'}事项 {item.published_version.name}",
                item=item.pk, queue=queue.code, average_minutes=average_minutes,
                bookable=bookable, active=active)
    return entry


# --- opening periods ------------------------------------------------------------------------------


def set_opening_periods(actor, hall: ServiceHall, day_kind: str,
                        periods: Iterable[tuple[dt.time, dt.time]]) -> list[OpeningPeriod]:
    """Replace the periods ``hall`` opens on days of ``day_kind``; none means closed on them."""
    if day_kind not in DayKind.values:
        raise ValidationError("日期类别无效", code="hall.day_kind_invalid")
    periods = sorted(periods)
    for start, end in periods:
        if start >= end:
            raise ValidationError(f"{start:%H:%M}–{end:%H:%M}：开始时间应早于结束时间",
                                  code="hall.period_invalid")
    for (_, end), (start, _) in pairwise(periods):
        if start < end:
            raise ValidationError("办公时段不能重叠", code="hall.period_overlap")
    with transaction.atomic():
        hall = _locked_hall(actor, hall)
        OpeningPeriod.objects.filter(hall=hall, day_kind=day_kind).delete()
        rows = OpeningPeriod.objects.bulk_create(
            [OpeningPeriod(hall=hall, day_kind=day_kind, start=s, end=e) for s, e in periods])
        label = DayKind(day_kind).label
        _record("hours_set", actor, hall, f"{label}办公时间："
                + ("、".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in periods) or "不办公"),
                day_kind=day_kind, periods=[[f"{s:%H:%M}", f"{e:%H:%M}"] for s, e in periods])
    return rows


# --- rosters and staff ----------------------------------------------------------------------------


def assign_shifts(actor, window: Window, user, first: dt.date, last: dt.date | None = None, *,
                  today: dt.date | None = None) -> list[Shift]:
    """Roster ``user`` on ``window`` (排班) for ``first``, or for every day from ``first`` to
    ``last`` on which the hall opens; days already rostered keep their shift. All or nothing."""
    today = today or timezone.localdate()
    last = last or first
    if first < today:
        raise ValidationError("不能为已经过去的日期排班", code="hall.shift_in_past")
    if last < first:
        raise ValidationError("结束日期不能早于开始日期", code="hall.shift_range_invalid")
    if last > today + dt.timedelta(days=MAX_ROSTER_DAYS):
        raise ValidationError(f"排班最多提前 {MAX_ROSTER_DAYS} 天", code="hall.shift_too_far")
    with transaction.atomic():
        _locked_hall(actor, window.hall)
        if not can_work_window(user, window):
            raise ValidationError(f"{user.get_full_name() or user.username}不能在{window}工作"
                                  "（须为本大厅综合窗口人员，或专业窗口所属部门的窗口人员、受理员）",
                                  code="hall.cannot_work_window")
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        if last != first:
            days = [d for d in days if hours.opening_periods(window.hall, d)]
        shifts = []
        for day in days:
            shift, created = Shift.objects.get_or_create(window=window, user=user, date=day,
                                                         defaults={"created_by": actor})
            shifts.append(shift)
            if created:
                _record("shift_assigned", actor, window.hall, f"排班：{day:%Y-%m-%d} {window}",
                        window=window.pk, user=user.pk, date=day.isoformat())
    return shifts


def assign_shift(actor, window: Window, user, day: dt.date, *,
                 today: dt.date | None = None) -> Shift:
    """Roster ``user`` on ``window`` for ``day``; again for the same, the same shift."""
    return assign_shifts(actor, window, user, day, today=today)[0]


def remove_shift(actor, shift: Shift) -> None:
    """Take a shift off the roster (a session already started stays until signed out)."""
    window = shift.window
    with transaction.atomic():
        _locked_hall(actor, window.hall)
        deleted, _ = Shift.objects.filter(pk=shift.pk).delete()
        if deleted:
            _record("shift_removed", actor, window.hall,
                    f"取消排班：{shift.date:%Y-%m-%d} {window}",
                    window=window.pk, user=shift.user_id, date=shift.date.isoformat())


def add_member(actor, hall: ServiceHall, user, role: str) -> HallMember:
    if role not in HallRole.values:
        raise ValidationError("大厅角色无效", code="hall.role_invalid")
    with transaction.atomic():
        hall = _locked_hall(actor, hall)
        member, created = HallMember.objects.get_or_create(hall=hall, user=user, role=role)
        if created:
            _record("member_added", actor, hall, f"{user.username}：{member.get_role_display()}",
                    user=user.pk, role=role)
    return member


def remove_member(actor, member: HallMember) -> None:
    with transaction.atomic():
        hall = _locked_hall(actor, member.hall)
        if member.user_id == actor.pk and member.role == HallRole.MANAGER:
            raise Conflict("不能取消自己的大厅管理员角色", code="hall.self_demotion")
        HallMember.objects.filter(pk=member.pk).delete()
        _record("member_removed", actor, hall, f"{member.user.username}：{member.get_role_display()}",
                user=member.user_id, role=member.role)
