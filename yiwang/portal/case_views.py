"""The applicant's case pages (网上申请、我的办件): apply, fill in and upload, pre-review, submit
with a receipt, follow a case and withdraw it, fix a correction, supply a 容缺 material, and the
public progress query (办件进度查询). 一件事 pages are in ``bundle_views``.

Each view parses the request, finds the case through ``yiwang.cases.access`` (someone else's
case does not exist for the user: 404), calls one service and renders or redirects. A
DomainError becomes the form's message, or the error page, with the error's HTTP status.
Submitting goes through a confirmation page whose form carries a fresh idempotency key, so a
double click or a re-posted refresh returns the case already created instead of a second one.
"""

from __future__ import annotations

import operator
import uuid
from functools import reduce, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from yiwang.accounts.services import companies_of
from yiwang.accounts.views import ACTING_SESSION_KEY, client_ip
from yiwang.cases import access, deadlines, selectors, services, statemachine
from yiwang.cases.models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Status,
    TaskKind,
    TaskStatus,
)
from yiwang.cases.prereview import current_files, prereview
from yiwang.cases.uploads import ALLOWED, max_upload_bytes, refuse_oversized_request, size_label
from yiwang.catalog import services as catalog_services
from yiwang.catalog.models import Audience, MaterialForm
from yiwang.common.errors import (
    Conflict,
    DomainError,
    NotFound,
    TooManyRequests,
    ValidationError,
)
from yiwang.common.identifiers import mask_id
from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors
from yiwang.exchange.selectors import usable_licences, usable_records
from yiwang.licences.selectors import wallet_licences
from yiwang.notify.models import Channel, Message

LIST_PAGE_SIZE = 20
MESSAGES_SHOWN = 20
ACCEPT = ",".join(ALLOWED)
EDITABLE = (Status.DRAFT, Status.CORRECTING)
STATUS_GROUPS = {
    "draft": ("草稿", (Status.DRAFT,)),
    "open": ("办理中", OPEN_STATUSES),
    "done": ("已办结", (*DECIDED_STATUSES, Status.CERTIFIED, Status.DELIVERED, Status.NOT_ACCEPTED,
                     Status.WITHDRAWN, Status.REVOKED)),
}
# How the applicant reads a review branch of the parallel review (并联审批).
REVIEW_LABELS = {TaskStatus.WAITING: "待前序环节完成", TaskStatus.OPEN: "待审查",
                 TaskStatus.CLAIMED: "审查中", TaskStatus.DONE: "同意", TaskStatus.REJECTED: "不同意"}
# What to do about a refusal to start an application: (link text, URL, explanation).
APPLY_HELP = {
    "assurance.too_low": ("查看我的实名等级", "/accounts/me/",
                          "L2 实名等级需通过人口库核验；L3 需携带本人居民身份证到政务服务大厅窗口现场核验。"),
    "assurance.no_citizen": ("注册个人账号", "/accounts/register/",
                             "网上申请须使用实名注册的个人账号（法人事项由法定代表人或经办人登录后代表单位申请）。"),
    "case.company_required": ("注册法人账号", "/accounts/companies/register/",
                              "法定代表人可注册法人账号；经办人请先取得单位的经办授权。"),
    "agent.not_authorized": ("切换办事身份", "/accounts/me/", "请选择您有权代表的单位。"),
    "agent.expired": ("切换办事身份", "/accounts/me/", "请联系单位法定代表人重新授权。"),
    "agent.revoked": ("切换办事身份", "/accounts/me/", "请联系单位法定代表人重新授权。"),
    "agent.out_of_scope": ("切换办事身份", "/accounts/me/", "请联系单位法定代表人扩大授权事项范围。"),
}


def applicant_page(view):
    return login_required(shows_domain_errors(view))


