"""Who sees which 12345 requests, and the queues and inboxes the pages and the API share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.complaints.factories import HotlineWorld
from yiwang.common.errors import NotFound
from yiwang.complaints import access, selectors
from yiwang.complaints.models import RequestKind
from yiwang.complaints.services import requests as svc


@pytest.fixture
def w(db):
    world = HotlineWorld()
    world.mine = world.registered()
    world.market_one = world.dispatched().request
    world.health_one = world.dispatched(department=world.health, title="医院收费不透明").request
    world.jilin_one = world.registered(region=world.jilin, title="吉林市路灯不亮")
    return world


def numbers(requests) -> set[str]:
    return {r.number for r in requests}


def test_each_role_sees_its_own_requests(w):
    everything = {w.mine.number, w.market_one.number, w.health_one.number, w.jilin_one.number}
    assert numbers(access.visible_requests(w.operator)) == everything - {w.jilin_one.number}
    assert numbers(access.visible_requests(w.jilin_operator)) == {w.jilin_one.number}
    assert numbers(access.visible_requests(w.handler)) == {w.market_one.number}
    assert numbers(access.visible_requests(w.health_handler)) == {w.health_one.number}
    assert numbers(access.visible_requests(w.citizen)) == everything  # 王芳 filed them all
    assert numbers(access.visible_requests(w.stranger)) == set()


def test_a_request_another_may_not_see_does_not_exist_for_them(w):
    assert access.visible_request(w.handler, w.market_one.number) == w.market_one
    for user, request in ((w.handler, w.health_one), (w.jilin_operator, w.mine),
                          (w.stranger, w.mine)):
        with pytest.raises(NotFound) as refused:
            access.visible_request(user, request.number)
        assert refused.value.code == "complaint.not_found"


def test_a_handler_keeps_seeing_a_request_returned_to_the_hotline(w):
    assignment = w.market_one.assignments.get()
    svc.return_assignment(w.handler, assignment, "非本部门职责")
    svc.arbitrate(w.admin, assignment, upheld=True, note="成立", redispatch_to=w.health)
    assert w.market_one.number in numbers(access.visible_requests(w.handler))
    assert {a.request.number for a in selectors.inbox(w.health_handler)} == {
        w.health_one.number, w.market_one.number}
    assert list(selectors.inbox(w.handler)) == []


def test_the_hotline_queues(w):
    assert numbers(selectors.queue(w.operator, selectors.TO_DISPATCH)) == {w.mine.number}
    assert numbers(selectors.queue(w.jilin_operator, selectors.TO_DISPATCH)) == {w.jilin_one.number}
    assignment = w.market_one.assignments.get()
    svc.return_assignment(w.handler, assignment, "非本部门职责")
    assert numbers(selectors.queue(w.admin, selectors.TO_ARBITRATE)) == {w.market_one.number}
    assert numbers(selectors.queue(w.operator, selectors.TO_ARBITRATE)) == set()
    answered = w.answered()
    assert numbers(selectors.queue(w.operator, selectors.TO_REVISIT)) == {answered.number}
    later = timezone.localdate() + dt.timedelta(days=30)
    assert numbers(selectors.queue(w.operator, selectors.OVERDUE, today=later)) == {
        w.mine.number, w.market_one.number, w.health_one.number}
    assert selectors.queue_counts(w.handler) == dict.fromkeys(selectors.QUEUES, 0)


def test_the_queues_find_by_number_title_and_phone_tail(w):
    call, _ = w.call(kind=RequestKind.HELP, title="井盖丢失", content="路口井盖丢失",
                     requester_phone="13804319876")
    found = lambda q: numbers(selectors.queue(w.operator, selectors.TO_DISPATCH, q=q))  # noqa: E731
    assert found("9876") == {call.number}
    assert found("井盖") == {call.number}
    assert found(w.mine.number[-5:]) == {w.mine.number}
    assert found("没有这个") == set()


def test_the_inbox_holds_the_departments_open_assignments(w):
    assert [a.request for a in selectors.inbox(w.handler)] == [w.market_one]
    assert [a.request for a in selectors.inbox(w.market_admin)] == [w.market_one]
    assert list(selectors.inbox(w.operator)) == []
    svc.answer(w.handler, svc.accept(w.handler, w.market_one.assignments.get()), "已处理")
    assert list(selectors.inbox(w.handler)) == []
    assert [a.request for a in selectors.inbox(w.handler, status="answered")] == [w.market_one]


def test_lists_mask_the_requester(w):
    assert selectors.masked_requester(w.mine) == ("王*", "139****0002")
    report, _ = w.submit(kind=RequestKind.REPORT, anonymous=True)
    assert selectors.masked_requester(report) == ("匿名", "")
