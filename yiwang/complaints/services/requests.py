"""The life of a 12345 诉求工单.

登记 (``submit_request``: web, mobile, the operator's console, the API, Open311) → 待派单, or at
once 办理中 when a ``DispatchRule`` matches → the department 签收 (``accept``), may pass it to a
sub-unit (``subdispatch``) or return it (``return_assignment``, 退单: the 热线管理员 arbitrates) →
答复 (``answer``: the requester gets an SMS with a fresh follow-up link) → the requester rates it
(``rate_answer``, or on the phone through ``record_revisit``): satisfied → 已办结, dissatisfied →
重办 (``reopen``) while reopenings remain. A 咨询 may be answered by the operator at once
(``answer_at_once``). Duplicates are merged (``merge``). ``escalate_overdue`` and
``close_unrated`` run daily.

Decisions the contract left open:

- The follow-up token is sent by SMS on registration (a caller has no other way to get it) and a
  new one on every answer; each replaces the one before (only its SHA-256 is kept).
- 退单, 仲裁 and a sub-unit's answer are internal steps (``RequestEvent.public`` False); the
  requester's 流转记录 shows registration, dispatch, acceptance, the answer, rating and closing.
- An anonymous 举报 asks for no rating: its answer closes it.
- A department answers or returns only an accepted (签收) assignment with no open sub-assignment.
- A citizen's anonymous 举报 stays linked to their account, so they find it under 我的诉求; the
  staff never see the account, only "匿名".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.accounts.services import citizen_of
from yiwang.cases.uploads import check_upload
from yiwang.common.counters import next_value
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_phone
from yiwang.common.ratelimit import refuse_over_hourly_limit
from yiwang.notify.services import notify_user, send_sms
from yiwang.supervision import audit

from .. import access
from ..models import (
    OPEN_REQUEST_STATUSES,
    Assignment,
    AssignmentStatus,
    DispatchRule,
    HotlineRequest,
    RequestAttachment,
    RequestChannel,
    RequestCounter,
    RequestEvent,
    RequestKind,
    RequestStatus,
    Revisit,
    Satisfaction,
)
from . import deadlines

Action = RequestEvent.Action
Status = RequestStatus
MAX_TITLE = 100
MAX_TEXT = 4000
MAX_ATTACHMENTS = 9
OPEN_ASSIGNMENT = (AssignmentStatus.PENDING, AssignmentStatus.HANDLING)
PHONE = re.compile(r"\+?[0-9][0-9-]{4,19}")  # a mobile, or a landline with its area code


# --- small helpers -----------------------------------------------------------------------------


def _text(value, *, code: str, message: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(message, code=code)
    if len(value) > limit:
        raise ValidationError(f"内容不能超过{limit}字", code=f"{code.rsplit('_', 1)[0]}_too_long")
    return value


def hash_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def follow_url(token: str) -> str:
    """The link that lets the requester follow and rate without an account."""
    return f"{settings.SITE_URL}/12345/t/{token}/"


def _new_token(request: HotlineRequest) -> str:
    """A fresh follow-up token for ``request``; its hash replaces the previous one's."""
    token = secrets.token_urlsafe(24)
    request.token_hash = hash_token(token)
    return token


def illegal_transition(request: HotlineRequest, what: str) -> Conflict:
    return Conflict(f"该诉求当前状态为{request.get_status_display()}，不能{what}",
                    code="complaint.illegal_transition",
                    details={"status": request.status})


def _illegal_assignment(assignment: Assignment, what: str) -> Conflict:
    return Conflict(f"该派单当前状态为{assignment.get_status_display()}，不能{what}",
                    code="complaint.illegal_transition",
                    details={"status": assignment.status})


def _event(request, action: str, *, actor=None, department=None, note: str = "",
           public: bool = True, at=None) -> RequestEvent:
    return RequestEvent.objects.create(request=request, action=action, actor=actor,
                                       department=department, note=note, public=public,
                                       at=at or timezone.now())


def _audit(step: str, actor, request: HotlineRequest, summary: str, **data) -> None:
    audit.record(f"complaint.request.{step}", actor=actor, subject=request,
                 summary=f"{request.number}：{summary}",
                 data={"status": request.status, **data})


def _tell(users, subject: str, text: str) -> None:
    for user in {u.pk: u for u in users if u is not None}.values():
        notify_user(user, subject, text)


