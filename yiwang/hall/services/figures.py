"""Hall figures (大厅运行指标) per hall, window, item and day: tickets, average and p90 wait and
service time, no-shows, bookings used and the 一窗受理 share. What the staff page draws and
what the supervision dashboards call.

Definitions:
- tickets: queue tickets of the day, not counting the 转窗 ones (the ticket they became counts);
- wait: ``called_at - arrived_at`` of every called ticket (a transferred ticket keeps its first
  arrival, so its wait runs across the transfer); service: ``finished_at - started_at`` of every
  ticket finished (完成); in minutes;
- p90: nearest rank — the smallest value that at least 90 % of the values do not exceed;
- no-shows and bookings used: appointments of the day that ended 爽约 / were checked in
  (已签到), against all bookings of the day that were not cancelled;
- 一窗受理 share: cases accepted at a 综合受理窗口 ÷ cases accepted at any window of the hall
  (``WindowCase`` 窗口受理 rows, one per case).

The rows of the range are read once with plain filters and grouped here: duration arithmetic
and percentiles differ on SQLite, PostgreSQL and MariaDB, and a hall's month is well under a
hundred thousand tickets."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.orgs.models import RegionRole, ServiceHall
from yiwang.orgs.services import scope_regions

from ..models import (
    Appointment,
    AppointmentStatus,
    HallItem,
    HallMember,
    HallRole,
    Ticket,
    TicketStatus,
    Window,
    WindowCase,
    WindowKind,
)

MAX_DAYS = 92
GROUPINGS = {"day": "按日", "window": "按窗口", "item": "按事项"}


@dataclass
class Figures:
    """The figures of one row: a day, a window, an item, or the whole range (``key`` None)."""

    key: object = None
    label: str = "合计"
    tickets: int = 0
    served: int = 0
    missed: int = 0
    bookings: int = 0
    bookings_used: int = 0
    no_shows: int = 0
    accepted: int = 0
    accepted_comprehensive: int = 0
    waits: list[float] = field(default_factory=list, repr=False)
    service_times: list[float] = field(default_factory=list, repr=False)

    @property
    def wait_average(self) -> float | None:
        return _average(self.waits)

    @property
    def wait_p90(self) -> float | None:
        return percentile(self.waits, 90)

    @property
    def service_average(self) -> float | None:
        return _average(self.service_times)

    @property
    def service_p90(self) -> float | None:
        return percentile(self.service_times, 90)

    @property
    def one_window_share(self) -> float | None:
        """一窗受理占比, 0–1; None when nothing was accepted."""
        return self.accepted_comprehensive / self.accepted if self.accepted else None


def _average(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def percentile(values: Iterable[float], rank: int) -> float | None:
    """Nearest-rank percentile, rounded to 0.1."""
    ordered = sorted(values)
    if not ordered:
        return None
    return round(ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)], 1)


def _minutes(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 60


# --- who may see them -------------------------------------------------------------------------------


def figure_halls(user) -> QuerySet[ServiceHall]:
    """The halls whose figures ``user`` may see: those they manage, and every hall in a region
    they supervise (监察员); all for a system administrator."""
    halls = ServiceHall.objects.select_related("region")
    if user.is_superuser:
        return halls
    managed = HallMember.objects.filter(user=user, role=HallRole.MANAGER).values("hall_id")
    regions = scope_regions(user, RegionRole.SUPERVISOR)
    scope = halls.filter(pk__in=managed)
    for region in regions:
        scope = scope | halls.filter(region__path__startswith=region.path)
    return scope.distinct()


def require_figures_access(user, hall: ServiceHall) -> None:
    if not figure_halls(user).filter(pk=hall.pk).exists():
        raise PermissionDenied("只有本大厅的管理员和所在区划的监察员可以查看大厅运行指标",
                               code="permission.hall_figures")


def clean_range(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    if start > end:
        raise ValidationError("开始日期不能晚于结束日期", code="figures.range_reversed")
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(f"一次最多统计{MAX_DAYS}天", code="figures.range_too_long")
    return start, end


# --- the figures ------------------------------------------------------------------------------------


def _rows(hall: ServiceHall, start: dt.date, end: dt.date, by: str | None):
    """The row for each key and a function from a fact's key parts to its row (None: not counted
    in this grouping, e.g. a ticket never called has no window)."""
    rows: dict[object, Figures] = {}
    if by == "day":
        day = start
        while day <= end:
            rows[day] = Figures(key=day, label=f"{day:%m-%d}")
            day += dt.timedelta(days=1)
    elif by == "window":
        for window in Window.objects.filter(hall=hall):
            rows[window.pk] = Figures(key=window, label=f"{window.number}号 {window.name}")
    elif by == "item":
        for entry in HallItem.objects.filter(hall=hall).select_related("item__published_version"):
            version = entry.item.published_version
            rows[entry.pk] = Figures(key=entry, label=version.name if version else str(entry.item))
    elif by is None:
        rows[None] = Figures()
    else:
        raise ValidationError("统计维度应为按日、按窗口或按事项", code="figures.grouping")
    return rows


def figures(hall: ServiceHall, start: dt.date, end: dt.date, *, by: str | None = None) -> list[Figures]:
    """The figures of ``hall`` from ``start`` to ``end`` (both included): one row for the range
    (``by`` None), or one per day, per window or per stationed item (``by`` = "day", "window",
    "item"; windows and items with nothing to count are left out)."""
    start, end = clean_range(start, end)
    rows = _rows(hall, start, end, by)
    items_by_case: dict[int, int] = {}
    if by == "item":
        items_by_case = dict(HallItem.objects.filter(hall=hall).values_list("item_id", "pk"))

    def row_for(*, day=None, window=None, item=None) -> Figures | None:
        key = {"day": day, "window": window, "item": item}.get(by) if by else None
        return rows.get(key)

    _count_tickets(hall, start, end, row_for)
    _count_appointments(hall, start, end, row_for)
    _count_acceptances(hall, start, end, row_for, items_by_case)
    result = list(rows.values())
    if by in ("window", "item"):
        result = [r for r in result if r.tickets or r.bookings or r.accepted]
    return result


def _count_tickets(hall, start, end, row_for: Callable[..., Figures | None]) -> None:
    tickets = (Ticket.objects.filter(hall=hall, date__range=(start, end))
               .exclude(status=TicketStatus.TRANSFERRED)
               .values_list("date", "window_id", "hall_item_id", "status", "arrived_at", "called_at",
                            "started_at", "finished_at"))
    for day, window, item, status, arrived, called, started, finished in tickets.iterator():
        row = row_for(day=day, window=window, item=item)
        if row is None:
            continue
        row.tickets += 1
        if called is not None:
            row.waits.append(_minutes(arrived, called))
        if status == TicketStatus.DONE:
            row.served += 1
            if started is not None and finished is not None:
                row.service_times.append(_minutes(started, finished))
        elif status == TicketStatus.MISSED:
            row.missed += 1


def _count_appointments(hall, start, end, row_for) -> None:
    bookings = (Appointment.objects.filter(hall=hall, date__range=(start, end))
                .exclude(status=AppointmentStatus.CANCELLED)
                .values_list("date", "hall_item_id", "status"))
    for day, item, status in bookings.iterator():
        row = row_for(day=day, item=item)
        if row is None:
            continue
        row.bookings += 1
        row.bookings_used += status == AppointmentStatus.CHECKED_IN
        row.no_shows += status == AppointmentStatus.NO_SHOW


def _count_acceptances(hall, start, end, row_for, items_by_case: dict[int, int]) -> None:
    """Each case once, at the window that accepted it first."""
    since, until = (timezone.make_aware(dt.datetime.combine(day, dt.time.min))
                    for day in (start, end + dt.timedelta(days=1)))
    accepted = (WindowCase.objects.filter(hall=hall, action=WindowCase.Action.ACCEPTED,
                                          at__gte=since, at__lt=until)
                .order_by("at", "id").values_list("case_id", "case__item_id", "window_id",
                                                  "window__kind", "at"))
    seen: set[int] = set()
    for case, item, window, kind, at in accepted.iterator():
        if case in seen:
            continue
        seen.add(case)
        row = row_for(day=timezone.localdate(at), window=window, item=items_by_case.get(item))
        if row is None:
            continue
        row.accepted += 1
        row.accepted_comprehensive += kind == WindowKind.COMPREHENSIVE
