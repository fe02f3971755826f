"""评价器 (window pad): a terminal bound to a window offers the rating of the ticket just finished
at that window — not another window's, not one rated already, not one finished long ago — and
rates it once, over the channel 窗口评价器, with the ticket's window and clerk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from yiwang.common.errors import NotFound, PermissionDenied, ValidationError
from yiwang.evaluation.models import Rating, RatingChannel
from yiwang.hall.models import Channel, Shift, Terminal, Ticket, Window, WindowKind
from yiwang.hall.services import calling, pads, terminals, tickets, windows
from yiwang.hall.views import device as device_views
from yiwang.supervision.models import AuditRecord

from .terminal_world import MONDAY_MORNING

PAD = "/hall/pad/"


class PadWorld:
    """The terminal world's hall with windows 1 and 2 serving queue A, 李娜 rostered at 1 and
    王磊 at 2, and a pad at each window."""

    def __init__(self, world):
        self.world = world
        self.hall = world.hall
        self.w1 = Window.objects.get(hall=self.hall, number="1")
        self.w2 = Window.objects.create(hall=self.hall, number="2", name="综合受理",
                                        kind=WindowKind.COMPREHENSIVE)
        self.w2.queues.add(world.queue)
        self.clerk1 = world.clerk
        self.clerk1.first_name = "李娜"  # the demo keeps the whole name there
        self.clerk1.save()
        self.clerk2 = world.member("hall_clerk2", self.hall, "clerk")
        for clerk, window in ((self.clerk1, self.w1), (self.clerk2, self.w2)):
            Shift.objects.create(window=window, user=clerk, date=MONDAY_MORNING.date())
            windows.sign_in(clerk, window)
        self.pad1, self.secret1 = terminals.register_terminal(
            world.manager, name="1号窗口评价器", hall=self.hall, location="1号窗口台面", window=self.w1)
        self.pad2, self.secret2 = terminals.register_terminal(
            world.manager, name="2号窗口评价器", hall=self.hall, location="2号窗口台面", window=self.w2)

    def finish(self, clerk, window, *, user=None, id_number="") -> Ticket:
        """A walk-in's ticket called, served and finished at ``window`` through the services."""
        tickets.take_ticket(self.hall, channel=Channel.TERMINAL, queue=self.world.queue, user=user,
                            id_number=id_number)
        ticket = calling.call_next(clerk, window)
        calling.start(clerk, ticket)
        return calling.finish(clerk, ticket)

    def device(self, pad, secret) -> Client:
        device = Client()
        answer = device.post("/kiosk/activate/", {"code": pad.code, "secret": secret})
        assert answer.status_code == 302 and answer["Location"] == PAD
        return device


@pytest.fixture
def pw(kiosk_world):
    return PadWorld(kiosk_world)


def test_a_ticket_finished_at_window_1_shows_on_window_1s_pad_only(pw):
    ticket = pw.finish(pw.clerk1, pw.w1)
    one = pw.device(pw.pad1, pw.secret1).get(PAD).content.decode()
    assert "请为本次服务评价" in one and ticket.number in one and "李*" in one
    assert "李娜" not in one  # the clerk's name masked
    two = pw.device(pw.pad2, pw.secret2).get(PAD).content.decode()
    assert "欢迎光临 · 窗口 2" in two and ticket.number not in two


def test_the_poll_swaps_only_when_the_ticket_to_rate_changes(pw):
    device = pw.device(pw.pad1, pw.secret1)
    poll = {"HX-Request": "true"}
    assert device.get(PAD, {"showing": "0"}, headers=poll).status_code == 204
    ticket = pw.finish(pw.clerk1, pw.w1)
    answer = device.get(PAD, {"showing": "0"}, headers=poll)
    page = answer.content.decode()
    assert answer.status_code == 200 and ticket.number in page and "<html" not in page
    assert device.get(PAD, {"showing": str(ticket.pk)}, headers=poll).status_code == 204


def test_a_rating_on_the_pad_is_of_channel_hall_with_the_tickets_window_and_clerk(pw):
    ticket = pw.finish(pw.clerk1, pw.w1)
    device = pw.device(pw.pad1, pw.secret1)
    answer = device.post("/hall/pad/rate/", {"ticket": ticket.pk, "level": "2"})
    assert answer.status_code == 200 and "感谢您的评价" in answer.content.decode()
    rating = Rating.objects.get()
    assert (rating.ticket, rating.channel, rating.window, rating.staff, rating.hall, rating.rater,
            rating.level) == (ticket, RatingChannel.HALL, pw.w1, pw.clerk1, pw.hall, None, 2)
    assert AuditRecord.objects.filter(kind="hall.terminal.rated", data__terminal=pw.pad1.code).exists()
    # Rated: the pad is idle again.
    assert "欢迎光临 · 窗口 1" in device.get(PAD).content.decode()


def test_a_ticket_with_an_account_is_rated_as_its_holder(pw):
    ticket = pw.finish(pw.clerk1, pw.w1, user=pw.world.person.user,
                       id_number=pw.world.person.id_number)
    pads.rate(pw.pad1, ticket.pk, level=1)
    assert Rating.objects.get().rater == pw.world.person.user


