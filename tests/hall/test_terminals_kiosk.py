"""The kiosk pages (/kiosk/): activation, the terminal re-checked on every request, the card
log-in with the number masked on screen, taking a ticket and checking in on the terminal, the
progress query, printing a licence copy, and the server's side of the idle time-out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yiwang.evaluation.models import Rating
from yiwang.hall.models import Channel, Ticket, TicketStatus
from yiwang.hall.services import terminals
from yiwang.hall.views import device as device_views
from yiwang.hall.views import kiosk
from yiwang.supervision.models import AuditRecord

from .terminal_world import MONDAY_MORNING


@pytest.fixture
def world(kiosk_world):
    return kiosk_world

HOME = "/kiosk/"


@pytest.fixture
def device(world):
    """A browser on the terminal, activated with the terminal's code and secret."""
    device = Client()
    answer = device.post("/kiosk/activate/", {"code": world.terminal.code, "secret": world.secret})
    assert answer.status_code == 302 and answer["Location"] == HOME
    assert AuditRecord.objects.filter(kind="hall.terminal.activated",
                                      data__terminal=world.terminal.code).count() == 1
    return device


def read_card(device, citizen, **extra):
    return device.post("/kiosk/card/", {"placed": citizen.id_number, **extra})


def test_a_device_without_activation_is_sent_to_activate(world):
    answer = Client().get(HOME)
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/activate/"


def test_activation_with_a_wrong_secret_is_refused_and_sets_no_cookie(world):
    device = Client()
    answer = device.post("/kiosk/activate/", {"code": world.terminal.code, "secret": "guess"})
    assert answer.status_code == 403
    assert "终端编号或密钥不正确" in answer.content.decode()
    assert device_views.COOKIE not in answer.cookies
    assert device.get(HOME).status_code == 302


def test_a_forged_cookie_is_not_a_terminal(world):
    device = Client()
    device.cookies[device_views.COOKIE] = f"{world.terminal.code}:{world.terminal.key_hash[:16]}"
    answer = device.get(HOME)
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/activate/"


def test_the_activated_terminal_shows_the_start_screen(device, world):
    page = device.get(HOME).content.decode()
    for tile in ("取号", "预约签到", "办件查询", "打印证照", "服务评价", "刷身份证"):
        assert tile in page
    assert world.terminal.code in page and world.hall.name in page
    assert 'data-kiosk-idle="60"' in page


def test_a_terminal_revoked_while_in_use_stops_at_its_next_touch(device, world):
    assert device.get("/kiosk/ticket/").status_code == 200
    terminals.revoke_terminal(world.manager, world.terminal)
    answer = device.get("/kiosk/ticket/")
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "本终端暂停服务" in page and "已停用" in page
    assert 'data-code="terminal.revoked"' in page
    assert answer.cookies[device_views.COOKIE].value == ""  # the cookie is deleted
    assert device.post("/kiosk/ticket/", {"hall_item": world.hall_item.pk}).status_code == 302
    assert not Ticket.objects.exists()


def test_a_revoked_terminal_cannot_be_activated_again(world):
    terminals.revoke_terminal(world.manager, world.terminal)
    answer = Client().post("/kiosk/activate/", {"code": world.terminal.code, "secret": world.secret})
    assert answer.status_code == 403 and "已停用" in answer.content.decode()


def test_reading_a_card_shows_the_person_masked(device, world):
    answer = read_card(device, world.person)
    assert answer.status_code == 302
    page = device.get(HOME).content.decode()
    number = world.person.id_number
    masked = f"{number[:4]}{'*' * 10}{number[-4:]}"
    assert f"王*（{masked}）" in page
    assert number not in page and "王芳" not in page
    record = AuditRecord.objects.get(kind="hall.terminal.card_read")
    assert record.data == {"terminal": world.terminal.code, "id_number": masked, "registered": True}
    assert record.actor_id == world.person.user.pk


def test_the_session_keeps_the_id_number_encrypted(device, world):
    read_card(device, world.person)
    stored = device.session[kiosk.PERSON_KEY]
    assert world.person.id_number not in str(stored)


def test_a_card_with_a_bad_check_digit_is_refused_on_the_kiosk(device, world):
    number = world.person.id_number
    answer = device.post("/kiosk/card/", {"placed": number[:-1] + ("1" if number[-1] != "1" else "2")})
    assert answer.status_code == 400
    assert kiosk.PERSON_KEY not in device.session