def _sms(request: HotlineRequest, text: str) -> None:
    """An SMS to the requester, if they left a phone; sensitive, as it may carry the token."""
    if request.requester_phone and not request.anonymous:
        send_sms(request.requester_phone, f"【12345】{text}", user=request.requester,
                 sensitive=True)


def _lock(request: HotlineRequest) -> HotlineRequest:
    # The row alone: FOR UPDATE over outer joins is refused by PostgreSQL.
    return HotlineRequest.objects.select_for_update().order_by().get(pk=request.pk)


def _lock_assignment(assignment: Assignment) -> tuple[HotlineRequest, Assignment]:
    """The request, then the assignment, locked (always in this order)."""
    request = _lock(assignment.request)
    return request, Assignment.objects.select_for_update().order_by().get(pk=assignment.pk)


def _now(now) -> dt.datetime:
    return now or timezone.now()


# --- registration ------------------------------------------------------------------------------


def next_number(region, day: dt.date) -> str:
    """工单编号: region code (6) + yyyymmdd + the day's sequence in the region (5 digits)."""
    prefix = f"{region.code[:6]}{day:%Y%m%d}"
    return f"{prefix}{next_value(RequestCounter, prefix):05d}"


def _requester(actor, channel: str, region, name: str, phone: str, case) -> dict:
    """Who the request is from: the operator's caller, or the signed-in citizen (name and phone
    from the account), or whoever an API client names."""
    if channel == RequestChannel.PHONE:
        access.require_operator(actor, region)
        return {"requester": None, "registered_by": actor, "requester_name": name,
                "requester_phone": phone}
    if case is not None and (actor is None or case.applicant_id != actor.pk):
        raise PermissionDenied("只能就本人的办件反映问题", code="complaint.case_not_yours")
    citizen = citizen_of(actor) if actor is not None else None
    if citizen is not None:
        name, phone = citizen.name, citizen.mobile
    elif actor is not None and actor.is_authenticated:
        name = name or actor.get_full_name()
    return {"requester": actor if actor is not None and actor.is_authenticated else None,
            "registered_by": None, "requester_name": name, "requester_phone": phone}


def _store_attachments(request: HotlineRequest, attachments, user, now) -> None:
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(f"附件不能超过{MAX_ATTACHMENTS}个", code="complaint.too_many_attachments")
    checked = [(upload, check_upload(upload)) for upload in attachments]
    for upload, check in checked:
        extension = check.name[check.name.rfind("."):]
        name = default_storage.save(f"complaints/{now:%Y/%m}/{check.sha256[:16]}{extension}", upload)
        RequestAttachment.objects.create(
            request=request, file=name, original_name=check.name, content_type=check.content_type,
            size=check.size, sha256=check.sha256, uploaded_by=user, uploaded_at=now)


@transaction.atomic
def throttle(key: str, limit: int) -> None:
    """At most ``limit`` new requests an hour under ``key`` (an account, an Open311 app): the
    edges (pages, API, Open311) call it before ``submit_request``; 429 otherwise."""
    refuse_over_hourly_limit(f"complaints:submit:{key}", limit=limit, code="complaint.rate_limited")


def throttle_account(user) -> None:
    """A citizen account files at most ``COMPLAINTS_REQUESTS_PER_HOUR`` requests an hour; the
    hotline's own staff register calls without limit."""
    if not access.operates(user):
        throttle(f"user:{user.pk}", settings.COMPLAINTS_REQUESTS_PER_HOUR)


