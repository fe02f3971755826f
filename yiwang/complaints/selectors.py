"""Read-side queries of 12345 that the pages and the API share: the hotline's queues (待派单,
退单待仲裁, 待回访, 超期), a department's inbox, one's own requests, and how a request is shown
(the requester masked, the answer of a merged request taken from its parent, the public
流转记录)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.common.identifiers import mask_name, mask_phone

from . import access
from .models import (
    OPEN_REQUEST_STATUSES,
    Assignment,
    AssignmentStatus,
    HotlineRequest,
    RequestStatus,
)

TO_DISPATCH, TO_ARBITRATE, TO_REVISIT, OVERDUE = "dispatch", "arbitration", "revisit", "overdue"
QUEUES = {TO_DISPATCH: "待派单", TO_ARBITRATE: "退单待仲裁", TO_REVISIT: "待回访", OVERDUE: "超期"}
RELATED = ("region", "department")


def search(requests: QuerySet[HotlineRequest], q: str, prefix: str = "") -> QuerySet:
    """Find by number, title, or the phone's last four digits (what the masked phone shows)."""
    q = (q or "").strip()[:100]
    if not q:
        return requests
    found = Q(**{f"{prefix}number__icontains": q}) | Q(**{f"{prefix}title__icontains": q})
    if q.isdigit() and len(q) == 4:
        found |= Q(**{f"{prefix}phone_tail": q})
    return requests.filter(found)


def operated(user) -> QuerySet[HotlineRequest]:
    """The requests of the regions ``user`` operates (none for anyone else)."""
    if not access.operates(user):
        return HotlineRequest.objects.none()
    return HotlineRequest.objects.filter(access.regions_q(user))


def queue(user, name: str, *, q: str = "", today: dt.date | None = None) -> QuerySet:
    """One of the hotline's queues, the oldest deadline first."""
    today = today or timezone.localdate()
    if name == TO_ARBITRATE:
        requests = (HotlineRequest.objects.filter(access.regions_q(user, access.ADMIN_ROLES))
                    if access.arbitrates(user) else HotlineRequest.objects.none())
        requests = requests.filter(status=RequestStatus.ARBITRATION)
    else:
        requests = operated(user)
        if name == TO_DISPATCH:
            requests = requests.filter(status=RequestStatus.REGISTERED)
        elif name == TO_REVISIT:
            requests = requests.filter(status=RequestStatus.ANSWERED, anonymous=False)
        elif name == OVERDUE:
            requests = requests.filter(status__in=OPEN_REQUEST_STATUSES, due_on__lt=today)
        else:
            requests = requests.none()
    return search(requests, q).select_related(*RELATED).order_by("due_on", "created_at", "pk")


def queue_counts(user, today: dt.date | None = None) -> dict[str, int]:
    return {name: queue(user, name, today=today).count() for name in QUEUES}


def inbox(user, *, status: str = "open", q: str = "", department=None) -> QuerySet[Assignment]:
    """The assignments of the departments ``user`` handles for (one of them if ``department``),
    the open ones by default, the oldest deadline first."""
    assignments = access.handled_assignments(user)
    if department is not None:
        assignments = assignments.filter(department=department)
    if status == "open":
        assignments = assignments.filter(status__in=(AssignmentStatus.PENDING,
                                                     AssignmentStatus.HANDLING))
    elif status in AssignmentStatus.values:
        assignments = assignments.filter(status=status)
    return (search(assignments, q, "request__")
            .select_related("request__region", "department", "parent__department")
            .order_by("due_on", "dispatched_at", "pk"))


def mine(user, *, status: str = "") -> QuerySet[HotlineRequest]:
    """The signed-in person's own requests, newest first."""
    if not (user and user.is_authenticated):
        return HotlineRequest.objects.none()
    requests = HotlineRequest.objects.filter(requester=user).select_related(*RELATED, "parent")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    return requests


def masked_requester(request: HotlineRequest) -> tuple[str, str]:
    """(name, phone) as lists and logs show them."""
    if request.anonymous:
        return "匿名", ""
    return mask_name(request.requester_name), mask_phone(request.requester_phone)


def shown_answer(request: HotlineRequest) -> str:
    """The answer the requester reads: a merged request shows its parent's."""
    if request.status == RequestStatus.MERGED and request.parent_id:
        return request.parent.answer
    return request.answer


def public_events(request: HotlineRequest):
    """The 流转记录 the requester sees: public steps, with the department, never a staff name."""
    return request.events.filter(public=True).select_related("department")


def current_assignment(request: HotlineRequest) -> Assignment | None:
    """The top-level assignment now with a department (open or returned), if any."""
    return (request.assignments.filter(parent__isnull=True, status__in=(
        AssignmentStatus.PENDING, AssignmentStatus.HANDLING, AssignmentStatus.RETURNED))
        .select_related("department").order_by("-dispatched_at", "-pk").first())
