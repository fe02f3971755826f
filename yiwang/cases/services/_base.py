"""What every case action shares: locking, moving through the state machine, the history entry
and audit record written in the same transaction, opening tasks and telling the applicant."""

from __future__ import annotations

from django.dispatch import Signal
from django.utils import timezone

from yiwang.accounts.services import citizen_of
from yiwang.common import counters
from yiwang.common.errors import Conflict, ValidationError
from yiwang.notify.services import notify_user, send_email, send_sms
from yiwang.orgs.models import Membership
from yiwang.supervision import audit

from .. import statemachine
from ..access import TASK_ROLES, require_applicant, require_task_role
from ..errors import CaseStateError, TaskTaken
from ..models import (
    ACTIVE_TASK_STATUSES,
    FINAL_STATUSES,
    Case,
    CaseCounter,
    CaseEvent,
    CaseTask,
    Status,
    TaskKind,
    TaskStatus,
)
from .bundle_results import conclude_if_finished

MAX_REASON = 2000

# Sent with ``case`` and ``actor`` inside the transaction that moves a case to a final state
# (送达, 不予受理, 办结-不通过, 撤回, 撤销): other apps act on a closed case (归档) without
# reaching into the case tables or knowing which services close one.
case_closed = Signal()


def lock(case: Case) -> Case:
    """The case row, locked for the rest of the transaction, with what every action reads of it.
    Every action locks the case before its tasks, so two actions on one case always queue in the
    same order. The lock is taken on the case row alone and the related rows are read after it:
    FOR UPDATE over a join would lock the item, version and department rows too, and with them
    every other case of the same item (MariaDB has no FOR UPDATE OF to prevent that)."""
    Case.objects.select_for_update().order_by().filter(pk=case.pk).values_list("pk").get()
    return Case.objects.select_related("item", "version", "department", "region", "applicant",
                                       "company").get(pk=case.pk)


def on_behalf(case: Case) -> str:
    return case.company.name if case.company_id else ""


def acting_for(case: Case, clerk=None) -> str:
    """For whom an applicant-side step was taken: the company an agent acts for, and when a
    window clerk acts, the applicant they serve (“窗口人员（代王芳）”)."""
    if clerk is None:
        return on_behalf(case)
    return on_behalf(case) or case.applicant_name or person_name(case.applicant)


def require_editable(case: Case, user) -> None:
    """The applicant may change the application: a draft, or a case in 补正."""
    require_applicant(user, case)
    if case.status not in (Status.DRAFT, Status.CORRECTING):
        raise Conflict(f"办件已{case.get_status_display()}，不能再修改申请内容", code="case.not_editable")


def lock_task(task: CaseTask) -> CaseTask:
    return CaseTask.objects.select_for_update().order_by().get(pk=task.pk)


def person_name(user) -> str:
    if user is None:
        return "系统"
    citizen = citizen_of(user)
    if citizen is not None:
        return citizen.name
    return user.get_full_name() or user.get_username()


def acting_department(user, case: Case) -> str:
    """The department a staff member acted for on ``case``: the case's own department or one of
    its tasks' (a 并联审查 department) that they belong to, else the case's department."""
    names = dict(Membership.objects.filter(user=user)
                 .values_list("department_id", "department__name"))
    for department_id in (case.department_id, *case.tasks.values_list("department_id", flat=True)):
        if department_id in names:
            return names[department_id]
    return case.department.name


def clean_reason(reason: str, *, required: bool, what: str = "理由") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(f"请填写{what}", code="case.reason_required")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"{what}不能超过{MAX_REASON}个字符", code="case.reason_too_long")
    return reason


def record(case: Case, action: str, *, actor, label: str, from_status: str = "", to_status: str = "",
           reason: str = "", data: dict | None = None, on_behalf: str = "") -> CaseEvent:
    """One history entry and its audit record, in the caller's transaction."""
    staff = actor is not None and citizen_of(actor) is None
    event = CaseEvent.objects.create(
        case=case, action=action, label=label, from_status=from_status, to_status=to_status,
        actor=actor, actor_name=person_name(actor),
        actor_department=acting_department(actor, case) if staff else "", on_behalf=on_behalf,
        reason=reason, data=data or {}, at=timezone.now())
    audit.record(f"case.{action}", actor=actor, subject=case, on_behalf=on_behalf,
                 summary=f"办件{case.number or case.pk}：{label}",
                 data={"number": case.number, "from": from_status, "to": to_status,
                       "reason": reason, **(data or {})})
    return event


