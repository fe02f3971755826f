"""Staff pages of case handling (办件办理): the task queue, the case page with a form for each
action the user may take, printable notices, the supervisors' case list and the workflow editor.

Each view finds the case through ``yiwang.cases.access`` (a case of another department is "not
found"), calls one service and renders. The forms shown are only a hint: the service decides,
and a refusal comes back as its message with its status code (403, 409, 400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yiwang.cases import access, deadlines, queues, selectors, services, statemachine
from yiwang.cases.models import ACTIVE_TASK_STATUSES, Case, CaseTask, SpecialProcedure, Status, TaskKind
from yiwang.catalog import selectors as catalog_selectors
from yiwang.catalog.models import HandlingKind, ServiceItem
from yiwang.common.errors import DomainError, NotFound
from yiwang.common.forms import object_ids
from yiwang.common.identifiers import mask_id
from yiwang.common.pagination import paginate
from yiwang.licences import selectors as licence_selectors
from yiwang.orgs.services import departments_for

from . import case_forms
from .case_forms import error_text
from .views import _errors, _found, any_staff_required, staff_who

# Staff with a case-handling role somewhere, or a supervisor.
case_staff_required = staff_who(access.handles_cases, "您没有办件办理权限")


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# --- the queue -------------------------------------------------------------------------------------


def _render_queue(request, *, status: int = 200):
    user = request.user
    form = case_forms.QueueFilterForm(request.GET, departments=departments_for(user, *access.CASE_ROLES))
    if not form.is_valid():
        return render(request, "workbench/cases/queue.html", {"form": form, "page": None}, status=400)
    today = timezone.localdate()
    page = paginate(queues.queue(user, today=today, **form.filters()),
                    form.cleaned_data["page"] or 1)
    for task in page.items:
        task.masked_id = mask_id(task.case.applicant_id_number)
    return render(request, "workbench/cases/queue.html", {
        "form": form, "page": page, "tab": form.filters()["tab"], "tabs": queues.TABS,
        "counts": queues.queue_counts(user, today),
    }, status=status)


@case_staff_required
def case_queue(request):
    return _render_queue(request)


def _visible_tasks(user):
    """Tasks on cases the user may see: one they lack the role for is refused by the service
    (403); one on a case they may not see does not exist for them (404)."""
    return CaseTask.objects.filter(case__in=access.staff_cases(user)).select_related("case", "department")


def _task(user, pk) -> CaseTask:
    task = _visible_tasks(user).filter(pk=pk).first()
    if task is None:
        raise NotFound("任务不存在或您无权查看", code="task.not_found")
    return task


def _task_action(request, pk: int, run, done: str):
    task = _found(_task, request.user, pk)
    try:
        run(task, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_queue(request, status=exc.status)
    messages.success(request, f"办件{task.case.number}“{task.name}”{done}")
    return redirect(_next(request, "workbench:case-queue"))


@case_staff_required
@require_POST
def task_claim(request, pk: int):
    return _task_action(request, pk, services.claim, "已认领")


@case_staff_required
@require_POST
def task_release(request, pk: int):
    return _task_action(request, pk, services.release, "已释放回待认领")


@case_staff_required
@require_POST
def task_claim_many(request):
    """Claim several tasks at once, each on its own: what was claimed and why the others were
    not. When none could be claimed the answer carries the first refusal's status."""
    ids = [str(i) for i in object_ids(request.POST.getlist("task"))]
    if not ids:
        messages.error(request, "请先勾选要认领的任务")
        return _render_queue(request, status=400)
    tasks = {str(t.pk): t for t in _visible_tasks(request.user).filter(pk__in=ids)}
    claimed, refusals = 0, []
    for pk in ids:
        try:
            task = tasks.get(pk)
            if task is None:
                raise NotFound(f"任务{pk}不存在或您无权查看", code="task.not_found")
            services.claim(task, request.user)
        except DomainError as exc:
            where = f"办件{task.case.number}“{task.name}”：" if task else ""
            refusals.append((exc.status, where + exc.message))
        else:
            claimed += 1
    if claimed:
        messages.success(request, f"已认领{claimed}项任务")
    if refusals:
        messages.error(request, f"{len(refusals)}项未能认领：" + "；".join(m for _, m in refusals))
    if not claimed:
        return _render_queue(request, status=refusals[0][0])
    return redirect(_next(request, "workbench:case-queue"))


# --- the case page ---------------------------------------------------------------------------------


def _can_revoke(user, case: Case) -> bool:
    try:
        access.require_supervisor(user, case)
    except DomainError:
        return False
    return True