def refuses_oversize(view):
    """An upload view. ``uploads.refuse_oversized_request`` answers 413 before anything reads
    the body — the CSRF check would read it too, so that check runs here after the size check
    instead of in the middleware, and stays on."""
    protected = csrf_protect(view)

    @wraps(view)
    def guarded(request, *args, **kwargs):
        refuse_oversized_request(request.META)
        return protected(request, *args, **kwargs)

    return csrf_exempt(login_required(require_POST(shows_domain_errors(guarded))))


def _upload(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError("请选择要上传的文件", code="case.file_missing")
    return upload


def _company_id(request) -> int | None:
    value = request.POST.get("company") or None
    try:
        return int(value) if value else None
    except ValueError:
        raise ValidationError("申请单位无效", code="case.company_invalid") from None


def _company_choices(request, versions) -> dict:
    """The identity selector: shown when an item is for companies (法人), the acting company of
    the session selected."""
    if not any(v.audience == Audience.COMPANY for v in versions):
        return {"companies": None}
    return {"companies": companies_of(request.user), "acting": request.session.get(ACTING_SESSION_KEY)}


def _posted_form(definition: list[dict], post) -> dict:
    return {f["name"]: (f["name"] in post) if f["type"] == "checkbox" else post.get(f["name"], "")
            for f in definition}


def _defects_of(exc: DomainError) -> list[dict] | None:
    if exc.code == "case.prereview_failed":
        return exc.details["defects"]
    return None


def _status(request, exc: DomainError) -> int:
    # htmx swaps only successful answers; the message goes into the page either way.
    return 200 if request.htmx else exc.status


def _field_rows(definition, values: dict, errors: dict, *, notes=None, offered=None) -> list[dict]:
    """The form's fields with their values and errors, where a value was pre-filled from
    (``notes``) and what the applicant gave the field before (``offered``, a datalist)."""
    notes, offered = notes or {}, offered or {}
    return [{**f, "value": values.get(f["name"], ""), "error": errors.get(("field", f["name"])),
             "prefilled": notes.get(f["name"]), "suggestions": offered.get(f["name"], [])}
            for f in definition]


# --- applying ------------------------------------------------------------------------------------


@applicant_page
def apply(request, code: str):
    """Start a draft for an item. For an item of companies the user picks which one to act for."""
    item = catalog_services.get_published_item(code)
    version = item.published_version
    context = {"item": item, "version": version, "drafts": services.open_drafts(request.user, item),
               **_company_choices(request, [version])}
    if request.method == "POST":
        try:
            case = services.start_application(request.user, item, company_id=_company_id(request))
        except DomainError as exc:
            return render(request, "portal/cases/apply.html",
                          {**context, "error": exc, "help": APPLY_HELP.get(exc.code)}, status=exc.status)
        return redirect("portal:case-edit", pk=case.pk)
    return render(request, "portal/cases/apply.html", context)


def _edit_context(case, *, defects=None, review=None, posted=None, material_errors=None,
                  error=None) -> dict:
    version = case.version
    correction = services.open_correction(case) if case.status == Status.CORRECTING else None
    if defects is None:
        defects = review.defects if review else (correction.defects if correction else [])
    errors = {(d["kind"], d["target"]): d["message"] for d in defects}
    errors.update({("material", k): v for k, v in (material_errors or {}).items()})
    files = current_files(case)
    # Each reuse is judged now as submission would judge it, so a licence revoked (or a record
    # changed) since it was attached never reads 已核验 here.
    lapsed = {f.material_id: refusal.message for f, refusal in services.lapsed_reuses(case)}
    materials = [{
        "key": str(m.pk), "name": m.name, "necessity": m.necessity,
        "necessity_label": m.get_necessity_display(), "online": m.form != MaterialForm.PAPER,
        "note": m.acceptance_standard, "files": files.get(m.pk, []),
        "error": errors.get(("material", str(m.pk))), "lapsed": lapsed.get(m.pk),
        "licences": usable_licences(case, m), "records": usable_records(case, m),
    } for m in version.materials.all()]
    return {
        "case": case, "version": version, "correction": correction, "review": review,
        "defects": defects, "error": error,
        "fields": _field_rows(version.form_definition, posted or case.form_data, errors,
                              notes=services.prefill_notes(case), offered=services.suggestions(case)),
        "registry_offers": services.registry_offers(case) if case.status == Status.DRAFT else [],
        "commitment_errors": [d["message"] for d in defects if d["kind"] == "commitment"],
        "materials": materials, "accept": ACCEPT, "max_upload": size_label(max_upload_bytes()),
        "data_users": case.department.name, "data_purpose": "本件",
        # A draft's file may be deleted; during 补正 it is replaced and kept (services.remove_file).
        "delete_allowed": case.status == Status.DRAFT,
    }


def _render_edit(request, case, *, status: int = 200, **context):
    return render(request, "portal/cases/edit.html", _edit_context(case, **context), status=status)


@applicant_page
def case_edit(request, pk: int):
    """The draft (or, during 补正, the case being corrected): save, pre-review (which saves what
    is on screen first, so it reviews what the applicant sees), or go on to submit."""
    case = access.applicant_case(request.user, pk)
    if case.bundle_application_id and case.status == Status.DRAFT:
        return redirect("portal:bundle-edit", pk=case.bundle_application_id)
    if case.status not in EDITABLE:
        return redirect("portal:case-detail", pk=case.pk)
    if request.method != "POST":
        return _render_edit(request, case)
    form_data = _posted_form(case.version.form_definition, request.POST)
    try:
        case = _save_posted(request, case)
    except DomainError as exc:
        return _render_edit(request, case, error=exc, posted=form_data, status=exc.status)
    action = request.POST.get("action")
    if action == "registry":
        return _fill_from_registry(request, case, services.fill_from_registry, _render_edit,
                                   "portal:case-edit")
    if action == "check":
        return _render_edit(request, case, review=services.check_draft(case))
    if action == "submit":
        target = "portal:case-resubmit" if case.status == Status.CORRECTING else "portal:case-submit"
        return redirect(target, pk=case.pk)
    messages.success(request, "已保存")
    return redirect("portal:case-edit", pk=case.pk)


def _fill_from_registry(request, target, fill, render_page, page: str):
    """使用共享数据填写 on an edit page (a case's or a 一件事's), with the consent posted."""
    try:
        filled = fill(target, request.user, consent=request.POST.get("registry_consent") == "yes")
    except DomainError as exc:
        return render_page(request, target, error=exc, status=exc.status)
    messages.success(request, "已使用共享数据填写：" + "、".join(o.field["label"] for o in filled))
    return redirect(page, pk=target.pk)


# Marks a post that carries the application form: the material actions of the edit page send
# the form as it is on screen (htmx ``hx-include``), so a file can be added before saving.
WITH_FORM = "with_form"


def _save_posted(request, case):
    """Save the application form posted with ``request``, as the applicant sees it."""
    commitment = {}
    if case.version.commitment_allowed:
        commitment = {"commitment": "commitment" in request.POST,
                      "commitment_text": request.POST.get("commitment_text", "")}
    return services.save_draft(case, request.user,
                               _posted_form(case.version.form_definition, request.POST), **commitment)


def _keep_typed(request, case):
    """Before a material action: keep what the applicant typed but did not save yet."""
    if request.POST.get(WITH_FORM) and case.status in EDITABLE:
        return _save_posted(request, case)
    return case


@login_required
@require_POST
@shows_domain_errors
def case_licence(request, pk: int):
    """免提交 with an electronic licence: the applicant's own, with consent, for one material."""
    return _reuse(request, pk, services.attach_licence, request.POST.get("licence", ""), "电子证照")


@login_required
@require_POST
@shows_domain_errors
def case_record(request, pk: int):
    """免提交 from shared data: the applicant's registry record, with consent, for one material."""
    return _reuse(request, pk, services.attach_record, request.POST.get("record") or None, "共享数据")


def _reuse(request, pk: int, attach, source, what: str):
    case = access.applicant_case(request.user, pk)
    material = request.POST.get("material", "")
    try:
        case = _keep_typed(request, case)
        case_file = attach(case, request.user, material, source,
                           consent=request.POST.get("consent") == "yes")
    except DomainError as exc:
        return _render_edit(request, case, error=exc, material_errors={material: exc.message},
                            status=_status(request, exc))
    messages.success(request, f"已使用{what}“{case_file.original_name}”，该材料无需上传")
    return redirect("portal:case-edit", pk=case.pk)


# A refusal at submission that names one reused material (services.recheck_reused).
REUSE_REFUSALS = ("case.licence_invalid", "case.record_invalid", "case.record_changed")


@refuses_oversize
def case_upload(request, pk: int):
    """One file for one material; a second upload replaces the first."""
    case = access.applicant_case(request.user, pk)
    material = request.POST.get("material", "")
    try:
        case = _keep_typed(request, case)
        upload = _upload(request)
        services.attach_file(case, request.user, material, upload)
    except DomainError as exc:
        return _render_edit(request, case, error=exc, material_errors={material: exc.message},
                            status=_status(request, exc))
    messages.success(request, f"已上传“{upload.name}”")
    return redirect("portal:case-edit", pk=case.pk)


@applicant_page
@require_POST
def case_file_delete(request, pk: int, file_pk: int):
    case = access.applicant_case(request.user, pk)
    services.remove_file(case, request.user, file_pk)
    messages.success(request, "文件已删除")
    return redirect("portal:case-edit", pk=case.pk)


@applicant_page
def case_file(request, pk: int, file_pk: int):
    """The applicant's own file, streamed from storage as a download, never from a public URL."""
    case = access.applicant_case(request.user, pk)
    case_file = case.files.filter(pk=file_pk).exclude(file="").first()  # a reused one has none
    if case_file is None:
        raise NotFound("文件不存在", code="case.file_not_found")
    try:
        handle = case_file.file.open("rb")
    except FileNotFoundError:
        raise NotFound("文件已不存在，请联系办理部门", code="case.file_missing") from None
    return FileResponse(handle, as_attachment=True, filename=case_file.original_name,
                        content_type=case_file.content_type)


def _confirm(request, case, *, title: str, action_label: str, correction=None):
    return render(request, "portal/cases/confirm.html", {
        "case": case, "title": title, "action_label": action_label, "correction": correction,
        "review": prereview(case), "key": uuid.uuid4().hex,
    })


@applicant_page
def case_submit(request, pk: int):
    case = access.applicant_case(request.user, pk)
    if request.method == "POST":
        try:
            case = services.submit(case, request.user, key=request.POST.get("key"))
        except DomainError as exc:
            if exc.code in REUSE_REFUSALS:
                return _render_edit(request, case, error=exc, status=exc.status,
                                    material_errors={str(exc.details["material"]): exc.message})
            defects = _defects_of(exc)
            if defects is None:
                raise
            return _render_edit(request, case, defects=defects, error=exc, status=exc.status)
        messages.success(request, f"申请已提交，办件编号：{case.number}")
        return redirect("portal:case-receipt", pk=case.pk)
    if case.status != Status.DRAFT:
        return redirect("portal:case-detail", pk=case.pk)
    return _confirm(request, case, title="确认提交申请", action_label="确认提交")


@applicant_page
def case_resubmit(request, pk: int):
    """补正结束: submit the corrected materials and fields."""
    case = access.applicant_case(request.user, pk)
    if request.method == "POST":
        try:
            case = services.resubmit(case, request.user)
        except DomainError as exc:
            defects = _defects_of(exc)
            if defects is None:
                raise
            return _render_edit(request, case, defects=defects, error=exc, status=exc.status)
        messages.success(request, "补正材料已提交，办理继续")
        return redirect("portal:case-detail", pk=case.pk)
    if case.status != Status.CORRECTING:
        return redirect("portal:case-detail", pk=case.pk)
    return _confirm(request, case, title="确认提交补正材料", action_label="提交补正",
                    correction=services.open_correction(case))


# --- printable documents -------------------------------------------------------------------------


def _submitted(user, pk):
    case = access.applicant_case(user, pk)
    if case.number is None:
        raise Conflict("办件尚未提交，暂无回执", code="case.not_submitted")
    return case


@applicant_page
def case_receipt(request, pk: int):
    """受理回执 once accepted, 接件回执 before: what was received, and by when it will be done."""
    case = _submitted(request.user, pk)
    return render(request, "portal/cases/receipt.html", {
        "case": case, "version": case.version, "masked_id": mask_id(case.applicant_id_number),
        "files": case.files.filter(superseded=False).select_related("material"),
    })


@applicant_page
def case_correction_notice(request, pk: int):
    """一次性告知书: every defect of the open correction, or of the latest one."""
    case = _submitted(request.user, pk)
    correction = services.open_correction(case) or case.corrections.order_by("-requested_at").first()
    if correction is None:
        raise NotFound("该办件没有补正告知", code="case.no_correction")
    return render(request, "portal/cases/correction_notice.html", {
        "case": case, "version": case.version, "correction": correction,
        "masked_id": mask_id(case.applicant_id_number),
    })


@applicant_page
def case_decision(request, pk: int):
    """决定书 of a decided case, with the licence it granted once that is delivered."""
    case = _submitted(request.user, pk)
    title = selectors.decision_title(case)
    if title is None:
        raise NotFound("该办件尚未作出决定", code="case.not_decided")
    return render(request, "portal/cases/decision.html", {
        "case": case, "title": title, "licence": wallet_licences(request.user).filter(case=case).first(),
        "masked_id": mask_id(case.applicant_id_number),
    })


# --- 我的办件 and the case page ---------------------------------------------------------------


def _last_messages(user, cases) -> dict[str, Message]:
    """The newest in-app message naming each case number: one query for the whole page."""
    numbers = [c.number for c in cases if c.number]
    if not numbers:
        return {}
    mentions = reduce(operator.or_, (Q(body__contains=n) for n in numbers))
    found: dict[str, Message] = {}
    for message in (Message.objects.filter(user=user, channel=Channel.INBOX).filter(mentions)
                    .only("subject", "body", "created_at")[:200]):
        for number in numbers:
            if number in message.body:
                found.setdefault(number, message)
    return found


@applicant_page
def my_cases(request):
    group = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    cases = access.applicant_cases(request.user).select_related(
        "version", "region", "bundle_application__version")
    if group in STATUS_GROUPS:
        cases = cases.filter(status__in=STATUS_GROUPS[group][1])
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(version__name__icontains=q))
    page = paginate(cases, request.GET.get("page"), LIST_PAGE_SIZE)
    last = _last_messages(request.user, page.items)
    for case in page.items:
        case.next_step = selectors.next_step(case)
        case.warning = deadlines.warning(case)
        case.last_message = last.get(case.number)
    return render(request, "portal/cases/list.html", {
        "page": page, "group": group, "q": q,
        "groups": [(key, label) for key, (label, _) in STATUS_GROUPS.items()],
    })


