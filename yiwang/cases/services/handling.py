"""The staff side: claim and release, accept or refuse, one-time correction notices, parallel
department review and its join, special procedures, the decision, 制证, 送达, verification of a
commitment, and 撤销 by a supervisor."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from yiwang.calendar import workdays
from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.orgs.models import Role
from yiwang.orgs.services import has_role

from .. import deadlines, statemachine
from ..access import require_supervisor, require_task_role
from ..errors import CaseStateError, TaskTaken
from ..models import (
    ACTIVE_TASK_STATUSES,
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseTask,
    Correction,
    DeliveryMethod,
    SpecialProcedure,
    Status,
    TaskKind,
    TaskStatus,
)
from ..prereview import defect, prereview
from ._base import (
    cancel_open_tasks,
    clean_reason,
    finish_task,
    lock,
    lock_task,
    move,
    open_task,
    record,
    take,
    take_task,
    tell_applicant,
    tell_staff,
)
from .monitoring import supervisors_of

# Sent inside the 制证 transaction, with ``case`` and ``actor`` (the 制证员): the licences app
# issues and seals the licence of an item whose result is one, so a failure to seal it rolls
# 制证 back instead of leaving a certified case without its licence.
case_certified = Signal()
# Sent inside the 送达 transaction, with ``case`` and ``actor``: the licences app puts the
# case's licence into the holder's wallet and tells the holder.
case_delivered = Signal()

OUTCOMES = {"approved": Status.APPROVED, "denied": Status.DENIED}
OUTCOME_WORDS = {Status.APPROVED: "通过", Status.APPROVED_TOLERATED: "容缺通过"}
MAX_SPECIAL_DAYS = 365


# --- claiming ------------------------------------------------------------------------------------


@transaction.atomic
def claim(task: CaseTask, user) -> CaseTask:
    """认领. Two clerks claiming the same task: the second is told who has it."""
    case = lock(task.case)
    task = lock_task(task)
    if task.status == TaskStatus.CLAIMED and task.assignee_id == user.pk:
        raise TaskTaken("您已认领该任务", code="task.already_yours")
    task = take_task(task, user)
    if task.kind == TaskKind.REVIEW and case.status == Status.ACCEPTED:
        move(case, "start_review", actor=user)
    return task


@transaction.atomic
def release(task: CaseTask, user) -> CaseTask:
    """释放: back to the department's queue. The holder or a 部门管理员 may release."""
    task = lock_task(task)
    if task.status != TaskStatus.CLAIMED:
        raise CaseStateError("该任务未被认领", code="task.not_claimed")
    if task.assignee_id != user.pk and not has_role(user, task.department, Role.DEPARTMENT_ADMIN):
        raise PermissionDenied("只有认领人或部门管理员可以释放该任务", code="task.not_yours")
    task.status, task.assignee, task.claimed_at = TaskStatus.OPEN, None, None
    task.save(update_fields=["status", "assignee", "claimed_at"])
    return task


# --- acceptance ----------------------------------------------------------------------------------


def _start_clock(case: Case) -> None:
    case.accepted_at = timezone.now()
    case.time_limit = (case.version.promised_time_limit or case.version.legal_time_limit
                       if case.version.handling_kind == "2" else 0)
    case.save(update_fields=["accepted_at", "time_limit", "updated_at"])
    deadlines.refresh(case)


def _fan_out(case: Case) -> None:
    """一口受理、并行办理: open the first stage's review tasks; later stages wait."""
    steps = list(case.item.workflow_steps.select_related("department"))
    if not steps:
        open_task(case, TaskKind.REVIEW, department=case.department, name="审查", stage=1)
        return
    first = steps[0].stage
    for step in steps:
        open_task(case, TaskKind.REVIEW, department=step.department, name=step.name,
                  stage=step.stage, status=TaskStatus.OPEN if step.stage == first else TaskStatus.WAITING)


