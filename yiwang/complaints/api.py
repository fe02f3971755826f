"""/api/complaints: 12345 诉求 for citizens (submit, 我的诉求, detail, rating, following by the
SMS link's token) and the hotline's and departments' steps (queues, 派单, 直接答复, 合并, 回访, 重办,
仲裁; a department's inbox, 签收, 退单, 二级派单, 答复). A request or assignment the user may not
see does not exist for them (404); a step their role does not allow is 403, one its state does
not allow 409 (``complaint.illegal_transition``); bad input 400 with the service's code. The
requester's name and phone are masked except for themselves, the region's hotline and the
departments it was assigned to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from yiwang.cases.models import Case
from yiwang.catalog.models import ServiceItem
from yiwang.common.errors import NotFound, PermissionDenied, ValidationError
from yiwang.common.pagination import paginate
from yiwang.common.schemas import Id, PageNumber, PageSize
from yiwang.orgs.models import Department
from yiwang.orgs.services import is_staff_member
from yiwang.regions.models import Region

from . import access, selectors
from .models import HotlineRequest, RequestChannel
from .services import requests as svc

router = Router(tags=["12345热线"], auth=django_auth)

Kind = Literal["consult", "help", "complaint", "report", "suggestion", "praise"]
SatisfactionIn = Literal["satisfied", "basically", "dissatisfied"]


class HotlineRequestIn(Schema):
    kind: Kind
    title: str = Field("", max_length=200)
    content: str = Field("", max_length=8000)
    region: str = Field(..., max_length=12, description="区划代码，如 220100")
    channel: Literal["web", "mobile", "api", "phone"] = Field(
        RequestChannel.API, description="phone 仅限12345话务员登记来电")
    requester_name: str = Field("", max_length=40, description="来电人姓名（话务员登记时）")
    requester_phone: str = Field("", max_length=20, description="联系电话（话务员登记时）")
    anonymous: bool = Field(False, description="匿名（仅举报）")
    case_id: Id | None = Field(None, description="关联的本人办件")
    item_id: Id | None = Field(None, description="关联事项")
    about_department_id: Id | None = None
    address: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)


class HotlineEventOut(Schema):
    action: str
    action_label: str
    department: str
    note: str
    public: bool
    at: dt.datetime


class HotlineAssignmentOut(Schema):
    id: int
    request: str
    parent: int | None
    department: str
    status: str
    status_label: str
    instructions: str
    dispatched_at: dt.datetime
    due_on: dt.date
    return_reason: str
    return_upheld: bool | None
    arbitration_note: str
    answer: str


class HotlineRequestOut(Schema):
    number: str
    kind: str
    kind_label: str
    channel: str
    title: str
    content: str
    status: str
    status_label: str
    region: str
    department: str
    requester_name: str
    requester_phone: str
    anonymous: bool
    address: str
    created_at: dt.datetime
    due_on: dt.date
    answer: str
    answered_at: dt.datetime | None
    satisfaction: str
    reopen_count: int
    overdue: bool
    merged_into: str
    events: list[HotlineEventOut]
    assignments: list[HotlineAssignmentOut]


class HotlineSubmittedOut(HotlineRequestOut):
    token: str = Field(..., description="跟踪凭据：/12345/t/<token>/ 可查看进度并评价，只返回这一次")


class HotlineRequestSummaryOut(Schema):
    number: str
    kind_label: str
    title: str
    status: str
    status_label: str
    region: str
    department: str
    requester_name: str
    requester_phone: str
    created_at: dt.datetime
    due_on: dt.date


class HotlineRequestPage(Schema):
    items: list[HotlineRequestSummaryOut]
    total: int
    page: int
    page_size: int
    pages: int


class HotlineAssignmentPage(Schema):
    items: list[HotlineAssignmentOut]
    total: int
    page: int
    page_size: int
    pages: int


class HotlinePageQuery(Schema):
    page: PageNumber = 1
    page_size: PageSize = 20


class HotlineMineQuery(HotlinePageQuery):
    status: str = ""


class HotlineQueueQuery(HotlinePageQuery):
    q: str = Field("", max_length=100, description="工单编号、标题或电话尾号（4位）")


class HotlineInboxQuery(HotlineQueueQuery):
    status: Literal["open", "pending", "handling", "returned", "answered", "closed"] = "open"


class HotlineDispatchIn(Schema):
    department_id: Id
    instructions: str = Field("", max_length=8000)


class HotlineTextIn(Schema):
    text: str = Field("", max_length=8000)


class HotlineReasonIn(Schema):
    reason: str = Field("", max_length=8000)


class HotlineMergeIn(Schema):
    parent: str = Field(..., max_length=24, description="主工单编号")
    note: str = Field("", max_length=8000)


class HotlineArbitrateIn(Schema):
    upheld: bool
    note: str = Field("", max_length=8000)
    redispatch_to_id: Id | None = Field(None, description="退单成立时直接改派的部门")


class HotlineRevisitIn(Schema):
    method: Literal["phone", "sms", "online"]
    satisfaction: SatisfactionIn | Literal[""] = ""
    note: str = Field("", max_length=8000)


class HotlineRateIn(Schema):
    satisfaction: SatisfactionIn
    comment: str = Field("", max_length=1000)


# --- helpers -----------------------------------------------------------------------------------


def _user(request):
    """A staff member's session must have passed the second factor (the middleware asks it only
    under /api/staff/)."""
    if is_staff_member(request.user) and not request.user.is_verified():
        raise PermissionDenied("请先完成动态口令验证", code="auth.second_factor_required")
    return request.user


def _found(model, pk, what: str, code: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"{what}不存在", code=code)
    return found


def _department(pk) -> Department:
    return _found(Department, pk, "部门", "complaint.department_not_found")


def _contact(user, hotline: HotlineRequest) -> tuple[str, str]:
    if hotline.anonymous:
        return "匿名", ""
    if user is not None and access.sees_contact(user, hotline):
        return hotline.requester_name, hotline.requester_phone
    return selectors.masked_requester(hotline)


def assignment_out(assignment) -> dict:
    return {"id": assignment.pk, "request": assignment.request.number,
            "parent": assignment.parent_id, "department": assignment.department.name,
            "status": assignment.status, "status_label": assignment.get_status_display(),
            "instructions": assignment.instructions, "dispatched_at": assignment.dispatched_at,
            "due_on": assignment.due_on, "return_reason": assignment.return_reason,
            "return_upheld": assignment.return_upheld,
            "arbitration_note": assignment.arbitration_note, "answer": assignment.answer}


def summary_out(hotline: HotlineRequest, name: str, phone: str) -> dict:
    return {"number": hotline.number, "kind_label": hotline.get_kind_display(),
            "title": hotline.title, "status": hotline.status,
            "status_label": hotline.get_status_display(), "region": hotline.region.name,
            "department": hotline.department.name if hotline.department_id else "",
            "requester_name": name, "requester_phone": phone, "created_at": hotline.created_at,
            "due_on": hotline.due_on}


def _masked_summary(hotline: HotlineRequest) -> dict:
    return summary_out(hotline, *selectors.masked_requester(hotline))


def request_out(hotline: HotlineRequest, user=None) -> dict:
    """The request as ``user`` (None: the holder of the follow-up link) may read it: the staff
    who work on it see every step and assignment, everyone else the public 流转记录."""
    staff = user is not None and hotline.requester_id != user.pk and access.sees_contact(user, hotline)
    events = hotline.events.select_related("department")
    if not staff:
        events = events.filter(public=True)
    name, phone = _contact(user, hotline) if user is not None else selectors.masked_requester(hotline)
    assignments = (hotline.assignments.select_related("department", "request") if staff else [])
    return {**summary_out(hotline, name, phone), "kind": hotline.kind, "channel": hotline.channel,
            "content": hotline.content, "anonymous": hotline.anonymous, "address": hotline.address,
            "answer": selectors.shown_answer(hotline), "answered_at": hotline.answered_at,
            "satisfaction": hotline.satisfaction, "reopen_count": hotline.reopen_count,
            "overdue": hotline.escalated_at is not None,
            "merged_into": hotline.parent.number if hotline.parent_id else "",
            "events": [{"action": e.action, "action_label": e.get_action_display(),
                        "department": e.department.name if e.department_id else "",
                        "note": e.note, "public": e.public, "at": e.at} for e in events],
            "assignments": [assignment_out(a) for a in assignments]}


def _visible(request, number: str) -> HotlineRequest:
    return access.visible_request(_user(request), number)


def _answer(request, number: str) -> dict:
    return request_out(_visible(request, number), request.user)


# --- citizens ----------------------------------------------------------------------------------


@router.post("/requests", response={201: HotlineSubmittedOut},
             summary="提交诉求（本人登录；12345话务员登记来电用 channel=phone）")
def hotline_submit(request, payload: HotlineRequestIn):
    user = _user(request)
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise ValidationError("区划代码无效", code="complaint.bad_region")
    case = None
    if payload.case_id is not None:
        case = Case.objects.filter(pk=payload.case_id).first()
        if case is None:  # the same answer as somebody else's case: ids cannot be probed
            raise PermissionDenied("只能就本人的办件反映问题", code="complaint.case_not_yours")
    svc.throttle_account(user)
    hotline, token = svc.submit_request(
        user, kind=payload.kind, title=payload.title, content=payload.content,
        channel=payload.channel, region=region, requester_name=payload.requester_name,
        requester_phone=payload.requester_phone, anonymous=payload.anonymous, case=case,
        item=_found(ServiceItem, payload.item_id, "事项", "complaint.item_not_found"),
        about_department=_department(payload.about_department_id), address=payload.address,
        latitude=payload.latitude, longitude=payload.longitude)
    return 201, {**request_out(hotline, user), "token": token}


@router.get("/requests/mine", response=HotlineRequestPage, summary="我的诉求")
def hotline_mine(request, query: Query[HotlineMineQuery]):
    user = _user(request)
    page = paginate(selectors.mine(user, status=query.status), query.page, query.page_size)
    return page.as_json(lambda r: summary_out(r, *_contact(user, r)))


@router.get("/requests/by-token/{token}", response=HotlineRequestOut, auth=None,
            summary="凭短信中的跟踪链接查看诉求（无需登录）")
def hotline_by_token(request, token: str):
    return request_out(svc.request_by_token(token))


@router.post("/requests/by-token/{token}/rate", response=HotlineRequestOut, auth=None,
             summary="凭跟踪链接评价答复（无需登录）")
def hotline_rate_by_token(request, token: str, payload: HotlineRateIn):
    svc.rate_answer(svc.request_by_token(token), satisfaction=payload.satisfaction,
                    comment=payload.comment, token=token)
    return request_out(svc.request_by_token(token))


@router.get("/requests/{number}", response=HotlineRequestOut, summary="诉求详情（本人、12345热线、承办部门）")
def hotline_detail(request, number: str):
    return _answer(request, number)


@router.post("/requests/{number}/rate", response=HotlineRequestOut,
             summary="评价答复（诉求人本人；满意/基本满意办结，不满意重办）")
def hotline_rate(request, number: str, payload: HotlineRateIn):
    svc.rate_answer(_visible(request, number), satisfaction=payload.satisfaction,
                    comment=payload.comment, user=request.user)
    return _answer(request, number)


# --- the hotline -------------------------------------------------------------------------------


@router.get("/queues/{queue}", response=HotlineRequestPage,
            summary="12345热线队列：dispatch 待派单、arbitration 退单待仲裁、revisit 待回访、overdue 超期")
def hotline_queue(request, queue: Literal["dispatch", "arbitration", "revisit", "overdue"],
                  query: Query[HotlineQueueQuery]):
    requests = selectors.queue(_user(request), queue, q=query.q)
    return paginate(requests, query.page, query.page_size).as_json(_masked_summary)


@router.post("/requests/{number}/dispatch", response=HotlineRequestOut, summary="派单（待派单 → 办理中）")
def hotline_dispatch(request, number: str, payload: HotlineDispatchIn):
    svc.dispatch(request.user, _visible(request, number), _department(payload.department_id),
                 instructions=payload.instructions)
    return _answer(request, number)


@router.post("/requests/{number}/answer-at-once", response=HotlineRequestOut,
             summary="话务员直接答复咨询（待派单 → 已答复）")
def hotline_answer_at_once(request, number: str, payload: HotlineTextIn):
    svc.answer_at_once(request.user, _visible(request, number), payload.text)
    return _answer(request, number)


@router.post("/requests/{number}/merge", response=HotlineRequestOut, summary="合并重复诉求到主工单")
def hotline_merge(request, number: str, payload: HotlineMergeIn):
    duplicate = _visible(request, number)
    svc.merge(request.user, duplicate, _visible(request, payload.parent), note=payload.note)
    return _answer(request, number)


@router.post("/requests/{number}/arbitrate", response=HotlineRequestOut,
             summary="仲裁退单（12345热线管理员；成立可直接改派）")
def hotline_arbitrate(request, number: str, payload: HotlineArbitrateIn):
    hotline = _visible(request, number)
    returned = selectors.current_assignment(hotline)
    if returned is None:
        raise svc.illegal_transition(hotline, "仲裁退单")
    svc.arbitrate(request.user, returned, upheld=payload.upheld, note=payload.note,
                  redispatch_to=_department(payload.redispatch_to_id))
    return _answer(request, number)


@router.post("/requests/{number}/revisit", response=HotlineRequestOut,
             summary="回访（电话回访记录的满意度即诉求人的评价）")
def hotline_revisit(request, number: str, payload: HotlineRevisitIn):
    svc.record_revisit(request.user, _visible(request, number), method=payload.method,
                       satisfaction=payload.satisfaction, note=payload.note)
    return _answer(request, number)


@router.post("/requests/{number}/reopen", response=HotlineRequestOut, summary="重新办理（退回原承办部门）")
def hotline_reopen(request, number: str, payload: HotlineReasonIn):
    svc.reopen(request.user, _visible(request, number), reason=payload.reason)
    return _answer(request, number)


# --- the departments ---------------------------------------------------------------------------


def _assignment(request, pk: int):
    return access.handled_assignment(_user(request), pk)


def _assignment_answer(request, pk: int) -> dict:
    return assignment_out(_assignment(request, pk))


@router.get("/assignments", response=HotlineAssignmentPage, summary="本部门的12345派单（默认待办）")
def hotline_inbox(request, query: Query[HotlineInboxQuery]):
    assignments = selectors.inbox(_user(request), status=query.status, q=query.q)
    return paginate(assignments, query.page, query.page_size).as_json(assignment_out)


@router.post("/assignments/{assignment_id}/accept", response=HotlineAssignmentOut, summary="签收")
def hotline_accept(request, assignment_id: Id):
    svc.accept(request.user, _assignment(request, assignment_id))
    return _assignment_answer(request, assignment_id)


@router.post("/assignments/{assignment_id}/return", response=HotlineAssignmentOut,
             summary="退单（须写明理由；由12345热线管理员仲裁，二级派单退回上级部门）")
def hotline_return(request, assignment_id: Id, payload: HotlineReasonIn):
    svc.return_assignment(request.user, _assignment(request, assignment_id), payload.reason)
    return _assignment_answer(request, assignment_id)


@router.post("/assignments/{assignment_id}/subdispatch", response={201: HotlineAssignmentOut},
             summary="二级派单（转下级区划的部门办理）")
def hotline_subdispatch(request, assignment_id: Id, payload: HotlineDispatchIn):
    child = svc.subdispatch(request.user, _assignment(request, assignment_id),
                            _department(payload.department_id), instructions=payload.instructions)
    return 201, assignment_out(child)


@router.post("/assignments/{assignment_id}/answer", response=HotlineAssignmentOut,
             summary="答复（办结；答复诉求人，二级派单报送上级部门）")
def hotline_answer(request, assignment_id: Id, payload: HotlineTextIn):
    svc.answer(request.user, _assignment(request, assignment_id), payload.text)
    return _assignment_answer(request, assignment_id)