def test_without_a_configured_reader_no_typed_number_opens_anyones_account(device, world,
                                                                            settings):
    settings.IDCARD_READER = "yiwang.hall.idcard.NoIdCardReader"  # production's default
    answer = read_card(device, world.person)
    assert answer.status_code == 400
    assert "尚未配置居民身份证读卡器" in answer.content.decode()
    assert kiosk.PERSON_KEY not in device.session


def test_the_person_is_forgotten_after_the_idle_time(device, world, monkeypatch, settings):
    settings.HALL_KIOSK_IDLE_SECONDS = 5
    clock = [1_000_000.0]
    monkeypatch.setattr(kiosk.time, "time", lambda: clock[0])
    read_card(device, world.person)
    clock[0] += 4
    assert "您好" in device.get(HOME).content.decode()  # a touch within the time restarts it
    clock[0] += 4
    assert "您好" in device.get(HOME).content.decode()
    clock[0] += 6
    page = device.get("/kiosk/ticket/").content.decode()
    assert "您好" not in page and "未读身份证也可取号" in page
    assert kiosk.PERSON_KEY not in device.session


def test_signing_out_by_the_time_out_clears_the_person_and_says_why(device, world):
    read_card(device, world.person)
    answer = device.post("/kiosk/sign-out/", {"timeout": "1"})
    assert answer["Location"] == "/kiosk/?timeout=1"
    page = device.get(answer["Location"]).content.decode()
    assert "长时间无操作" in page and "您好" not in page


def test_a_ticket_taken_with_the_card_carries_the_person_and_the_terminal(device, world):
    read_card(device, world.person)
    page = device.get("/kiosk/ticket/").content.decode()
    assert "食品经营许可" in page and "企业开办与经营" in page
    answer = device.post("/kiosk/ticket/", {"hall_item": world.hall_item.pk})
    ticket = Ticket.objects.get()
    assert answer["Location"] == reverse("hall_public:kiosk-slip", args=[ticket.access_key])
    assert (ticket.terminal, ticket.channel, ticket.user) == (world.terminal, Channel.TERMINAL,
                                                              world.person.user)
    assert ticket.id_number == world.person.id_number
    slip = device.get(answer["Location"]).content.decode()
    assert ticket.number in slip and "打印排队票" in slip and "王*" in slip
    assert world.person.id_number not in slip
    assert AuditRecord.objects.get(kind="hall.terminal.ticket_taken").data["terminal"] == world.terminal.code


def test_an_anonymous_ticket_and_a_bad_choice(device, world):
    device.post("/kiosk/ticket/", {"hall_item": world.hall_item.pk})
    ticket = Ticket.objects.get()
    assert ticket.user is None and ticket.id_number == ""
    for choice in (world.other_hall_item.pk, "x", "9" * 30):
        answer = device.post("/kiosk/ticket/", {"hall_item": choice})
        assert answer.status_code == 404 and "请选择本大厅办理的事项" in answer.content.decode()
    assert Ticket.objects.count() == 1


def test_another_terminals_slip_is_not_shown(device, world):
    other, _ = terminals.register_terminal(world.manager, name="2号机", hall=world.hall,
                                                location="二楼")
    ticket = terminals.take_ticket(other, world.hall_item)
    assert device.get(reverse("hall_public:kiosk-slip", args=[ticket.access_key])).status_code == 404


def test_checking_in_a_booking_by_its_code(device, world):
    appointment = world.appointment()
    assert "预约码" in device.get("/kiosk/check-in/").content.decode()
    answer = device.post("/kiosk/check-in/", {"code": appointment.code})
    ticket = Ticket.objects.get()
    assert answer["Location"] == reverse("hall_public:kiosk-slip", args=[ticket.access_key])
    assert ticket.appointment == appointment and ticket.terminal == world.terminal
    assert "预约签到" in device.get(answer["Location"]).content.decode()
    again = device.post("/kiosk/check-in/", {"code": appointment.code})
    assert again.status_code == 409 and Ticket.objects.count() == 1


@pytest.fixture
def licensed(world):
    """tests/licences' world: 王芳's food licence delivered, her case submitted before."""
    from tests.licences.conftest import LicenceWorld

    licence_world = LicenceWorld()
    licence_world.seal()
    return licence_world


def test_progress_with_the_card_needs_only_the_case_number(device, licensed):
    case = licensed.submitted()
    read_card(device, licensed.applicant)
    page = device.post("/kiosk/progress/", {"number": case.number}).content.decode()
    assert "查询结果" in page and case.number in page and "王*" in page
    assert "王芳" not in page
    page = device.post("/kiosk/progress/", {"number": "NO-SUCH"}).content.decode()
    assert "未找到匹配的办件" in page
    assert AuditRecord.objects.filter(kind="hall.terminal.progress_query").count() == 2


