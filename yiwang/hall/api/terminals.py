"""The self-service terminal API (自助终端接口): a registered terminal, authenticated by its own
credential in the ``X-Terminal-Key`` header (``<终端编号>:<密钥>``), takes tickets, checks bookings
in and reports that it is alive. A citizen's session means nothing here: the terminal acts, and
every action is audited with it (``services.terminals``)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema
from ninja.security import APIKeyHeader
from pydantic import Field

from yiwang.common.errors import NotFound, PermissionDenied
from yiwang.common.identifiers import mask_name
from yiwang.common.schemas import Id

from ..services import terminals, tickets

HEADER = "X-Terminal-Key"


class TerminalKey(APIKeyHeader):
    param_name = HEADER

    def authenticate(self, request, key):
        # No header: 401 (who are you?). A header that does not name an active terminal: the
        # service's 403 terminal.bad_credentials / terminal.revoked.
        if not key:
            return None
        code, _, secret = key.partition(":")
        terminal = terminals.authenticate(code, secret)
        if terminal.window_id is not None:
            # A window's 评价器 rates the ticket just served there; it takes no tickets.
            raise PermissionDenied(f"{terminal.code} 是窗口评价器，不能使用自助终端接口",
                                   code="terminal.is_pad")
        return terminal


router = Router(tags=["自助终端"], auth=TerminalKey())


class TerminalOut(Schema):
    code: str
    name: str
    hall_id: int | None
    hall: str | None
    location: str
    last_seen_at: datetime | None


class TerminalItemOut(Schema):
    id: int
    name: str
    queue: str
    queue_name: str


class TerminalTicketIn(Schema):
    hall_item_id: Id
    id_number: str = Field("", max_length=18, description="办事人身份证号（读卡所得），可不填")
    name: str = Field("", max_length=50, description="办事人姓名（读卡所得），可不填")


class TerminalCheckInIn(Schema):
    code: str = Field(..., min_length=1, max_length=200, description="预约码，或扫描预约二维码所得的文字")


class TerminalTicketOut(Schema):
    number: str
    queue: str
    hall: str
    name: str
    taken_at: datetime
    access_key: str
    ahead: int
    estimated_minutes: int


def _terminal_out(terminal) -> dict:
    return {"code": terminal.code, "name": terminal.name, "hall_id": terminal.hall_id,
            "hall": terminal.hall.name if terminal.hall else None, "location": terminal.location,
            "last_seen_at": terminal.last_seen_at}


def _ticket_out(ticket) -> dict:
    where = tickets.position(ticket)
    return {"number": ticket.number, "queue": ticket.queue.name, "hall": ticket.hall.name,
            "name": mask_name(ticket.name), "taken_at": ticket.taken_at,
            "access_key": ticket.access_key, "ahead": where.ahead,
            "estimated_minutes": where.estimated_minutes}


@router.post("/heartbeat", response=TerminalOut, summary="终端心跳（报告在线，返回终端信息）")
def heartbeat(request):
    return _terminal_out(request.auth)


@router.get("/items", response=list[TerminalItemOut], summary="本终端可取号的进驻事项")
def items(request):
    return [{"id": entry.pk, "name": entry.item.published_version.name, "queue": entry.queue.code,
             "queue_name": entry.queue.name}
            for entry in terminals.stationed_items(request.auth)]


@router.post("/tickets", response={201: TerminalTicketOut}, summary="终端取号")
def take_ticket(request, payload: TerminalTicketIn):
    terminal = request.auth
    hall_item = terminals.stationed_items(terminal).filter(pk=payload.hall_item_id).first()
    if hall_item is None:
        raise NotFound("本大厅没有该进驻事项", code="terminal.item_not_stationed")
    ticket = terminals.take_ticket(terminal, hall_item, id_number=payload.id_number.strip(),
                                   name=payload.name.strip())
    return 201, _ticket_out(ticket)


@router.post("/check-ins", response={201: TerminalTicketOut}, summary="终端预约签到（凭预约码或预约二维码）")
def check_in(request, payload: TerminalCheckInIn):
    return 201, _ticket_out(terminals.check_in(request.auth, payload.code))
