"""The shapes of the case API (applicant and staff routers): request bodies, and how a case, a
task and a bundle application read as JSON. Personal data is masked everywhere except in the
staff detail that ``services.view_case`` has audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from yiwang.common.identifiers import mask_id, mask_phone
from yiwang.common.schemas import Id, Int64

from . import deadlines, selectors, statemachine
from .models import FINAL_STATUSES, Case, CaseTask, Status
from .services.prefilling import prefill_notes

# --- requests ------------------------------------------------------------------------------------


class StartIn(Schema):
    item_code: str
    company_id: Id | None = None


class DraftIn(Schema):
    form_data: dict[str, Any] = {}
    commitment: bool | None = None
    commitment_text: str | None = None


class BundleStartIn(Schema):
    company_id: Id | None = None


class BundleDraftIn(Schema):
    form_data: dict[str, Any] = {}


class ReasonIn(Schema):
    reason: str = ""


class AcceptIn(Schema):
    tolerated: bool = False
    tolerated_until: date | None = None
    decide_now: str | None = None
    reason: str = ""


class DefectIn(Schema):
    kind: str
    target: str = ""
    message: str = ""


class CorrectionIn(Schema):
    defects: list[DefectIn]
    note: str = ""


class ReviewIn(Schema):
    approve: bool
    opinion: str = ""


class SpecialIn(Schema):
    kind: str
    reason: str
    expected_days: Int64


class SpecialEndIn(Schema):
    result: str = ""


class DecideIn(Schema):
    outcome: str
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


class DeliverIn(Schema):
    method: str = "online"
    note: str = ""


class CommitmentCheckIn(Schema):
    confirmed: bool
    note: str = ""


class StepIn(Schema):
    stage: Int64
    name: str
    department: Id


class WorkflowIn(Schema):
    steps: list[StepIn]


# --- answers -------------------------------------------------------------------------------------


class Labelled(Schema):
    value: str
    label: str


class WarningOut(Schema):
    level: str
    label: str
    days_left: int | None


class CaseDeadlineOut(Schema):
    time_limit: int
    due_date: date | None
    provisional: bool
    warning: WarningOut | None
    explanation: list[str]


class CaseSummary(Schema):
    id: int
    number: str | None
    item_code: str
    item_name: str
    department: str
    status: Labelled
    applicant_name: str
    applicant_id_number: str
    company_id: int | None
    due_date: date | None
    warning: WarningOut | None
    submitted_at: datetime | None
    created_at: datetime


class CasePage(Schema):
    items: list[CaseSummary]
    total: int
    page: int
    page_size: int
    pages: int


class FileOut(Schema):
    id: int
    material_id: int | None
    material: str | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    superseded: bool


class MaterialOut(Schema):
    id: int
    name: str
    necessity: Labelled
    form: str


class CaseEventOut(Schema):
    action: str
    label: str
    from_status: str
    to_status: str
    actor_name: str = Field(description="操作人：工作人员查看时为姓名，申请人查看时为办理部门")
    on_behalf: str
    reason: str
    at: datetime


class DefectOut(Schema):
    kind: str
    target: str
    label: str
    message: str


class CorrectionOut(Schema):
    requested_at: datetime
    resolved_at: datetime | None
    note: str
    defects: list[DefectOut]


class TaskBrief(Schema):
    name: str
    kind: Labelled
    stage: int
    status: Labelled


class DepartmentProgress(Schema):
    department: str
    tasks: list[TaskBrief]


class CaseDetail(CaseSummary):
    contact_name: str
    contact_mobile: str
    form_data: dict[str, Any]
    # By field name, where a pre-filled value came from: {"phone": "来自实名账号"}.
    prefilled: dict[str, str] = {}
    commitment: bool
    commitment_text: str
    tolerated: bool
    tolerated_until: date | None
    accepted_at: datetime | None
    decided_at: datetime | None
    closed_at: datetime | None
    outcome_reason: str
    deadline: CaseDeadlineOut
    next_step: str
    actions: list[str]
    departments: list[DepartmentProgress]
    events: list[CaseEventOut]
    files: list[FileOut]
    materials: list[MaterialOut]
    correction: CorrectionOut | None


class PreReviewOut(Schema):
    passed: bool
    defects: list[DefectOut]
    missing_tolerated: list[DefectOut]


class TaskOut(Schema):
    id: int
    case_id: int
    case_number: str | None
    item_name: str
    applicant_name: str
    name: str
    kind: Labelled
    stage: int
    status: Labelled
    department_id: int
    department: str
    assignee: str | None
    claimed_at: datetime | None
    due_date: date | None
    warning: WarningOut | None


class KindCount(Schema):
    kind: str
    label: str
    count: int


class TaskCounts(Schema):
    total: int
    open: int
    mine: int
    yellow: int
    red: int
    kinds: list[KindCount]


class TaskPage(Schema):
    items: list[TaskOut]
    total: int
    page: int
    page_size: int
    pages: int
    counts: TaskCounts


class SpecialOut(Schema):
    kind: Labelled
    reason: str
    expected_days: Int64
    started_at: datetime
    ended_at: datetime | None
    result: str


class StaffCaseDetail(CaseDetail):
    tasks: list[TaskOut]
    corrections: list[CorrectionOut]
    special_procedures: list[SpecialOut]


class StepOut(Schema):
    id: int
    stage: int
    name: str
    department_id: int
    department: str


class ProgressOut(Schema):
    """The public progress answer: where the case stands, never who applied beyond a masked name."""

    number: str
    item_name: str
    department: str
    status: Labelled
    next_step: str
    applicant: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    due_date: date | None
    provisional: bool


class ProgressCase(Schema):
    id: int
    number: str | None
    item_name: str
    department: str
    status: Labelled


class BundleProgressOut(Schema):
    id: int
    bundle: str
    slug: str
    label: str
    finished: bool
    submitted_at: datetime | None
    form_data: dict[str, Any]
    cases: list[ProgressCase]


class MergedMaterialOut(Schema):
    key: str
    name: str
    necessity: Labelled
    items: list[str]


class BundleFormOut(Schema):
    slug: str
    name: str
    description: str
    lead_department: str
    items: list[str]
    fields: list[dict[str, Any]]
    materials: list[MergedMaterialOut]


class AttachedOut(Schema):
    attached: int
    application: BundleProgressOut


# --- shaping -------------------------------------------------------------------------------------

# What the applicant may do next, besides the transitions the state machine allows them.
APPLICANT_TRANSITIONS = ("submit", "resubmit", "withdraw")
EDITABLE = (Status.DRAFT, Status.CORRECTING)
STAFF_TRANSITIONS = tuple(a for a in statemachine.TRANSITIONS if a not in APPLICANT_TRANSITIONS)


def labelled(value: str, label) -> dict:
    return {"value": value, "label": str(label)}


def warning_of(case: Case) -> dict | None:
    warning = deadlines.warning(case)
    if warning is None:
        return None
    return {"level": warning.level, "label": warning.label, "days_left": warning.days_left}


def _deadline(case: Case) -> dict:
    deadline = deadlines.compute(case) if case.time_limit else None
    return {"time_limit": case.time_limit, "due_date": case.due_date,
            "provisional": case.deadline_provisional, "warning": warning_of(case),
            "explanation": deadline.explanation if deadline else []}


def case_summary(case: Case, *, reveal: bool = False) -> dict:
    id_number = case.applicant_id_number
    return {
        "id": case.pk, "number": case.number, "item_code": case.item.implementation_code,
        "item_name": case.version.name, "department": case.department.name,
        "status": labelled(case.status, case.get_status_display()),
        "applicant_name": case.applicant_name,
        "applicant_id_number": id_number if reveal or case.company_id else mask_id(id_number),
        "company_id": case.company_id, "due_date": case.due_date, "warning": warning_of(case),
        "submitted_at": case.submitted_at, "created_at": case.created_at,
    }


def applicant_actions(case: Case) -> list[str]:
    actions = [a for a in statemachine.allowed_actions(case.status) if a in APPLICANT_TRANSITIONS]
    if case.status in EDITABLE:
        actions = ["edit", "upload", "prereview", *actions]
    if case.tolerated and case.status not in FINAL_STATUSES:
        actions.append("supply_tolerated")
    return actions


def file_out(f) -> dict:
    return {"id": f.pk, "material_id": f.material_id, "material": f.material.name if f.material else None,
            "original_name": f.original_name, "content_type": f.content_type, "size": f.size,
            "sha256": f.sha256, "uploaded_at": f.uploaded_at, "superseded": f.superseded}


def _correction(c) -> dict:
    return {"requested_at": c.requested_at, "resolved_at": c.resolved_at, "note": c.note,
            "defects": c.defects}


def _departments(tasks: list[CaseTask]) -> list[dict]:
    grouped: dict[str, list[dict]] = {}
    for t in tasks:
        grouped.setdefault(t.department.name, []).append({
            "name": t.name, "kind": labelled(t.kind, t.get_kind_display()), "stage": t.stage,
            "status": labelled(t.status, t.get_status_display())})
    return [{"department": name, "tasks": items} for name, items in grouped.items()]


def _loaded(case: Case) -> Case:
    """The case with everything the detail reads, in a fixed number of queries."""
    return (Case.objects.select_related("item", "version", "department", "region")
            .prefetch_related("events", "files__material", "version__materials", "corrections",
                              "special_procedures", "tasks__department", "tasks__assignee")
            .get(pk=case.pk))


def _detail(case: Case, *, reveal: bool, actions: list[str], staff: bool = False) -> dict:
    tasks = list(case.tasks.all())
    open_correction = next((c for c in reversed(case.corrections.all()) if c.resolved_at is None),
                           None)
    mobile = case.contact_mobile
    return {
        **case_summary(case, reveal=reveal),
        "contact_name": case.contact_name,
        "contact_mobile": mobile if reveal else mask_phone(mobile),
        "form_data": case.form_data, "prefilled": prefill_notes(case), "commitment": case.commitment,
        "commitment_text": case.commitment_text, "tolerated": case.tolerated,
        "tolerated_until": case.tolerated_until, "accepted_at": case.accepted_at,
        "decided_at": case.decided_at, "closed_at": case.closed_at,
        "outcome_reason": case.outcome_reason, "deadline": _deadline(case),
        "next_step": selectors.next_step(case), "actions": actions, "departments": _departments(tasks),
        "events": [{"action": e.action, "label": e.label, "from_status": e.from_status,
                    "to_status": e.to_status,
                    "actor_name": e.actor_name if staff else e.public_actor, "on_behalf": e.on_behalf,
                    "reason": e.reason, "at": e.at} for e in case.events.all()],
        "files": [file_out(f) for f in case.files.all()],
        "materials": [{"id": m.pk, "name": m.name,
                       "necessity": labelled(m.necessity, m.get_necessity_display()), "form": m.form}
                      for m in case.version.materials.all()],
        "correction": _correction(open_correction) if open_correction else None,
    }


def case_detail(case: Case) -> dict:
    """The applicant's view of their case: personal data masked like everywhere else."""
    case = _loaded(case)
    return _detail(case, reveal=False, actions=applicant_actions(case))