def submit_request(actor, *, kind: str, title: str, content: str, channel: str, region,
                   requester_name: str = "", requester_phone: str = "", anonymous: bool = False,
                   case=None, item=None, about_department=None, address: str = "",
                   latitude=None, longitude=None, attachments=(), open311_service=None,
                   attributes=None, now=None) -> tuple[HotlineRequest, str]:
    """登记 a request; returns it and the raw follow-up token (only its hash is stored)."""
    if kind not in RequestKind.values:
        raise ValidationError("请选择诉求类型", code="complaint.bad_kind")
    if channel not in RequestChannel.values:
        raise ValidationError("诉求来源渠道无效", code="complaint.bad_channel")
    title = _text(title, code="complaint.title_required", message="请填写诉求标题", limit=MAX_TITLE)
    content = _text(content, code="complaint.content_required", message="请填写诉求内容")
    if anonymous and kind != RequestKind.REPORT:
        raise ValidationError("只有举报可以匿名", code="complaint.anonymous_only_for_report")
    who = _requester(actor, channel, region, (requester_name or "").strip()[:40],
                     "".join((requester_phone or "").split()), case)
    if anonymous:
        who.update(requester_name="", requester_phone="")
    elif not who["requester_phone"]:
        raise ValidationError("请留下联系电话，以便答复和回访", code="complaint.contact_required")
    elif not PHONE.fullmatch(who["requester_phone"]):
        raise ValidationError("联系电话格式不正确", code="complaint.bad_phone")
    now = _now(now)
    today = timezone.localdate(now)
    request = HotlineRequest(
        number=next_number(region, today), kind=kind, channel=channel, title=title,
        content=content, anonymous=anonymous, region=region, case=case,
        item=item or (case.item if case is not None else None), about_department=about_department,
        address=(address or "").strip()[:200], latitude=latitude, longitude=longitude,
        due_on=deadlines.reply_due(region, kind, today), created_at=now,
        open311_service=open311_service, attributes=attributes or {},
        phone_tail=who["requester_phone"][-4:], **who)
    token = _new_token(request)
    request.save()
    by = who["registered_by"] or who["requester"]
    _store_attachments(request, list(attachments), by, now)
    _event(request, Action.REGISTERED, actor=by, note=f"通过{request.get_channel_display()}登记",
           at=now)
    _audit("submitted", by, request,
           f"登记{request.get_kind_display()}诉求", request_kind=kind, channel=channel,
           phone=mask_phone(request.requester_phone))
    _sms(request, f"您的诉求已登记，工单编号{request.number}，我们将于{request.due_on:%Y年%m月%d日}前答复。"
                  f"查询进度：{follow_url(token)}")
    department, rule = suggest_department(request)
    if rule is not None:
        dispatch(None, request, department, rule=rule, now=now)
        request.refresh_from_db()
    return request, token


def _rule_matches(rule: DispatchRule, request: HotlineRequest) -> bool:
    if rule.item_id:
        return rule.item_id == request.item_id
    words = rule.keywords.split()
    text = f"{request.title}\n{request.content}"
    return any(word in text for word in words)


def suggest_department(request: HotlineRequest):
    """(department, rule): the first matching active rule of the request's region or a region
    above it (a rule for the request's item before keyword rules), else the department of the
    linked case, of the linked item, then the department it is about; (None, None) if nothing."""
    rules = list(DispatchRule.objects.filter(
        Q(kind="") | Q(kind=request.kind), active=True,
        region__code__in=access.region_codes(request.region)).select_related("department"))
    for rule in sorted(rules, key=lambda r: (not r.item_id, r.order, r.pk)):
        if _rule_matches(rule, request):
            return rule.department, rule
    for department in (request.case.department if request.case_id else None,
                       request.item.department if request.item_id else None,
                       request.about_department):
        if department is not None:
            return department, None
    return None, None


# --- the hotline -------------------------------------------------------------------------------


def _answered(request: HotlineRequest, text: str, user, department, now, action: str) -> None:
    """The request answered: a fresh token, the SMS with the link, the duplicates' requesters
    told; an anonymous 举报 is closed at once (no rating is asked of it)."""
    request.answer, request.answered_by, request.answered_at = text, user, now
    request.status = Status.ANSWERED
    token = _new_token(request)
    if request.anonymous:
        request.status, request.closed_at = Status.CLOSED, now
    request.save()
    _event(request, action, actor=user, department=department, at=now)
    if request.anonymous:
        _event(request, Action.CLOSED, note="匿名举报，答复后办结", at=now)
    _sms(request, f"您的诉求（工单编号{request.number}）已答复：{text[:60]}"
                  f"{'…' if len(text) > 60 else ''} 查看答复并评价：{follow_url(token)}")
    for duplicate in request.duplicates.filter(status=Status.MERGED):
        _sms(duplicate, f"您的诉求（工单编号{duplicate.number}）已并入工单{request.number}办理，"
                        f"现已答复：{text[:60]}{'…' if len(text) > 60 else ''}")


@transaction.atomic
def answer_at_once(operator, request: HotlineRequest, answer: str) -> HotlineRequest:
    """The operator answers a 咨询 on the phone: → 已答复 (the requester may still rate it)."""
    answer = _text(answer, code="complaint.answer_required", message="请填写答复内容")
    request = _lock(request)
    access.require_operator(operator, request.region)
    if request.kind != RequestKind.CONSULT:
        raise ValidationError("只有咨询类诉求可以由话务员直接答复", code="complaint.not_a_consultation")
    if request.status != Status.REGISTERED:
        raise illegal_transition(request, "直接答复")
    _answered(request, answer, operator, None, timezone.now(), Action.ANSWERED_AT_ONCE)
    _audit("answered_at_once", operator, request, "话务员直接答复")
    return request


