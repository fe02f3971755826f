"""The life of a 12345 request through ``complaints.services.requests``: registration and
automatic dispatch, 派单, 签收, 退单 and 仲裁, 二级派单, 答复, the requester's rating, 回访, 重办,
合并, and who may do each step."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.cases.factories import World, pdf
from tests.complaints.factories import WANG_FANG_MOBILE, HotlineWorld
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.complaints.models import (
    AssignmentStatus,
    DispatchRule,
    HotlineRequest,
    RequestChannel,
    RequestEvent,
    RequestKind,
    RequestStatus,
    Revisit,
    Satisfaction,
)
from yiwang.complaints.services import requests as svc
from yiwang.notify.models import Channel, Message
from yiwang.supervision.models import AuditRecord

# Monday 7 December 2026, 10:00 in Beijing: a 投诉's 5 working days end on Monday 14 December.
NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 10, 0))
Action = RequestEvent.Action


@pytest.fixture
def w(db):
    return HotlineWorld()


def sms_to(phone: str) -> list[str]:
    return [m.body for m in Message.objects.filter(channel=Channel.SMS).order_by("pk")
            if m.address == phone]


def inbox_of(user) -> list[str]:
    return list(Message.objects.filter(channel=Channel.INBOX, user=user)
                .order_by("pk").values_list("subject", flat=True))


def token_in(text: str) -> str:
    return re.search(r"/12345/t/([^/]+)/", text).group(1)


def actions(request) -> list[str]:
    return list(request.events.values_list("action", flat=True))


# --- registration ------------------------------------------------------------------------------


def test_a_citizens_request_gets_a_number_a_deadline_and_their_contact(w):
    request, token = w.submit(now=NOW)
    assert re.fullmatch(r"22010020261207\d{5}", request.number)
    assert request.number.endswith("00001")
    assert w.submit(now=NOW)[0].number.endswith("00002")
    assert request.status == RequestStatus.REGISTERED and request.department is None
    assert request.due_on == dt.date(2026, 12, 14)
    assert (request.requester, request.requester_name, request.requester_phone) == (
        w.citizen, "王芳", WANG_FANG_MOBILE)
    assert request.phone_tail == "0002" and request.registered_by is None
    assert request.token_hash == svc.hash_token(token) and token not in request.token_hash
    assert actions(request) == [Action.REGISTERED]
    assert AuditRecord.objects.filter(kind="complaint.request.submitted",
                                      subject_id=str(request.pk)).exists()


def test_the_requester_is_sent_the_number_and_a_follow_up_link_that_opens_the_request(w):
    request, token = w.submit()
    [text] = sms_to(WANG_FANG_MOBILE)
    assert request.number in text and token_in(text) == token
    assert svc.request_by_token(token) == request


def test_an_operator_registers_a_callers_request_by_phone(w):
    request, _ = w.call(kind=RequestKind.HELP, title="独居老人家中停暖求助", content="老人家暖气不热",
                        now=NOW)
    assert request.channel == RequestChannel.PHONE and request.registered_by == w.operator
    assert request.requester is None and request.requester_name == "李明"
    assert request.due_on == dt.date(2026, 12, 10)  # 求助: 3 working days
    assert sms_to("13804310099")


def test_an_operator_of_another_city_cannot_register_a_call_for_changchun(w):
    with pytest.raises(PermissionDenied) as refused:
        w.submit(actor=w.jilin_operator, channel=RequestChannel.PHONE, requester_phone="13800000000")
    assert refused.value.code == "complaint.forbidden"
    with pytest.raises(PermissionDenied):
        w.submit(channel=RequestChannel.PHONE, requester_phone="13800000000")  # a citizen
    assert not HotlineRequest.objects.exists()


@pytest.mark.parametrize(("fields", "code"), [
    ({"title": "  "}, "complaint.title_required"),
    ({"content": ""}, "complaint.content_required"),
    ({"title": "长" * 101}, "complaint.title_too_long"),
    ({"kind": "rumour"}, "complaint.bad_kind"),
    ({"channel": "fax"}, "complaint.bad_channel"),
    ({"anonymous": True}, "complaint.anonymous_only_for_report"),
])
def test_a_request_without_what_it_needs_is_refused(w, fields, code):
    with pytest.raises(ValidationError) as refused:
        w.submit(**fields)
    assert refused.value.code == code
    assert not HotlineRequest.objects.exists()


def test_a_call_without_a_phone_is_refused_unless_it_is_an_anonymous_report(w):
    with pytest.raises(ValidationError) as refused:
        w.call(requester_phone="")
    assert refused.value.code == "complaint.contact_required"
    with pytest.raises(ValidationError) as refused:
        w.call(requester_phone="call me maybe")
    assert refused.value.code == "complaint.bad_phone"
    request, _ = w.call(requester_phone="", requester_name="某某", kind=RequestKind.REPORT,
                        anonymous=True, title="无证行医", content="某诊所无证行医")
    assert (request.anonymous, request.requester_name, request.requester_phone) == (True, "", "")
    assert not Message.objects.filter(channel=Channel.SMS).exists()


def test_only_the_applicant_may_link_their_case(db):
    cases = World()
    case = cases.submitted()
    stranger = cases.stranger.user
    with pytest.raises(PermissionDenied) as refused:
        svc.submit_request(stranger, kind=RequestKind.COMPLAINT, title="办件超期", content="太慢",
                           channel=RequestChannel.WEB, region=cases.province, case=case)
    assert refused.value.code == "complaint.case_not_yours"
    request, _ = svc.submit_request(cases.user, kind=RequestKind.COMPLAINT, title="办件超期",
                                    content="太慢", channel=RequestChannel.WEB,
                                    region=cases.province, case=case)
    assert request.item == cases.item
    assert svc.suggest_department(request) == (cases.market, None)


def test_attachments_are_checked_and_stored(w):
    request, _ = w.submit(attachments=[pdf("现场照片.pdf")])
    [attachment] = request.attachments.all()
    assert attachment.original_name == "现场照片.pdf" and attachment.uploaded_by == w.citizen
    with pytest.raises(ValidationError) as refused:
        w.submit(attachments=[pdf("病毒.exe")])
    assert refused.value.code == "case.file_type"


# --- dispatch rules ----------------------------------------------------------------------------


def test_a_matching_rule_dispatches_at_once(w):
    rule = DispatchRule.objects.create(region=w.changchun, kind=RequestKind.COMPLAINT,
                                       keywords="食品 餐饮", department=w.market)
    request, _ = w.submit(title="餐饮店卫生差", content="后厨脏乱")
    assert request.status == RequestStatus.DISPATCHED and request.department == w.market
    [assignment] = request.assignments.all()
    assert (assignment.rule, assignment.dispatched_by, assignment.status) == (
        rule, None, AssignmentStatus.PENDING)
    assert inbox_of(w.handler) == ["收到12345派单"]


def test_rules_apply_to_their_kind_and_their_region_only(w):
    DispatchRule.objects.create(region=w.changchun, kind=RequestKind.COMPLAINT, keywords="餐饮",
                                department=w.market)
    DispatchRule.objects.create(region=w.jilin, keywords="油烟", department=w.jilin_market)
    suggestion = w.registered(kind=RequestKind.SUGGESTION, title="建议规范餐饮外摆")
    assert suggestion.status == RequestStatus.REGISTERED
    assert w.registered().status == RequestStatus.REGISTERED  # 油烟 is 吉林市's rule
    in_jilin = w.registered(region=w.jilin)
    assert in_jilin.department == w.jilin_market


def test_an_item_rule_beats_a_keyword_rule_and_the_province_rules_reach_the_cities(w):
    cases = World()
    DispatchRule.objects.create(region=w.changchun, keywords="许可", department=w.health, order=0)
    DispatchRule.objects.create(region=w.province, item=cases.item, department=w.market, order=9)
    request = w.registered(title="食品经营许可办理慢", item=cases.item)
    assert request.department == w.market


def test_without_a_rule_the_department_it_is_about_is_suggested(w):
    request = w.registered(about_department=w.health)
    assert request.status == RequestStatus.REGISTERED
    assert svc.suggest_department(request) == (w.health, None)
    assert svc.suggest_department(w.registered()) == (None, None)


# --- dispatch, acceptance ----------------------------------------------------------------------


def test_the_operator_dispatches_and_the_handlers_are_told(w):
    request = w.registered()
    assignment = svc.dispatch(w.operator, request, w.market, instructions="请核查")
    request.refresh_from_db()
    assert request.status == RequestStatus.DISPATCHED and request.department == w.market
    assert (assignment.status, assignment.due_on, assignment.dispatched_by) == (
        AssignmentStatus.PENDING, request.due_on, w.operator)
    assert inbox_of(w.handler) == ["收到12345派单"] and inbox_of(w.health_handler) == []


def test_an_operator_of_jilin_cannot_dispatch_a_changchun_request(w):
    request = w.registered()
    for user in (w.jilin_operator, w.handler, w.citizen):
        with pytest.raises(PermissionDenied) as refused:
            svc.dispatch(user, request, w.market)
        assert refused.value.code == "complaint.forbidden"
    request.refresh_from_db()
    assert request.status == RequestStatus.REGISTERED and not request.assignments.exists()


def test_the_hotline_dispatches_only_to_departments_of_its_regions(w):
    request = w.registered()
    with pytest.raises(PermissionDenied) as refused:
        svc.dispatch(w.operator, request, w.jilin_market)
    assert refused.value.code == "complaint.department_out_of_scope"
    assert "吉林市市场监督管理局不在您所辖区划内" in refused.value.message
    request.refresh_from_db()
    assert request.status == RequestStatus.REGISTERED and not request.assignments.exists()
    # a department of a county below the operator's city is within reach
    assert svc.dispatch(w.operator, request, w.sub_market).department == w.sub_market


def test_a_dispatched_request_cannot_be_dispatched_again(w):
    assignment = w.dispatched()
    with pytest.raises(Conflict) as refused:
        svc.dispatch(w.operator, assignment.request, w.health)
    assert refused.value.code == "complaint.illegal_transition"
    assert "办理中" in refused.value.message


def test_the_departments_handler_accepts_another_departments_cannot(w):
    assignment = w.dispatched()
    with pytest.raises(PermissionDenied):
        svc.accept(w.health_handler, assignment)
    with pytest.raises(PermissionDenied):
        svc.accept(w.operator, assignment)
    accepted = svc.accept(w.market_admin, assignment)  # 部门管理员 may too
    assert (accepted.status, accepted.accepted_by) == (AssignmentStatus.HANDLING, w.market_admin)
    with pytest.raises(Conflict) as refused:
        svc.accept(w.handler, assignment)
    assert refused.value.code == "complaint.illegal_transition" and "办理中" in refused.value.message


# --- 退单 and 仲裁 -------------------------------------------------------------------------------


def test_a_return_without_a_reason_is_refused(w):
    assignment = w.dispatched()
    with pytest.raises(ValidationError) as refused:
        svc.return_assignment(w.handler, assignment, "  ")
    assert refused.value.code == "complaint.return_reason_required"
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


def test_a_return_goes_to_arbitration_and_the_hotline_admins_are_told(w):
    assignment = w.dispatched()
    with pytest.raises(PermissionDenied):
        svc.return_assignment(w.health_handler, assignment, "不归我们管")
    svc.return_assignment(w.handler, assignment, "油烟扰民属生态环境部门职责")
    assignment.refresh_from_db()
    request = assignment.request
    request.refresh_from_db()
    assert assignment.status == AssignmentStatus.RETURNED and assignment.returned_by == w.handler
    assert request.status == RequestStatus.ARBITRATION
    assert inbox_of(w.admin) == ["12345退单待仲裁"] and inbox_of(w.operator) == []
    returned = request.events.get(action=Action.RETURNED)
    assert not returned.public and returned.note == "油烟扰民属生态环境部门职责"


def test_only_a_hotline_admin_arbitrates_and_gives_a_note(w):
    assignment = w.dispatched()
    svc.return_assignment(w.handler, assignment, "非本部门职责")
    for user in (w.operator, w.handler, w.jilin_operator):
        with pytest.raises(PermissionDenied):
            svc.arbitrate(user, assignment, upheld=True, note="成立")
    with pytest.raises(ValidationError) as refused:
        svc.arbitrate(w.admin, assignment, upheld=True, note="")
    assert refused.value.code == "complaint.arbitration_note_required"


def test_an_upheld_return_redispatches_to_another_department(w):
    assignment = w.dispatched()
    svc.return_assignment(w.handler, assignment, "属卫健部门职责")
    svc.arbitrate(w.admin, assignment, upheld=True, note="退单成立，改派卫健委", redispatch_to=w.health)
    assignment.refresh_from_db()
    request = HotlineRequest.objects.get(pk=assignment.request_id)
    assert assignment.status == AssignmentStatus.CLOSED and assignment.return_upheld is True
    assert request.status == RequestStatus.DISPATCHED and request.department == w.health
    assert request.assignments.filter(department=w.health,
                                      status=AssignmentStatus.PENDING).count() == 1
    assert inbox_of(w.handler)[-1] == "12345退单成立"
    assert inbox_of(w.health_handler) == ["收到12345派单"]


def test_an_upheld_return_without_a_new_department_waits_at_the_hotline(w):
    assignment = w.dispatched()
    svc.return_assignment(w.handler, assignment, "非本部门职责")
    svc.arbitrate(w.admin, assignment, upheld=True, note="成立")
    request = HotlineRequest.objects.get(pk=assignment.request_id)
    assert request.status == RequestStatus.REGISTERED and request.department is None
    with pytest.raises(Conflict) as refused:
        svc.arbitrate(w.admin, assignment, upheld=False, note="再议")
    assert refused.value.code == "complaint.illegal_transition" and "待派单" in refused.value.message


def test_a_rejected_return_puts_the_department_back_to_work(w):
    assignment = w.dispatched()
    svc.return_assignment(w.handler, assignment, "非本部门职责")
    with pytest.raises(ValidationError):
        svc.arbitrate(w.admin, assignment, upheld=False, note="驳回", redispatch_to=w.health)
    svc.arbitrate(w.admin, assignment, upheld=False, note="餐饮油烟属市场监管职责，请办理")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.HANDLING and assignment.return_upheld is False
    assert HotlineRequest.objects.get(pk=assignment.request_id).status == RequestStatus.DISPATCHED
    svc.answer(w.handler, assignment, "已处理")
    assert HotlineRequest.objects.get(pk=assignment.request_id).status == RequestStatus.ANSWERED


# --- 二级派单 ------------------------------------------------------------------------------------


def test_a_department_passes_it_to_a_subunit_whose_answer_comes_back_to_it(w):
    assignment = w.handling()
    with pytest.raises(ValidationError) as refused:
        svc.subdispatch(w.handler, assignment, w.health)
    assert refused.value.code == "complaint.not_a_subunit"
    with pytest.raises(ValidationError):
        svc.subdispatch(w.handler, assignment, w.jilin_market)
    child = svc.subdispatch(w.handler, assignment, w.sub_market, instructions="请现场核查")
    assert child.parent == assignment and inbox_of(w.sub_handler) == ["收到12345二级派单"]
    with pytest.raises(Conflict) as refused:
        svc.answer(w.handler, assignment, "已处理")
    assert refused.value.code == "complaint.subassignment_open"
    svc.accept(w.sub_handler, child)
    svc.answer(w.sub_handler, child, "现场核查属实，已责令整改")
    request = HotlineRequest.objects.get(pk=assignment.request_id)
    assert request.status == RequestStatus.DISPATCHED and request.answer == ""
    assert inbox_of(w.handler)[-1] == "12345二级派单已办结"
    svc.answer(w.handler, assignment, "经朝阳区市场监管局现场核查，已责令整改")
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED


def test_a_subunits_return_goes_back_to_its_department_without_arbitration(w):
    assignment = w.handling()
    child = svc.subdispatch(w.handler, assignment, w.sub_market)
    with pytest.raises(PermissionDenied):
        svc.subdispatch(w.sub_handler, assignment, w.sub_market)
    svc.return_assignment(w.sub_handler, child, "地址不在本辖区")
    child.refresh_from_db()
    request = HotlineRequest.objects.get(pk=assignment.request_id)
    assert child.status == AssignmentStatus.CLOSED
    assert request.status == RequestStatus.DISPATCHED
    assert inbox_of(w.handler)[-1] == "12345二级派单被退回" and inbox_of(w.admin) == []


def test_subdispatch_needs_an_accepted_assignment(w):
    with pytest.raises(Conflict) as refused:
        svc.subdispatch(w.handler, w.dispatched(), w.sub_market)
    assert refused.value.code == "complaint.illegal_transition" and "待签收" in refused.value.message


# --- 答复 ----------------------------------------------------------------------------------------


def test_an_answer_needs_text_and_an_accepted_assignment(w):
    assignment = w.dispatched()
    with pytest.raises(Conflict) as refused:
        svc.answer(w.handler, assignment, "已处理")
    assert refused.value.code == "complaint.illegal_transition"
    svc.accept(w.handler, assignment)
    with pytest.raises(ValidationError) as refused:
        svc.answer(w.handler, assignment, "")
    assert refused.value.code == "complaint.answer_required"


def test_another_departments_handler_cannot_answer(w):
    assignment = w.handling()
    with pytest.raises(PermissionDenied):
        svc.answer(w.health_handler, assignment, "已处理")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.HANDLING


def test_the_answer_is_sent_by_sms_with_a_new_link_and_the_old_one_stops_working(w):
    request, first_token = w.submit()
    assignment = svc.accept(w.handler, svc.dispatch(w.operator, request, w.market))
    svc.answer(w.handler, assignment, "已责令餐馆加装油烟净化器")
    request.refresh_from_db()
    assert (request.status, request.answer, request.answered_by) == (
        RequestStatus.ANSWERED, "已责令餐馆加装油烟净化器", w.handler)
    answered_sms = sms_to(WANG_FANG_MOBILE)[-1]
    assert "已责令餐馆加装油烟净化器" in answered_sms
    new_token = token_in(answered_sms)
    assert new_token != first_token and svc.request_by_token(new_token) == request
    with pytest.raises(NotFound) as refused:
        svc.request_by_token(first_token)
    assert refused.value.code == "complaint.bad_token"
    assert [e.action for e in request.events.filter(public=True)] == [
        Action.REGISTERED, Action.DISPATCHED, Action.ACCEPTED, Action.ANSWERED]


def test_an_anonymous_report_is_closed_when_answered(w):
    request, _ = w.submit(kind=RequestKind.REPORT, anonymous=True, title="无证行医",
                          content="某诊所无证行医")
    assignment = svc.accept(w.health_handler, svc.dispatch(w.operator, request, w.health))
    svc.answer(w.health_handler, assignment, "已立案查处")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.requester_phone == ""


def test_the_operator_answers_a_consultation_at_once(w):
    request, _ = w.call(kind=RequestKind.CONSULT, title="社保卡补办要带什么", content="问补办材料")
    with pytest.raises(PermissionDenied):
        svc.answer_at_once(w.jilin_operator, request, "带身份证")
    svc.answer_at_once(w.operator, request, "携带本人身份证到社保网点即可补办")
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.answered_by == w.operator
    assert actions(request)[-1] == Action.ANSWERED_AT_ONCE
    with pytest.raises(ValidationError) as refused:
        svc.answer_at_once(w.operator, w.registered(), "不是咨询")
    assert refused.value.code == "complaint.not_a_consultation"


# --- rating ------------------------------------------------------------------------------------


def test_the_requester_rates_satisfied_and_it_is_closed(w):
    request = w.answered()
    svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, comment="处理及时",
                    user=w.citizen)
    request.refresh_from_db()
    assert (request.status, request.satisfaction, request.satisfaction_comment) == (
        RequestStatus.CLOSED, Satisfaction.SATISFIED, "处理及时")
    assert actions(request)[-2:] == [Action.RATED, Action.CLOSED]
    with pytest.raises(Conflict) as refused:
        svc.rate_answer(request, satisfaction=Satisfaction.DISSATISFIED, user=w.citizen)
    assert refused.value.code == "complaint.already_rated"


def test_a_citizen_cannot_rate_someone_elses_request(w):
    request = w.answered()
    for user in (w.stranger, w.handler, None):
        with pytest.raises(PermissionDenied) as refused:
            svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, user=user)
        assert refused.value.code == "complaint.not_yours"
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.satisfaction == ""


def test_a_forged_token_cannot_rate_the_real_one_can(w):
    request = w.answered()
    with pytest.raises(NotFound) as refused:
        svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, token="forged-token")
    assert refused.value.code == "complaint.bad_token"
    with pytest.raises(NotFound):
        svc.request_by_token("forged-token")
    token = token_in(sms_to(WANG_FANG_MOBILE)[-1])
    svc.rate_answer(request, satisfaction=Satisfaction.BASICALLY, token=token)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.satisfaction == Satisfaction.BASICALLY


def test_an_unanswered_request_cannot_be_rated(w):
    request = w.registered()
    with pytest.raises(Conflict) as refused:
        svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, user=w.citizen)
    assert refused.value.code == "complaint.not_answered"


def test_the_rating_window_closes(w, settings):
    request = w.answered()
    late = request.answered_at + dt.timedelta(days=settings.COMPLAINTS_RATING_DAYS, minutes=1)
    with pytest.raises(Conflict) as refused:
        svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, user=w.citizen, now=late)
    assert refused.value.code == "complaint.rating_closed"
    assert svc.close_unrated(now=late) == 1
    with pytest.raises(Conflict) as refused:
        svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, user=w.citizen)
    assert refused.value.code == "complaint.rating_closed"


def test_a_bad_satisfaction_is_refused(w):
    with pytest.raises(ValidationError) as refused:
        svc.rate_answer(w.answered(), satisfaction="great", user=w.citizen)
    assert refused.value.code == "complaint.bad_satisfaction"


def test_dissatisfied_reopens_it_to_the_same_department_with_a_new_deadline(w):
    request = w.answered()
    svc.rate_answer(request, satisfaction=Satisfaction.DISSATISFIED, comment="油烟依旧",
                    user=w.citizen)
    request.refresh_from_db()
    assert request.status == RequestStatus.DISPATCHED and request.department == w.market
    assert request.reopen_count == 1 and request.answer == ""
    reopened = request.assignments.get(status=AssignmentStatus.PENDING)
    assert reopened.department == w.market and reopened.due_on == request.due_on
    assert inbox_of(w.handler)[-1] == "12345工单重新办理"
    svc.answer(w.handler, svc.accept(w.handler, reopened), "已再次检查并处罚")
    svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, user=w.citizen)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED


def test_dissatisfied_after_the_last_reopening_closes_it_as_dissatisfied(w, settings):
    settings.COMPLAINTS_MAX_REOPENS = 0
    request = w.answered()
    svc.rate_answer(request, satisfaction=Satisfaction.DISSATISFIED, user=w.citizen)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert request.satisfaction == Satisfaction.DISSATISFIED and request.reopen_count == 0


# --- 回访, 重办 ----------------------------------------------------------------------------------


def test_a_phone_revisit_records_the_requesters_satisfaction(w):
    request = w.answered()
    with pytest.raises(ValidationError) as refused:
        svc.record_revisit(w.operator, request, method=Revisit.Method.PHONE, note="")
    assert refused.value.code == "complaint.revisit_note_required"
    with pytest.raises(PermissionDenied):
        svc.record_revisit(w.jilin_operator, request, method=Revisit.Method.PHONE, note="已回访")
    revisit = svc.record_revisit(w.operator, request, method=Revisit.Method.PHONE,
                                 satisfaction=Satisfaction.SATISFIED, note="诉求人表示油烟已解决")
    request.refresh_from_db()
    assert revisit.by == w.operator and request.status == RequestStatus.CLOSED
    assert request.satisfaction == Satisfaction.SATISFIED


def test_a_revisit_without_a_verdict_leaves_the_rating_to_the_requester(w):
    request = w.answered()
    svc.record_revisit(w.operator, request, method=Revisit.Method.SMS, note="已短信告知")
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.revisits.count() == 1
    with pytest.raises(Conflict) as refused:
        svc.record_revisit(w.operator, w.registered(), method=Revisit.Method.PHONE, note="x")
    assert refused.value.code == "complaint.illegal_transition"


def test_the_hotline_reopens_a_closed_request(w):
    request = w.answered()
    svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, user=w.citizen)
    with pytest.raises(ValidationError) as refused:
        svc.reopen(w.operator, request, reason="")
    assert refused.value.code == "complaint.reopen_reason_required"
    with pytest.raises(PermissionDenied):
        svc.reopen(w.handler, request, reason="再查")
    svc.reopen(w.operator, request, reason="诉求人来电反映问题复发")
    request.refresh_from_db()
    assert request.status == RequestStatus.DISPATCHED and request.reopen_count == 1
    with pytest.raises(Conflict):
        svc.reopen(w.operator, request, reason="再查")


# --- 合并 ----------------------------------------------------------------------------------------


def test_a_duplicate_is_merged_and_shows_the_parents_answer(w):
    from yiwang.complaints import selectors

    parent = w.dispatched().request
    duplicate, _ = w.call(title="同一餐馆油烟问题", content="楼下餐馆油烟大")
    dup_assignment = svc.dispatch(w.operator, duplicate, w.health)
    with pytest.raises(ValidationError) as refused:
        svc.merge(w.operator, parent, parent)
    assert refused.value.code == "complaint.merge_self"
    with pytest.raises(PermissionDenied):
        svc.merge(w.jilin_operator, duplicate, parent)
    svc.merge(w.operator, duplicate, parent, note="同一地址")
    duplicate.refresh_from_db()
    dup_assignment.refresh_from_db()
    assert duplicate.status == RequestStatus.MERGED and duplicate.parent == parent
    assert dup_assignment.status == AssignmentStatus.CLOSED
    assert parent.number in sms_to("13804310099")[-1]
    with pytest.raises(Conflict) as refused:
        svc.merge(w.operator, duplicate, parent)
    assert refused.value.code == "complaint.illegal_transition" and "已合并" in refused.value.message
    assignment = svc.accept(w.handler, parent.assignments.get())
    svc.answer(w.handler, assignment, "已责令整改")
    duplicate.refresh_from_db()
    assert selectors.shown_answer(duplicate) == "已责令整改"
    assert "已责令整改" in sms_to("13804310099")[-1]


# --- the daily sweep ---------------------------------------------------------------------------


def test_overdue_requests_are_escalated_once(w):
    request, _ = w.submit(now=NOW)
    svc.dispatch(w.operator, request, w.market, now=NOW)
    on_time = w.registered(now=NOW + dt.timedelta(days=7))  # Monday 14th: due on the 21st
    assert svc.escalate_overdue(now=NOW + dt.timedelta(days=7)) == 0  # due Monday 14th
    tuesday = timezone.make_aware(dt.datetime(2026, 12, 15, 9, 0))
    assert svc.escalate_overdue(now=tuesday) == 1
    request.refresh_from_db()
    on_time.refresh_from_db()
    assert request.escalated_at == tuesday and on_time.escalated_at is None
    assert inbox_of(w.handler)[-1] == "12345工单超期督办"
    assert inbox_of(w.admin) == ["12345工单超期督办"]
    assert actions(request)[-1] == Action.ESCALATED
    assert svc.escalate_overdue(now=tuesday + dt.timedelta(days=1)) == 0


def test_answered_requests_are_closed_when_the_rating_window_passes(w, settings):
    request = w.answered()
    assert svc.close_unrated(now=request.answered_at + dt.timedelta(days=1)) == 0
    after = request.answered_at + dt.timedelta(days=settings.COMPLAINTS_RATING_DAYS, hours=1)
    assert svc.close_unrated(now=after) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.satisfaction == ""
    assert svc.close_unrated(now=after) == 0