def _review_progress(case) -> list:
    tasks = list(case.tasks.exclude(status=TaskStatus.CANCELLED).select_related("department"))
    for task in tasks:
        task.progress_label = (REVIEW_LABELS[task.status] if task.kind == TaskKind.REVIEW
                               else task.get_status_display())
    return tasks


def _detail_context(request, case, **extra) -> dict:
    deadline = deadlines.compute(case)
    tolerated = prereview(case).missing_tolerated if case.tolerated else []
    return {
        "case": case, "version": case.version, "next_step": selectors.next_step(case),
        "deadline": deadline, "warning": deadlines.warning(case),
        "events": case.events.all(), "tasks": _review_progress(case),
        "messages_for_case": (Message.objects.filter(user=request.user, channel=Channel.INBOX,
                                                     body__contains=case.number)[:MESSAGES_SHOWN]
                              if case.number else []),
        "files": selectors.shown_files(case),
        "decision_title": selectors.decision_title(case),
        "licence": wallet_licences(request.user).filter(case=case).first(),
        "can_withdraw": "withdraw" in statemachine.allowed_actions(case.status),
        "correction": services.open_correction(case) if case.status == Status.CORRECTING else None,
        "has_corrections": case.corrections.exists(),
        "missing_tolerated": tolerated, "accept": ACCEPT, "max_upload": size_label(max_upload_bytes()),
        **extra,
    }


