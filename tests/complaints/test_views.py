"""The 12345 pages: what a citizen and the hotline's and departments' staff post, and what the
pages show back (the number, the 流转记录, refusals in Chinese with what was typed)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import PNG, food_guide
from tests.clients import VerifiedClient
from tests.complaints.factories import HotlineWorld
from tests.portal.factories import publish_item
from yiwang.cases.services import start_application
from yiwang.complaints.models import (
    AssignmentStatus,
    HotlineRequest,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from yiwang.complaints.services import requests as svc


@pytest.fixture
def w(db):
    return HotlineWorld()


def signed_in(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the citizen --------------------------------------------------------------------------------


def test_citizen_submits_and_gets_the_number_and_the_follow_up_link(w):
    client = signed_in(w.citizen)
    response = client.post(reverse("complaints:submit"), {
        "kind": RequestKind.COMPLAINT, "title": "窗口让我跑了三次", "content": "每次都说缺材料。",
        "region": w.changchun.pk, "address": "人民大街"})
    created = HotlineRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:submitted", args=[created.number])
    assert (created.requester, created.channel, created.requester_phone) == (
        w.citizen, RequestChannel.WEB, "13904310002")
    page = text_of(client.get(response["Location"]))
    assert created.number in page
    token = re.search(r"/12345/t/([\w-]+)/", page).group(1)
    assert svc.request_by_token(token) == created


def test_a_refused_submission_shows_the_error_on_its_field_and_keeps_what_was_typed(w):
    response = signed_in(w.citizen).post(reverse("complaints:submit"), {
        "kind": RequestKind.COMPLAINT, "title": "", "content": "楼道灯坏了一个月",
        "region": w.changchun.pk})
    page = text_of(response)
    assert response.status_code == 400
    assert "请填写诉求标题" in page
    assert "楼道灯坏了一个月</textarea>" in page
    assert not HotlineRequest.objects.exists()


def test_anonymity_is_refused_for_anything_but_a_report(w):
    client = signed_in(w.citizen)
    refused = client.post(reverse("complaints:submit"), {
        "kind": RequestKind.COMPLAINT, "title": "饭店偷排污水", "content": "夜里往雨水井倒油",
        "region": w.changchun.pk, "anonymous": "on"})
    assert "只有举报可以匿名" in text_of(refused)
    assert 'value="饭店偷排污水"' in text_of(refused)
    client.post(reverse("complaints:submit"), {
        "kind": RequestKind.REPORT, "title": "饭店偷排污水", "content": "夜里往雨水井倒油",
        "region": w.changchun.pk, "anonymous": "on"})
    report = HotlineRequest.objects.get()
    assert (report.anonymous, report.requester_name, report.requester_phone) == (True, "", "")


def test_the_case_choice_offers_only_the_citizens_own_cases(w):
    mine, theirs = demodata_cases(w)
    page = text_of(signed_in(w.citizen).get(reverse("complaints:submit")))
    assert mine.number in page and theirs.number not in page
    response = signed_in(w.citizen).post(reverse("complaints:submit"), {
        "kind": RequestKind.COMPLAINT, "title": "办件超期", "content": "还没办完",
        "region": w.changchun.pk, "case": theirs.pk})
    assert response.status_code == 400
    assert not HotlineRequest.objects.exists()


def demodata_cases(w):
    """A case of 王芳's and one of the stranger's, of the same item (numbered as if submitted)."""
    item = publish_item(w.market, **food_guide())
    cases = [start_application(user, item) for user in (w.citizen, w.stranger)]
    for n, case in enumerate(cases):
        case.number = f"TEST-CASE-{n}"
        case.save(update_fields=["number"])
    return cases


def test_attachments_are_kept_with_the_request(w):
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    signed_in(w.citizen).post(reverse("complaints:submit"), {
        "kind": RequestKind.HELP, "title": "井盖丢了", "content": "路口井盖丢失很危险",
        "region": w.changchun.pk, "attachments": [photo]})
    assert [a.original_name for a in HotlineRequest.objects.get().attachments.all()] == ["现场.png"]


def test_mine_lists_only_the_citizens_requests(w):
    own = w.registered(title="我的诉求标题")
    w.submit(actor=w.stranger, title="别人的诉求标题")
    page = text_of(signed_in(w.citizen).get(reverse("complaints:mine")))
    assert own.number in page and "我的诉求标题" in page and "别人的诉求标题" not in page


def test_detail_shows_the_public_record_without_staff_names_and_rates_the_answer(w):
    request = w.answered()
    client = signed_in(w.citizen)
    page = text_of(client.get(reverse("complaints:detail", args=[request.number])))
    assert "长春市市场监督管理局" in page and "派单" in page and "签收" in page
    assert "scjg_hotline" not in page and "hotline_op" not in page
    assert "该餐馆已安装油烟净化设备" in page and "提交评价" in page
    response = client.post(reverse("complaints:detail", args=[request.number]),
                           {"satisfaction": "satisfied", "comment": "处理及时"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.satisfaction) == (RequestStatus.CLOSED, "satisfied")
    assert '您的评价：<strong class="satisfaction">满意' in text_of(client.get(response["Location"]))


def test_a_rating_without_a_choice_shows_the_error(w):
    request = w.answered()
    response = signed_in(w.citizen).post(reverse("complaints:detail", args=[request.number]),
                                         {"comment": "还行"})
    assert response.status_code == 400
    assert "请选择满意程度" in text_of(response) and "还行</textarea>" in text_of(response)


def test_the_sms_link_opens_the_request_and_rates_it_without_an_account(client, w):
    request = w.answered()
    token = svc._new_token(request)  # the token the answer's SMS carried
    request.save()
    url = reverse("complaints:token", args=[token])
    assert request.number in text_of(client.get(url))
    client.post(url, {"satisfaction": "dissatisfied", "comment": "油烟还是很大"})
    request.refresh_from_db()
    assert (request.status, request.reopen_count) == (RequestStatus.DISPATCHED, 1)
    assert client.get(reverse("complaints:token", args=["forged"])).status_code == 404


def test_the_mobile_pages_use_the_mobile_frame(w):
    request = w.registered()
    client = signed_in(w.citizen)
    for url in (reverse("complaints:m_submit"), reverse("complaints:m_mine"),
                reverse("complaints:m_detail", args=[request.number])):
        page = text_of(client.get(url))
        assert 'class="mobile"' in page and "电脑版" in page


# --- the operator console ----------------------------------------------------------------------


def console_post(**values):
    return {"requester_name": "李明", "requester_phone": "13804310099",
            "kind": RequestKind.COMPLAINT, "title": "超市卖过期牛奶",
            "content": "在某超市买到过期三天的牛奶", **values}


def test_the_console_registers_a_call_and_offers_the_suggested_department(w):
    client = signed_in(w.operator)
    response = client.post(reverse("hotline:console"),
                           console_post(region=w.changchun.pk, about_department=w.market.pk))
    created = HotlineRequest.objects.get()
    assert (created.channel, created.registered_by, created.requester_name) == (
        RequestChannel.PHONE, w.operator, "李明")
    page = text_of(client.get(response["Location"]))
    assert created.number in page and "建议派往：<strong class=\"suggested\">长春市市场监督管理局" in page
    client.post(reverse("hotline:request", args=[created.number]),
                {"action": "dispatch", "department": w.market.pk,
                 "next": reverse("hotline:console")})
    created.refresh_from_db()
    assert (created.status, created.department) == (RequestStatus.DISPATCHED, w.market)


def test_the_console_without_a_phone_shows_the_error_and_keeps_the_call(w):
    response = signed_in(w.operator).post(reverse("hotline:console"), console_post(
        region=w.changchun.pk, requester_phone=""))
    page = text_of(response)
    assert response.status_code == 400
    assert "请留下联系电话" in page and 'value="超市卖过期牛奶"' in page and 'value="李明"' in page


def test_a_consultation_is_answered_at_once(w):
    request, _ = w.call(kind=RequestKind.CONSULT, title="社保卡在哪里补办")
    signed_in(w.operator).post(reverse("hotline:request", args=[request.number]),
                               {"action": "answer_at_once", "answer": "可到任一社保网点补办"})
    request.refresh_from_db()
    assert (request.status, request.answer) == (RequestStatus.ANSWERED, "可到任一社保网点补办")


# --- the journey: dispatched, returned, arbitrated, re-dispatched, answered, revisited --------


def test_a_return_without_a_reason_shows_the_error_not_a_500(w):
    assignment = svc.accept(w.health_handler, w.dispatched(w.health))
    response = signed_in(w.health_handler).post(
        reverse("hotline:assignment", args=[assignment.pk]), {"action": "return", "reason": " "})
    assert response.status_code == 400
    assert "请填写退单理由" in text_of(response)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.HANDLING


def test_returned_upheld_redispatched_answered_and_revisited(w):
    request = w.dispatched(w.health).request
    wjw, admin, scjg, op = (signed_in(u) for u in (w.health_handler, w.admin, w.handler,
                                                   w.operator))
    first = request.assignments.get()
    wjw.post(reverse("hotline:assignment", args=[first.pk]), {"action": "accept"})
    wjw.post(reverse("hotline:assignment", args=[first.pk]),
             {"action": "return", "reason": "油烟扰民由市场监管部门负责"})
    page = text_of(admin.get(reverse("hotline:request", args=[request.number])))
    assert "油烟扰民由市场监管部门负责" in page and "保存仲裁意见" in page
    admin.post(reverse("hotline:request", args=[request.number]), {
        "action": "arbitrate", "upheld": "yes", "note": "退单理由成立",
        "redispatch_to": w.market.pk})
    request.refresh_from_db()
    assert (request.status, request.department) == (RequestStatus.DISPATCHED, w.market)
    second = request.assignments.get(department=w.market)
    scjg.post(reverse("hotline:assignment", args=[second.pk]), {"action": "accept"})
    scjg.post(reverse("hotline:assignment", args=[second.pk]),
              {"action": "answer", "answer": "已责令餐馆安装油烟净化器"})
    op.post(reverse("hotline:request", args=[request.number]), {
        "action": "revisit", "method": "phone", "satisfaction": "satisfied",
        "note": "来电人表示满意"})
    request.refresh_from_db()
    assert (request.status, request.satisfaction, request.answer) == (
        RequestStatus.CLOSED, "satisfied", "已责令餐馆安装油烟净化器")


def test_an_operator_may_not_arbitrate(w):
    assignment = svc.accept(w.health_handler, w.dispatched(w.health))
    svc.return_assignment(w.health_handler, assignment, "不属于本委职责")
    number = assignment.request.number
    page = text_of(signed_in(w.operator).get(reverse("hotline:request", args=[number])))
    assert "等待12345热线管理员仲裁" in page and "保存仲裁意见" not in page
    response = signed_in(w.operator).post(reverse("hotline:request", args=[number]), {
        "action": "arbitrate", "upheld": "no", "note": "请继续办理"})
    assert response.status_code == 403 and "无权仲裁退单" in text_of(response)


def test_merging_into_an_unknown_number_is_shown_on_the_page(w):
    request = w.registered()
    response = signed_in(w.operator).post(reverse("hotline:request", args=[request.number]),
                                          {"action": "merge", "parent": "999"})
    assert response.status_code == 404 and 'value="999"' in text_of(response)


def test_merge_into_a_parent(w):
    parent, duplicate = w.registered(), w.registered()
    signed_in(w.operator).post(reverse("hotline:request", args=[duplicate.number]),
                               {"action": "merge", "parent": parent.number})
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.parent) == (RequestStatus.MERGED, parent)


# --- lists: scoped, searchable, masked ----------------------------------------------------------


def test_the_queue_is_scoped_searchable_and_masks_the_caller(w):
    request, _ = w.call(title="噪音扰民")
    w.call(title="路灯不亮")
    jilin, _ = w.submit(actor=w.jilin_operator, channel=RequestChannel.PHONE, region=w.jilin,
                        requester_name="周杰", requester_phone="13900000000", title="吉林市的诉求")
    page = text_of(signed_in(w.operator).get(reverse("hotline:queue", args=["dispatch"]),
                                             {"q": "噪音"}))
    assert request.number in page and "路灯不亮" not in page and jilin.number not in page
    assert "李*" in page and "138****0099" in page and "13804310099" not in page
    by_tail = text_of(signed_in(w.operator).get(reverse("hotline:queue", args=["dispatch"]),
                                                {"q": "0099"}))
    assert request.number in by_tail


def test_the_inbox_shows_only_the_departments_assignments(w):
    ours = w.dispatched(w.market, title="市场监管的事").request
    theirs = w.dispatched(w.health, title="卫健的事").request
    page = text_of(signed_in(w.handler).get(reverse("hotline:inbox")))
    assert ours.number in page and theirs.number not in page
    assert "王*" in page and "13904310002" not in page


def test_the_request_page_shows_the_requester_to_who_handles_it(w):
    request = w.dispatched(w.market).request
    page = text_of(signed_in(w.handler).get(reverse("hotline:request", args=[request.number])))
    assert "王芳 13904310002" in page and "签收" in page


def test_the_workbench_navigation_links_the_hotline_for_its_roles(w):
    expected = {w.operator: ["12345热线"], w.admin: ["12345热线"], w.handler: ["12345工单"],
                w.market_admin: []}
    for user, links in expected.items():
        page = text_of(signed_in(user).get(reverse("workbench:home")))
        nav = page[page.index('aria-label="主导航"'):page.index("</nav>")]
        assert [label for label in ("12345热线", "12345工单") if label in nav] == links


def stat(page: str, label: str) -> str:
    """The number of the home page's figure ``label``."""
    return re.search(rf'stat-number">(\d+)</span><span class="stat-label">{label}<', page).group(1)


