"""自助终端 in a real browser on the demo: a terminal of 长春市政务服务中心 registered with
``manage.py register_terminal`` (as the README says), activated on the device with its code and
secret, then used by touch only: the on-screen pad, the ID card, a ticket, a booking checked in
by its code, the idle time-out, and the stop when the terminal is revoked.

The hall's hours decide whether a ticket can be taken and a booking is for one day: the ticket
and check-in tests pin the clock the server sees to a Monday morning the demo hall is open."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.demo_visits import shot
from tests.hall.terminal_world import monday_morning  # noqa: F401 (a fixture)
from yiwang.demo.identities import PEOPLE
from yiwang.hall.models import Channel, Terminal, Ticket
from yiwang.hall.services import appointments, hours, terminals
from yiwang.orgs.models import ServiceHall

HALL = "长春市政务服务中心"
WANG_FANG = next(person for person in PEOPLE if person.name == "王芳")


def register(name: str) -> tuple[str, str]:
    out = StringIO()
    call_command("register_terminal", "--hall", HALL, "--name", name, "--location", "一楼东侧取号区",
                 stdout=out)
    fields = dict(re.findall(r"^(终端编号|终端密钥): (\S+)$", out.getvalue(), re.MULTILINE))
    return fields["终端编号"], fields["终端密钥"]


def activate(visitor, name: str):
    code, secret = register(name)
    page = visitor()
    page.goto("/kiosk/")
    expect(page.get_by_role("heading", name="启用自助终端")).to_be_visible()
    page.get_by_label("终端编号").fill(code)
    page.get_by_label("终端密钥").fill(secret)
    page.get_by_role("button", name="启用").click()
    expect(page.get_by_role("heading", name="请选择您要办理的业务")).to_be_visible()
    return page, Terminal.objects.get(code=code)


def tap(page, digits: str) -> None:
    """Type on the on-screen pad, never the keyboard."""
    pad = page.get_by_role("group", name="屏幕键盘")
    for key in digits:
        pad.locator(f'[data-pad-key="{key}"]').click()


def read_card(page, person) -> None:
    page.get_by_role("link", name="刷身份证").click()
    tap(page, person.id_number)
    page.get_by_role("button", name="读取身份证").click()


@pytest.fixture
def open_hall(demo_site, monday_morning):  # noqa: F811 (the fixture imported above)
    """The server's clock on a Monday morning, when the demo hall is open."""
    assert hours.is_open(ServiceHall.objects.get(name=HALL), monday_morning)
    return monday_morning


def test_a_card_log_in_by_touch_shows_the_number_masked(visitor):
    page, terminal = activate(visitor, "读卡测试机")
    shot(page, "kiosk-home")
    read_card(page, WANG_FANG)
    number = WANG_FANG.id_number
    person = page.locator("[data-kiosk-person]")
    expect(person).to_have_text(f"您好，王*（{number[:4]}{'*' * 10}{number[-4:]}）")
    assert number not in page.content()
    assert terminal.code in page.locator(".kiosk-foot").inner_text()
    page.get_by_role("button", name="退出").click()
    expect(page.locator("[data-kiosk-person]")).to_have_count(0)


def test_the_idle_time_out_signs_out_and_clears_the_screen(visitor, settings):
    settings.HALL_KIOSK_IDLE_SECONDS = 2
    page, _ = activate(visitor, "超时测试机")
    read_card(page, WANG_FANG)
    expect(page.locator("[data-kiosk-person]")).to_be_visible()
    page.get_by_role("link", name="办件查询").click()
    tap(page, "2201")
    expect(page.get_by_label("办件编号")).to_have_value("2201")
    # No touch for two seconds: back to the start screen, nobody signed in, nothing typed left.
    expect(page.get_by_text("长时间无操作，已自动退出并清除屏幕。")).to_be_visible(timeout=6000)
    expect(page.locator("[data-kiosk-person]")).to_have_count(0)
    page.get_by_role("link", name="办件查询").click()
    expect(page.get_by_label("办件编号")).to_have_value("")
    expect(page.get_by_label("申请人身份证号")).to_be_visible()  # the card is no longer read


def test_a_revoked_terminal_stops_at_the_next_touch(visitor):
    page, terminal = activate(visitor, "停用测试机")
    terminals.revoke_terminal(get_user_model().objects.get(username="admin"), terminal)
    page.get_by_role("link", name="办件查询").click()
    expect(page.get_by_role("heading", name="本终端暂停服务")).to_be_visible()
    expect(page.get_by_text(f"终端 {terminal.code} 已停用，请联系大厅管理员")).to_be_visible()
    shot(page, "kiosk-revoked")
    page.goto("/kiosk/")
    expect(page.get_by_role("heading", name="启用自助终端")).to_be_visible()


def test_a_ticket_taken_on_the_demo_terminal(visitor, open_hall):
    page, terminal = activate(visitor, "取号测试机")
    read_card(page, WANG_FANG)
    page.get_by_role("link", name="取号").first.click()
    expect(page.get_by_role("heading", name="请选择办理的事项")).to_be_visible()
    shot(page, "kiosk-items")
    page.get_by_role("button", name="食品经营许可").first.click()
    ticket = Ticket.objects.filter(terminal=terminal).get()
    expect(page.locator("#slip-number")).to_have_text(ticket.number)
    assert ticket.channel == Channel.TERMINAL and ticket.user.citizen.name == "王芳"
    expect(page.get_by_role("button", name="打印排队票")).to_be_visible()
    shot(page, "kiosk-slip")


def test_a_booking_checked_in_with_its_code(visitor, open_hall):
    hall = ServiceHall.objects.get(name=HALL)
    citizen = get_user_model().objects.get(citizen__name="张伟")
    day = open_hall.date()
    hall_item, slot = next(
        (entry, slot) for entry in hall.stationed_items.filter(bookable=True, active=True)
        for slot in appointments.slots(entry, day, now=open_hall)
        if slot.free and slot.end > open_hall.time())
    booking = appointments.book(citizen, hall_item, day, slot.start, channel=Channel.PC, now=open_hall)
    page, terminal = activate(visitor, "签到测试机")
    page.get_by_role("link", name="预约签到").click()
    tap(page, booking.code)
    shot(page, "kiosk-check-in")
    page.get_by_role("button", name="签到取号").click()
    ticket = Ticket.objects.get(appointment=booking)
    expect(page.locator("#slip-number")).to_have_text(ticket.number)
    expect(page.locator(".slip-booked")).to_have_text("预约签到")
    assert ticket.terminal == terminal

