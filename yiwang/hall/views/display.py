"""The hall's calling display (叫号屏) and the visitor's own pages: the ticket page on a phone
and remote queueing (网上取号).

Why Server-Sent Events and not a WebSocket. The screen only listens: calls flow one way, from
the server to the display. SSE is plain HTTP (``text/event-stream``) served by an async Django
view, so it passes the same proxies, TLS, CSP (``connect-src 'self'``) and session rules as every
page, needs no channel layer, no extra protocol server and no JavaScript library (the browser's
``EventSource`` reconnects by itself and resends the last event id, so a screen that lost the
network for a while catches up with one event). A WebSocket would buy the other direction,
which nothing here needs, at the price of a second protocol to deploy and secure.

How an update travels: every call writes a ``Call`` row; the stream asks the database a few
times a second for the hall's board version (``calling.board_version``, one aggregate query) and
sends the whole board when it has changed. Polling the database, not an in-process signal,
because the clerk's request and the display's stream may run in different processes or
machines (DESIGN: no single process). Under ASGI the stream stays open for
``STREAM_SECONDS``; under WSGI (``runserver``, whose response would buffer an endless stream) each
request ends after the first change and ``EventSource`` reconnects at once with
``Last-Event-ID`` — long polling in SSE's clothes, with the same page and the same latency."""

from __future__ import annotations

import asyncio
import json
import time

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError
from yiwang.orgs.models import ServiceHall

from ..models import Channel, HallItem, TicketStatus
from ..services import calling, tickets

POLL_SECONDS = 0.2
STREAM_SECONDS = 600  # then the browser reconnects: no connection lives for ever
LONG_POLL_SECONDS = 25  # WSGI: below the usual 30 s proxy read time-out
KEEP_ALIVE_SECONDS = 15
RETRY_MILLISECONDS = 200


def _version_id(version: tuple) -> str:
    return "-".join(str(part) for part in version)


def display(request, hall_id: int):
    hall = get_object_or_404(ServiceHall, pk=hall_id)
    board = calling.display_board(hall)
    version = _version_id(calling.board_version(hall.pk, timezone.localdate()))
    return render(request, "hall/display/display.html",
                  {"hall": hall, "board": board, "version": version})


async def board_events(request, hall_id: int):
    """The board as Server-Sent Events: one ``board`` event (JSON of ``display_board``) each
    time the board changes, the event id being the board's version."""
    hall = await ServiceHall.objects.filter(pk=hall_id).afirst()
    if hall is None:
        raise Http404("大厅不存在")
    since = request.headers.get("Last-Event-ID") or request.GET.get("since", "")
    streaming = isinstance(request, ASGIRequest)
    response = StreamingHttpResponse(
        _events(hall, since[:100], seconds=STREAM_SECONDS if streaming else LONG_POLL_SECONDS,
                stop_after_first=not streaming),
        content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _event(version: str, board: dict) -> str:
    return f"id: {version}\nevent: board\ndata: {json.dumps(board, ensure_ascii=False)}\n\n"


async def _events(hall, since: str, *, seconds: float, stop_after_first: bool):
    version_of = sync_to_async(calling.board_version)
    board_of = sync_to_async(calling.display_board)
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    started = last_sent = time.monotonic()
    while time.monotonic() - started < seconds:
        version = _version_id(await version_of(hall.pk, timezone.localdate()))
        if version != since:
            since = version
            last_sent = time.monotonic()
            yield _event(version, await board_of(hall))
            if stop_after_first:
                return
        elif time.monotonic() - last_sent > KEEP_ALIVE_SECONDS:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_SECONDS)


# --- the visitor's ticket page and remote queueing -------------------------------------------

def ticket_page(request, access_key: str):
    try:
        ticket = tickets.ticket_by_key(access_key)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    context = {"ticket": ticket, "place": tickets.position(ticket),
               "done": ticket.status == TicketStatus.DONE}
    template = "hall/display/_ticket_status.html" if request.headers.get("HX-Request") else \
        "hall/display/ticket.html"
    return render(request, template, context)


@login_required
def remote_queue(request, hall_id: int):
    hall = get_object_or_404(ServiceHall, pk=hall_id)
    items = (HallItem.objects.filter(hall=hall, active=True, queue__active=True)
             .select_related("item__published_version", "queue")
             .order_by("queue__order", "queue__code", "item__published_version__name"))
    waiting = calling.display_board(hall)["queues"]
    return render(request, "hall/display/remote.html", {
        "hall": hall, "items": items, "waiting": waiting,
        "mine": tickets.open_tickets_of(request.user).filter(hall=hall)})


@login_required
@require_POST
def remote_take(request, hall_id: int):
    hall = get_object_or_404(ServiceHall, pk=hall_id)
    chosen = request.POST.get("hall_item", "")
    hall_item = (HallItem.objects.filter(hall=hall, pk=int(chosen)).first()
                 if chosen.isdigit() and len(chosen) < 19 else None)
    if hall_item is None:
        messages.error(request, "请选择要办理的事项")
        return redirect("hall_public:remote-queue", hall_id=hall.pk)
    try:
        ticket = tickets.take_remote_ticket(request.user, hall_item, channel=Channel.PC)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("hall_public:remote-queue", hall_id=hall.pk)
    messages.success(request, f"取号成功：{ticket.number}")
    return redirect("hall_public:ticket", access_key=ticket.access_key)


public_urlpatterns = [
    path("hall/<int:hall_id>/display/", display, name="display"),
    path("hall/<int:hall_id>/display/events/", board_events, name="display-events"),
    path("hall/<int:hall_id>/queue/", remote_queue, name="remote-queue"),
    path("hall/<int:hall_id>/queue/take/", remote_take, name="remote-take"),
    path("hall/tickets/<str:access_key>/", ticket_page, name="ticket"),
]