def test_the_workbench_home_shows_the_hotlines_queues_and_the_departments_open_assignments(w):
    w.registered()
    w.dispatched(now=timezone.now() - dt.timedelta(days=30))  # pending, and overdue
    w.handling()
    operator = text_of(signed_in(w.operator).get(reverse("workbench:home")))
    assert "12345热线" in operator and "来电登记" in operator
    assert stat(operator, "待派单") == "1"
    assert "退单待仲裁" not in operator  # the 热线管理员's queue
    assert "退单待仲裁" in text_of(signed_in(w.admin).get(reverse("workbench:home")))
    handler = text_of(signed_in(w.handler).get(reverse("workbench:home")))
    counts = {label: stat(handler, label) for label in ("待签收", "办理中", "已超期")}
    assert counts == {"待签收": "1", "办理中": "1", "已超期": "1"}
    assert "12345工单" not in text_of(signed_in(w.stranger).get(reverse("workbench:home")))


@pytest.mark.parametrize("url_name", ["queue", "inbox"])
def test_the_lists_cost_the_same_queries_for_more_rows(w, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user, url = ((w.operator, reverse("hotline:queue", args=["dispatch"])) if url_name == "queue"
                 else (w.handler, reverse("hotline:inbox")))
    client = signed_in(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add = (lambda: w.call()) if url_name == "queue" else (lambda: w.dispatched(w.market))
    add()
    few = queries()
    for _ in range(3):
        add()
    assert queries() == few


def test_the_department_passes_it_to_a_subunit_and_answers_with_its_result(w):
    assignment = svc.accept(w.handler, w.dispatched(w.market))
    request_url = reverse("hotline:request", args=[assignment.request.number])
    scjg, district = signed_in(w.handler), signed_in(w.sub_handler)
    page = text_of(scjg.get(request_url))
    assert "二级派单至" in page and "长春市朝阳区市场监督管理局" in page
    scjg.post(reverse("hotline:assignment", args=[assignment.pk]), {
        "action": "subdispatch", "department": w.sub_market.pk, "instructions": "请现场检查"})
    child = assignment.children.get()
    district.post(reverse("hotline:assignment", args=[child.pk]), {"action": "accept"})
    district.post(reverse("hotline:assignment", args=[child.pk]),
                  {"action": "answer", "answer": "已现场检查并责令整改"})
    scjg.post(reverse("hotline:assignment", args=[assignment.pk]),
              {"action": "answer", "answer": "经朝阳区局现场检查，已责令整改"})
    request = assignment.request
    request.refresh_from_db()
    assert (request.status, request.answer) == (RequestStatus.ANSWERED, "经朝阳区局现场检查，已责令整改")


def test_a_subdispatch_to_a_department_that_is_not_below_is_refused_on_the_page(w):
    assignment = svc.accept(w.handler, w.dispatched(w.market))
    response = signed_in(w.handler).post(reverse("hotline:assignment", args=[assignment.pk]), {
        "action": "subdispatch", "department": w.health.pk, "instructions": "请卫健委处理"})
    assert response.status_code == 400
    assert "不是长春市市场监督管理局的下级单位" in text_of(response)
    assert 'value="请卫健委处理"' in text_of(response)


def test_the_hotline_reopens_an_answered_request(w):
    request = w.answered()
    signed_in(w.operator).post(reverse("hotline:request", args=[request.number]), {
        "action": "reopen", "reason": "诉求人来电反映油烟仍然很大"})
    request.refresh_from_db()
    assert (request.status, request.department, request.reopen_count) == (
        RequestStatus.DISPATCHED, w.market, 1)


def test_dispatch_only_to_the_departments_the_page_offers(w):
    request = w.registered()
    response = signed_in(w.operator).post(reverse("hotline:request", args=[request.number]),
                                          {"action": "dispatch", "department": w.jilin_market.pk})
    assert response.status_code == 400 and "请选择承办部门" in text_of(response)
    request.refresh_from_db()
    assert request.status == RequestStatus.REGISTERED


def test_a_request_from_the_mobile_page_comes_by_the_mobile_channel(w):
    response = signed_in(w.citizen).post(reverse("complaints:m_submit"), {
        "kind": RequestKind.SUGGESTION, "title": "公交站加装雨棚", "content": "人民广场站没有雨棚",
        "region": w.changchun.pk})
    created = HotlineRequest.objects.get()
    assert response["Location"] == reverse("complaints:m_submitted", args=[created.number])
    assert created.channel == RequestChannel.MOBILE


def test_a_citizen_filing_too_fast_is_told_to_wait_the_hotline_is_not(w, settings):
    settings.COMPLAINTS_REQUESTS_PER_HOUR = 1
    values = {"kind": RequestKind.SUGGESTION, "title": "建议延长周六办理时间",
              "content": "上班族只能周末办事。", "region": w.changchun.pk}
    client = signed_in(w.citizen)
    assert client.post(reverse("complaints:submit"), values).status_code == 302
    refused = client.post(reverse("complaints:submit"), values)
    assert refused.status_code == 429 and "提交过于频繁，请一小时后再试" in text_of(refused)
    assert HotlineRequest.objects.count() == 1
    for _ in range(2):  # the operator registering calls is never held up
        svc.throttle_account(w.operator)


def test_the_lists_show_the_red_card_of_an_overdue_request(w):
    overdue = w.dispatched(now=timezone.now() - dt.timedelta(days=30))
    fresh = w.dispatched()
    inbox = text_of(signed_in(w.handler).get(reverse("hotline:inbox")))
    queue = text_of(signed_in(w.operator).get(reverse("hotline:queue", args=["overdue"])))
    assert inbox.count("已超期") == 1 and queue.count("已超期") == 1
    assert overdue.request.number in queue and fresh.request.number not in queue