@transaction.atomic
def accept(case: Case, user, *, tolerated: bool = False, tolerated_until: dt.date | None = None,
           decide_now: str | None = None, reason: str = "") -> Case:
    """受理. Missing 容缺 materials need ``tolerated`` and a date by which they will be supplied
    (容缺受理). A 即办件 may be decided at once (``decide_now``). A 承诺办理 case goes straight to
    the decision; its conditions are verified afterwards."""
    case = lock(case)
    statemachine.check("accept", case.status)
    task = take(case, TaskKind.ACCEPT, user)
    review = prereview(case)
    review.raise_if_failed("受理审查")
    if review.missing_tolerated and not tolerated:
        raise ValidationError(
            "以下容缺材料尚未提交：" + "、".join(d["label"] for d in review.missing_tolerated)
            + "。请要求补正，或选择容缺受理并约定补交期限",
            code="case.tolerated_missing", details={"missing": review.missing_tolerated})
    if tolerated:
        if not review.missing_tolerated:
            raise ValidationError("没有缺少的容缺材料，无需容缺受理", code="case.nothing_tolerated")
        if tolerated_until is None or tolerated_until < timezone.localdate():
            raise ValidationError("请填写不早于今天的容缺材料补交期限", code="case.tolerated_until")
        case.tolerated, case.tolerated_until = True, tolerated_until
        case.save(update_fields=["tolerated", "tolerated_until", "updated_at"])
    if decide_now and case.version.handling_kind != "1":
        raise ValidationError("只有即办件可以在受理时当场办结", code="case.not_immediate")
    finish_task(task, user, opinion=clean_reason(reason, required=False, what="受理意见"))
    move(case, "accept", actor=user, reason=task.opinion,
         data={"tolerated": [d["label"] for d in review.missing_tolerated] if tolerated else []})
    _start_clock(case)
    if decide_now:
        # 即办件: the clerk who accepts decides on the spot (窗口即办), as the guide allows.
        task = open_task(case, TaskKind.DECIDE, department=case.department,
                         status=TaskStatus.CLAIMED, assignee=user)
        return _decide(case, user, outcome=decide_now, reason=reason, task=task)
    if case.commitment:
        open_task(case, TaskKind.DECIDE, department=case.department)
    else:
        _fan_out(case)
    due = f"，承诺于{case.due_date:%Y年%m月%d日}前办结" if case.time_limit else ""
    tell_applicant(case, "办件已受理", f"已受理{due}。")
    return case


@transaction.atomic
def not_accept(case: Case, user, reason: str) -> Case:
    """不予受理, with the reason the applicant reads."""
    case = lock(case)
    statemachine.check("not_accept", case.status)
    reason = clean_reason(reason, required=True, what="不予受理理由")
    finish_task(take(case, TaskKind.ACCEPT, user), user, opinion=reason)
    move(case, "not_accept", actor=user, reason=reason)
    case.closed_at = timezone.now()
    case.outcome_reason = reason
    case.save(update_fields=["closed_at", "outcome_reason", "updated_at"])
    tell_applicant(case, "办件不予受理", f"不予受理，理由：{reason}")
    return case


# --- corrections (补正) -------------------------------------------------------------------------


def _clean_defects(case: Case, defects) -> list[dict]:
    if not isinstance(defects, list) or not defects:
        raise ValidationError("请列明需要补正的全部内容", code="case.defects_required")
    materials = {str(m.pk): m.name for m in case.version.materials.all()}
    fields = {f["name"]: f["label"] for f in case.version.form_definition}
    cleaned = []
    for item in defects:
        kind, target = str(item.get("kind", "")), str(item.get("target", ""))
        message = clean_reason(item.get("message", ""), required=True, what="补正要求")
        if kind == "material" and target in materials:
            cleaned.append(defect(kind, target, materials[target], message))
        elif kind == "field" and target in fields:
            cleaned.append(defect(kind, target, fields[target], message))
        elif kind == "other":
            cleaned.append(defect(kind, "", "其他", message))
        else:
            raise ValidationError(f"补正项“{target}”不是本事项的材料或表单字段", code="case.defect_target")
    return cleaned


