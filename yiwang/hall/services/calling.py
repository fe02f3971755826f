"""Calling (叫号): a window clerk calls the next ticket, recalls it, serves it, finishes, skips
(过号) or transfers (转窗) it; and what the hall's display shows.

States: 等待 → 已叫号 → 办理中 → 完成, or 过号 (no answer after ``hall.max_calls`` calls),
取消, 转窗 (a new ticket in the other queue keeps the arrival time, so the place too). Every action
needs the clerk signed in to the ticket's window (``windows.require_signed_in``), runs in one
transaction that locks the ticket row, and writes an audit record."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.dispatch import Signal
from django.utils import timezone

from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.notify.services import send_sms
from yiwang.supervision import audit

from ..access import hall_roles, has_hall_role
from ..models import (
    Call,
    HallRole,
    Queue,
    Ticket,
    TicketStatus,
    Window,
    WindowSession,
)
from . import tickets as ticket_services
from . import windows

# Sent with ``ticket`` and ``clerk`` inside the transaction that finishes a ticket: the hook of
# 一次一评 (the evaluation app asks for a rating of this service).
ticket_finished = Signal()

# A person with a mobile number is told by SMS once when this many (or fewer) are ahead.
REMIND_AHEAD = 3
# Candidates read per pick where one row must be locked at a time (see ``_pick``).
CANDIDATES = 50
AT_WINDOW = (TicketStatus.CALLED, TicketStatus.SERVING)


def _lock(ticket: Ticket) -> Ticket:
    Ticket.objects.select_for_update().order_by().filter(pk=ticket.pk).values_list("pk").get()
    return Ticket.objects.select_related("hall", "queue", "window").get(pk=ticket.pk)


def _at_clerks_window(clerk, ticket: Ticket, now: dt.datetime, *statuses: str) -> Ticket:
    """The ticket locked, being called or served at a window the clerk is signed in to at
    ``now``."""
    ticket = _lock(ticket)
    if ticket.window_id is None:
        raise Conflict(f"{ticket.number}号尚未被叫号", code="ticket.not_called")
    windows.require_signed_in(clerk, ticket.window, now=now)
    if ticket.status not in statuses:
        raise Conflict(f"{ticket.number}号当前为{ticket.get_status_display()}，不能执行此操作",
                       code="ticket.wrong_state", details={"status": ticket.status})
    return ticket


def _record(kind: str, clerk, ticket: Ticket, label: str, **data) -> None:
    where = f"{ticket.window.number}号窗口" if ticket.window_id else ""
    audit.record(f"hall.ticket_{kind}", actor=clerk, subject=ticket,
                 summary=f"{ticket.hall.name}{where}{label}{ticket.number}",
                 data={"number": ticket.number, "status": ticket.status,
                       "window": ticket.window.number if ticket.window_id else "", **data})


def serving_ticket(clerk, *, now: dt.datetime | None = None) -> Ticket | None:
    """The ticket 已叫号 or 办理中 at the window the clerk is signed in to."""
    session = windows.current_session(clerk, now=now)
    if session is None:
        return None
    return (Ticket.objects.select_related("queue", "hall_item__item__published_version", "appointment",
                                   "window")
            .filter(window=session.window, status__in=AT_WINDOW).order_by("-called_at").first())


def _pick(queue_ids: list[int], day: dt.date, now: dt.datetime) -> Ticket | None:
    """The first waiting ticket in calling order that no other clerk is taking, locked.

    PostgreSQL: one ``SELECT … ORDER BY … LIMIT 1 FOR UPDATE SKIP LOCKED``, which locks only the
    row it returns. InnoDB (MariaDB, MySQL) locks every row a sorted scan reads, so there the
    order is read without locks and the candidates are locked one by one by primary key with
    SKIP LOCKED (a point lock each). A database without SKIP LOCKED (SQLite, older MariaDB)
    serialises the pickers on the queue rows instead; SQLite's single writer does the rest."""
    ranked = ticket_services.waiting_in_order(queue_ids, day, now)
    features = connection.features
    if connection.vendor == "postgresql":
        return ranked.select_for_update(skip_locked=True, of=("self",)).first()
    if features.has_select_for_update_skip_locked:
        for pk in ranked.values_list("pk", flat=True)[:CANDIDATES]:
            ticket = (Ticket.objects.select_for_update(skip_locked=True)
                      .filter(pk=pk, status=TicketStatus.WAITING).first())
            if ticket is not None:
                return ticket
        return None
    list(Queue.objects.select_for_update().filter(pk__in=queue_ids).order_by("pk")
         .values_list("pk", flat=True))
    return ranked.first()