@applicant_page
def case_detail(request, pk: int):
    case = access.applicant_case(request.user, pk)
    return render(request, "portal/cases/detail.html", _detail_context(request, case))


@applicant_page
def case_withdraw(request, pk: int):
    """撤回, after a confirmation page that asks for the reason."""
    case = access.applicant_case(request.user, pk)
    if request.method == "POST":
        try:
            services.withdraw(case, request.user, request.POST.get("reason", ""))
        except DomainError as exc:
            return render(request, "portal/cases/withdraw.html", {"case": case, "error": exc},
                          status=exc.status)
        messages.success(request, "办件已撤回")
        return redirect("portal:case-detail", pk=case.pk)
    return render(request, "portal/cases/withdraw.html", {"case": case})


@applicant_page
def case_delete(request, pk: int):
    """删除草稿, after a confirmation page."""
    case = access.applicant_case(request.user, pk)
    return _confirm_draft_delete(
        request, {"case": case, "draft_name": case.version.name, "draft_company": case.company},
        lambda: services.delete_draft(case, request.user), f"草稿“{case.version.name}”已删除")


def _confirm_draft_delete(request, context: dict, delete, done: str):
    """The confirmation page of deleting a draft (a case's or a 一件事's) and, on POST,
    ``delete()``: back to 我的办件 with the message ``done``, or the page again with the error."""
    if request.method == "POST":
        try:
            delete()
        except DomainError as exc:
            return render(request, "portal/cases/delete.html", {**context, "error": exc},
                          status=exc.status)
        messages.success(request, done)
        return redirect("portal:cases")
    return render(request, "portal/cases/delete.html", context)


