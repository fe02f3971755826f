"""一件事 pages of the portal: the bundle's page, the merged form with 预审, submission, and the
one progress view with what is left and the combined result.

As in ``case_views``: each view finds the application among the user's own (anyone else's does
not exist: 404), calls one service from ``yiwang.cases.services`` and renders or redirects."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.cases import selectors, services
from yiwang.cases.models import FINAL_STATUSES, CaseFile
from yiwang.cases.prereview import online_materials
from yiwang.cases.uploads import max_upload_bytes, size_label
from yiwang.catalog.models import Material
from yiwang.common.errors import DomainError
from yiwang.common.views import shows_domain_errors
from yiwang.exchange.selectors import usable_licences, usable_records

from .case_views import (
    ACCEPT,
    APPLY_HELP,
    REUSE_REFUSALS,
    WITH_FORM,
    _company_choices,
    _company_id,
    _confirm_draft_delete,
    _defects_of,
    _field_rows,
    _fill_from_registry,
    _posted_form,
    _status,
    _upload,
    applicant_page,
    refuses_oversize,
)


def _bundle_context(request, bundle, **extra) -> dict:
    definition = bundle.published_version
    merged = services.merged_form(definition)
    departments = list({v.item.department_id: v.item.department for v in merged.versions}.values())
    drafts = (services.open_bundle_drafts(request.user, bundle) if request.user.is_authenticated
              else [])
    return {"bundle": bundle, "definition": definition, "merged": merged, "departments": departments,
            "drafts": drafts, **_company_choices(request, merged.versions), **extra}


@shows_domain_errors
def bundle(request, slug: str):
    bundle = services.published_bundle(slug)
    return render(request, "portal/cases/bundle.html", _bundle_context(request, bundle))


@applicant_page
@require_POST
def bundle_apply(request, slug: str):
    bundle = services.published_bundle(slug)
    try:
        application = services.start_bundle(request.user, bundle, company_id=_company_id(request))
    except DomainError as exc:
        return render(request, "portal/cases/bundle.html", _bundle_context(
            request, bundle, error=exc, help=APPLY_HELP.get(exc.code)), status=exc.status)
    return redirect("portal:bundle-edit", pk=application.pk)


def _bundle_reuse_choices(merged, cases) -> tuple[dict, dict, dict]:
    """By merged material name: the licences and the records that may replace it in any case of
    the bundle (the single case's selectors, each asked for its own case and material), and why a
    reuse already attached has lapsed (``services.lapsed_reuses``, as at submission)."""
    licences: dict[str, dict] = {}
    records: dict[str, dict] = {}
    lapsed: dict[str, str] = {}
    for case in cases:
        for m in online_materials(case.version):
            name = merged.merged_name(m.name)
            licences.setdefault(name, {}).update({x.pk: x for x in usable_licences(case, m)})
            records.setdefault(name, {}).update({x.pk: x for x in usable_records(case, m)})
        for f, refusal in services.lapsed_reuses(case):
            lapsed.setdefault(merged.merged_name(f.material.name), refusal.message)
    return licences, records, lapsed


def _bundle_edit_context(application, *, defects=(), review=None, posted=None,
                         material_errors=None, error=None) -> dict:
    merged = services.merged_form(application.version)
    if review is not None:
        defects = review.defects
    # Defects come in the merged form's own terms (services.check_bundle): merged field names
    # and merged material keys.
    errors = {(d["kind"], d["target"]): d["message"] for d in defects}
    errors.update({("material", k): v for k, v in (material_errors or {}).items()})
    files = {merged.merged_name(f.material.name): f for f in CaseFile.objects.filter(
        case__bundle_application=application, superseded=False, material__isnull=False)
        .select_related("material", "licence")}
    cases = list(application.cases.select_related("version", "department", "applicant", "company")
                 .order_by("pk"))
    licences, records, lapsed = _bundle_reuse_choices(merged, cases)
    materials = [{
        "key": m.key, "name": m.name, "necessity": m.necessity, "necessity_label": m.necessity_label,
        "online": True, "note": "用于：" + "、".join(m.items),
        "files": [files[m.name]] if m.name in files else [],
        "error": errors.get(("material", m.key)), "lapsed": lapsed.get(m.name),
        "licences": list(licences.get(m.name, {}).values()),
        "records": list(records.get(m.name, {}).values()),
    } for m in merged.materials]
    return {
        "application": application, "bundle": application.bundle, "definition": application.version,
        "merged": merged, "defects": list(defects), "review": review, "materials": materials,
        # The defect list says everything the refusal's message says: show it once.
        "error": None if defects and error is not None and _defects_of(error) else error,
        "fields": _field_rows(merged.fields, posted or application.form_data, errors, notes={
            name: note for case in reversed(cases) for name, note in services.prefill_notes(case).items()}),
        "accept": ACCEPT, "max_upload": size_label(max_upload_bytes()),
        "data_users": "、".join(dict.fromkeys(c.department.name for c in cases)),
        "data_purpose": "本次一件事申请",
        "registry_offers": services.bundle_registry_offers(application),
    }


def _render_bundle_edit(request, application, *, status: int = 200, **context):
    return render(request, "portal/cases/bundle_edit.html",
                  _bundle_edit_context(application, **context), status=status)


@applicant_page
def bundle_edit(request, pk: int):
    """The merged form: a field several items ask for is asked once, a material uploaded once.
    预审 saves what is on screen first, so it reviews what the applicant sees."""
    application = services.bundle_application_of(request.user, pk)
    if application.submitted_at is not None:
        return redirect("portal:bundle-application", pk=application.pk)
    if request.method != "POST":
        return _render_bundle_edit(request, application)
    form_data = _posted_form(services.merged_form(application.version).fields, request.POST)
    try:
        application = _save_posted_bundle(request, application)
    except DomainError as exc:
        return _render_bundle_edit(request, application, error=exc, posted=form_data,
                                   status=exc.status)
    action = request.POST.get("action")
    if action == "registry":
        return _fill_from_registry(request, application, services.fill_bundle_from_registry,
                                   _render_bundle_edit, "portal:bundle-edit")
    if action == "check":
        return _render_bundle_edit(request, application, review=services.check_bundle(application))
    if action == "submit":
        return redirect("portal:bundle-submit", pk=application.pk)
    messages.success(request, "已保存")
    return redirect("portal:bundle-edit", pk=application.pk)


def _save_posted_bundle(request, application):
    form_data = _posted_form(services.merged_form(application.version).fields, request.POST)
    return services.save_bundle_draft(application, request.user, form_data)


def _keep_typed_bundle(request, application):
    """``_keep_typed`` for the merged form of a 一件事."""
    if request.POST.get(WITH_FORM) and application.submitted_at is None:
        return _save_posted_bundle(request, application)
    return application


@applicant_page
def bundle_delete(request, pk: int):
    """删除草稿 of a 一件事, after a confirmation page."""
    application = services.bundle_application_of(request.user, pk)
    return _confirm_draft_delete(
        request, {"application": application, "draft_name": f"一件事：{application.version.name}",
                  "draft_company": application.company},
        lambda: services.delete_bundle_draft(application, request.user),
        f"一件事“{application.version.name}”的草稿已删除")


@refuses_oversize
def bundle_upload(request, pk: int):
    application = services.bundle_application_of(request.user, pk)
    key = request.POST.get("material", "")
    try:
        application = _keep_typed_bundle(request, application)
        upload = _upload(request)
        services.attach_bundle_file(application, request.user, key, upload)
    except DomainError as exc:
        return _render_bundle_edit(request, application, error=exc, material_errors={key: exc.message},
                                   status=_status(request, exc))
    messages.success(request, f"已上传“{upload.name}”")
    return redirect("portal:bundle-edit", pk=application.pk)


@login_required
@require_POST
@shows_domain_errors
def bundle_licence(request, pk: int):
    """免提交 in a 一件事: the applicant's licence, with consent, for one merged material of
    every item that accepts it."""
    return _bundle_reuse(request, pk, services.attach_bundle_licence,
                         request.POST.get("licence", ""), "电子证照")


@login_required
@require_POST
@shows_domain_errors
def bundle_record(request, pk: int):
    """免提交 from shared data in a 一件事, as ``bundle_licence``."""
    return _bundle_reuse(request, pk, services.attach_bundle_record,
                         request.POST.get("record") or None, "共享数据")


def _bundle_reuse(request, pk: int, attach, source, what: str):
    application = services.bundle_application_of(request.user, pk)
    key = request.POST.get("material", "")
    try:
        application = _keep_typed_bundle(request, application)
        attach(application, request.user, key, source, consent=request.POST.get("consent") == "yes")
    except DomainError as exc:
        return _render_bundle_edit(request, application, error=exc, material_errors={key: exc.message},
                                   status=_status(request, exc))
    messages.success(request, f"已使用{what}，该材料无需上传")
    return redirect("portal:bundle-edit", pk=application.pk)


def _material_key(application, material_pk) -> str:
    """The merged key of a case's own material (a refusal at submission names that one)."""
    name = Material.objects.filter(pk=material_pk).values_list("name", flat=True).first()
    merged = services.merged_form(application.version).material_named(name or "")
    return merged.key if merged else ""


@applicant_page
def bundle_submit(request, pk: int):
    application = services.bundle_application_of(request.user, pk)
    if request.method == "POST":
        try:
            services.submit_bundle(application, request.user, key=request.POST.get("key"))
        except DomainError as exc:
            if exc.code in REUSE_REFUSALS:
                key = _material_key(application, exc.details["material"])
                return _render_bundle_edit(request, application, error=exc, status=exc.status,
                                           material_errors={key: exc.message})
            defects = _defects_of(exc)
            if defects is None:
                raise
            return _render_bundle_edit(request, application, defects=defects, error=exc,
                                       status=exc.status)
        messages.success(request, "一件事申请已提交，各事项将由牵头部门一窗受理")
        return redirect("portal:bundle-application", pk=application.pk)
    if application.submitted_at is not None:
        return redirect("portal:bundle-application", pk=application.pk)
    return render(request, "portal/cases/bundle_confirm.html", {
        "application": application, "definition": application.version,
        "cases": application.cases.select_related("version").order_by("pk"),
        "review": services.check_bundle(application), "key": uuid.uuid4().hex,
    })


@applicant_page
def bundle_application(request, pk: int):
    """One progress view of every item of the bundle: what is left (item, department, due date)
    and, item by item, the results with their 决定书, licences and how they are handed over."""
    application = services.bundle_application_of(request.user, pk)
    progress = services.bundle_progress(application)
    for case in progress.cases:
        case.next_step = selectors.next_step(case)
        case.decision_title = selectors.decision_title(case)
    return render(request, "portal/cases/bundle_application.html", {
        "application": application, "definition": application.version, "progress": progress,
        "results": services.item_results(
            [c for c in progress.cases if c.decided_at or c.status in FINAL_STATUSES]),
    })