def _require_correction_role(case: Case, user) -> None:
    if case.status == Status.RECEIVED:
        require_task_role(user, case.tasks.filter(kind=TaskKind.ACCEPT,
                                                  status__in=ACTIVE_TASK_STATUSES).first())
        return
    tasks = case.tasks.filter(kind=TaskKind.REVIEW, status__in=ACTIVE_TASK_STATUSES)
    if not any(has_role(user, t.department, Role.EXAMINER) for t in tasks):
        raise PermissionDenied("只有正在审查该办件的部门审查员可以要求补正", code="permission.role_required")


@transaction.atomic
def request_correction(case: Case, user, defects: list[dict], note: str = "") -> Correction:
    """一次性告知: all defects in one notice. After acceptance the clock stops until the
    applicant has fixed them."""
    case = lock(case)
    statemachine.check("request_correction", case.status)
    _require_correction_role(case, user)
    correction = Correction.objects.create(
        case=case, defects=_clean_defects(case, defects), requested_by=user,
        requested_at=timezone.now(), stops_clock=case.accepted_at is not None,
        note=clean_reason(note, required=False, what="说明"))
    move(case, "request_correction", actor=user, reason=correction.note,
         data={"defects": [d["message"] for d in correction.defects]})
    if correction.stops_clock:
        deadlines.refresh(case)
    tell_applicant(case, "请补正材料", "需要补正：" + "；".join(d["message"] for d in correction.defects)
                   + "。请登录“我的办件”一次性补正。")
    return correction


# --- review --------------------------------------------------------------------------------------


def _advance(case: Case, user) -> None:
    """The join: when no review task of the current stage is open, open the next stage, or the
    decision when none is left or a department has said no."""
    reviews = list(case.tasks.filter(kind=TaskKind.REVIEW))
    if any(t.status in ACTIVE_TASK_STATUSES for t in reviews):
        return
    waiting = sorted({t.stage for t in reviews if t.status == TaskStatus.WAITING})
    rejected = any(t.status == TaskStatus.REJECTED for t in reviews)
    if waiting and not rejected:
        case.tasks.filter(kind=TaskKind.REVIEW, stage=waiting[0]).update(status=TaskStatus.OPEN)
        return
    if waiting:
        case.tasks.filter(kind=TaskKind.REVIEW, status=TaskStatus.WAITING).update(
            status=TaskStatus.CANCELLED)
    open_task(case, TaskKind.DECIDE, department=case.department)


@transaction.atomic
def complete_review(task: CaseTask, user, *, approve: bool, opinion: str = "") -> CaseTask:
    """One department's review opinion. A 不同意 is shown to every other branch at once."""
    case = lock(task.case)
    if case.status == Status.ACCEPTED:
        move(case, "start_review", actor=user)
    if case.status != Status.REVIEWING:
        raise CaseStateError(f"该办件当前状态为{case.get_status_display()}，不能提交审查意见")
    task = take_task(lock_task(task), user)
    if task.kind != TaskKind.REVIEW:
        raise CaseStateError("该任务不是审查任务", code="task.wrong_kind")
    opinion = clean_reason(opinion, required=not approve, what="审查意见")
    finish_task(task, user, status=TaskStatus.DONE if approve else TaskStatus.REJECTED, opinion=opinion)
    record(case, "reviewed", actor=user, label=f"{task.department.name}{task.name}："
           + ("同意" if approve else "不同意"), reason=opinion,
           data={"task": task.pk, "department": task.department.name, "approve": approve})
    if not approve:
        others = case.tasks.filter(kind=TaskKind.REVIEW, status__in=ACTIVE_TASK_STATUSES)
        tell_staff([t.assignee for t in others.select_related("assignee")], "并联审查出现不同意意见",
                   f"办件{case.number}：{task.department.name}不同意，意见：{opinion}")
    _advance(case, user)
    return task


# --- special procedures (特别程序) ---------------------------------------------------------------


