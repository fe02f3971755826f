"""评价器 in a real browser on the demo: the pad the demo registers at window 1 of 长春市政务服务中心,
activated with the code and secret the README gives, waits (欢迎光临 · 窗口 1); zx_clerk finishes
a ticket at window 1 (through the calling services); the pad, polling, offers it; the person taps
满意; the rating exists, of the channel 窗口评价器, with the ticket's window and clerk; the pad
returns to idle by itself."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.demo_visits import shot
from yiwang.demo.hall import DEMO_PAD_CODE, DEMO_PAD_SECRET
from yiwang.evaluation.models import Rating, RatingChannel
from yiwang.hall.models import Channel, Ticket, TicketStatus, Window, WindowSession
from yiwang.hall.services import calling, tickets, windows

pytestmark = pytest.mark.slow

TABLET = {"width": 1024, "height": 768}


def finish_a_ticket_at(window, clerk) -> Ticket:
    """A walk-in's ticket taken, called and finished at ``window`` by ``clerk`` (what an earlier
    test left at the window is finished first: the demo is shared). A clerk who was not at a
    window is signed out again, so the tests after (test_hall_setup signs zx_clerk in) find the
    demo as it was."""
    was_signed_in = WindowSession.objects.filter(user=clerk, ended_at__isnull=True).exists()
    windows.sign_in(clerk, window)
    for left in Ticket.objects.filter(window=window, status__in=(TicketStatus.CALLED,
                                                                 TicketStatus.SERVING)):
        calling.finish(clerk, left)
    tickets.take_ticket(window.hall, channel=Channel.TERMINAL, queue=window.queues.first())
    ticket = calling.call_next(clerk, window)
    calling.start(clerk, ticket)
    ticket = calling.finish(clerk, ticket)
    if not was_signed_in:
        windows.sign_out(clerk)
    return ticket


def test_the_person_rates_the_ticket_just_finished_at_window_1_on_its_pad(visitor, hall_open_today):
    window = Window.objects.get(hall=hall_open_today, number="1")
    clerk = get_user_model().objects.get(username="zx_clerk")
    pad = visitor()
    pad.set_viewport_size(TABLET)
    pad.goto("/kiosk/activate/")
    pad.get_by_label("终端编号").fill(DEMO_PAD_CODE)
    pad.get_by_label("终端密钥").fill(DEMO_PAD_SECRET)
    pad.get_by_role("button", name="启用").click()
    expect(pad.get_by_role("heading", name="欢迎光临 · 窗口 1")).to_be_visible()
    shot(pad, "hall-pad-idle")

    ticket = finish_a_ticket_at(window, clerk)
    # Not reloaded: the pad's poll brings the offer.
    expect(pad.get_by_role("heading", name="请为本次服务评价")).to_be_visible(timeout=12_000)
    expect(pad.locator("[data-pad-ticket]")).to_have_text(ticket.number)
    expect(pad.locator("[data-pad-clerk]")).to_have_text("李*")
    shot(pad, "hall-pad-offer")

    pad.get_by_role("button", name="满意", exact=True).click()
    expect(pad.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.level, rating.channel, rating.window, rating.staff, rating.rater) == (
        2, RatingChannel.HALL, window, clerk, None)
    shot(pad, "hall-pad-thanks")
    expect(pad.get_by_role("heading", name="欢迎光临 · 窗口 1")).to_be_visible(timeout=12_000)


def test_a_dissatisfied_person_gives_the_reasons_on_the_pad(visitor, hall_open_today):
    window = Window.objects.get(hall=hall_open_today, number="1")
    clerk = get_user_model().objects.get(username="zx_clerk")
    pad = visitor()
    pad.set_viewport_size(TABLET)
    pad.goto("/kiosk/activate/")
    pad.get_by_label("终端编号").fill(DEMO_PAD_CODE)
    pad.get_by_label("终端密钥").fill(DEMO_PAD_SECRET)
    pad.get_by_role("button", name="启用").click()
    ticket = finish_a_ticket_at(window, clerk)
    expect(pad.locator("[data-pad-ticket]")).to_have_text(ticket.number, timeout=12_000)
    pad.get_by_role("button", name="不满意", exact=True).click()
    expect(pad.get_by_role("heading", name="请告诉我们哪里不满意")).to_be_visible()
    reasons = pad.locator(".rating-reason-list label")
    reasons.first.click()
    pad.get_by_label("评价内容").fill("等了很久才叫到号")
    shot(pad, "hall-pad-reasons")
    pad.get_by_role("button", name="提交评价").click()
    expect(pad.get_by_text("您的意见已转交核实整改。")).to_be_visible()
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.level, rating.text, rating.reasons.count()) == (4, "等了很久才叫到号", 1)
