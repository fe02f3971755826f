"""Applicant case API: drafts, uploads, pre-review, idempotent submission, corrections,
withdrawal, 容缺 materials and 一件事 bundles, for a signed-in citizen (a company agent passes
``company_id`` when starting). Someone else's case does not exist (404). Every refusal is a
service's ``DomainError``, which the API root turns into ``{code, message, details}``.
``django_auth`` answers 401 without a session and checks CSRF on every unsafe method."""

from __future__ import annotations

import functools

from ninja import File, Form, Header, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.security import django_auth

from yiwang.catalog.services import get_item_by_code
from yiwang.common.errors import NotFound, PayloadTooLarge
from yiwang.common.identifiers import mask_name
from yiwang.common.pagination import paginate
from yiwang.common.schemas import Id, PageNumber, PageSize, error_responses

from . import access, selectors, services, uploads
from .models import Status
from .schemas import (
    AttachedOut,
    BundleDraftIn,
    BundleFormOut,
    BundleProgressOut,
    BundleStartIn,
    CaseDetail,
    CasePage,
    DraftIn,
    FileOut,
    PreReviewOut,
    ProgressOut,
    ReasonIn,
    StartIn,
    bundle_progress_out,
    case_detail,
    case_summary,
    file_out,
    labelled,
)

router = Router(tags=["办件申请（申请人）"], auth=django_auth)
# An upload may also be too large (413).
FILE_ADDED = {201: FileOut, **error_responses(413)}
BUNDLE_FILE_ADDED = {201: AttachedOut, **error_responses(413)}

def refuse_oversized_body(run):
    """An upload operation: ``uploads.refuse_oversized_request`` runs before ninja's
    authentication and CSRF check, which would read the body."""

    @functools.wraps(run)
    def guarded(request, *args, **kwargs):
        try:
            uploads.refuse_oversized_request(request.META)
        except PayloadTooLarge as error:
            return run.__self__.api.on_exception(request, error)
        return run(request, *args, **kwargs)

    return guarded


class CaseFilters(Schema):
    status: Status | None = None
    page: PageNumber = 1
    page_size: PageSize = 20


def _detail(request, case_id: int) -> dict:
    return case_detail(access.applicant_case(request.user, case_id))


@router.post("/cases", response={201: CaseDetail}, summary="开始申请（创建草稿）")
def start_case(request, payload: StartIn):
    # Any existing item: whether it may be applied for now (case.item_withdrawn) is the service's.
    item = get_item_by_code(payload.item_code)
    case = services.start_application(request.user, item, company_id=payload.company_id)
    return 201, case_detail(case)


@router.get("/cases", response=CasePage, summary="我的办件")
def my_cases(request, filters: Query[CaseFilters]):
    cases = access.applicant_cases(request.user).select_related("item", "version", "department",
                                                               "region")
    if filters.status:
        cases = cases.filter(status=filters.status)
    page = paginate(cases, filters.page, filters.page_size)
    return page.as_json(case_summary)


@router.get("/cases/progress", response={200: ProgressOut, **error_responses(429)}, auth=None,
            summary="办件进度查询（凭办件编号和申请人姓名或证件号码，无需登录）")
def case_progress(request, number: str = "", name: str = ""):
    selectors.throttle_progress_query(request.META.get("REMOTE_ADDR"))
    case = selectors.progress_lookup(number, name)
    if case is None:
        # The same answer for an unknown number and a wrong name: the query must not confirm
        # that a number exists.
        raise NotFound("未查询到该办件，请核对办件编号和申请人姓名或证件号码", code="case.not_found")
    # What the portal's progress page shows, nothing more: a public answer names no one.
    return {"number": case.number, "item_name": case.version.name,
            "department": case.department.name,
            "status": labelled(case.status, case.get_status_display()),
            "next_step": selectors.next_step(case), "applicant": mask_name(case.applicant_name),
            "submitted_at": case.submitted_at, "accepted_at": case.accepted_at,
            "due_date": case.due_date, "provisional": case.deadline_provisional}


@router.get("/cases/{case_id}", response=CaseDetail, summary="办件详情（状态、时限、进度、材料、补正要求）")
def my_case(request, case_id: Id):
    return _detail(request, case_id)


@router.patch("/cases/{case_id}", response=CaseDetail, summary="保存草稿或补正内容")
def save_case(request, case_id: Id, payload: DraftIn):
    case = access.applicant_case(request.user, case_id)
    services.save_draft(case, request.user, payload.form_data, commitment=payload.commitment,
                        commitment_text=payload.commitment_text)
    return _detail(request, case_id)


@router.post("/cases/{case_id}/files", response=FILE_ADDED, summary="上传申请材料")
@decorate_view(refuse_oversized_body)
def attach_case_file(request, case_id: Id, material_id: Form[str], file: File[UploadedFile]):
    case = access.applicant_case(request.user, case_id)
    return 201, file_out(services.attach_file(case, request.user, material_id, file))