@transaction.atomic
def dispatch(actor, request: HotlineRequest, department, *, instructions: str = "", rule=None,
             now=None) -> Assignment:
    """派单: a 待派单 request to ``department`` (``actor`` None: by ``rule``) → 办理中."""
    if department is None:
        raise ValidationError("请选择承办部门", code="complaint.department_required")
    instructions = _text(instructions, code="complaint.instructions", message="", required=False)
    request = _lock(request)
    if actor is not None:
        access.require_operator(actor, request.region)
        access.require_dispatchable(actor, department)
    if request.status != Status.REGISTERED:
        raise illegal_transition(request, "派单")
    now = _now(now)
    assignment = Assignment.objects.create(
        request=request, department=department, instructions=instructions, rule=rule,
        dispatched_by=actor, dispatched_at=now, due_on=request.due_on)
    request.status, request.department = Status.DISPATCHED, department
    request.save(update_fields=["status", "department"])
    how = "按派单规则自动派单" if rule is not None else "派单"
    _event(request, Action.DISPATCHED, actor=actor, department=department,
           note=f"{how}至{department.name}", at=now)
    _audit("dispatched", actor, request, f"{how}至{department.name}", department=department.pk,
           rule=getattr(rule, "pk", None))
    _tell(access.department_handlers(department), "收到12345派单",
          f"12345工单{request.number}“{request.title}”已派至{department.name}，"
          f"请签收并于{assignment.due_on:%Y-%m-%d}前答复。")
    return assignment


@transaction.atomic
def merge(actor, duplicate: HotlineRequest, parent: HotlineRequest, *,
          note: str = "") -> HotlineRequest:
    """合并: ``duplicate`` joins ``parent`` (已合并); its open assignments close and its
    requester is told the parent's number."""
    if duplicate.pk == parent.pk:
        raise ValidationError("不能将工单合并到其自身", code="complaint.merge_self")
    note = _text(note, code="complaint.note", message="", required=False)
    first, second = sorted((duplicate, parent), key=lambda r: r.pk)
    locked = {r.pk: _lock(r) for r in (first, second)}
    duplicate, parent = locked[duplicate.pk], locked[parent.pk]
    access.require_operator(actor, duplicate.region)
    access.require_operator(actor, parent.region)
    if duplicate.status not in OPEN_REQUEST_STATUSES:
        raise illegal_transition(duplicate, "合并")
    if parent.status == Status.MERGED:
        raise Conflict(f"工单{parent.number}已合并到其他工单，请合并到工单"
                       f"{parent.parent.number}", code="complaint.merge_into_merged")
    now = timezone.now()
    Assignment.objects.filter(request=duplicate, status__in=(*OPEN_ASSIGNMENT,
                                                             AssignmentStatus.RETURNED)) \
        .update(status=AssignmentStatus.CLOSED)
    duplicate.status, duplicate.parent, duplicate.department = Status.MERGED, parent, None
    duplicate.save(update_fields=["status", "parent", "department"])
    _event(duplicate, Action.MERGED, actor=actor, note=f"与工单{parent.number}反映的问题相同，合并办理"
           + (f"。{note}" if note else ""), at=now)
    _audit("merged", actor, duplicate, f"合并至{parent.number}", parent=parent.pk)
    _sms(duplicate, f"您的诉求（工单编号{duplicate.number}）与工单{parent.number}反映的问题相同，"
                    "已合并办理，答复将一并告知。")
    return duplicate


# --- the department ----------------------------------------------------------------------------