@refuses_oversize
def case_tolerated(request, pk: int):
    """补交容缺材料 after 容缺受理."""
    case = access.applicant_case(request.user, pk)
    try:
        upload = _upload(request)
        services.supply_tolerated(case, request.user, request.POST.get("material", ""), upload)
    except DomainError as exc:
        return render(request, "portal/cases/detail.html",
                      _detail_context(request, case, error=exc), status=_status(request, exc))
    messages.success(request, f"已补交“{upload.name}”")
    return redirect("portal:case-detail", pk=case.pk)


# --- public progress query -----------------------------------------------------------------------


def progress(request):
    """办件进度查询 by number and applicant name or ID number: exactly both, or one answer that says nothing
    about whether the number exists; at most a few queries a minute from one address."""
    context = {"number": request.POST.get("number", "").strip(),
               "name": request.POST.get("name", "").strip()}
    if request.method != "POST":
        return render(request, "portal/cases/progress.html", context)
    try:
        selectors.throttle_progress_query(client_ip(request))
    except TooManyRequests as exc:
        return render(request, "portal/cases/progress.html", {**context, "error": exc},
                      status=exc.status)
    case = selectors.progress_lookup(context["number"], context["name"])
    if case is None:
        context["not_found"] = True
    else:
        context["result"] = selectors.public_progress(case)
    return render(request, "portal/cases/progress.html", context)