def test_progress_without_a_card_needs_the_applicants_id_number(device, licensed):
    case = licensed.submitted()
    page = device.post("/kiosk/progress/", {"number": case.number,
                                            "applicant": licensed.applicant.id_number}).content.decode()
    assert "查询结果" in page and case.number in page
    page = device.post("/kiosk/progress/", {"number": case.number,
                                            "applicant": licensed.stranger.id_number}).content.decode()
    assert "查询结果" not in page and "未找到匹配的办件" in page


def test_a_card_holder_prints_a_copy_of_their_licence(device, licensed):
    licence = licensed.licence()
    read_card(device, licensed.applicant)
    page = device.get("/kiosk/licences/").content.decode()
    assert "食品经营许可证" in page
    copy = device.get(f"/kiosk/licences/{licence.pk}/").content.decode()
    assert licence.identifier in copy and "打印证照" in copy
    assert licensed.applicant.id_number not in copy
    record = AuditRecord.objects.get(kind="hall.terminal.licence_printed")
    assert record.data["identifier"] == licence.identifier and record.subject_id == str(licence.pk)


def test_nobody_prints_someone_elses_licence(device, licensed):
    licence = licensed.licence()
    read_card(device, licensed.stranger)
    assert device.get(f"/kiosk/licences/{licence.pk}/").status_code == 404
    assert not AuditRecord.objects.filter(kind="hall.terminal.licence_printed").exists()


def test_licences_need_a_card_first(device, world):
    answer = device.get("/kiosk/licences/")
    assert answer.status_code == 302 and answer["Location"].startswith("/kiosk/card/?next=")


def test_a_card_holder_without_an_account_has_no_licences(device, world):
    from tests.accounts.factories import make_id_number

    device.post("/kiosk/card/", {"placed": make_id_number(777, dt.date(1990, 5, 5))})
    answer = device.get("/kiosk/licences/")
    assert answer.status_code == 404 and "尚未注册" in answer.content.decode()


def _finished_ticket(device, world, placed: str) -> Ticket:
    """A ticket taken on the terminal with the card ``placed``, then served at the window."""
    device.post("/kiosk/card/", {"placed": placed})
    device.post("/kiosk/ticket/", {"hall_item": world.hall_item.pk})
    ticket = Ticket.objects.get(id_number=placed)
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.DONE, finished_at=timezone.now())
    return ticket


def test_the_rating_asks_for_the_card_first(device, world):
    answer = device.get("/kiosk/rate/")
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/card/?next=/kiosk/rate/"


def test_the_rating_says_when_there_is_nothing_to_rate(device, world):
    read_card(device, world.person)
    answer = device.get("/kiosk/rate/")
    assert answer.status_code == 404 and "暂无可评价的服务" in answer.content.decode()


def test_the_card_holder_rates_their_last_ticket_of_the_day(device, world):
    ticket = _finished_ticket(device, world, world.person.id_number)
    page = device.get("/kiosk/rate/").content.decode()
    assert 'data-rating-hook="terminal"' in page and ticket.number in page and "非常满意" in page
    refused = device.post("/kiosk/rate/", {"level": "5", "text": "等太久"})
    assert refused.status_code == 400 and "差评请选择至少一项差评原因" in refused.content.decode()
    answer = device.post("/kiosk/rate/", {"level": "5", "reasons": ["long_wait"], "text": "等太久"})
    assert answer.status_code == 200 and "感谢您的评价" in answer.content.decode()
    rating = Rating.objects.get()
    assert (rating.ticket, rating.channel, rating.rater, rating.level) == (
        ticket, "terminal", world.person.user, 5)


def test_a_person_without_an_account_rates_on_the_spot(device, world):
    from tests.accounts.factories import make_id_number

    ticket = _finished_ticket(device, world, make_id_number(778, dt.date(1985, 3, 3)))
    assert ticket.user is None
    device.post("/kiosk/rate/", {"level": "2"})
    device.post("/kiosk/rate/", {"level": "1"})
    rating = Rating.objects.get()
    assert (rating.ticket, rating.rater, rating.level, rating.changes.count()) == (ticket, None, 1, 1)


def test_at_lunchtime_the_kiosk_says_the_halls_hours_and_issues_no_ticket(device, world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_MORNING.replace(hour=12, minute=30))
    answer = device.post("/kiosk/ticket/", {"hall_item": world.hall_item.pk})
    page = answer.content.decode()
    assert answer.status_code == 409 and "现在不在办公时间" in page and "13:00" in page
    assert not Ticket.objects.exists()