def test_a_second_rating_of_the_ticket_is_refused_with_a_clear_message(pw):
    ticket = pw.finish(pw.clerk1, pw.w1)
    device = pw.device(pw.pad1, pw.secret1)
    device.post("/hall/pad/rate/", {"ticket": ticket.pk, "level": "1"})
    answer = device.post("/hall/pad/rate/", {"ticket": ticket.pk, "level": "5"})
    page = answer.content.decode()
    assert answer.status_code == 409 and f"{ticket.number}号已评价" in page
    assert 'data-code="rating.already_rated"' in page
    assert Rating.objects.get().level == 1


def test_a_bad_rating_asks_for_reasons_and_a_text_first(pw):
    ticket = pw.finish(pw.clerk1, pw.w1)
    device = pw.device(pw.pad1, pw.secret1)
    first = device.post("/hall/pad/rate/", {"ticket": ticket.pk, "level": "4"}).content.decode()
    assert "请告诉我们哪里不满意" in first and "差评原因" in first and not Rating.objects.exists()
    refused = device.post("/hall/pad/rate/", {"ticket": ticket.pk, "level": "4", "detail": "1",
                                              "text": "等太久"})
    assert refused.status_code == 400 and "差评请选择至少一项差评原因" in refused.content.decode()
    answer = device.post("/hall/pad/rate/", {"ticket": ticket.pk, "level": "4", "detail": "1",
                                             "reasons": ["long_wait"], "text": "等太久"})
    assert answer.status_code == 200 and "已转交核实整改" in answer.content.decode()
    rating = Rating.objects.get()
    assert (rating.level, rating.text, list(rating.reasons.values_list("code", flat=True))) == (
        4, "等太久", ["long_wait"])


def test_another_windows_ticket_cannot_be_rated_on_this_pad(pw):
    ticket = pw.finish(pw.clerk2, pw.w2)
    answer = pw.device(pw.pad1, pw.secret1).post("/hall/pad/rate/", {"ticket": ticket.pk, "level": "1"})
    assert answer.status_code == 404 and "rating.not_offered" in answer.content.decode()
    assert not Rating.objects.exists()


def test_a_ticket_finished_long_ago_is_no_longer_offered(pw, monkeypatch, settings):
    from django.utils import timezone

    ticket = pw.finish(pw.clerk1, pw.w1)
    later = MONDAY_MORNING + dt.timedelta(minutes=settings.HALL_PAD_OFFER_MINUTES + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert pads.ticket_to_rate(pw.pad1) is None
    with pytest.raises(NotFound) as refused:
        pads.rate(pw.pad1, ticket.pk, level=1)
    assert refused.value.code == "rating.not_offered"


def test_the_latest_finished_ticket_is_offered(pw):
    pw.finish(pw.clerk1, pw.w1)
    second = pw.finish(pw.clerk1, pw.w1)
    assert pads.ticket_to_rate(pw.pad1) == second


def test_a_revoked_pad_is_refused(pw):
    pw.finish(pw.clerk1, pw.w1)
    device = pw.device(pw.pad1, pw.secret1)
    terminals.revoke_terminal(pw.world.manager, Terminal.objects.get(pk=pw.pad1.pk))
    answer = device.get(PAD)
    assert answer.status_code == 403 and "已停用" in answer.content.decode()
    assert answer.cookies[device_views.COOKIE].value == ""


def test_a_pad_is_no_kiosk_and_a_kiosk_no_pad(pw):
    pad = pw.device(pw.pad1, pw.secret1)
    answer = pad.get("/kiosk/ticket/")
    assert answer.status_code == 302 and answer["Location"] == PAD
    kiosk = Client()
    kiosk.post("/kiosk/activate/", {"code": pw.world.terminal.code, "secret": pw.world.secret})
    answer = kiosk.get(PAD)
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/"
    with pytest.raises(PermissionDenied) as refused:
        pads.ticket_to_rate(pw.world.terminal)
    assert refused.value.code == "terminal.not_a_pad"


def test_a_pad_is_bound_to_a_window_of_its_own_hall(pw):
    other = Window.objects.create(hall=pw.world.other_hall, number="1", name="综合",
                                  kind=WindowKind.COMPREHENSIVE)
    with pytest.raises(ValidationError) as refused:
        terminals.register_terminal(pw.world.manager, name="错的", hall=pw.hall, location="台面",
                                    window=other)
    assert refused.value.code == "terminal.window_mismatch"


def test_the_manager_registers_a_pad_on_the_terminals_page(pw):
    from tests.clients import VerifiedClient

    manager = VerifiedClient()
    manager.force_login(pw.world.manager)
    page = manager.get("/workbench/hall/terminals/").content.decode()
    assert "评价器：长春市政务服务中心 1号窗口" in page
    answer = manager.post("/workbench/hall/terminals/", {
        "hall": pw.hall.pk, "window": pw.w2.pk, "name": "2号窗口新评价器", "location": "台面"})
    assert answer.status_code == 201 and "评价器窗口" in answer.content.decode()
    assert Terminal.objects.get(name="2号窗口新评价器").window == pw.w2


def test_the_demo_pad_is_window_1s_of_the_city_hall(demo):
    from yiwang.demo.hall import DEMO_PAD_CODE, DEMO_PAD_SECRET

    pad = terminals.authenticate(DEMO_PAD_CODE, DEMO_PAD_SECRET)
    assert (pad.hall.name, pad.window.number) == ("长春市政务服务中心", "1")