@transaction.atomic
def start_special(case: Case, user, *, kind: str, reason: str, expected_days: int) -> SpecialProcedure:
    case = lock(case)
    statemachine.check("start_special", case.status)
    if not any(has_role(user, t.department, Role.EXAMINER, Role.DECIDER)
               for t in case.tasks.filter(status__in=ACTIVE_TASK_STATUSES)):
        raise PermissionDenied("只有正在办理该办件的审查员或决定人可以启动特别程序",
                               code="permission.role_required")
    if kind not in SpecialProcedure.Kind.values:
        raise ValidationError("特别程序类别无效", code="case.special_kind")
    if isinstance(expected_days, bool) or not isinstance(expected_days, int) or not (
            1 <= expected_days <= MAX_SPECIAL_DAYS):
        raise ValidationError(f"预计时长应为1到{MAX_SPECIAL_DAYS}个工作日", code="case.special_days")
    procedure = SpecialProcedure.objects.create(
        case=case, kind=kind, reason=clean_reason(reason, required=True), expected_days=expected_days,
        started_by=user, started_at=timezone.now())
    move(case, "start_special", actor=user, reason=procedure.reason,
         data={"kind": procedure.get_kind_display(), "expected_days": expected_days})
    deadlines.refresh(case)
    tell_applicant(case, "办件进入特别程序",
                   f"进入特别程序（{procedure.get_kind_display()}），预计{expected_days}个工作日，"
                   "期间不计入办理时限。")
    return procedure


@transaction.atomic
def end_special(case: Case, user, result: str = "") -> SpecialProcedure:
    case = lock(case)
    statemachine.check("end_special", case.status)
    procedure = case.special_procedures.filter(ended_at__isnull=True).first()
    if procedure.started_by_id != user.pk and not has_role(user, case.department, Role.EXAMINER,
                                                           Role.DECIDER):
        raise PermissionDenied("只有发起人或实施部门的审查员、决定人可以结束特别程序",
                               code="permission.role_required")
    procedure.ended_at, procedure.result = timezone.now(), clean_reason(result, required=False)
    procedure.save(update_fields=["ended_at", "result"])
    move(case, "end_special", actor=user, reason=procedure.result)
    deadlines.refresh(case)
    tell_applicant(case, "特别程序已结束", "的特别程序已结束，恢复计时。")
    return procedure


# --- decision, certificate, delivery --------------------------------------------------------------


def _outstanding_tolerated(case: Case) -> list[str]:
    return [d["label"] for d in prereview(case).missing_tolerated] if case.tolerated else []


def commitment_verify_days() -> int:
    return int(getattr(settings, "CASE_COMMITMENT_VERIFY_DAYS", 20))


@transaction.atomic
def decide(case: Case, user, *, outcome: str, reason: str = "") -> Case:
    """办结: 通过 (or 容缺通过 while a 容缺 material is outstanding) or 不通过 with reasons. Only
    after every review branch has finished; 通过 only if none said no."""
    case = lock(case)
    statemachine.check("decide", case.status)
    return _decide(case, user, outcome=outcome, reason=reason, task=None)


def _decide(case: Case, user, *, outcome: str, reason: str, task: CaseTask | None) -> Case:
    if outcome not in OUTCOMES:
        raise ValidationError("决定结果应为通过或不通过", code="case.outcome_invalid")
    if case.tasks.filter(kind=TaskKind.REVIEW, status__in=[*ACTIVE_TASK_STATUSES,
                                                           TaskStatus.WAITING]).exists():
        raise CaseStateError("并联审查尚未全部完成，不能作出决定", code="case.review_pending")
    task = task or take(case, TaskKind.DECIDE, user)
    target = OUTCOMES[outcome]
    if target == Status.APPROVED:
        if case.tasks.filter(kind=TaskKind.REVIEW, status=TaskStatus.REJECTED).exists():
            raise ValidationError("有部门审查不同意，不能作出通过决定", code="case.review_rejected")
        if _outstanding_tolerated(case):
            target = Status.APPROVED_TOLERATED
    reason = clean_reason(reason, required=target == Status.DENIED, what="不通过的理由")
    finish_task(task, user, opinion=reason)
    move(case, "decide", actor=user, target=target, reason=reason)
    case.decided_at, case.outcome_reason = timezone.now(), reason
    fields = ["decided_at", "outcome_reason", "updated_at"]
    if target == Status.DENIED:
        case.closed_at = case.decided_at
        fields.append("closed_at")
        tell_applicant(case, "办件办结（不通过）", f"已办结，结果为不通过，理由：{reason}")
    else:
        open_task(case, TaskKind.CERTIFY, department=case.department)
        if case.commitment:
            due = workdays.add_working_days(timezone.localdate(), commitment_verify_days(),
                                            case.region).due_date
            open_task(case, TaskKind.VERIFY, department=case.department, due_date=due)
        tell_applicant(case, "办件办结（通过）", f"已办结，结果为{OUTCOME_WORDS[target]}，正在制作结果。")
    case.save(update_fields=fields)
    return case


