"""承诺时限 of a case on the working-day calendar: counted in working days from the day after
受理, with 补正 after acceptance and 特别程序 stopping the clock, recomputed whenever a stop starts
or ends or the calendar changes, and explained (which holidays and stops moved the due date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from yiwang.calendar import workdays

from .models import Case

GREEN, YELLOW, RED = "green", "yellow", "red"
WARNING_LABELS = {GREEN: "正常", YELLOW: "即将到期", RED: "已超期"}


def warning_days() -> int:
    """Working days left at which a case turns yellow (预警)."""
    return int(getattr(settings, "CASE_WARNING_WORKING_DAYS", 2))


def stops_of(case: Case, today: dt.date | None = None) -> list[workdays.Stop]:
    """Clock stops of the case; a stop still running counts up to today."""
    today = today or timezone.localdate()
    stops = []
    for c in case.corrections.all():
        if c.stops_clock:
            end = timezone.localdate(c.resolved_at) if c.resolved_at else today
            stops.append(workdays.Stop(timezone.localdate(c.requested_at), end, "补正"))
    for p in case.special_procedures.all():
        end = timezone.localdate(p.ended_at) if p.ended_at else today
        start = timezone.localdate(p.started_at)
        stops.append(workdays.Stop(start, max(start, end), f"特别程序（{p.get_kind_display()}）"))
    return stops


def compute(case: Case, today: dt.date | None = None) -> workdays.Deadline | None:
    if case.accepted_at is None:
        return None
    return workdays.add_working_days(timezone.localdate(case.accepted_at), case.time_limit,
                                     case.region, stops=stops_of(case, today))


def refresh(case: Case, today: dt.date | None = None) -> workdays.Deadline | None:
    """Recompute and store the due date; returns the deadline with its explanation."""
    deadline = compute(case, today)
    if deadline is not None:
        case.due_date, case.deadline_provisional = deadline.due_date, deadline.provisional
        case.save(update_fields=["due_date", "deadline_provisional", "updated_at"])
    return deadline


@dataclass(frozen=True)
class Warning:
    level: str
    days_left: int | None  # working days left; negative when overdue

    @property
    def label(self) -> str:
        return WARNING_LABELS[self.level]


def warning(case: Case, today: dt.date | None = None) -> Warning | None:
    """Yellow at ``warning_days()`` working days left or fewer, red once the due date has passed.
    Only cases still being handled get one."""
    if case.due_date is None or not case.is_open:
        return None
    return warning_on(case.due_date, case.region, today)


def warning_on(due_date: dt.date, region, today: dt.date | None = None) -> Warning:
    """The colour of anything due on ``due_date`` in ``region`` (a case, a 差评整改): one rule for
    every clock the staff watch."""
    today = today or timezone.localdate()
    if today > due_date:
        return Warning(RED, -workdays.count_working_days(due_date, today, region))
    left = workdays.count_working_days(today, due_date, region)
    return Warning(YELLOW if left <= warning_days() else GREEN, left)


def yellow_line(today: dt.date | None = None, region=None) -> dt.date:
    """The last due date that is already yellow today: for counting and filtering queues."""
    today = today or timezone.localdate()
    return workdays.add_working_days(today, warning_days(), region).due_date
