"""排队叫号 on the demo: at 长春市政务服务中心 the 综合窗口 clerk (``zx_clerk``, rostered on window 1)
calls from the 叫号台; an elderly walk-in is called before an earlier ordinary arrival; the hall's
display shows the called number within a second of the call; the visitor's phone shows how many
are ahead.

The hall's windows, queues, rosters and clerks come from the demo (part A's ``yiwang/demo/hall.py``).
Tickets are taken here through ``tickets.take_ticket`` as a terminal would; the hall is open all
day whatever the date (``hall_open_today`` in conftest; hours have tests of their own)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.staff import log_in
from yiwang.demo.identities import id_number
from yiwang.demo.loader import DEMO_PASSWORD
from yiwang.hall.models import Channel, Queue, Ticket, TicketStatus, Window
from yiwang.hall.services import tickets, windows

PHONE = {"width": 390, "height": 844}
HALL = "长春市政务服务中心"
ELDERLY = id_number("220100", dt.date(1950, 6, 1), 701)


@pytest.fixture
def hall_day(hall_open_today):
    """The demo hall, zx_clerk signed in to window 1; afterwards the clerk signs out and the
    test's tickets leave the queue, so that the demo stays as it was for the tests after."""
    hall = hall_open_today
    window = Window.objects.get(hall=hall, number="1")
    clerk = get_user_model().objects.get(username="zx_clerk")
    windows.sign_in(clerk, window)
    taken = []

    def take(**fields) -> Ticket:
        ticket = tickets.take_ticket(hall, channel=Channel.TERMINAL,
                                     queue=Queue.objects.get(hall=hall, code="A"), **fields)
        taken.append(ticket.pk)
        return ticket

    yield hall, take
    windows.sign_out(clerk)
    Ticket.objects.filter(pk__in=taken).update(status=TicketStatus.CANCELLED)


def test_the_display_shows_the_call_within_a_second_and_the_elderly_go_first(visitor, hall_day):
    hall, take = hall_day
    ordinary = take(name="李明")
    elderly = take(name="王秀兰", id_number=ELDERLY)
    assert elderly.priority_group == "elderly"

    screen = visitor()
    screen.goto(f"/hall/{hall.pk}/display/")
    expect(screen.get_by_role("heading", name=HALL)).to_be_visible()
    expect(screen.get_by_role("heading", name="最近叫号")).to_be_visible()
    expect(screen.locator("[data-queues]")).to_contain_text("企业开办与经营")

    desk = visitor()
    log_in(desk, "zx_clerk", then="/workbench/hall/calling/", password=DEMO_PASSWORD)
    expect(desk.get_by_text("1号窗口")).to_be_visible()
    desk.get_by_role("button", name="叫下一位").click()
    # The elderly walk-in came second and is called first (适老化 priority).
    expect(desk.locator("[data-current]")).to_have_text(elderly.number)
    expect(screen.locator(".latest-number")).to_have_text(elderly.number, timeout=1000)
    expect(screen.locator(".latest-window")).to_have_text("1")
    expect(screen.locator("[data-windows]")).to_contain_text(elderly.number)

    desk.get_by_role("button", name="开始办理").click()
    expect(desk.get_by_text("办理中")).to_be_visible()
    desk.get_by_role("button", name="办结").click()
    expect(desk.get_by_text(f"{elderly.number} 已办结")).to_be_visible()
    desk.get_by_role("button", name="叫下一位").click()
    expect(desk.locator("[data-current]")).to_have_text(ordinary.number)
    expect(screen.locator(".latest-number")).to_have_text(ordinary.number, timeout=1000)
    desk.get_by_role("button", name="过号").click()
    expect(desk.get_by_text(f"{ordinary.number} 未到，已重新排队")).to_be_visible()


def test_the_visitor_sees_the_place_on_a_phone(visitor, hall_day):
    _, take = hall_day
    ahead = [take(name="赵磊"), take(name="孙丽")]
    mine = take(name="周强", mobile="13900007001")
    phone = visitor()
    phone.set_viewport_size(PHONE)
    phone.goto(f"/hall/tickets/{mine.access_key}/")
    expect(phone.locator(".ticket-number")).to_have_text(mine.number)
    place = tickets.position(mine)
    assert place.ahead >= len(ahead)
    expect(phone.locator("[data-ahead]")).to_have_text(str(place.ahead))
    expect(phone.get_by_text(f"约 {place.estimated_minutes} 分钟")).to_be_visible()
    expect(phone.get_by_text("前面还有3位时会短信提醒您")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