@transaction.atomic
def subdispatch(user, assignment: Assignment, department, *, instructions: str = "") -> Assignment:
    """二级派单: the handling department passes its assignment to a sub-unit, a department of a
    region strictly below its own."""
    if department is None:
        raise ValidationError("请选择下级承办单位", code="complaint.department_required")
    instructions = _text(instructions, code="complaint.instructions", message="", required=False)
    request, assignment = _lock_assignment(assignment)
    access.require_handler(user, assignment.department)
    own = assignment.department.region
    if department.region.path == own.path or not department.region.path.startswith(own.path):
        raise ValidationError(f"{department.name}不是{assignment.department.name}的下级单位",
                              code="complaint.not_a_subunit")
    if assignment.status != AssignmentStatus.HANDLING:
        raise _illegal_assignment(assignment, "二级派单（请先签收）")
    now = timezone.now()
    child = Assignment.objects.create(
        request=request, parent=assignment, department=department, instructions=instructions,
        dispatched_by=user, dispatched_at=now, due_on=assignment.due_on)
    _event(request, Action.SUBDISPATCHED, actor=user, department=department,
           note=f"{assignment.department.name}转{department.name}办理", at=now)
    _audit("subdispatched", user, request, f"二级派单至{department.name}",
           assignment=child.pk, department=department.pk)
    _tell(access.department_handlers(department), "收到12345二级派单",
          f"{assignment.department.name}将12345工单{request.number}“{request.title}”转你单位办理，"
          f"请签收并于{child.due_on:%Y-%m-%d}前答复。")
    return child


@transaction.atomic
def accept(user, assignment: Assignment) -> Assignment:
    """签收: 待签收 → 办理中."""
    request, assignment = _lock_assignment(assignment)
    access.require_handler(user, assignment.department)
    if assignment.status != AssignmentStatus.PENDING:
        raise _illegal_assignment(assignment, "签收")
    now = timezone.now()
    assignment.status, assignment.accepted_by, assignment.accepted_at = (
        AssignmentStatus.HANDLING, user, now)
    assignment.save(update_fields=["status", "accepted_by", "accepted_at"])
    _event(request, Action.ACCEPTED, actor=user, department=assignment.department, at=now)
    _audit("accepted", user, request, f"{assignment.department.name}签收",
           assignment=assignment.pk)
    return assignment


def _no_open_children(assignment: Assignment, what: str) -> None:
    if assignment.children.filter(status__in=OPEN_ASSIGNMENT).exists():
        raise Conflict(f"二级派单尚未办结，不能{what}", code="complaint.subassignment_open")


@transaction.atomic
def return_assignment(user, assignment: Assignment, reason: str) -> Assignment:
    """退单 with a reason: the hotline's 热线管理员 arbitrates a department's return; a sub-unit's
    goes back to the department that passed it on."""
    reason = _text(reason, code="complaint.return_reason_required", message="请填写退单理由")
    request, assignment = _lock_assignment(assignment)
    access.require_handler(user, assignment.department)
    if assignment.status not in OPEN_ASSIGNMENT:
        raise _illegal_assignment(assignment, "退单")
    _no_open_children(assignment, "退单")
    now = timezone.now()
    assignment.return_reason, assignment.returned_by, assignment.returned_at = reason, user, now
    department = assignment.department
    if assignment.parent_id is None:
        if request.status != Status.DISPATCHED:
            raise illegal_transition(request, "退单")
        assignment.status = AssignmentStatus.RETURNED
        request.status = Status.ARBITRATION
        request.save(update_fields=["status"])
        _tell(access.hotline_admins(request.region), "12345退单待仲裁",
              f"{department.name}退回12345工单{request.number}“{request.title}”，理由：{reason}。请仲裁。")
    else:
        assignment.status = AssignmentStatus.CLOSED
        parent = assignment.parent
        _tell(access.department_handlers(parent.department), "12345二级派单被退回",
              f"{department.name}退回12345工单{request.number}，理由：{reason}。请另行办理。")
    assignment.save(update_fields=["status", "return_reason", "returned_by", "returned_at"])
    _event(request, Action.RETURNED, actor=user, department=department, note=reason,
           public=False, at=now)
    _audit("returned", user, request, f"{department.name}退单", assignment=assignment.pk)
    return assignment


