"""12345 in a real browser on the data ``manage.py load_demo`` creates (README "12345 热线"): a
caller's complaint is entered at the operator console by ``hotline_op`` and dispatched, by
mistake, to 长春市卫生健康委员会; ``wjw_hotline`` accepts it and returns it with a reason;
``hotline_admin`` upholds the return and re-dispatches it to 长春市市场监督管理局, where
``scjg_hotline`` accepts and answers it; the caller opens the link of the SMS without an account
and rates the answer.

One journey in steps, one test each, as in test_evaluation_demo.py: a step takes the journey from
the previous one or brings it there through the services, so each step shows on its own whether
it works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo_visits import PHONE, fits_the_phone, shot, staff, user
from yiwang.complaints.models import (
    Assignment,
    AssignmentStatus,
    HotlineRequest,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from yiwang.complaints.services import requests as svc
from yiwang.notify.models import Channel, Message
from yiwang.orgs.models import Department

pytestmark = pytest.mark.slow

CALLER, CALLER_PHONE = "王芳", "13904310002"
TITLE = "小区楼下饭馆后厨卫生脏乱"
CONTENT = "南关区某小区楼下的饭馆后厨地面油污、垃圾桶不加盖，还看到有老鼠出没，担心吃坏肚子。"
HEALTH, MARKET = "长春市卫生健康委员会", "长春市市场监督管理局"
RETURN_REASON = "餐饮服务环节的食品安全由市场监督管理部门监管，不属于本委职责"
ANSWER = "经现场检查，该饭馆后厨卫生不达标，已责令停业整改并立案调查，整改合格前不得营业。"




class Journey:
    """The caller's complaint from the console to the rating; each method returns the request at
    that step, doing through the services what the browser did not."""

    def __init__(self):
        self.health = Department.objects.get(name=HEALTH)
        self.market = Department.objects.get(name=MARKET)
        self.number = ""

    def request(self) -> HotlineRequest:
        return HotlineRequest.objects.get(number=self.number)

    def registered(self) -> HotlineRequest:
        if not self.number:
            request, _token = svc.submit_request(
                user("hotline_op"), kind=RequestKind.COMPLAINT, title=TITLE, content=CONTENT,
                channel=RequestChannel.PHONE, region=self.market.region,
                requester_name=CALLER, requester_phone=CALLER_PHONE)
            self.number = request.number
        return self.request()

    def first_assignment(self) -> Assignment:
        request = self.registered()
        if request.status == RequestStatus.REGISTERED and not request.assignments.exists():
            svc.dispatch(user("hotline_op"), request, self.health)
        return request.assignments.filter(department=self.health).get()

    def returned(self) -> Assignment:
        assignment = self.first_assignment()
        if assignment.status == AssignmentStatus.PENDING:
            assignment = svc.accept(user("wjw_hotline"), assignment)
        if assignment.status == AssignmentStatus.HANDLING:
            assignment = svc.return_assignment(user("wjw_hotline"), assignment, RETURN_REASON)
        return assignment

    def redispatched(self) -> Assignment:
        returned = self.returned()
        if returned.status == AssignmentStatus.RETURNED:
            svc.arbitrate(user("hotline_admin"), returned, upheld=True, note="退单理由成立",
                          redispatch_to=self.market)
        return self.request().assignments.filter(department=self.market).get()

    def answered(self) -> HotlineRequest:
        assignment = self.redispatched()
        if assignment.status == AssignmentStatus.PENDING:
            assignment = svc.accept(user("scjg_hotline"), assignment)
        if assignment.status == AssignmentStatus.HANDLING:
            svc.answer(user("scjg_hotline"), assignment, ANSWER)
        return self.request()

    def link(self) -> str:
        """The path of the follow-up link in the SMS the caller got with the answer."""
        sms = (Message.objects.filter(channel=Channel.SMS, address=CALLER_PHONE,
                                      body__contains=self.number).order_by("-pk").first())
        return re.search(r"/12345/t/[^/\s]+/", sms.body).group(0)


@pytest.fixture(scope="module")
def journey(demo_site):
    return Journey()


def test_the_operator_enters_the_call_at_the_console(visitor, journey):
    page = staff(visitor, "hotline_op", then="/workbench/hotline/console/")
    expect(page.get_by_role("navigation", name="主导航")).to_contain_text("12345热线")
    page.get_by_label("来电人").fill(CALLER)
    page.get_by_label("联系电话").fill(CALLER_PHONE)
    page.get_by_label("投诉").check()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("诉求内容").fill(CONTENT)
    shot(page, "hotline-console")
    page.get_by_role("button", name="登记", exact=True).click()

    saved = page.locator(".saved-call")
    expect(saved).to_contain_text("已登记")
    journey.number = saved.locator(".hotline-number").get_attribute("data-number")
    request = journey.request()
    assert (request.channel, request.requester_name, request.registered_by) == (
        RequestChannel.PHONE, CALLER, user("hotline_op"))
    assert request.status == RequestStatus.REGISTERED
    shot(page, "hotline-console-saved")
    assert fits_the_phone(page)


def test_the_operator_dispatches_it_to_the_wrong_department(visitor, journey):
    request = journey.registered()
    page = staff(visitor, "hotline_op", then=f"/workbench/hotline/console/?saved={request.number}")
    page.get_by_label("派往其他部门").or_(page.get_by_label("承办部门")).select_option(
        label=HEALTH)
    page.get_by_role("button", name="派单", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已派单")
    request.refresh_from_db()
    assert (request.status, request.department) == (RequestStatus.DISPATCHED, journey.health)


def test_the_health_commission_accepts_and_returns_it_with_a_reason(visitor, journey):
    journey.first_assignment()
    page = staff(visitor, "wjw_hotline", then="/workbench/hotline/inbox/")
    row = page.locator("tr", has_text=journey.number)
    expect(row).to_contain_text("待签收")
    expect(row).to_contain_text("王*")
    shot(page, "hotline-inbox")
    row.get_by_role("link", name=journey.number).click()
    expect(page.locator("main")).to_contain_text(f"{CALLER} {CALLER_PHONE}")
    page.get_by_role("button", name="签收").click()
    expect(page.locator(".messages")).to_contain_text("已签收")

    page.get_by_text("不属于本部门职责？退单").click()
    page.get_by_role("button", name="退单").click()
    expect(page.locator(".error-summary")).to_contain_text("请填写退单理由")
    page.get_by_label("退单理由").fill(RETURN_REASON)
    page.get_by_role("button", name="退单").click()
    expect(page.locator(".messages")).to_contain_text("已退单")
    assert journey.request().status == RequestStatus.ARBITRATION


def test_the_hotline_admin_upholds_the_return_and_redispatches(visitor, journey):
    journey.returned()
    page = staff(visitor, "hotline_admin", then="/workbench/hotline/queues/arbitration/")
    page.locator("tr", has_text=journey.number).get_by_role("link").first.click()
    arbitration = page.locator(".arbitration")
    expect(arbitration).to_contain_text(RETURN_REASON)
    page.get_by_label("退单成立（改派其他部门）").check()
    page.get_by_label("退单成立时改派至").select_option(label=MARKET)
    page.get_by_label("仲裁意见").fill("退单理由成立，改派市场监督管理局")
    shot(page, "hotline-arbitration")
    page.get_by_role("button", name="保存仲裁意见").click()
    expect(page.locator(".messages")).to_contain_text("仲裁意见已保存")
    expect(page.locator(".current-department")).to_have_text(MARKET)
    request = journey.request()
    assert (request.status, request.department) == (RequestStatus.DISPATCHED, journey.market)


def test_the_market_regulator_accepts_and_answers(visitor, journey):
    journey.redispatched()
    page = staff(visitor, "scjg_hotline", then="/workbench/hotline/inbox/")
    page.locator("tr", has_text=journey.number).get_by_role("link").first.click()
    page.get_by_role("button", name="签收").click()
    page.get_by_label("办理结果（答复诉求人）").fill(ANSWER)
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已答复")
    expect(page.locator("main")).to_contain_text(ANSWER)
    shot(page, "hotline-answered")
    assert journey.request().status == RequestStatus.ANSWERED


def test_the_caller_rates_the_answer_from_the_sms_link(visitor, journey):
    journey.answered()
    page = visitor()
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    page.goto(journey.link())
    main = page.locator("main")
    expect(main).to_contain_text(TITLE)
    expect(main).to_contain_text(ANSWER)
    # The public 流转记录: the departments, the return not shown, no staff names.
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(MARKET)
    expect(timeline).not_to_contain_text("wjw_hotline")
    expect(timeline).not_to_contain_text("退单")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("评价意见（选填）").fill("处理很快，谢谢")
    shot(page, "hotline-rate")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".satisfaction")).to_have_text("满意")
    request = journey.request()
    assert (request.status, request.satisfaction) == (RequestStatus.CLOSED, "satisfied")

    # The same link at desktop width, and the mobile page of it: rated, closed, nothing to rate.
    page.set_viewport_size(desktop)
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("已办结")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    shot(page, "hotline-rated")
    page.set_viewport_size(PHONE)
    page.goto("/m" + journey.link())
    expect(page.locator("body.mobile main")).to_contain_text(ANSWER)
    expect(page.locator(".satisfaction")).to_have_text("满意")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