def _actions(user, case: Case, tasks: list[CaseTask]) -> dict[str, object]:
    """The action forms to show, by the state machine's action names: the state machine allows
    the action and the user holds the role for its active task. The value is what the form
    needs (the tasks to answer, the correction checklist)."""
    allowed = set(statemachine.allowed_actions(case.status))
    mine = [t for t in tasks if t.status in ACTIVE_TASK_STATUSES and access.can_act_on_task(user, t)]
    kinds = {t.kind for t in mine}
    actions: dict[str, object] = {}
    if "accept" in allowed and TaskKind.ACCEPT in kinds:
        actions["accept"] = {"immediate": case.version.handling_kind == HandlingKind.IMMEDIATE}
        actions["not_accept"] = True
        if case.bundle_application_id:
            actions["accept_bundle"] = True
    if "request_correction" in allowed and kinds & {TaskKind.ACCEPT, TaskKind.REVIEW}:
        actions["request_correction"] = case_forms.correction_checklist(case)
    reviews = [t for t in mine if t.kind == TaskKind.REVIEW and t.assignee_id in (None, user.pk)]
    if reviews and case.status in (Status.ACCEPTED, Status.REVIEWING):
        actions["complete_review"] = reviews
    if "start_special" in allowed and kinds & {TaskKind.REVIEW, TaskKind.DECIDE}:
        actions["start_special"] = True
    if "end_special" in allowed and (kinds or any(p.started_by_id == user.pk and p.ended_at is None
                                                  for p in case.special_procedures.all())):
        actions["end_special"] = True
    for name, kind in (("decide", TaskKind.DECIDE), ("certify", TaskKind.CERTIFY),
                       ("deliver", TaskKind.DELIVER)):
        if name in allowed and kind in kinds:
            actions[name] = True
    if verifications := [t for t in mine if t.kind == TaskKind.VERIFY]:
        actions["verify_commitment"] = verifications
    if "revoke" in allowed and _can_revoke(user, case):
        actions["revoke"] = True
    return actions


def _form_rows(case: Case) -> list[tuple[str, object, str]]:
    """(label, value, where a pre-filled value came from) of each field of the form."""
    notes = services.prefill_notes(case)
    return [(f["label"], case.form_data.get(f["name"]), notes.get(f["name"], ""))
            for f in case.version.form_definition]


def _render_case(request, pk, *, status: int = 200):
    case = _found(partial(services.view_case, ip=_ip(request)), request.user, pk)
    tasks = list(case.tasks.select_related("department", "assignee", "completed_by"))
    deadline = deadlines.compute(case)
    licence = getattr(case, "licence", None)
    return render(request, "workbench/cases/detail.html", {
        "case": case,
        "form_rows": _form_rows(case),
        "files": selectors.shown_files(case),
        "tasks": tasks,
        "corrections": case.corrections.select_related("requested_by"),
        "specials": case.special_procedures.select_related("started_by"),
        "events": case.events.all(),
        "decision_title": selectors.decision_title(case),
        "licence": licence,
        # The licence page only for staff who manage that licence (its department's 制证员).
        "manages_licence": licence is not None and licence_selectors.staff_licences(request.user)
        .filter(pk=licence.pk).exists(),
        "deadline": deadline,
        "warning": deadlines.warning(case),
        "actions": _actions(request.user, case, tasks),
        "special_kinds": SpecialProcedure.Kind.choices,
        "delivery_methods": services.DELIVERY_METHODS,
        "today": timezone.localdate(),
    }, status=status)


@case_staff_required
def case_detail(request, pk: int):
    return _render_case(request, pk)


@case_staff_required
def case_file(request, pk: int, file_pk: int):
    """A material, streamed from storage as an attachment; the download is audited."""
    case_file = _found(partial(services.open_file, ip=_ip(request)), request.user, pk, file_pk)
    try:
        handle = case_file.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已丢失，请联系系统管理员") from None
    return FileResponse(handle, as_attachment=True, filename=case_file.original_name,
                        content_type=case_file.content_type)


@dataclass(frozen=True)
class CaseAction:
    form: type[case_forms.CaseForm]
    run: Callable[[Case, object, dict], object]
    done: str


CASE_ACTIONS = {
    "accept": CaseAction(case_forms.AcceptForm, lambda case, user, d: services.accept(
        case, user, tolerated=d["tolerated"], tolerated_until=d["tolerated_until"],
        decide_now="approved" if d["decide_now"] else None, reason=d["reason"]), "已受理"),
    "accept-bundle": CaseAction(case_forms.BundleForm, lambda case, user, d: services.accept_bundle(
        case.bundle_application, user), "已一窗受理该“一件事”的全部办件"),
    "not-accept": CaseAction(case_forms.ReasonForm, lambda case, user, d: services.not_accept(
        case, user, d["reason"]), "已作出不予受理决定"),
    "request-correction": CaseAction(case_forms.CorrectionForm, lambda case, user, d:
                                     services.request_correction(case, user, d["defects"], d["note"]),
                                     "已一次性告知申请人补正"),
    "complete-review": CaseAction(case_forms.ReviewForm, lambda case, user, d: services.complete_review(
        d["task"], user, approve=d["approve"], opinion=d["opinion"]), "审查意见已提交"),
    "start-special": CaseAction(case_forms.SpecialForm, lambda case, user, d: services.start_special(
        case, user, kind=d["kind"], reason=d["reason"], expected_days=d["expected_days"]),
        "已启动特别程序，期间暂停计时"),
    "end-special": CaseAction(case_forms.ResultForm, lambda case, user, d: services.end_special(
        case, user, d["result"]), "特别程序已结束，恢复计时"),
    "decide": CaseAction(case_forms.DecideForm, lambda case, user, d: services.decide(
        case, user, outcome=d["outcome"], reason=d["reason"]), "已作出决定"),
    "certify": CaseAction(case_forms.NoteForm, lambda case, user, d: services.certify(
        case, user, d["note"]), "已制证"),
    "deliver": CaseAction(case_forms.DeliverForm, lambda case, user, d: services.deliver(
        case, user, method=d["method"], note=d["note"]), "已送达"),
    "verify-commitment": CaseAction(case_forms.VerifyForm, lambda case, user, d:
                                    services.verify_commitment(d["task"], user, confirmed=d["confirmed"],
                                                               note=d["note"]), "承诺核查结果已记录"),
    "revoke": CaseAction(case_forms.ReasonForm, lambda case, user, d: services.revoke(
        case, user, d["reason"]), "办件已撤销"),
}


