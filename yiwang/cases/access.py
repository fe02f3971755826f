"""Who may see and act on which case: the one place the authorization matrix tests look at.

- Applicants see their own cases; a legal representative sees every case of the company, an
  agent those they submitted (and only while their authorisation holds).
- Staff see a case when they hold a case-handling role in the case's department or in a
  department that has a task on it; 监察员 see every case of their region and the regions under
  it; system administrators see all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yiwang.accounts.services import act_as, citizen_of
from yiwang.common.errors import NotFound, PermissionDenied
from yiwang.orgs.models import Membership, RegionRole, Role
from yiwang.orgs.services import has_role, scope_regions

from .models import Case, CaseTask, TaskKind

CASE_ROLES = (Role.ACCEPTOR, Role.EXAMINER, Role.DECIDER, Role.CERTIFIER, Role.WINDOW_CLERK)
# The roles that may complete a task of each kind. 送达 is done by 制证员 or at the window.
TASK_ROLES = {
    TaskKind.ACCEPT: (Role.ACCEPTOR,),
    TaskKind.REVIEW: (Role.EXAMINER,),
    TaskKind.DECIDE: (Role.DECIDER,),
    TaskKind.CERTIFY: (Role.CERTIFIER,),
    TaskKind.DELIVER: (Role.CERTIFIER, Role.WINDOW_CLERK),
    TaskKind.VERIFY: (Role.EXAMINER,),
}


@dataclass(frozen=True)
class StaffAccess:
    """More staff who may see cases and act on tasks than the departments' own: the hall's
    clerks accept the cases they took in at a 综合窗口 and hand results over at the 出件窗口.
    An app registers one at start-up (``AppConfig.ready``); cases knows nothing of halls.
    ``cases(user)`` is a Q over Case, ``tasks(user)`` a Q over CaseTask, ``handles(user)``
    whether the user works with cases at all; each answers for the user it is given only."""

    cases: Callable[..., Q]
    tasks: Callable[..., Q]
    handles: Callable[..., bool]


_extensions: list[StaffAccess] = []


def extend_staff_access(extension: StaffAccess) -> None:
    if extension not in _extensions:
        _extensions.append(extension)


def _staff_filter(user) -> Q:
    departments = list(Membership.objects.filter(user=user, role__in=CASE_ROLES)
                       .values_list("department_id", flat=True).distinct())
    scope = Q(department_id__in=departments) | Q(tasks__department_id__in=departments)
    for region in scope_regions(user, RegionRole.SUPERVISOR):
        scope |= Q(region__path__startswith=region.path)
    for extension in _extensions:
        scope |= extension.cases(user)
    return scope


def _extended_tasks(user) -> Q | None:
    scopes = [extension.tasks(user) for extension in _extensions]
    if not scopes:
        return None
    scope = scopes[0]
    for more in scopes[1:]:
        scope |= more
    return scope


def staff_cases(user) -> QuerySet[Case]:
    """Submitted cases ``user`` may see as staff."""
    cases = Case.objects.exclude(number__isnull=True)
    if user.is_superuser:
        return cases
    return cases.filter(pk__in=Case.objects.filter(_staff_filter(user)).values("pk"))


def staff_case(user, pk) -> Case:
    """A case for staff, or NotFound — a case of another department does not exist for them."""
    case = staff_cases(user).select_related("item", "version", "department", "region",
                                            "company").filter(pk=pk).first()
    if case is None:
        raise NotFound("办件不存在或您无权查看", code="case.not_found")
    return case


def staff_task(user, pk) -> CaseTask:
    """A task of a case ``user`` may see as staff, or NotFound. Whether they may act on it is the
    service's question (403 for a missing role, not 404: the case is theirs to see)."""
    task = (CaseTask.objects.select_related("case", "department", "assignee")
            .filter(pk=pk, case__in=staff_cases(user)).first())
    if task is None:
        raise NotFound("任务不存在或您无权查看", code="task.not_found")
    return task


def applicant_cases(user) -> QuerySet[Case]:
    citizen = citizen_of(user)
    if citizen is None:
        return Case.objects.none()
    return Case.objects.filter(Q(applicant=user)
                               | Q(company__legal_representative=citizen)).distinct()


def applicant_case(user, pk) -> Case:
    case = applicant_cases(user).select_related("item", "version", "department", "region",
                                                "company").filter(pk=pk).first()
    if case is None:
        raise NotFound("办件不存在", code="case.not_found")
    return case


def require_applicant(user, case: Case):
    """The actor for an applicant-side action on ``case``; re-checks an agent's authorisation."""
    if case.company_id is None:
        if case.applicant_id != user.pk:
            raise NotFound("办件不存在", code="case.not_found")
        return act_as(user, None)
    actor = act_as(user, case.company_id, item_code=case.item.basic_code)
    if actor.authorization is not None and case.applicant_id != user.pk:
        raise NotFound("办件不存在", code="case.not_found")
    return actor


def can_act_on_task(user, task: CaseTask) -> bool:
    if has_role(user, task.department, *TASK_ROLES[task.kind]):
        return True
    extended = _extended_tasks(user)
    return extended is not None and CaseTask.objects.filter(extended, pk=task.pk).exists()


def require_task_role(user, task: CaseTask) -> None:
    if not can_act_on_task(user, task):
        names = "、".join(Role(r).label for r in TASK_ROLES[task.kind])
        raise PermissionDenied(f"您不是{task.department.name}的{names}，不能办理“{task.name}”",
                               code="permission.role_required")


def require_supervisor(user, case: Case) -> None:
    if user.is_superuser:
        return
    if any(case.region.path.startswith(r.path) for r in scope_regions(user, RegionRole.SUPERVISOR)):
        return
    raise PermissionDenied("只有该区划的监察员可以撤销办件", code="permission.supervisor_required")


def task_queue(user) -> QuerySet[CaseTask]:
    """Open and claimed tasks ``user`` may work on: by department and role."""
    tasks = CaseTask.objects.select_related("case", "case__item", "department", "assignee")
    if user.is_superuser:
        return tasks
    memberships = list(Membership.objects.filter(user=user, role__in=CASE_ROLES))
    scope = Q(pk__in=[])
    for kind, roles in TASK_ROLES.items():
        departments = [m.department_id for m in memberships if m.role in roles]
        if departments:
            scope |= Q(kind=kind, department_id__in=departments)
    extended = _extended_tasks(user)
    if extended is not None:
        scope |= extended
    return tasks.filter(scope)


def handles_cases(user) -> bool:
    """Holds a case-handling role somewhere or supervises a region: may open the workbench's case
    pages (which cases they then see is ``staff_cases``'s answer)."""
    return (supervises_cases(user)
            or Membership.objects.filter(user=user, role__in=CASE_ROLES).exists()
            or any(extension.handles(user) for extension in _extensions))


def supervises_cases(user) -> bool:
    """监察员 of some region (or system administrator): the region-wide case list."""
    return user.is_superuser or bool(scope_regions(user, RegionRole.SUPERVISOR))