def call_next(clerk, window: Window, *, now: dt.datetime | None = None) -> Ticket | None:
    """叫下一位: call the first waiting ticket of the window's queues in calling order
    (``tickets.waiting_in_order``): booked visitors at their slot time, then priority groups and
    tickets that have waited longer than the ageing time (``settings.HALL_AGEING_MINUTES``), then
    everyone else, each by arrival. None when nobody waits.

    Twenty clerks calling at once never get one ticket twice: the pick locks the ticket row
    (``_pick``), skipping rows another clerk holds. The clerk must be signed in to the window
    (``hall.not_signed_in``) and have finished, skipped or transferred the ticket before
    (``calling.busy``)."""
    now = now or timezone.now()
    with transaction.atomic():
        windows.require_signed_in(clerk, window, now=now)
        busy = Ticket.objects.filter(window=window, status__in=AT_WINDOW).values_list(
            "number", flat=True).first()
        if busy:
            raise Conflict(f"请先办结、过号或转窗当前的{busy}号", code="calling.busy",
                           details={"number": busy})
        queue_ids = list(window.queues.filter(active=True).values_list("pk", flat=True))
        ticket = _pick(queue_ids, timezone.localdate(now), now) if queue_ids else None
        if ticket is None:
            return None
        ticket.status, ticket.window, ticket.served_by = TicketStatus.CALLED, window, clerk
        ticket.called_at, ticket.call_count = now, ticket.call_count + 1
        ticket.save(update_fields=["status", "window", "served_by", "called_at", "call_count"])
        Call.objects.create(hall_id=ticket.hall_id, ticket=ticket, window=window,
                            kind=Call.Kind.CALL, called_by=clerk, at=now)
        ticket.hall = window.hall
        _remind_near(ticket.queue_id, ticket.date, now)
        # Last: the audit head is the one lock every clerk shares, so it is held the shortest.
        _record("called", clerk, ticket, "叫号", call_count=ticket.call_count)
    return ticket


def _remind_near(queue_id: int, day: dt.date, now: dt.datetime) -> None:
    """SMS once to each waiting person with a mobile number who has ``REMIND_AHEAD`` or fewer
    ahead: they may have left the hall for a while.

    A ticket another clerk holds is passed over, never waited for (SKIP LOCKED): that clerk is
    calling it, and waiting here while holding our own ticket's lock would deadlock with them."""
    nearest = ticket_services.waiting_in_order([queue_id], day, now).select_related("hall")
    skip_locked = connection.features.has_select_for_update_skip_locked
    for ahead, ticket in enumerate(nearest[:REMIND_AHEAD + 1]):
        if not ticket.mobile or ticket.reminded_at is not None:
            continue
        free = (Ticket.objects.select_for_update(skip_locked=skip_locked)
                .filter(pk=ticket.pk, reminded_at=None, status=TicketStatus.WAITING))
        if free.values_list("pk", flat=True).first() is None:
            continue
        Ticket.objects.filter(pk=ticket.pk).update(reminded_at=now)
        send_sms(ticket.mobile, f"【一网通办】您在{ticket.hall.name}的{ticket.number}号前面还有"
                                f"{ahead}位，请回到大厅留意叫号。", user=ticket.user)


