"""Queue tickets (排队取号): taking a ticket, the order a queue is called in, a ticket's place.

A ticket is taken at a terminal, at a window by a clerk, online (remote queueing, when the hall
allows it) or when a booking is checked in. Its number is the queue's letter and the day's
sequence of that queue (A001, A002 …), from ``TicketCounter``: one upsert takes the counter row's
exclusive lock and holds it to commit, so concurrent takers never share a number, and the same
lock serialises the "one open ticket per person per queue" check of that queue.

The calling order (``waiting_in_order``) is the one ``calling.call_next`` follows; it lives here
because a ticket's place (``position``) is read from it too."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from stdnum.cn import ric

from yiwang.accounts.services import citizen_of
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_id, mask_phone, validate_resident_id
from yiwang.supervision import audit

from ..models import (
    OPEN_TICKET_STATUSES,
    Appointment,
    Channel,
    HallItem,
    PriorityGroup,
    Queue,
    Ticket,
    TicketCounter,
    TicketStatus,
    WindowSession,
)
from . import hours, windows

# Channels a person uses away from the hall: a ticket taken there is 远程取号.
REMOTE_CHANNELS = (Channel.PC, Channel.MOBILE, Channel.API)
ACCESS_KEY_BYTES = 16
# Tiers of the calling order (``waiting_in_order``).
TIER_BOOKED, TIER_PRIORITY, TIER_ORDINARY = 0, 1, 2


@dataclass(frozen=True)
class TicketPosition:
    """How many are called before this ticket, and about how long that takes."""

    ahead: int
    estimated_minutes: int


def elderly_by_id(id_number: str, today: dt.date) -> bool:
    """适老化: 65 or older (``settings.HALL_ELDERLY_AGE``) by the ID number's birth date."""
    born = ric.get_birth_date(id_number)
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age >= settings.HALL_ELDERLY_AGE


def _next_sequence(queue: Queue, day: dt.date) -> int:
    """The next sequence of ``queue`` on ``day``. One upsert creates or increments the counter
    and holds its row lock to commit (see ``cases.services._base.next_number`` for why not an
    UPDATE-then-INSERT)."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    upsert = {"mysql": "ON DUPLICATE KEY UPDATE value = value + 1"}.get(
        connection.vendor, f"ON CONFLICT (queue_id, date) DO UPDATE SET value = {table}.value + 1")
    with connection.cursor() as cursor:
        # The table name is quoted by the backend; the values are bound.
        cursor.execute(f"INSERT INTO {table} (queue_id, date, value) VALUES (%s, %s, 1) {upsert}",  # noqa: S608
                       [queue.pk, day])
        cursor.execute(f"SELECT value FROM {table} WHERE queue_id = %s AND date = %s",  # noqa: S608
                       [queue.pk, day])
        return cursor.fetchone()[0]


def _format_number(queue: Queue, sequence: int) -> str:
    return f"{queue.code}{sequence:03d}"


def _resolve_queue(hall, hall_item: HallItem | None, queue: Queue | None) -> Queue:
    if hall_item is not None and hall_item.hall_id != hall.pk:
        raise ValidationError("该事项未进驻本大厅", code="ticket.item_not_in_hall")
    if queue is None:
        if hall_item is None:
            raise ValidationError("请选择办理的事项或队列", code="ticket.queue_required")
        queue = hall_item.queue
    if queue.hall_id != hall.pk:
        raise ValidationError("该队列不属于本大厅", code="ticket.queue_not_in_hall")
    if not queue.active:
        raise Conflict(f"{queue.name}队列已停用", code="ticket.queue_inactive")
    return queue


def _priority(priority_group: str, id_number: str, today: dt.date) -> str:
    if priority_group:
        if priority_group not in PriorityGroup.values:
            raise ValidationError("优先群体无效", code="ticket.bad_priority_group")
        return priority_group
    if id_number and elderly_by_id(id_number, today):
        return PriorityGroup.ELDERLY
    return PriorityGroup.NONE


def _require_no_open_ticket(queue: Queue, day: dt.date, *, user, id_number: str) -> None:
    """One open ticket per person per queue; the caller holds the counter lock of the queue."""
    person = Q()
    if user is not None:
        person |= Q(user=user)
    if id_number:
        person |= Q(id_number=id_number)
    if not person:
        return
    held = (Ticket.objects.filter(person, queue=queue, date=day, status__in=OPEN_TICKET_STATUSES)
            .values_list("number", flat=True).first())
    if held:
        raise Conflict(f"您已取得{queue.name}的号码{held}，请等候叫号", code="ticket.duplicate",
                       details={"number": held})


def _issue(hall, queue: Queue, *, now: dt.datetime, arrived_at: dt.datetime, **fields) -> Ticket:
    """Number and save a ticket in the caller's transaction."""
    day = timezone.localdate(now)
    sequence = _next_sequence(queue, day)
    _require_no_open_ticket(queue, day, user=fields.get("user"), id_number=fields.get("id_number", ""))
    return Ticket.objects.create(
        hall=hall, queue=queue, date=day, sequence=sequence, number=_format_number(queue, sequence),
        access_key=secrets.token_urlsafe(ACCESS_KEY_BYTES), arrived_at=arrived_at, taken_at=now,
        **fields)