@transaction.atomic
def arbitrate(admin, assignment: Assignment, *, upheld: bool, note: str,
              redispatch_to=None) -> Assignment:
    """仲裁 a 退单: upheld → the assignment closes and the request waits at the hotline again (or
    goes at once to ``redispatch_to``); rejected → the department must handle it."""
    note = _text(note, code="complaint.arbitration_note_required", message="请填写仲裁意见")
    if redispatch_to is not None and not upheld:
        raise ValidationError("驳回退单时不能改派其他部门", code="complaint.redispatch_needs_upheld")
    request, assignment = _lock_assignment(assignment)
    access.require_arbitrator(admin, request.region)
    if (assignment.parent_id is not None or assignment.status != AssignmentStatus.RETURNED
            or request.status != Status.ARBITRATION):
        raise illegal_transition(request, "仲裁退单")
    now = timezone.now()
    department = assignment.department
    assignment.return_upheld, assignment.arbitration_note = bool(upheld), note
    assignment.arbitrated_by, assignment.arbitrated_at = admin, now
    if upheld:
        assignment.status = AssignmentStatus.CLOSED
        request.status, request.department = Status.REGISTERED, None
        outcome, action = "退单成立", Action.RETURN_UPHELD
    else:
        assignment.status = AssignmentStatus.HANDLING
        request.status = Status.DISPATCHED
        outcome, action = "退单驳回", Action.RETURN_REJECTED
    assignment.save(update_fields=["status", "return_upheld", "arbitration_note", "arbitrated_by",
                                   "arbitrated_at"])
    request.save(update_fields=["status", "department"])
    _event(request, action, actor=admin, department=department, note=note, public=False, at=now)
    _audit("arbitrated", admin, request, f"{department.name}的退单：{outcome}",
           assignment=assignment.pk, upheld=bool(upheld))
    _tell(access.department_handlers(department), f"12345{outcome}",
          f"12345工单{request.number}的退单经仲裁{outcome}：{note}"
          + ("" if upheld else "。请继续办理并按期答复。"))
    if redispatch_to is not None:
        dispatch(admin, request, redispatch_to, instructions=note, now=now)
    return assignment


@transaction.atomic
def answer(user, assignment: Assignment, text: str) -> Assignment:
    """答复 (办结 by the department): a top-level answer is the request's answer (→ 已答复, the
    requester told by SMS with a fresh follow-up link); a sub-unit's goes to its department."""
    text = _text(text, code="complaint.answer_required", message="请填写答复内容")
    request, assignment = _lock_assignment(assignment)
    access.require_handler(user, assignment.department)
    if assignment.status != AssignmentStatus.HANDLING:
        raise _illegal_assignment(assignment, "答复（请先签收）")
    _no_open_children(assignment, "答复")
    now = timezone.now()
    department = assignment.department
    assignment.status, assignment.answer = AssignmentStatus.ANSWERED, text
    assignment.answered_by, assignment.answered_at = user, now
    assignment.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    if assignment.parent_id is None:
        if request.status != Status.DISPATCHED:
            raise illegal_transition(request, "答复")
        _answered(request, text, user, department, now, Action.ANSWERED)
    else:
        _event(request, Action.ANSWERED, actor=user, department=department,
               note=f"{department.name}向{assignment.parent.department.name}报送办理结果",
               public=False, at=now)
        _tell(access.department_handlers(assignment.parent.department), "12345二级派单已办结",
              f"{department.name}已办结12345工单{request.number}，请审核后答复诉求人。")
    _audit("answered", user, request, f"{department.name}答复", assignment=assignment.pk,
           top_level=assignment.parent_id is None)
    return assignment


# --- the requester's verdict -------------------------------------------------------------------


def _check_satisfaction(satisfaction: str, *, required: bool = True) -> str:
    satisfaction = (satisfaction or "").strip()
    if not satisfaction and not required:
        return ""
    if satisfaction not in Satisfaction.values:
        raise ValidationError("请选择满意、基本满意或不满意", code="complaint.bad_satisfaction")
    return satisfaction


def _check_rateable(request: HotlineRequest, now) -> None:
    if request.rated_at and request.answered_at and request.rated_at >= request.answered_at:
        raise Conflict("该答复已经评价过", code="complaint.already_rated")
    if request.status == Status.CLOSED and request.answered_at and not request.rated_at:
        raise Conflict(f"答复后{settings.COMPLAINTS_RATING_DAYS}日内可以评价，评价期限已过",
                       code="complaint.rating_closed")
    if request.status != Status.ANSWERED:
        raise Conflict(f"该诉求当前状态为{request.get_status_display()}，尚未答复，不能评价",
                       code="complaint.not_answered")
    if now > request.answered_at + dt.timedelta(days=settings.COMPLAINTS_RATING_DAYS):
        raise Conflict(f"答复后{settings.COMPLAINTS_RATING_DAYS}日内可以评价，评价期限已过",
                       code="complaint.rating_closed")


