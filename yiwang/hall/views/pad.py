"""评价器 (window pad): the touch screen on a window's counter. Idle it says 欢迎光临 · 窗口 N and
asks the server every few seconds (htmx) whether a ticket was finished at its window; then it
offers that ticket's rating with five big buttons. 不满意 and 非常不满意 ask for the standard 差评
reasons and a text (the evaluation's form); the thanks screen returns to idle by itself. The rules
are ``services.pads``; the device's activation and re-check are ``device``'s."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError
from yiwang.evaluation import rating_views
from yiwang.evaluation.models import BAD_LEVELS, Level

from ..services import pads
from .device import device_view

POLL_SECONDS = 4
RETURN_SECONDS = 6  # the thanks screen, before the pad is idle again
DETAIL_IDLE_SECONDS = 90  # a 差评 form left alone goes back to idle
# What the pad shows on its own screen, not the portal's notices: the refusals of a tap.
NOTICES = ("rating.already_rated", "rating.not_offered", "rating.window_closed",
           "rating.not_rateable", "rating.not_yours")


def _render(request, template: str, context: dict | None = None, status: int = 200):
    context = {"terminal": request.terminal, "window": request.terminal.window,
               "poll_seconds": POLL_SECONDS, "return_seconds": RETURN_SECONDS,
               "idle_seconds": DETAIL_IDLE_SECONDS, **(context or {})}
    return render(request, f"hall/pad/{template}", context, status=status)


def _offer(ticket) -> dict:
    return {"ticket": ticket, "clerk": pads.clerk_name(ticket) if ticket else "",
            "levels": Level.choices}


@device_view(pad=True)
def pad(request):
    """The pad's screen; htmx's poll (``?showing=`` the ticket on screen) gets the screen again
    only when what it should show changed (else 204, nothing swapped)."""
    ticket = pads.ticket_to_rate(request.terminal)
    if request.headers.get("HX-Request"):
        if request.GET.get("showing") == str(ticket.pk if ticket else 0):
            return HttpResponse(status=204)
        return _render(request, "_screen.html", _offer(ticket))
    return _render(request, "page.html", _offer(ticket))


def _detail(request, ticket, values: dict, error=None):
    status = error.status if error else 200
    return _render(request, "detail.html", {**_offer(ticket), **rating_views.form_context(
        values=values), "error": error}, status=status)


@require_POST
@device_view(pad=True)
def rate(request):
    """A tap on a level: the rating of a good one at once; a bad one first asks for the reasons
    and the text (``detail``), then rates."""
    values = rating_views.form_values(request)
    ticket_id = request.POST.get("ticket", "")
    try:
        ticket = pads.offered_ticket(request.terminal, ticket_id)
    except DomainError as exc:
        return _render(request, "done.html", {"error": exc}, status=exc.status)
    if values["level"] in {str(level) for level in BAD_LEVELS} and not request.POST.get("detail"):
        return _detail(request, ticket, values)
    try:
        rating = pads.rate(request.terminal, ticket_id, **values)
    except DomainError as exc:
        if exc.code in NOTICES:
            return _render(request, "done.html", {"error": exc}, status=exc.status)
        return _detail(request, ticket, values, exc)
    return _render(request, "done.html", {"rating": rating, "ticket": rating.ticket})


public_urlpatterns = [
    path("hall/pad/", pad, name="pad"),
    path("hall/pad/rate/", rate, name="pad-rate"),
]