def take_ticket(hall, *, channel: str, hall_item: HallItem | None = None, queue: Queue | None = None,
                appointment: Appointment | None = None, user=None, id_number: str = "",
                name: str = "", mobile: str = "", priority_group: str = "", terminal=None,
                issued_by=None, now: dt.datetime | None = None) -> Ticket:
    """取号: a ticket of ``queue`` (or of ``hall_item``'s queue) at ``hall``.

    The hall must be open (``hall.closed``); a ticket taken away from the hall (PC, mobile, API)
    without a booking needs ``hall.remote_queueing`` (``ticket.remote_not_allowed``); a person
    holds at most one open ticket per queue (``ticket.duplicate``). The elderly priority group
    follows from the ID number's birth date unless a group is given (a clerk's choice)."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise ValidationError("取号渠道无效", code="ticket.bad_channel")
    if appointment is not None:
        hall_item = hall_item or appointment.hall_item
        user = user or appointment.user
    queue = _resolve_queue(hall, hall_item, queue)
    if channel in REMOTE_CHANNELS and appointment is None and not hall.remote_queueing:
        raise Conflict(f"{hall.name}未开通网上取号，请到大厅取号", code="ticket.remote_not_allowed")
    hours.require_open(hall, now)
    id_number = validate_resident_id(id_number) if id_number else ""
    mobile = (mobile or "").strip()
    if mobile and not (len(mobile) == 11 and mobile.isdigit()):
        raise ValidationError("手机号应为11位数字", code="ticket.bad_mobile")
    priority = _priority(priority_group, id_number, timezone.localdate(now))
    with transaction.atomic():
        ticket = _issue(hall, queue, now=now, arrived_at=now, channel=channel, hall_item=hall_item,
                        appointment=appointment, user=user, id_number=id_number,
                        name=(name or "").strip()[:50], mobile=mobile, priority_group=priority,
                        terminal=terminal, issued_by=issued_by)
        audit.record("hall.ticket_taken", actor=issued_by or user, subject=ticket,
                     summary=f"{hall.name}取号{ticket.number}",
                     data={"number": ticket.number, "queue": queue.code, "channel": channel,
                           "priority_group": priority, "appointment": appointment.code
                           if appointment else "", "terminal": terminal.code if terminal else "",
                           "id_number": mask_id(id_number) if id_number else "",
                           "mobile": mask_phone(mobile) if mobile else ""})
    return ticket


def ticket_by_key(access_key: str) -> Ticket:
    """The ticket behind the link on the citizen's phone (``Ticket.access_key``)."""
    ticket = (Ticket.objects.select_related("hall", "queue").filter(access_key=access_key or "")
              .first())
    if ticket is None:
        raise NotFound("未找到该排队号", code="ticket.not_found")
    return ticket