def move(case: Case, action: str, *, actor, target: str | None = None, reason: str = "",
         data: dict | None = None, on_behalf: str = "") -> CaseEvent:
    """Apply a transition of the state machine to a locked case and record it."""
    transition = statemachine.check(action, case.status)
    if transition.target == statemachine.RESUME:
        target = case.resume_status or Status.REVIEWING
    elif transition.target != statemachine.OUTCOME:
        target = transition.target
    if target is None:
        raise CaseStateError("缺少目标状态")
    before = case.status
    case.status = target
    fields = ["status", "updated_at"]
    if target in (Status.CORRECTING, Status.SPECIAL):
        case.resume_status = before
        fields.append("resume_status")
    case.save(update_fields=fields)
    event = record(case, action, actor=actor, label=transition.label, from_status=before,
                   to_status=target, reason=reason, data=data, on_behalf=on_behalf)
    if target in FINAL_STATUSES:
        if case.bundle_application_id:
            conclude_if_finished(case)
        case_closed.send(sender=Case, case=case, actor=actor)
    return event


def open_task(case: Case, kind: str, *, department, name: str | None = None, stage: int = 0,
              status: str = TaskStatus.OPEN, due_date=None, assignee=None) -> CaseTask:
    return CaseTask.objects.create(
        case=case, kind=kind, name=name or TaskKind(kind).label, stage=stage, department=department,
        role=TASK_ROLES[kind][0], status=status, due_date=due_date, assignee=assignee,
        claimed_at=timezone.now() if assignee else None)


def take(case: Case, kind: str, user) -> CaseTask:
    """The active task of ``kind`` on a locked case, checked for the user's role and claimed by
    them if nobody holds it. Someone else's claim is respected."""
    task = (CaseTask.objects.select_for_update().order_by()
            .filter(case=case, kind=kind, status__in=ACTIVE_TASK_STATUSES).first())
    if task is None:
        raise CaseStateError(f"该办件当前没有待办的“{TaskKind(kind).label}”任务",
                             code="case.no_such_task")
    return take_task(task, user)


def take_task(task: CaseTask, user) -> CaseTask:
    require_task_role(user, task)
    if task.status == TaskStatus.CLAIMED and task.assignee_id != user.pk:
        raise TaskTaken(f"该任务已由{person_name(task.assignee)}认领，请先由其释放",
                        details={"assignee": task.assignee.get_username()})
    if task.status not in ACTIVE_TASK_STATUSES:
        raise CaseStateError(f"任务“{task.name}”已{task.get_status_display()}", code="task.closed")
    if task.status == TaskStatus.OPEN:
        task.status, task.assignee, task.claimed_at = TaskStatus.CLAIMED, user, timezone.now()
        task.save(update_fields=["status", "assignee", "claimed_at"])
    return task


def finish_task(task: CaseTask, user, *, status: str = TaskStatus.DONE, opinion: str = "") -> None:
    task.status, task.completed_at, task.completed_by = status, timezone.now(), user
    task.opinion = opinion
    task.save(update_fields=["status", "completed_at", "completed_by", "opinion"])


def cancel_open_tasks(case: Case) -> int:
    return (CaseTask.objects.filter(case=case, status__in=[*ACTIVE_TASK_STATUSES, TaskStatus.WAITING])
            .update(status=TaskStatus.CANCELLED, completed_at=timezone.now()))


def tell_applicant(case: Case, subject: str, text: str) -> None:
    """In-app message, SMS to the contact number and e-mail if the account has one; all queued on
    commit by ``notify``, so a rolled-back action sends nothing."""
    text = f"您的办件{case.number}（{case.version.name}）{text}"
    notify_user(case.applicant, subject, text)
    if case.contact_mobile:
        send_sms(case.contact_mobile, f"【一网通办】{text}", user=case.applicant)
    if case.applicant.email:
        send_email(case.applicant.email, subject, text, user=case.applicant)


def tell_staff(users, subject: str, text: str) -> None:
    for user in {u.pk: u for u in users if u is not None}.values():
        notify_user(user, subject, text)


def next_number(item, day) -> str:
    """办件编号 = 实施编码 (31) + yyyyMMdd + sequence of that item on that day (6 digits, more if a
    day ever needs them): 45 characters, within the 50 the standard allows."""
    prefix = f"{item.implementation_code}{day:%Y%m%d}"
    return f"{prefix}{counters.next_value(CaseCounter, prefix):06d}"
