"""The demo's 12345 (yiwang/demo/hotline.py): its people, rules and a request in every state,
made through the services, so the pages and the browser walk-throughs have something real."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from yiwang.complaints import access, selectors
from yiwang.complaints.models import (
    AssignmentStatus,
    DispatchRule,
    HotlineRequest,
    RequestEvent,
    RequestStatus,
    Satisfaction,
)
from yiwang.complaints.services import requests as svc
from yiwang.demo import hotline, loader

pytestmark = pytest.mark.slow
NUMBER = re.compile(r"2201(00|04)20\d{6}\d{5}")


def user(username: str):
    return get_user_model().objects.get(username=username)


def test_the_hotline_staff_hold_their_roles_and_are_printed(demo):
    region = HotlineRequest.objects.filter(region__code="220100").first().region
    assert access.can_operate(user("hotline_op"), region)
    assert not access.can_arbitrate(user("hotline_op"), region)
    assert access.can_arbitrate(user("hotline_admin"), region)
    market = HotlineRequest.objects.get(title="药店违规销售处方药").department
    assert market.name == "长春市市场监督管理局"
    assert access.can_handle(user("scjg_hotline"), market)
    assert not access.can_handle(user("wjw_hotline"), market)
    printed = {login.username: login.role for login in loader.demo_logins()}
    assert printed["hotline_op"] == "12345话务员（吉林省长春市）"
    assert printed["wjw_hotline"] == "12345承办员（长春市卫生健康委员会）"
    assert DispatchRule.objects.filter(department=market, keywords__contains="食品").count() == 2


def test_the_requests_are_in_every_state_with_well_formed_numbers(demo):
    requests = list(HotlineRequest.objects.all())
    assert Counter(r.status for r in requests) == {
        RequestStatus.REGISTERED: 2, RequestStatus.DISPATCHED: 4, RequestStatus.ARBITRATION: 1,
        RequestStatus.ANSWERED: 2, RequestStatus.CLOSED: 2, RequestStatus.MERGED: 1}
    assert all(NUMBER.fullmatch(r.number) for r in requests)
    assert len({r.number for r in requests}) == len(requests)
    assert all(r.events.first().action == RequestEvent.Action.REGISTERED for r in requests)
    [overdue] = [r for r in requests if r.escalated_at]
    assert overdue.title == "学校周边流动摊贩售卖三无食品"
    merged = HotlineRequest.objects.get(status=RequestStatus.MERGED)
    assert merged.parent.title == "餐馆后厨卫生脏乱"


def test_the_queues_and_inboxes_have_work(demo):
    op, admin = user("hotline_op"), user("hotline_admin")
    counts = selectors.queue_counts(op)
    assert (counts["dispatch"], counts["revisit"], counts["overdue"]) == (2, 2, 1)
    assert selectors.queue(admin, selectors.TO_ARBITRATE).get().title == "诊所收费不明码标价"
    inbox = {a.request.title: a.status for a in selectors.inbox(user("scjg_hotline"))}
    assert inbox["药店违规销售处方药"] == AssignmentStatus.HANDLING
    assert inbox["餐馆后厨卫生脏乱"] == AssignmentStatus.PENDING
    stall = next(a for a in selectors.inbox(user("scjg_hotline"))
                 if a.request.title == "农贸市场摊位缺斤短两")
    [passed_on] = stall.children.all()
    assert (passed_on.department.name, passed_on.status) == ("长春市朝阳区市场监督管理局",
                                                             AssignmentStatus.PENDING)


def test_wang_fangs_answer_waits_for_her_rating(demo):
    wang = user("demo-13904310002")
    [request] = selectors.mine(wang)
    assert request.status == RequestStatus.ANSWERED and request.rated_at is None
    assert "过期食品" in request.answer
    svc.rate_answer(request, satisfaction=Satisfaction.SATISFIED, user=wang)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED


def test_loading_the_hotline_again_changes_nothing(demo):
    before = (HotlineRequest.objects.count(), DispatchRule.objects.count())
    kept = []
    assert hotline.load_hotline(user("admin").password, kept) == 0
    assert set(kept) == {"hotline_op", "hotline_admin", "scjg_hotline", "wjw_hotline"}
    assert before == (HotlineRequest.objects.count(), DispatchRule.objects.count())