@case_staff_required
@require_POST
def case_action(request, pk: int, action: str):
    case = _found(access.staff_case, request.user, pk)
    spec = CASE_ACTIONS[action]
    form = spec.form(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return _render_case(request, pk, status=400)
    try:
        spec.run(case, request.user, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_case(request, pk, status=exc.status)
    messages.success(request, spec.done)
    return redirect("workbench:case-detail", pk=pk)


# --- printable notices -----------------------------------------------------------------------------

DOCUMENTS = {"acceptance": "受理通知书", "refusal": "不予受理决定书", "correction": "一次性告知书",
             "decision": "决定书"}


def _document_context(request, case: Case, kind: str) -> dict:
    """What the notice states, or NotFound when the case has no such notice (yet)."""
    if kind == "acceptance" and case.accepted_at is not None:
        event = case.events.filter(action="accept").last()
        return {"tolerated": (event.data.get("tolerated") if event else None) or []}
    if kind == "refusal" and case.status == Status.NOT_ACCEPTED:
        return {}
    if kind == "correction":
        corrections = case.corrections.all()
        wanted = request.GET.get("correction", "")
        correction = corrections.filter(pk=wanted).first() if wanted.isdigit() else corrections.last()
        if correction is not None:
            return {"correction": correction}
    if kind == "decision" and (title := selectors.decision_title(case)) is not None:
        return {"title": title, "licence": getattr(case, "licence", None)}
    raise Http404(f"该办件没有{DOCUMENTS[kind]}")


@case_staff_required
def case_document(request, pk: int, kind: str):
    if kind not in DOCUMENTS:
        raise Http404("文书类型不存在")
    case = _found(partial(services.view_case, ip=_ip(request)), request.user, pk)
    return render(request, f"workbench/cases/document_{kind}.html", {
        "case": case, "title": DOCUMENTS[kind],
        **_document_context(request, case, kind)})


# --- supervisors -----------------------------------------------------------------------------------


@case_staff_required
def case_list(request):
    """Every case of the supervisor's regions."""
    if not access.supervises_cases(request.user):
        raise PermissionDenied("只有监察员可以查看本区划的全部办件")
    form = case_forms.CaseFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "workbench/cases/case_list.html", {"form": form, "page": None},
                      status=400)
    data = form.cleaned_data
    page = paginate(queues.region_cases(request.user, status=data["status"],
                                                warning=data["warning"], q=data["q"]),
                    data["page"] or 1)
    for case in page.items:
        case.masked_id = mask_id(case.applicant_id_number)
    return render(request, "workbench/cases/case_list.html", {"form": form, "page": page})


# --- the workflow editor ---------------------------------------------------------------------------


def _workflow_item(user, pk) -> ServiceItem:
    """The item, for its department's catalogue staff and for those who may edit its workflow."""
    item = ServiceItem.objects.select_related("department", "region").filter(pk=pk).first()
    if item is None or not (catalog_selectors.staff_items(user).filter(pk=pk).exists()
                            or services.can_edit_workflow(user, item)):
        raise NotFound("事项不存在或不属于您所在的部门", code="item.not_found")
    return item


@any_staff_required
def item_workflow(request, pk: int):
    item = _found(_workflow_item, request.user, pk)
    steps = services.workflow_of(item)
    formset = case_forms.workflow_formset(item, steps, request.POST or None)
    errors, status = [], 200
    if request.method == "POST":
        if not formset.is_valid():
            errors, status = ["请检查标红的环节"], 400
        else:
            try:
                services.set_workflow(item, case_forms.workflow_steps(formset), actor=request.user)
            except DomainError as exc:
                errors, status = _errors(exc), exc.status
            else:
                messages.success(request, "审批流程已保存，此后受理的办件按新流程办理")
                return redirect("workbench:item-workflow", pk=pk)
    latest = item.versions.order_by("-number").first()
    return render(request, "workbench/cases/workflow.html", {
        "item": item, "name": latest.name if latest else item.handling_code, "steps": steps,
        "formset": formset, "errors": errors, "can_edit": services.can_edit_workflow(request.user, item),
    }, status=status)

