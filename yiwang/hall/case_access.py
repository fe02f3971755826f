"""Hall staff on cases. A 综合窗口 clerk takes in cases of any department stationed in the hall
and accepts them for it (一窗受理); the 出件窗口 hands results over (统一出件). They hold no
department role, so the hall widens ``cases.access`` for them: the cases taken in at or waiting
for pick-up in a hall where they work, and the 受理 and 送达 tasks of exactly those cases.
The services still ask for a signed-in window of the right kind before anything is done."""

from __future__ import annotations

from django.db.models import Q

from yiwang.cases.access import StaffAccess, extend_staff_access
from yiwang.cases.models import TaskKind

from .models import HallMember, HallRole, ResultPickup, WindowCase

WORKING_ROLES = (HallRole.CLERK, HallRole.MANAGER)


def _halls(user):
    return HallMember.objects.filter(user=user, role__in=WORKING_ROLES).values("hall_id")


def _taken_in(user):
    return WindowCase.objects.filter(hall_id__in=_halls(user)).values("case_id")


def _waiting(user):
    return ResultPickup.objects.filter(hall_id__in=_halls(user)).values("case_id")


def hall_cases(user) -> Q:
    return Q(pk__in=_taken_in(user)) | Q(pk__in=_waiting(user))


def hall_tasks(user) -> Q:
    return (Q(kind=TaskKind.ACCEPT, case_id__in=_taken_in(user))
            | Q(kind=TaskKind.DELIVER, case_id__in=_waiting(user)))


def works_in_a_hall(user) -> bool:
    return HallMember.objects.filter(user=user, role__in=WORKING_ROLES).exists()


def register() -> None:
    extend_staff_access(StaffAccess(cases=hall_cases, tasks=hall_tasks, handles=works_in_a_hall))
