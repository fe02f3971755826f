"""Read-side queries of the staff queues (workbench pages and staff API): the task queue with its
filters and counts, and the supervisors' region-wide case list.

The warning colour is worked out in SQL from the stored due date (red once it has passed, yellow
up to ``deadlines.yellow_line``), so that the filter, the counts and the colour of a row agree and
a page costs the same few queries however many rows it shows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from . import access, deadlines
from .models import ACTIVE_TASK_STATUSES, OPEN_STATUSES, Case, CaseTask, TaskKind, TaskStatus

TABS = {"mine": "我的", "open": "待认领", "all": "全部"}
WARNINGS = {deadlines.RED: deadlines.WARNING_LABELS[deadlines.RED],
            deadlines.YELLOW: deadlines.WARNING_LABELS[deadlines.YELLOW]}


def _warning_level(today: dt.date, prefix: str = "") -> SqlCase:
    """The warning level of a case (``prefix`` leads from the rows to it), "" when it has none:
    no due date, or no longer being handled."""
    handled = Q(**{f"{prefix}status__in": OPEN_STATUSES})
    due = f"{prefix}due_date"
    return SqlCase(When(handled & Q(**{f"{due}__lt": today}), then=Value(deadlines.RED)),
                 When(handled & Q(**{f"{due}__lte": deadlines.yellow_line(today)}),
                      then=Value(deadlines.YELLOW)),
                 default=Value(""), output_field=CharField())


def _by_urgency(prefix: str = "") -> list:
    """Overdue and near-due first, cases without a due date last, then the oldest."""
    return [F(f"{prefix}due_date").asc(nulls_last=True), "created_at", "pk"]


def active_tasks(user, today: dt.date | None = None) -> QuerySet[CaseTask]:
    today = today or timezone.localdate()
    return (access.task_queue(user).filter(status__in=ACTIVE_TASK_STATUSES)
            .select_related("case__version").annotate(warning_level=_warning_level(today, "case__")))


def queue(user, *, tab: str = "all", kind: str = "", department=None, warning: str = "",
          q: str = "", today: dt.date | None = None) -> QuerySet[CaseTask]:
    tasks = active_tasks(user, today)
    if tab == "mine":
        tasks = tasks.filter(status=TaskStatus.CLAIMED, assignee=user)
    elif tab == "open":
        tasks = tasks.filter(status=TaskStatus.OPEN)
    if kind:
        tasks = tasks.filter(kind=kind)
    if department is not None:
        tasks = tasks.filter(department=department)
    if warning:
        tasks = tasks.filter(warning_level=warning)
    if q := (q or "").strip():
        tasks = tasks.filter(Q(case__number__icontains=q) | Q(case__version__name__icontains=q))
    return tasks.order_by(*_by_urgency("case__"))


def queue_counts(user, today: dt.date | None = None) -> dict:
    """What the top of the queue and the workbench home show, in one query."""
    counts = active_tasks(user, today).aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(status=TaskStatus.CLAIMED, assignee=user)),
        open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
        red=Count("pk", filter=Q(warning_level=deadlines.RED)),
        yellow=Count("pk", filter=Q(warning_level=deadlines.YELLOW)),
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in TaskKind.values})
    counts["kinds"] = [(kind.value, kind.label, counts.pop(kind.value)) for kind in TaskKind]
    return counts


def region_cases(user, *, status: str = "", warning: str = "", q: str = "",
                 today: dt.date | None = None) -> QuerySet[Case]:
    """Every case a supervisor may see (``access.staff_cases``), most urgent first."""
    today = today or timezone.localdate()
    cases = (access.staff_cases(user).select_related("version", "department")
             .annotate(warning_level=_warning_level(today)))
    if status:
        cases = cases.filter(status=status)
    if warning:
        cases = cases.filter(warning_level=warning)
    if q := (q or "").strip():
        cases = cases.filter(Q(number__icontains=q) | Q(version__name__icontains=q))
    return cases.order_by(*_by_urgency())