def _rated(request: HotlineRequest, satisfaction: str, comment: str, actor, now, how: str) -> None:
    """Record the verdict; satisfied closes it, dissatisfied reopens it while reopenings remain."""
    request.satisfaction, request.satisfaction_comment, request.rated_at = (
        satisfaction, comment, now)
    label = Satisfaction(satisfaction).label
    _event(request, Action.RATED, actor=actor, note=f"{how}：{label}" + (f"。{comment}" if comment else ""),
           at=now)
    if satisfaction == Satisfaction.DISSATISFIED and (
            request.reopen_count < settings.COMPLAINTS_MAX_REOPENS):
        _reopen(request, actor, comment or "诉求人对答复不满意", now)
        return
    request.status, request.closed_at = Status.CLOSED, now
    request.save()
    _event(request, Action.CLOSED, note=f"诉求人评价{label}，办结", at=now)


@transaction.atomic
def rate_answer(request: HotlineRequest, *, satisfaction: str, comment: str = "", user=None,
                token=None, now=None) -> HotlineRequest:
    """The requester rates the answer (signed in as themselves, or by the follow-up token) within
    ``COMPLAINTS_RATING_DAYS``: 满意/基本满意 → 已办结; 不满意 → 重办 (while
    ``reopen_count < COMPLAINTS_MAX_REOPENS``, else 已办结 as dissatisfied)."""
    satisfaction = _check_satisfaction(satisfaction)
    comment = _text(comment, code="complaint.comment", message="", limit=500, required=False)
    request = _lock(request)
    if token is not None:
        if not token or hash_token(token) != request.token_hash:
            raise NotFound("链接无效或已过期", code="complaint.bad_token")
    elif user is None or request.requester_id is None or request.requester_id != user.pk:
        raise PermissionDenied("只有诉求人本人可以评价答复", code="complaint.not_yours")
    now = _now(now)
    _check_rateable(request, now)
    _rated(request, satisfaction, comment, user, now, "诉求人评价")
    _audit("rated", user, request, f"诉求人评价：{Satisfaction(satisfaction).label}",
           satisfaction=satisfaction, by_token=token is not None)
    return request


@transaction.atomic
def record_revisit(operator, request: HotlineRequest, *, method: str, satisfaction: str = "",
                   note: str) -> Revisit:
    """回访 of an answered request; a satisfaction heard on the phone counts as the requester's
    rating (as ``rate_answer``)."""
    if method not in Revisit.Method.values:
        raise ValidationError("请选择回访方式", code="complaint.bad_revisit_method")
    satisfaction = _check_satisfaction(satisfaction, required=False)
    note = _text(note, code="complaint.revisit_note_required", message="请填写回访记录")
    request = _lock(request)
    access.require_operator(operator, request.region)
    if request.anonymous:
        raise Conflict("匿名举报不回访", code="complaint.anonymous_no_revisit")
    if request.status != Status.ANSWERED:
        raise illegal_transition(request, "回访")
    now = timezone.now()
    if satisfaction:
        _check_rateable(request, now)
    revisit = Revisit.objects.create(request=request, method=method, satisfaction=satisfaction,
                                     note=note, by=operator, at=now)
    _event(request, Action.REVISITED, actor=operator, note=revisit.get_method_display(), at=now)
    if satisfaction:
        _rated(request, satisfaction, "", operator, now, revisit.get_method_display())
    _audit("revisited", operator, request, f"{revisit.get_method_display()}",
           satisfaction=satisfaction)
    return revisit


def _reopen(request: HotlineRequest, actor, reason: str, now) -> Assignment:
    """Back to the department that answered, with a new deadline."""
    last = (request.assignments.filter(parent__isnull=True, status=AssignmentStatus.ANSWERED)
            .select_related("department").order_by("-answered_at", "-pk").first())
    if last is None:
        raise Conflict("该诉求由话务员直接答复，没有承办部门，请重新派单",
                       code="complaint.no_department_to_reopen")
    today = timezone.localdate(now)
    request.due_on = deadlines.reply_due(request.region, request.kind, today)
    request.status, request.department = Status.DISPATCHED, last.department
    request.reopen_count += 1
    request.answer, request.answered_by, request.answered_at = "", None, None
    request.closed_at, request.escalated_at = None, None
    request.save()
    assignment = Assignment.objects.create(
        request=request, department=last.department, dispatched_by=actor, dispatched_at=now,
        due_on=request.due_on, instructions=f"重新办理：{reason}")
    _event(request, Action.REOPENED, actor=actor, department=last.department,
           note=f"重新办理（第{request.reopen_count}次）：{reason}", at=now)
    _tell(access.department_handlers(last.department), "12345工单重新办理",
          f"12345工单{request.number}“{request.title}”需重新办理（{reason}），"
          f"请于{request.due_on:%Y-%m-%d}前答复。")
    return assignment