def staff_actions(case: Case) -> list[str]:
    return [a for a in statemachine.allowed_actions(case.status) if a in STAFF_TRANSITIONS]


def staff_case_detail(case: Case, *, reveal: bool) -> dict:
    """The staff view; ``reveal`` only for the read that ``services.view_case`` audited."""
    case = _loaded(case)
    return {
        **_detail(case, reveal=reveal, actions=staff_actions(case), staff=True),
        "tasks": [task_out(t) for t in case.tasks.all()],
        "corrections": [_correction(c) for c in case.corrections.all()],
        "special_procedures": [
            {"kind": labelled(p.kind, p.get_kind_display()), "reason": p.reason,
             "expected_days": p.expected_days, "started_at": p.started_at, "ended_at": p.ended_at,
             "result": p.result} for p in case.special_procedures.all()],
    }


def task_out(task: CaseTask) -> dict:
    case = task.case
    assignee = task.assignee
    return {
        "id": task.pk, "case_id": case.pk, "case_number": case.number,
        "item_name": case.version.name, "applicant_name": case.applicant_name, "name": task.name,
        "kind": labelled(task.kind, task.get_kind_display()), "stage": task.stage,
        "status": labelled(task.status, task.get_status_display()),
        "department_id": task.department_id, "department": task.department.name,
        "assignee": (assignee.get_full_name() or assignee.get_username()) if assignee else None,
        "claimed_at": task.claimed_at, "due_date": task.due_date or case.due_date,
        "warning": warning_of(case),
    }


def bundle_progress_out(progress) -> dict:
    application = progress.application
    return {
        "id": application.pk, "bundle": application.version.name, "slug": application.bundle.slug,
        "label": progress.label, "finished": progress.finished,
        "submitted_at": application.submitted_at, "form_data": application.form_data,
        "cases": [{"id": c.pk, "number": c.number, "item_name": c.version.name,
                   "department": c.department.name,
                   "status": labelled(c.status, c.get_status_display())} for c in progress.cases],
    }
