"""评价器 (window pad): a terminal bound to one window (``Terminal.window``) that offers the rating
of the ticket just finished there, to the person still standing at the window.

What it offers: the last ticket finished (完成) at its window within ``HALL_PAD_OFFER_MINUTES``
and not rated yet. The rating is 好差评's (``evaluation.services.ratings.rate``, channel 窗口评价器
``hall``), as the ticket's holder: their account when the ticket has one (they may change it in
我的评价), else on the spot without one. A pad rates a ticket once: the second tap of a rated
ticket is refused, so the next person cannot overwrite the last one's rating."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from yiwang.common.errors import Conflict, NotFound, PermissionDenied
from yiwang.common.identifiers import mask_name

# The pad is the hall's device; the rating and its rules are 好差评's (an upward call from the
# hall to evaluation, as the kiosk's 服务评价 makes: a signal could not answer the pad).
from yiwang.evaluation.models import Rating, RatingChannel
from yiwang.evaluation.services import ratings

from ..models import Terminal, Ticket, TicketStatus
from .terminals import record_action


def offer_minutes() -> int:
    return settings.HALL_PAD_OFFER_MINUTES


def _require_pad(terminal: Terminal) -> None:
    if terminal.window_id is None:
        raise PermissionDenied("本终端不是窗口评价器", code="terminal.not_a_pad")


def _finished_here(terminal: Terminal, now: dt.datetime):
    since = now - dt.timedelta(minutes=offer_minutes())
    return Ticket.objects.filter(window_id=terminal.window_id, status=TicketStatus.DONE,
                                 date=timezone.localdate(now), finished_at__gte=since,
                                 finished_at__lte=now)


def _rated():
    return Exists(Rating.objects.filter(ticket=OuterRef("pk")))


def ticket_to_rate(terminal: Terminal, *, now: dt.datetime | None = None) -> Ticket | None:
    """The ticket the pad offers now: the last one finished at its window within the offer time
    and not rated yet; None (the pad says 欢迎光临) otherwise."""
    _require_pad(terminal)
    return (_finished_here(terminal, now or timezone.now()).exclude(_rated())
            .select_related("window", "served_by", "hall_item__item__published_version")
            .order_by("-finished_at", "-pk").first())


def clerk_name(ticket: Ticket) -> str:
    """Who served, as the pad shows it to the hall: the surname, the rest masked."""
    clerk = ticket.served_by
    return mask_name(clerk.get_full_name() or clerk.get_username()) if clerk else ""


def offered_ticket(terminal: Terminal, ticket_id, *, now: dt.datetime | None = None,
                   lock: bool = False) -> Ticket:
    """The ticket ``ticket_id`` (as posted) if the pad may rate it now: finished at its window
    within the offer time (NotFound ``rating.not_offered`` otherwise: another window's, too old,
    not finished) and not rated yet (Conflict ``rating.already_rated``)."""
    _require_pad(terminal)
    ticket_id = str(ticket_id or "")
    found = _finished_here(terminal, now or timezone.now())
    # Locked, the ticket's row makes two taps at once rate it once.
    found = found.select_for_update() if lock else found.select_related(
        "window", "served_by", "hall_item__item__published_version")
    ticket = found.filter(pk=ticket_id).first() if ticket_id.isdigit() and len(ticket_id) < 19 else None
    if ticket is None:
        raise NotFound("该号已不在本窗口的评价时间内", code="rating.not_offered")
    if Rating.objects.filter(ticket=ticket).exists():
        raise Conflict(f"{ticket.number}号已评价，感谢您的参与", code="rating.already_rated")
    return ticket


def rate(terminal: Terminal, ticket_id, *, level, reasons=(), text: str = "",
         now: dt.datetime | None = None) -> Rating:
    """评价 on the pad the ticket it offered (``offered_ticket``'s errors, then those of
    ``ratings.rate``), as the ticket's holder over the channel 窗口评价器 (``hall``)."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = offered_ticket(terminal, ticket_id, now=now, lock=True)
        rating = ratings.rate(ticket.user if ticket.user_id else None,
                              event_key=ratings.ticket_key(ticket), level=level, reasons=reasons,
                              text=text, channel=RatingChannel.HALL, now=now)
        record_action(terminal, "rated", subject=ticket, actor=ticket.user,
                      summary=f"评价器评价 {ticket.number}：{rating.get_level_display()}",
                      data={"ticket": ticket.number, "level": rating.level})
    return rating