@router.delete("/cases/{case_id}/files/{file_id}", response={204: None}, summary="删除草稿中的材料")
def remove_case_file(request, case_id: Id, file_id: Id):
    services.remove_file(access.applicant_case(request.user, case_id), request.user, file_id)
    return 204, None


@router.post("/cases/{case_id}/prereview", response=PreReviewOut, summary="预审：一次列出全部问题")
def prereview_case(request, case_id: Id):
    return _review_out(services.check_draft(access.applicant_case(request.user, case_id)))


def _review_out(review) -> dict:
    return {"passed": review.passed, "defects": review.defects,
            "missing_tolerated": review.missing_tolerated}


@router.post("/cases/{case_id}/submit", response=CaseDetail,
             summary="提交申请（Idempotency-Key 相同的重复提交只生成一个办件）")
def submit_case(request, case_id: Id,
                idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    case = access.applicant_case(request.user, case_id)
    return case_detail(services.submit(case, request.user, key=idempotency_key))


@router.post("/cases/{case_id}/resubmit", response=CaseDetail, summary="提交补正材料")
def resubmit_case(request, case_id: Id):
    services.resubmit(access.applicant_case(request.user, case_id), request.user)
    return _detail(request, case_id)


@router.post("/cases/{case_id}/withdraw", response=CaseDetail, summary="撤回申请")
def withdraw_case(request, case_id: Id, payload: ReasonIn):
    services.withdraw(access.applicant_case(request.user, case_id), request.user, payload.reason)
    return _detail(request, case_id)


@router.post("/cases/{case_id}/tolerated-files", response=FILE_ADDED, summary="补交容缺材料")
@decorate_view(refuse_oversized_body)
def supply_tolerated_file(request, case_id: Id, material_id: Form[str], file: File[UploadedFile]):
    case = access.applicant_case(request.user, case_id)
    return 201, file_out(services.supply_tolerated(case, request.user, material_id, file))


# --- 一件事 ---------------------------------------------------------------------------------------


@router.get("/bundles/{slug}", response=BundleFormOut, auth=None, summary="一件事：合并表单与材料清单")
def bundle_form(request, slug: str):
    bundle = services.published_bundle(slug)
    definition = bundle.published_version
    merged = services.merged_form(definition)
    return {"slug": bundle.slug, "name": definition.name, "description": definition.description,
            "lead_department": definition.lead_department.name,
            "items": [v.name for v in merged.versions], "fields": merged.fields,
            "materials": [{"key": m.key, "name": m.name,
                           "necessity": labelled(m.necessity, m.necessity_label),
                           "items": list(m.items)} for m in merged.materials]}


def _progress(request, application_id: int) -> dict:
    application = services.bundle_application_of(request.user, application_id)
    return bundle_progress_out(services.bundle_progress(application))


@router.post("/bundles/{slug}/applications", response={201: BundleProgressOut}, summary="开始一件事申请")
def start_bundle_application(request, slug: str, payload: BundleStartIn):
    application = services.start_bundle(request.user, services.published_bundle(slug),
                                        company_id=payload.company_id)
    return 201, _progress(request, application.pk)


@router.get("/bundle-applications/{application_id}", response=BundleProgressOut,
            summary="一件事办理进度")
def bundle_application_progress(request, application_id: Id):
    return _progress(request, application_id)


@router.patch("/bundle-applications/{application_id}", response=BundleProgressOut,
              summary="保存一件事合并表单")
def save_bundle_application(request, application_id: Id, payload: BundleDraftIn):
    application = services.bundle_application_of(request.user, application_id)
    services.save_bundle_draft(application, request.user, payload.form_data)
    return _progress(request, application_id)


@router.post("/bundle-applications/{application_id}/files", response=BUNDLE_FILE_ADDED,
             summary="上传一件事材料（一次上传，用于所有需要它的事项）")
@decorate_view(refuse_oversized_body)
def attach_bundle_application_file(request, application_id: Id, material_key: Form[str],
                                   file: File[UploadedFile]):
    application = services.bundle_application_of(request.user, application_id)
    attached = services.attach_bundle_file(application, request.user, material_key, file)
    return 201, {"attached": attached, "application": _progress(request, application_id)}


@router.post("/bundle-applications/{application_id}/prereview", response=PreReviewOut,
             summary="一件事预审（全部事项的问题一次列出）")
def prereview_bundle_application(request, application_id: Id):
    application = services.bundle_application_of(request.user, application_id)
    return _review_out(services.check_bundle(application))


@router.post("/bundle-applications/{application_id}/submit", response=BundleProgressOut,
             summary="提交一件事申请（全部事项一并提交）")
def submit_bundle_application(request, application_id: Id,
                              idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    application = services.bundle_application_of(request.user, application_id)
    services.submit_bundle(application, request.user, key=idempotency_key)
    return _progress(request, application_id)