def recall(clerk, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """重呼: call the same ticket again at the window (counts towards ``hall.max_calls``)."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _at_clerks_window(clerk, ticket, now, TicketStatus.CALLED)
        ticket.call_count += 1
        ticket.save(update_fields=["call_count"])
        Call.objects.create(hall_id=ticket.hall_id, ticket=ticket, window=ticket.window,
                            kind=Call.Kind.RECALL, called_by=clerk, at=now)
        _record("recalled", clerk, ticket, "重呼", call_count=ticket.call_count)
    return ticket


def start(clerk, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """开始办理: the person has come to the window."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _at_clerks_window(clerk, ticket, now, TicketStatus.CALLED)
        ticket.status, ticket.started_at, ticket.served_by = TicketStatus.SERVING, now, clerk
        ticket.save(update_fields=["status", "started_at", "served_by"])
        _record("started", clerk, ticket, "开始办理")
    return ticket


def finish(clerk, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """办结: the service at the window is over (a short consultation may finish straight from
    已叫号). Sends ``ticket_finished`` in the same transaction, for the rating (一次一评)."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _at_clerks_window(clerk, ticket, now, *AT_WINDOW)
        ticket.status, ticket.finished_at, ticket.served_by = TicketStatus.DONE, now, clerk
        ticket.started_at = ticket.started_at or now
        ticket.save(update_fields=["status", "finished_at", "started_at", "served_by"])
        _record("finished", clerk, ticket, "办结")
        ticket_finished.send(sender=Ticket, ticket=ticket, clerk=clerk)
    return ticket


def skip(clerk, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """过号: nobody came. Below ``hall.max_calls`` calls the ticket waits again, keeping its
    arrival but behind the tickets of its tier not yet called; at the limit it is 过号 for good."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _at_clerks_window(clerk, ticket, now, TicketStatus.CALLED)
        missed = ticket.call_count >= ticket.hall.max_calls
        ticket.status = TicketStatus.MISSED if missed else TicketStatus.WAITING
        # Recorded before the window is let go: the record says where nobody answered.
        _record("missed" if missed else "skipped", clerk, ticket, "过号" if missed else "未到，重新排队",
                call_count=ticket.call_count, max_calls=ticket.hall.max_calls)
        if missed:
            ticket.finished_at = now
        else:
            ticket.window, ticket.served_by = None, None
        ticket.save(update_fields=["status", "finished_at", "window", "served_by"])
    return ticket


def transfer(clerk, ticket: Ticket, queue: Queue, *, now: dt.datetime | None = None) -> Ticket:
    """转窗: the person needs another queue of the hall. The ticket ends as 转窗 and a new ticket
    of ``queue`` (a new number) keeps its arrival time, priority group and booking, so the
    person keeps their place in the new queue. Returns the new ticket."""
    now = now or timezone.now()
    with transaction.atomic():
        old = _at_clerks_window(clerk, ticket, now, *AT_WINDOW)
        if queue.hall_id != old.hall_id:
            raise ValidationError("只能转到本大厅的队列", code="ticket.queue_not_in_hall")
        if queue.pk == old.queue_id:
            raise ValidationError("已在该队列中", code="ticket.same_queue")
        if not queue.active:
            raise Conflict(f"{queue.name}队列已停用", code="ticket.queue_inactive")
        old.status, old.finished_at = TicketStatus.TRANSFERRED, now
        old.save(update_fields=["status", "finished_at"])
        same_item = old.hall_item if old.hall_item and old.hall_item.queue_id == queue.pk else None
        new = ticket_services._issue(
            old.hall, queue, now=now, arrived_at=old.arrived_at, channel=old.channel,
            hall_item=same_item, appointment=old.appointment, user=old.user,
            id_number=old.id_number, name=old.name, mobile=old.mobile,
            priority_group=old.priority_group, terminal=old.terminal, issued_by=clerk,
            transferred_from=old)
        _record("transferred", clerk, old, "转窗", to_queue=queue.code, new_number=new.number)
    return new


def cancel(actor, ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """取消: by the ticket's holder, or by a clerk or manager of the hall."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _lock(ticket)
        own = ticket.user_id is not None and ticket.user_id == actor.pk
        if not (own or has_hall_role(actor, ticket.hall, HallRole.CLERK, HallRole.MANAGER)):
            raise PermissionDenied("您无权取消该排队号", code="ticket.cancel_denied")
        if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
            raise Conflict(f"{ticket.number}号当前为{ticket.get_status_display()}，不能取消",
                           code="ticket.wrong_state", details={"status": ticket.status})
        ticket.status, ticket.finished_at = TicketStatus.CANCELLED, now
        ticket.save(update_fields=["status", "finished_at"])
        _record("cancelled", actor, ticket, "取消")
    return ticket


# --- the hall's display (叫号屏) ---------------------------------------------------------------

LAST_CALLS = 8


def board_version(hall_id: int, day: dt.date) -> tuple:
    """What changes whenever the board does: the last call, and the tickets of the day by state.
    One aggregate query, cheap enough to ask several times a second per screen."""
    tickets = Ticket.objects.filter(hall_id=hall_id, date=day).aggregate(
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        at_window=Count("pk", filter=Q(status__in=AT_WINDOW)), total=Count("pk"),
        serving=Count("pk", filter=Q(status=TicketStatus.SERVING)))
    last_call = Call.objects.filter(hall_id=hall_id).aggregate(last=Max("pk"))["last"] or 0
    return (last_call, tickets["total"], tickets["waiting"], tickets["at_window"],
            tickets["serving"])


def display_board(hall, *, now: dt.datetime | None = None) -> dict:
    """叫号屏: the last calls of the day, each active window's current number, and how many wait
    in each queue. Plain JSON-ready values, for the page, the SSE stream and the API alike."""
    day = timezone.localdate(now or timezone.now())
    start_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    calls = (Call.objects.filter(hall=hall, at__gte=start_of_day)
             .select_related("ticket", "window").order_by("-pk")[:LAST_CALLS])
    current = {t.window_id: t for t in Ticket.objects.filter(hall=hall, date=day,
                                                             status__in=AT_WINDOW)}
    open_windows = set(WindowSession.objects.filter(window__hall=hall, ended_at=None)
                       .values_list("window_id", flat=True))
    waiting = dict(Ticket.objects.filter(hall=hall, date=day, status=TicketStatus.WAITING)
                   .values("queue_id").annotate(n=Count("pk")).values_list("queue_id", "n"))
    return {
        "hall": {"id": hall.pk, "name": hall.name},
        "last_call_id": calls[0].pk if calls else 0,
        "calls": [{"id": c.pk, "number": c.ticket.number, "window": c.window.number,
                   "kind": c.kind, "at": timezone.localtime(c.at).strftime("%H:%M:%S")}
                  for c in calls],
        "windows": [{"number": w.number, "name": w.name, "open": w.pk in open_windows,
                     "current": current[w.pk].number if w.pk in current else "",
                     "serving": w.pk in current and current[w.pk].status == TicketStatus.SERVING}
                    for w in Window.objects.filter(hall=hall, active=True).order_by("number")],
        "queues": [{"code": q.code, "name": q.name, "waiting": waiting.get(q.pk, 0)}
                   for q in Queue.objects.filter(hall=hall, active=True)],
    }


def ticket_for_clerk(clerk, ticket_id: int) -> Ticket:
    """A ticket of a hall the clerk works in (any other is "not found")."""
    ticket = (Ticket.objects.select_related("hall", "queue", "window")
              .filter(pk=ticket_id).first())
    if ticket is None or not (hall_roles(clerk, ticket.hall) or WindowSession.objects.filter(
            user=clerk, ended_at=None, window__hall_id=ticket.hall_id).exists()):
        raise NotFound("未找到该排队号", code="ticket.not_found")
    return ticket
