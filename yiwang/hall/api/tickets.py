"""Queue tickets API (/api/hall/tickets): the display feed for hall screens, a ticket's place
for the visitor's phone, remote queueing for signed-in citizens, and the window clerk's calling
(叫下一位, 重呼, 开始办理, 办结, 过号, 转窗, 取消). Taking a ticket at a terminal is the terminals
API's. Each operation calls one service of ``hall.services.tickets`` or ``calling``; a ticket
of a hall the clerk does not work in does not exist for them (404), a window they are not signed
in to is 403, a ticket in the wrong state 409."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.security import django_auth

from yiwang.common.errors import NotFound, PermissionDenied
from yiwang.common.identifiers import mask_name
from yiwang.common.schemas import Id
from yiwang.orgs.models import ServiceHall
from yiwang.orgs.services import is_staff_member

from ..models import Channel, HallItem, Queue, Ticket, Window
from ..services import calling, tickets

router = Router(tags=["政务大厅"])


class HallBoardCall(Schema):
    id: int
    number: str
    window: str
    kind: str
    at: str


class HallBoardWindow(Schema):
    number: str
    name: str
    open: bool
    current: str
    serving: bool


class HallBoardQueue(Schema):
    code: str
    name: str
    waiting: int


class HallBoardHall(Schema):
    id: int
    name: str


class HallBoardOut(Schema):
    """叫号屏: the last calls (newest first), each window's current number, waiting counts."""

    hall: HallBoardHall
    last_call_id: int
    calls: list[HallBoardCall]
    windows: list[HallBoardWindow]
    queues: list[HallBoardQueue]


class HallTicketPlaceOut(Schema):
    number: str
    status: str
    status_label: str
    hall: str
    queue: str
    window: str
    ahead: int
    estimated_minutes: int


class HallClerkTicketOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    queue: str
    window: str
    priority_group: str
    call_count: int
    booked: bool
    name: str


class HallCallAnswer(Schema):
    """The ticket called, or null when nobody waits."""

    ticket: HallClerkTicketOut | None


class HallCallIn(Schema):
    window: Id


class HallTransferIn(Schema):
    queue: Id


class HallRemoteTicketIn(Schema):
    hall_item: Id


class HallRemoteTicketOut(Schema):
    number: str
    access_key: str
    hall: str
    queue: str
    ahead: int
    estimated_minutes: int


def _clerk(request):
    """A staff member's session must have passed the second factor (the middleware asks it only
    under /api/staff/)."""
    if is_staff_member(request.user) and not request.user.is_verified():
        raise PermissionDenied("请先完成动态口令验证", code="auth.second_factor_required")
    return request.user


def clerk_ticket_out(ticket: Ticket) -> dict:
    return {"id": ticket.pk, "number": ticket.number, "status": ticket.status,
            "status_label": ticket.get_status_display(), "queue": ticket.queue.code,
            "window": ticket.window.number if ticket.window_id else "",
            "priority_group": ticket.priority_group, "call_count": ticket.call_count,
            "booked": ticket.appointment_id is not None, "name": mask_name(ticket.name)}


def place_out(ticket: Ticket) -> dict:
    place = tickets.position(ticket)
    return {"number": ticket.number, "status": ticket.status,
            "status_label": ticket.get_status_display(), "hall": ticket.hall.name,
            "queue": ticket.queue.name, "window": ticket.window.number if ticket.window_id else "",
            "ahead": place.ahead, "estimated_minutes": place.estimated_minutes}


@router.get("/display/{hall_id}", response=HallBoardOut,
            summary="叫号屏数据（最近叫号、各窗口当前号、等候人数）")
def display_feed(request, hall_id: Id):
    hall = ServiceHall.objects.filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("大厅不存在", code="hall.not_found")
    return calling.display_board(hall)


@router.get("/by-key/{access_key}", response=HallTicketPlaceOut, summary="排队进度（前面还有几位、预计等候）")
def ticket_place(request, access_key: str):
    return place_out(tickets.ticket_by_key(access_key))


@router.post("/remote", response=HallRemoteTicketOut, auth=django_auth,
             summary="网上取号（大厅开通远程取号时，实名市民）")
def remote_ticket(request, data: HallRemoteTicketIn):
    hall_item = HallItem.objects.select_related("hall", "queue").filter(pk=data.hall_item).first()
    if hall_item is None:
        raise NotFound("该事项未进驻大厅", code="hall.item_not_found")
    ticket = tickets.take_remote_ticket(request.user, hall_item, channel=Channel.API)
    place = tickets.position(ticket)
    return {"number": ticket.number, "access_key": ticket.access_key, "hall": ticket.hall.name,
            "queue": ticket.queue.name, "ahead": place.ahead,
            "estimated_minutes": place.estimated_minutes}


@router.get("/current", response=HallCallAnswer, auth=django_auth, summary="本窗口当前的号（窗口人员）")
def current_ticket(request):
    ticket = calling.serving_ticket(_clerk(request))
    return {"ticket": clerk_ticket_out(ticket) if ticket else None}


@router.post("/call-next", response=HallCallAnswer, auth=django_auth, summary="叫下一位（窗口人员）")
def call_next(request, data: HallCallIn):
    clerk = _clerk(request)
    window = Window.objects.select_related("hall").filter(pk=data.window).first()
    if window is None:
        raise NotFound("窗口不存在", code="hall.window_not_found")
    ticket = calling.call_next(clerk, window)
    return {"ticket": clerk_ticket_out(ticket) if ticket else None}


def _act(request, ticket_id: int, action) -> dict:
    clerk = _clerk(request)
    return clerk_ticket_out(action(clerk, calling.ticket_for_clerk(clerk, ticket_id)))


@router.post("/{ticket_id}/recall", response=HallClerkTicketOut, auth=django_auth, summary="重呼")
def recall(request, ticket_id: Id):
    return _act(request, ticket_id, calling.recall)


@router.post("/{ticket_id}/start", response=HallClerkTicketOut, auth=django_auth, summary="开始办理")
def start(request, ticket_id: Id):
    return _act(request, ticket_id, calling.start)


@router.post("/{ticket_id}/finish", response=HallClerkTicketOut, auth=django_auth, summary="办结")
def finish(request, ticket_id: Id):
    return _act(request, ticket_id, calling.finish)


@router.post("/{ticket_id}/skip", response=HallClerkTicketOut, auth=django_auth,
             summary="过号（未到：叫号次数未满时重新排队，满时过号）")
def skip(request, ticket_id: Id):
    return _act(request, ticket_id, calling.skip)


@router.post("/{ticket_id}/cancel", response=HallClerkTicketOut, auth=django_auth,
             summary="取消（取号人本人或本大厅窗口人员）")
def cancel_ticket(request, ticket_id: Id):
    own = Ticket.objects.select_related("queue", "window").filter(pk=ticket_id, user=request.user).first()
    if own is not None:
        return clerk_ticket_out(calling.cancel(request.user, own))
    return _act(request, ticket_id, calling.cancel)


@router.post("/{ticket_id}/transfer", response=HallClerkTicketOut, auth=django_auth,
             summary="转窗（新票号，保留到达时间）")
def transfer(request, ticket_id: Id, data: HallTransferIn):
    clerk = _clerk(request)
    ticket = calling.ticket_for_clerk(clerk, ticket_id)
    queue = Queue.objects.filter(pk=data.queue, hall_id=ticket.hall_id).first()
    if queue is None:
        raise NotFound("本大厅没有该队列", code="hall.queue_not_found")
    return clerk_ticket_out(calling.transfer(clerk, ticket, queue))