@transaction.atomic
def certify(case: Case, user, note: str = "") -> Case:
    """制证: the result (licence or approval document) is made; the licences app listens."""
    case = lock(case)
    statemachine.check("certify", case.status)
    finish_task(take(case, TaskKind.CERTIFY, user), user, opinion=clean_reason(note, required=False))
    move(case, "certify", actor=user, reason=note)
    open_task(case, TaskKind.DELIVER, department=case.department)
    case_certified.send(sender=Case, case=case, actor=user)
    return case


DELIVERY_METHODS = dict(DeliveryMethod.choices)


@transaction.atomic
def deliver(case: Case, user, *, method: str = "online", note: str = "") -> Case:
    case = lock(case)
    statemachine.check("deliver", case.status)
    if method not in DELIVERY_METHODS:
        raise ValidationError("送达方式无效", code="case.delivery_method")
    finish_task(take(case, TaskKind.DELIVER, user), user, opinion=clean_reason(note, required=False))
    move(case, "deliver", actor=user, reason=note, data={"method": DELIVERY_METHODS[method]})
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at", "updated_at"])
    tell_applicant(case, "办理结果已送达", f"的办理结果已{DELIVERY_METHODS[method]}。")
    case_delivered.send(sender=Case, case=case, actor=user)
    return case


@transaction.atomic
def record_originals_checked(case: Case, user, *, place: str, materials: list[str],
                             note: str = "") -> Case:
    """核验原件: a clerk has seen the paper originals of an application made online and found them
    to match what was uploaded. Only a history entry: who may check originals where is the
    caller's rule (the hall's window clerks)."""
    case = lock(case)
    if case.status not in OPEN_STATUSES and case.status not in DECIDED_STATUSES:
        raise CaseStateError(f"办件{case.get_status_display()}，无需核验原件", code="case.closed")
    record(case, "originals_checked", actor=user, label="核验原件",
           reason=clean_reason(note, required=False, what="核验说明"),
           data={"place": place, "materials": list(materials)})
    return case


@transaction.atomic
def verify_commitment(task: CaseTask, user, *, confirmed: bool, note: str = "") -> CaseTask:
    """承诺核查 after a decision on commitment. A false commitment is reported to the region's
    supervisors, who may revoke the decision."""
    case = lock(task.case)
    task = take_task(lock_task(task), user)
    if task.kind != TaskKind.VERIFY:
        raise CaseStateError("该任务不是承诺核查任务", code="task.wrong_kind")
    note = clean_reason(note, required=not confirmed, what="核查情况")
    finish_task(task, user, status=TaskStatus.DONE if confirmed else TaskStatus.REJECTED, opinion=note)
    record(case, "commitment_verified", actor=user,
           label="承诺核查：" + ("属实" if confirmed else "不属实"), reason=note)
    if not confirmed:
        tell_staff(supervisors_of(case), "承诺核查不属实",
                   f"办件{case.number}的承诺经核查不属实：{note}，请依法处理。")
    return task


@transaction.atomic
def revoke(case: Case, user, reason: str) -> Case:
    """撤销 by a supervisor (监察员) of the case's region, with the reason."""
    case = lock(case)
    require_supervisor(user, case)
    reason = clean_reason(reason, required=True, what="撤销理由")
    move(case, "revoke", actor=user, reason=reason)
    cancel_open_tasks(case)
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at", "updated_at"])
    tell_applicant(case, "办件已撤销", f"已被撤销，理由：{reason}")
    return case

