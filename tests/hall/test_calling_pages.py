"""The 叫号台, the display's page and event stream, the ticket page, remote queueing, and the
tickets API."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncRequestFactory
from django.utils import timezone

from tests.accounts.factories import citizen
from tests.factories import DepartmentFactory
from tests.hall.calling_world import HallWorld, sign_in_today, waiting_today
from tests.portal.factories import publish_item
from yiwang.hall.models import Call, Ticket, TicketStatus
from yiwang.hall.services import calling, hours
from yiwang.hall.views import display

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return HallWorld()


def page_text(response) -> str:
    return response.content.decode()


# --- 叫号台 -----------------------------------------------------------------------------------

def test_the_desk_asks_to_sign_in_first(client, world):
    client.force_login(world.clerk)
    response = client.get("/workbench/hall/calling/")
    assert response.status_code == 200 and "您没有签入窗口" in page_text(response)
    response = client.post("/workbench/hall/calling/call/", follow=True)
    assert "您没有签入窗口" in page_text(response)


def test_the_desk_calls_serves_and_finishes(client, world):
    sign_in_today(world.clerk, world.window)
    waiting_today(world, 2)
    client.force_login(world.clerk)
    page = page_text(client.get("/workbench/hall/calling/"))
    assert "1号窗口" in page and "叫下一位" in page and 'data-waiting="A">2<' in page
    page = page_text(client.post("/workbench/hall/calling/call/", follow=True))
    assert "已叫号 A001" in page and 'data-current>A001<' in page
    ticket = Ticket.objects.get(number="A001")
    page = page_text(client.post("/workbench/hall/calling/recall/", {"ticket": ticket.pk}, follow=True))
    assert "已重呼 A001（第 2 次）" in page
    client.post("/workbench/hall/calling/start/", {"ticket": ticket.pk})
    page = page_text(client.post("/workbench/hall/calling/finish/", {"ticket": ticket.pk}, follow=True))
    assert "A001 已办结" in page and "评价" in page
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE and ticket.served_by == world.clerk


def test_the_desk_skips_and_transfers(client, world):
    sign_in_today(world.clerk, world.window)
    waiting_today(world, 2)
    client.force_login(world.clerk)
    client.post("/workbench/hall/calling/call/")
    first = Ticket.objects.get(number="A001")
    page = page_text(client.post("/workbench/hall/calling/skip/", {"ticket": first.pk}, follow=True))
    assert "A001 未到，已重新排队" in page
    client.post("/workbench/hall/calling/call/")
    second = Ticket.objects.get(status=TicketStatus.CALLED)
    assert second.number == "A002"
    page = page_text(client.post("/workbench/hall/calling/transfer/",
                                 {"ticket": second.pk, "queue": world.queue_b.pk}, follow=True))
    assert "A002 已转到社会事务，新号码 B001" in page


def test_the_desk_shows_a_refusal_and_hides_other_halls_tickets(client, world):
    other = HallWorld(windows=1, name="另一政务服务中心", prefix="other")
    sign_in_today(world.clerk, world.window)
    sign_in_today(other.clerk, other.window)
    waiting_today(other, 1)
    calling.call_next(other.clerk, other.window)
    theirs = Ticket.objects.get(hall=other.hall)
    client.force_login(world.clerk)
    page = page_text(client.post("/workbench/hall/calling/finish/", {"ticket": theirs.pk}, follow=True))
    assert "未找到该排队号" in page
    assert Ticket.objects.get(pk=theirs.pk).status == TicketStatus.CALLED
    # Busy: a second call before finishing is refused with the service's message.
    waiting_today(world, 2)
    client.post("/workbench/hall/calling/call/")
    page = page_text(client.post("/workbench/hall/calling/call/", follow=True))
    assert "请先办结、过号或转窗当前的A001号" in page


# --- the display ---------------------------------------------------------------------------------

def test_the_display_page_shows_the_board(client, world):
    sign_in_today(world.clerk, world.window)
    waiting_today(world, 3)
    calling.call_next(world.clerk, world.window)
    page = page_text(client.get(f"/hall/{world.hall.pk}/display/"))
    assert ('请 <strong class="latest-number">A001</strong> 号到 '
            '<strong class="latest-window">1</strong> 号窗口') in page
    assert "等候 2 人" in page and "hall/chime.wav" in page and "display/events/?since=" in page
    assert client.get("/hall/999999/display/").status_code == 404


def _read_events(hall_id: int, clerk, window, *, since: str = ""):
    """Open the stream as an ASGI request, read the first board, make a call, read the next."""

    async def scenario():
        request = AsyncRequestFactory().get(f"/hall/{hall_id}/display/events/?since={since}")
        response = await display.board_events(request, hall_id)
        assert response["Content-Type"].startswith("text/event-stream")
        stream = aiter(response.streaming_content)
        assert (await anext(stream)).startswith(b"retry: ")
        before = await asyncio.wait_for(anext(stream), 10)
        ticket = await sync_to_async(calling.call_next)(clerk, window)
        after = await asyncio.wait_for(anext(stream), 10)
        await stream.aclose()
        return before.decode(), ticket, after.decode()

    return async_to_sync(scenario)()


def _board(event: str) -> dict:
    fields = dict(line.split(": ", 1) for line in event.strip().splitlines())
    assert fields["event"] == "board"
    return json.loads(fields["data"])


def test_the_display_stream_sends_an_event_after_a_call(world):
    sign_in_today(world.clerk, world.window)
    waiting_today(world, 2)
    before, ticket, after = _read_events(world.hall.pk, world.clerk, world.window)
    assert _board(before)["calls"] == [] and _board(before)["queues"][0]["waiting"] == 2
    board = _board(after)
    assert board["calls"][0]["number"] == ticket.number == "A001"
    assert board["calls"][0]["window"] == "1"
    assert board["last_call_id"] == Call.objects.get().pk
    assert board["windows"][0] == {"number": "1", "name": "综合受理1", "open": True,
                                   "current": "A001", "serving": False}
    assert board["queues"][0]["waiting"] == 1


def test_the_stream_sends_nothing_while_the_board_is_as_the_screen_has_it(world):
    sign_in_today(world.clerk, world.window)
    waiting_today(world, 2)
    version = "-".join(str(v) for v in calling.board_version(world.hall.pk, timezone.localdate()))
    _, ticket, event = _read_events_after(world, version)
    assert _board(event)["calls"][0]["number"] == ticket.number


def _read_events_after(world, version: str):
    async def scenario():
        request = AsyncRequestFactory().get(f"/hall/{world.hall.pk}/display/events/",
                                            headers={"Last-Event-ID": version})
        response = await display.board_events(request, world.hall.pk)
        stream = aiter(response.streaming_content)
        await anext(stream)  # retry
        # The screen is current: the first event is the one the call causes.
        pending = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(display.POLL_SECONDS * 3)
        assert not pending.done()
        ticket = await sync_to_async(calling.call_next)(world.clerk, world.window)
        event = await asyncio.wait_for(pending, 10)
        await stream.aclose()
        return None, ticket, event.decode()

    return async_to_sync(scenario)()


# --- the visitor's pages ---------------------------------------------------------------------------

def test_the_ticket_page_shows_the_place_and_refreshes(client, world):
    sign_in_today(world.clerk, world.window)
    tickets = waiting_today(world, 3)
    page = page_text(client.get(f"/hall/tickets/{tickets[2].access_key}/"))
    assert "A003" in page and "<strong data-ahead>2</strong> 位" in page and "约 30 分钟" in page
    assert 'hx-trigger="every 10s"' in page
    fragment = page_text(client.get(f"/hall/tickets/{tickets[2].access_key}/", HTTP_HX_REQUEST="true"))
    assert fragment.lstrip().startswith('<div class="ticket-status"') and "<html" not in fragment
    calling.call_next(world.clerk, world.window)
    page = page_text(client.get(f"/hall/tickets/{tickets[0].access_key}/"))
    assert "请到 <strong>1</strong> 号窗口办理" in page
    assert client.get("/hall/tickets/no-such-key/").status_code == 404


def test_remote_queueing_page(client, world, monkeypatch):
    monkeypatch.setattr(hours, "is_open", lambda hall, at: True)  # the clock of the test run
    department = DepartmentFactory(region=world.hall.region)
    hall_item = world.stationed(publish_item(department))
    person = citizen("张伟")
    client.force_login(person.user)
    page = page_text(client.get(f"/hall/{world.hall.pk}/queue/"))
    assert "本大厅未开通网上取号" in page
    world.hall.remote_queueing = True
    world.hall.save()
    page = page_text(client.get(f"/hall/{world.hall.pk}/queue/"))
    assert hall_item.item.published_version.name in page
    response = client.post(f"/hall/{world.hall.pk}/queue/take/", {"hall_item": hall_item.pk})
    ticket = Ticket.objects.get(user=person.user)
    assert response.status_code == 302 and response["Location"] == f"/hall/tickets/{ticket.access_key}/"
    assert (ticket.number, ticket.name, ticket.id_number) == ("A001", "张伟", person.id_number)
    page = page_text(client.post(f"/hall/{world.hall.pk}/queue/take/", {"hall_item": hall_item.pk},
                                 follow=True))
    assert "您已取得企业开办与经营的号码A001" in page and "我的排队号" in page
    staff_only = page_text(client.post(f"/hall/{world.hall.pk}/queue/take/", {"hall_item": "x"},
                                       follow=True))
    assert "请选择要办理的事项" in staff_only


def test_remote_queueing_needs_a_log_in(client, world):
    response = client.get(f"/hall/{world.hall.pk}/queue/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the API ---------------------------------------------------------------------------------------

def test_the_display_feed_and_the_ticket_place_as_json(client, world):
    sign_in_today(world.clerk, world.window)
    tickets = waiting_today(world, 2)
    calling.call_next(world.clerk, world.window)
    board = client.get(f"/api/hall/tickets/display/{world.hall.pk}").json()
    assert board["calls"][0]["number"] == "A001" and board["queues"][0]["waiting"] == 1
    place = client.get(f"/api/hall/tickets/by-key/{tickets[1].access_key}").json()
    assert (place["number"], place["ahead"], place["status"]) == ("A002", 0, "waiting")
    missing = client.get("/api/hall/tickets/by-key/nothing")
    assert missing.status_code == 404 and missing.json()["code"] == "ticket.not_found"


def test_calling_through_the_api(client, world):
    waiting_today(world, 2)
    client.force_login(world.clerk)
    refused = client.post("/api/hall/tickets/call-next", {"window": world.window.pk},
                          content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "hall.not_signed_in"
    sign_in_today(world.clerk, world.window)
    called = client.post("/api/hall/tickets/call-next", {"window": world.window.pk},
                         content_type="application/json").json()["ticket"]
    assert called["number"] == "A001" and called["status"] == "called"
    assert client.get("/api/hall/tickets/current").json()["ticket"]["id"] == called["id"]
    busy = client.post("/api/hall/tickets/call-next", {"window": world.window.pk},
                       content_type="application/json")
    assert busy.status_code == 409 and busy.json()["code"] == "calling.busy"
    assert client.post(f"/api/hall/tickets/{called['id']}/start").json()["status"] == "serving"
    done = client.post(f"/api/hall/tickets/{called['id']}/finish").json()
    assert done["status"] == "done"
    again = client.post(f"/api/hall/tickets/{called['id']}/finish")
    assert again.status_code == 409 and again.json()["code"] == "ticket.wrong_state"


def test_a_clerk_of_another_hall_gets_404_for_our_tickets(client, world):
    other = HallWorld(windows=1, name="另一政务服务中心", prefix="other")
    sign_in_today(world.clerk, world.window)
    waiting_today(world, 1)
    ticket = calling.call_next(world.clerk, world.window)
    sign_in_today(other.clerk, other.window)
    client.force_login(other.clerk)
    for action in ("recall", "start", "finish", "skip", "cancel"):
        answer = client.post(f"/api/hall/tickets/{ticket.pk}/{action}")
        assert answer.status_code == 404, action
    assert client.post("/api/hall/tickets/call-next", {"window": world.window.pk},
                       content_type="application/json").status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.CALLED
