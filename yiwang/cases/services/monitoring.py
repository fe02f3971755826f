"""The clock's housekeeping: daily reminders for near-due and overdue cases (预警 yellow, 超期
red) to the handling staff and their supervisors, and recomputation of deadlines when the
working-day calendar changes. Run by tasks and by ``manage.py send_case_reminders``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yiwang.calendar import workdays
from yiwang.orgs.models import Membership, RegionMembership, RegionRole

from .. import deadlines
from ..access import TASK_ROLES
from ..models import ACTIVE_TASK_STATUSES, OPEN_STATUSES, Case, Status
from ._base import tell_staff


def open_accepted_cases():
    return Case.objects.filter(status__in=OPEN_STATUSES, accepted_at__isnull=False)


def recompute_deadlines(*, region_path: str = "", years=None) -> int:
    """Recompute the due dates of open cases the calendar change may touch: those of the region
    (and below) whose deadline is provisional or whose clock ran in one of ``years``."""
    workdays.invalidate()
    cases = open_accepted_cases().filter(region__path__startswith=region_path)
    changed = 0
    for case in cases.select_related("region").iterator(chunk_size=500):
        years_run = set(range(timezone.localdate(case.accepted_at).year,
                              (case.due_date or timezone.localdate()).year + 1))
        if years is not None and not case.deadline_provisional and not years_run & set(years):
            continue
        with transaction.atomic():
            before = case.due_date
            deadlines.refresh(case)
            changed += before != case.due_date
    return changed


def supervisors_of(case: Case) -> list:
    """监察员 of the case's region and of every region above it."""
    return [m.user for m in RegionMembership.objects.filter(role=RegionRole.SUPERVISOR)
            .select_related("user", "region") if case.region.path.startswith(m.region.path)]


def _handlers(case: Case) -> list:
    users = []
    for task in case.tasks.filter(status__in=ACTIVE_TASK_STATUSES).select_related("assignee"):
        if task.assignee is not None:
            users.append(task.assignee)
        else:
            users += [m.user for m in Membership.objects.filter(
                department_id=task.department_id, role__in=TASK_ROLES[task.kind]).select_related("user")]
    return users


def send_reminders(today: dt.date | None = None) -> int:
    """Remind once a day per case: yellow to the handlers, red to the handlers and supervisors."""
    today = today or timezone.localdate()
    reminded = 0
    line = deadlines.yellow_line(today)
    # A stopped clock (补正, 特别程序) cannot run late.
    candidates = (open_accepted_cases().exclude(status__in=[Status.CORRECTING, Status.SPECIAL])
                  .filter(due_date__lte=line + dt.timedelta(days=14))
                  .exclude(last_reminded_on=today).select_related("region", "version"))
    for case in candidates.iterator(chunk_size=500):
        warning = deadlines.warning(case, today)
        if warning is None or warning.level == deadlines.GREEN:
            continue
        with transaction.atomic():
            if warning.level == deadlines.RED:
                text = (f"办件{case.number}（{case.version.name}）已超期{-warning.days_left}个工作日，"
                        "请立即办理。")
                tell_staff(_handlers(case) + supervisors_of(case), "办件超期", text)
            else:
                text = (f"办件{case.number}（{case.version.name}）距承诺办结日期{case.due_date:%Y-%m-%d}"
                        f"还剩{warning.days_left}个工作日。")
                tell_staff(_handlers(case), "办件即将到期", text)
            Case.objects.filter(pk=case.pk).update(last_reminded_on=today)
        reminded += 1
    return reminded