def waiting_in_order(queue_ids, day: dt.date, now: dt.datetime) -> QuerySet[Ticket]:
    """The waiting tickets of ``queue_ids`` on ``day`` in calling order (叫号顺序):

    1. booked visitors whose slot has begun (预约到时), by slot start;
    2. priority groups (老年人、残疾人、孕妇 …) and every ticket that has waited longer than
       ``settings.HALL_AGEING_MINUTES`` (ageing: waiting raises priority);
    3. everyone else.

    Within a tier, a ticket that did not answer a call (``call_count``) comes after those not yet
    called, then arrival order (``arrived_at``, which a transfer keeps), then the number. So an
    ordinary ticket is overtaken only by tickets that arrived before it, booked visitors at their
    slot, and priority tickets until it has waited the ageing time: nobody waits for ever."""
    aged = now - dt.timedelta(minutes=settings.HALL_AGEING_MINUTES)
    slot_begun = Appointment.objects.filter(date=day, start__lte=timezone.localtime(now).time())
    tier = Case(
        When(appointment_id__in=slot_begun.values("pk"), then=Value(TIER_BOOKED)),
        When(Q(arrived_at__lte=aged) | ~Q(priority_group=""), then=Value(TIER_PRIORITY)),
        default=Value(TIER_ORDINARY), output_field=IntegerField())
    return (Ticket.objects.filter(queue_id__in=queue_ids, date=day, status=TicketStatus.WAITING)
            .annotate(tier=tier).order_by("tier", "call_count", "arrived_at", "sequence", "pk"))


def average_minutes(queue: Queue) -> int:
    """How long one ticket of the queue takes at the counter: the stationed items' average."""
    minutes = HallItem.objects.filter(queue=queue, active=True).aggregate(m=Avg("average_minutes"))["m"]
    return max(1, round(minutes or HallItem._meta.get_field("average_minutes").default))


def serving_windows(queue: Queue) -> int:
    return (WindowSession.objects.filter(window__queues=queue, window__active=True, ended_at=None)
            .values("window_id").distinct().count())


def position(ticket: Ticket, *, now: dt.datetime | None = None) -> TicketPosition:
    """排队进度: the waiting tickets of the same queue called before this one, and the estimated
    wait = ahead × the queue's average minutes ÷ the windows open for it (at least one)."""
    if ticket.status != TicketStatus.WAITING:
        return TicketPosition(ahead=0, estimated_minutes=0)
    order = list(waiting_in_order([ticket.queue_id], ticket.date, now or timezone.now())
                 .values_list("pk", flat=True))
    ahead = order.index(ticket.pk) if ticket.pk in order else len(order)
    windows = max(1, serving_windows(ticket.queue))
    return TicketPosition(ahead=ahead,
                          estimated_minutes=math.ceil(ahead * average_minutes(ticket.queue) / windows))


def take_remote_ticket(user, hall_item: HallItem, *, channel: str = Channel.MOBILE,
                       now: dt.datetime | None = None) -> Ticket:
    """远程取号: a signed-in citizen queues online for a stationed item, where the hall allows
    it. The ticket carries the account's name, ID number (so the elderly group applies) and
    mobile (for the reminder SMS)."""
    person = citizen_of(user)
    if person is None:
        raise PermissionDenied("请使用个人实名账号登录后取号", code="ticket.citizen_required")
    if not hall_item.active:
        raise Conflict("该事项暂不在本大厅办理", code="ticket.item_inactive")
    return take_ticket(hall_item.hall, channel=channel, hall_item=hall_item, user=user,
                       id_number=person.id_number, name=person.name, mobile=person.mobile, now=now)


def issue_ticket(clerk, queue: Queue, *, id_number: str = "", name: str = "",
                 priority_group: str = "", now: dt.datetime | None = None) -> Ticket:
    """代取号: a clerk signed in to a window of ``queue``'s hall takes a ticket for a visitor
    (an ID number and name if the visitor gives them; none for a 咨询). The clerk may put the
    visitor in a priority group they see (残疾人、孕妇 …); without one, the ID number's birth date
    decides the elderly group as at a terminal."""
    session = windows.current_session(clerk, now=now)
    if session is None or session.window.hall_id != queue.hall_id:
        raise PermissionDenied("请先签入本大厅的窗口再代取号", code="hall.not_signed_in")
    if not queue.active:
        raise Conflict(f"队列 {queue} 已停用", code="ticket.queue_inactive")
    return take_ticket(session.window.hall, channel=Channel.WINDOW, queue=queue,
                       id_number=(id_number or "").strip().upper(), name=name,
                       priority_group=priority_group, issued_by=clerk, now=now)


def open_tickets_of(user):
    """The signed-in person's tickets still in the queue today and later, newest first."""
    return (Ticket.objects.filter(user=user, status__in=OPEN_TICKET_STATUSES,
                                  date__gte=timezone.localdate())
            .select_related("hall", "queue").order_by("-taken_at"))
