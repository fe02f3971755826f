"""/api/evaluation/rectifications and /api/evaluation/appeals: 差评整改 for the departments and
halls that answer for a 差评, 申诉复核 for supervisors. A rectification the user may not handle does
not exist for them (404); a step their role does not allow is 403, one its state does not allow
409; bad input 400 with the service's code. The rater is masked as on the pages."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema
from ninja.security import django_auth

from yiwang.common.errors import PermissionDenied
from yiwang.common.pagination import paginate
from yiwang.common.schemas import Id, PageNumber, PageSize
from yiwang.orgs.services import is_staff_member

from .. import access
from ..models import Appeal
from ..services import rectification as rectify

router = Router(tags=["好差评：差评整改与申诉（工作人员）"], auth=django_auth)


class RectificationRatingOut(Schema):
    id: int
    level: int
    level_label: str
    rater: str  # masked
    text: str
    reasons: list[str]
    channel: str
    created_at: str
    excluded: bool
    case_number: str


class RectificationOut(Schema):
    id: int
    about: str
    status: str
    status_label: str
    department: str
    hall: str
    due_on: str
    warning: str
    finding: str
    reply: str
    revisit_method: str
    revisit_note: str
    verdict: str
    rating: RectificationRatingOut


class RectificationPage(Schema):
    items: list[RectificationOut]
    total: int
    page: int
    page_size: int
    pages: int


class RectificationFilters(Schema):
    status: Literal["pending", "rectifying", "rectified", "revisited", "excluded"] | None = None
    warning: Literal["red", "yellow"] | None = None
    q: str = ""
    page: PageNumber = 1
    page_size: PageSize = 20


class RectificationVerifyIn(Schema):
    finding: str = ""


class RectificationReplyIn(Schema):
    reply: str = ""


class RectificationRevisitIn(Schema):
    method: str = ""
    note: str = ""
    verdict: str = ""


class RatingAppealIn(Schema):
    ground: str = ""
    statement: str = ""


class RatingAppealOut(Schema):
    id: int
    rating: int
    ground: str
    statement: str
    status: str
    status_label: str
    party: str
    filed_at: str
    decision: str


class RatingAppealPage(Schema):
    items: list[RatingAppealOut]
    total: int
    page: int
    page_size: int
    pages: int


class RatingAppealFilters(Schema):
    status: Literal["pending", "upheld", "rejected"] = "pending"
    page: PageNumber = 1
    page_size: PageSize = 20


class RatingAppealDecideIn(Schema):
    upheld: bool
    decision: str = ""


def _staff(request):
    """The second factor, which the middleware asks for only under /api/staff/."""
    if not is_staff_member(request.user):
        raise PermissionDenied("仅限工作人员使用", code="permission.staff_only")
    if not request.user.is_verified():
        raise PermissionDenied("请先完成动态口令验证", code="auth.second_factor_required")
    return request.user


def rectification_out(rect) -> dict:
    rating = rect.rating
    warning = rectify.warning(rect)
    return {"id": rect.pk, "about": rectify.label(rating), "status": rect.status,
            "status_label": rect.get_status_display(),
            "department": str(rect.department or ""), "hall": str(rect.hall or ""),
            "due_on": rect.due_on.isoformat(), "warning": warning.level if warning else "",
            "finding": rect.finding, "reply": rect.reply, "revisit_method": rect.revisit_method,
            "revisit_note": rect.revisit_note, "verdict": rect.verdict,
            "rating": {"id": rating.pk, "level": rating.level,
                       "level_label": rating.get_level_display(), "rater": rectify.masked_rater(rating),
                       "text": rating.text, "reasons": [r.name for r in rating.reasons.all()],
                       "channel": rating.channel, "created_at": rating.created_at.isoformat(),
                       "excluded": rating.excluded,
                       "case_number": (rating.case.number or "") if rating.case_id else ""}}


def appeal_out(appeal: Appeal) -> dict:
    return {"id": appeal.pk, "rating": appeal.rating_id, "ground": appeal.ground,
            "statement": appeal.statement, "status": appeal.status,
            "status_label": appeal.get_status_display(),
            "party": str(appeal.department or appeal.hall or ""),
            "filed_at": appeal.filed_at.isoformat(), "decision": appeal.decision}


def _rect(request, rect_id: int):
    return access.handled_rectification(_staff(request), rect_id)


def _answer(request, rect_id: int) -> dict:
    return rectification_out(_rect(request, rect_id))


@router.get("/rectifications", response=RectificationPage,
            summary="差评整改列表（本部门或本大厅的；超期和即将到期的排在前面）")
def rectification_list(request, filters: Query[RectificationFilters]):
    rects = rectify.queue(_staff(request), status=filters.status or "",
                          warning=filters.warning or "", q=filters.q)
    return paginate(rects, filters.page, filters.page_size).as_json(rectification_out)


@router.get("/rectifications/{rect_id}", response=RectificationOut, summary="差评整改详情")
def rectification_detail(request, rect_id: Id):
    return _answer(request, rect_id)


@router.post("/rectifications/{rect_id}/verify", response=RectificationOut,
             summary="核实（待核实 → 整改中）")
def rectification_verify(request, rect_id: Id, payload: RectificationVerifyIn):
    rectify.verify(request.user, _rect(request, rect_id), payload.finding)
    return _answer(request, rect_id)


@router.post("/rectifications/{rect_id}/reply", response=RectificationOut,
             summary="答复评价人（整改中 → 已整改）")
def rectification_reply(request, rect_id: Id, payload: RectificationReplyIn):
    rectify.reply(request.user, _rect(request, rect_id), payload.reply)
    return _answer(request, rect_id)


@router.post("/rectifications/{rect_id}/revisit", response=RectificationOut,
             summary="回访（已整改 → 已回访；电话回访须记录评价人对整改的评价）")
def rectification_revisit(request, rect_id: Id, payload: RectificationRevisitIn):
    rectify.record_revisit(request.user, _rect(request, rect_id), payload.method, payload.note,
                           payload.verdict)
    return _answer(request, rect_id)


@router.post("/rectifications/{rect_id}/appeal", response={201: RatingAppealOut},
             summary="对差评提出申诉（恶意差评、与服务无关）")
def rectification_appeal(request, rect_id: Id, payload: RatingAppealIn):
    rect = _rect(request, rect_id)
    return 201, appeal_out(rectify.appeal(request.user, rect.rating, payload.ground,
                                          payload.statement))


@router.get("/appeals", response=RatingAppealPage, summary="申诉复核列表（本区划及下级区划的）")
def appeal_list(request, filters: Query[RatingAppealFilters]):
    appeals = rectify.appeal_queue(_staff(request), status=filters.status)
    return paginate(appeals, filters.page, filters.page_size).as_json(appeal_out)


@router.post("/appeals/{appeal_id}/decide", response=RatingAppealOut,
             summary="复核申诉（成立：评价保留但不计入统计）")
def appeal_decide(request, appeal_id: Id, payload: RatingAppealDecideIn):
    appeal = access.reviewable_appeal(_staff(request), appeal_id)
    return appeal_out(rectify.decide_appeal(request.user, appeal, payload.upheld, payload.decision))