@transaction.atomic
def reopen(actor, request: HotlineRequest, *, reason: str) -> Assignment:
    """重办 by the hotline: an answered or closed request back to the department that answered
    it, with a new reply deadline."""
    reason = _text(reason, code="complaint.reopen_reason_required", message="请填写重新办理的理由")
    request = _lock(request)
    access.require_operator(actor, request.region)
    if request.status not in (Status.ANSWERED, Status.CLOSED):
        raise illegal_transition(request, "重新办理")
    if request.reopen_count >= settings.COMPLAINTS_MAX_REOPENS:
        raise Conflict(f"该诉求已重新办理{request.reopen_count}次，达到上限",
                       code="complaint.reopen_limit")
    assignment = _reopen(request, actor, reason, timezone.now())
    _audit("reopened", actor, request, "重新办理", assignment=assignment.pk)
    return assignment


# --- the daily sweep ---------------------------------------------------------------------------


def escalate_overdue(now=None) -> int:
    """超期督办, once per deadline: open requests past ``due_on`` get ``escalated_at``; the
    handlers of every open assignment and the region's 热线管理员 are told."""
    now = _now(now)
    today = timezone.localdate(now)
    overdue = HotlineRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES, due_on__lt=today,
                                            escalated_at__isnull=True).values_list("pk", flat=True)
    escalated = 0
    for pk in list(overdue):
        with transaction.atomic():
            request = HotlineRequest.objects.select_for_update().order_by().get(pk=pk)
            if request.escalated_at is not None or request.status not in OPEN_REQUEST_STATUSES:
                continue
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            open_ = list(request.assignments.filter(status__in=OPEN_ASSIGNMENT)
                         .select_related("department"))
            _event(request, Action.ESCALATED, department=request.department,
                   note=f"已超过答复期限{request.due_on:%Y-%m-%d}，督办", public=False, at=now)
            _audit("escalated", None, request, f"超期督办（期限{request.due_on:%Y-%m-%d}）",
                   due_on=str(request.due_on))
            text = (f"12345工单{request.number}“{request.title}”已超过答复期限"
                    f"{request.due_on:%Y-%m-%d}（{request.get_status_display()}），请立即办理。")
            handlers = [u for a in open_ for u in access.department_handlers(a.department)]
            _tell(handlers + access.hotline_admins(request.region), "12345工单超期督办", text)
            escalated += 1
    return escalated


def close_unrated(now=None) -> int:
    """Answered requests whose rating window passed are closed as answered (未评价)."""
    now = _now(now)
    line = now - dt.timedelta(days=settings.COMPLAINTS_RATING_DAYS)
    closed = 0
    for pk in list(HotlineRequest.objects.filter(status=Status.ANSWERED, answered_at__lt=line)
                   .values_list("pk", flat=True)):
        with transaction.atomic():
            request = HotlineRequest.objects.select_for_update().order_by().get(pk=pk)
            if request.status != Status.ANSWERED or request.answered_at >= line:
                continue
            request.status, request.closed_at = Status.CLOSED, now
            request.save(update_fields=["status", "closed_at"])
            _event(request, Action.CLOSED, note="评价期限已过，按已答复办结", at=now)
            _audit("closed_unrated", None, request, "评价期限已过，自动办结")
            closed += 1
    return closed


def request_by_token(token: str) -> HotlineRequest:
    """The request a follow-up link opens (only the current token works)."""
    request = None
    if token and len(token) <= 100:
        request = (HotlineRequest.objects.select_related("region", "department", "parent")
                   .filter(token_hash=hash_token(token)).first())
    if request is None:
        raise NotFound("链接无效或已过期", code="complaint.bad_token")
    return request


def open_attachment(user, request: HotlineRequest, pk, *, ip: str | None = None
                    ) -> RequestAttachment:
    """An attachment of ``request``, which the caller has found visible to ``user``; the download
    is audited."""
    attachment = (request.attachments.filter(pk=pk).first()
                  if str(pk).isdigit() and len(str(pk)) <= 18 else None)
    if attachment is None:
        raise NotFound("附件不存在", code="complaint.attachment_not_found")
    audit.record("complaint.attachment.downloaded", actor=user, subject=request, ip=ip,
                 summary=f"下载12345工单{request.number}的附件“{attachment.original_name}”",
                 data={"attachment": attachment.pk, "sha256": attachment.sha256})
    return attachment
