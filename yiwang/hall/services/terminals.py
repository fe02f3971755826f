"""自助终端: registering a device, its credential, revoking it, and the actions done on it.

A terminal holds a code (终端编号, not secret, printed on the device) and a secret shown once at
registration. Only a keyed hash of the secret is stored: HMAC-SHA256 under a key derived from the
site's ``SECRET_KEY`` (``django.utils.crypto.salted_hmac`` with a salt of its own, the way the
SMS codes are hashed in ``accounts.codes``), so a copy of the table alone lets no one forge or
test a credential. Checks also accept the hash under ``SECRET_KEY_FALLBACKS``, so a rotated site
key does not strand every terminal in the province at once.

Every terminal action (ticket, check-in, log-in by ID card, printing) is audited with the
terminal's code, in the same transaction as the change it records."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from yiwang.accounts.models import Citizen
from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_id, validate_resident_id
from yiwang.supervision import audit

from .. import idcard
from ..access import halls_for, require_hall_role
from ..models import Channel, HallItem, HallRole, Terminal, TerminalStatus
from . import appointments, tickets

KEY_SALT = "yiwang.hall.terminal-credential"
# Unambiguous on a printed label and on the activation screen: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_SUFFIX_LENGTH = 5
SECRET_BYTES = 24  # 192 bits: not guessable online, so no lock-out is needed on wrong secrets
# A terminal that polls or serves a page every second need not write its row every second.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


def credential_hash(code: str, secret: str, *, key: str | None = None) -> str:
    """The stored form of a terminal's secret: bound to its code, keyed by the site key."""
    return salted_hmac(KEY_SALT, f"{code}:{secret}", secret=key or settings.SECRET_KEY,
                       algorithm="sha256").hexdigest()


def _matches(terminal: Terminal, secret: str) -> bool:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(terminal.key_hash, credential_hash(terminal.code, secret, key=key))
               for key in keys)


def _require_manager(actor, hall) -> None:
    """Registering and revoking terminals: a 大厅管理员 of the terminal's hall; a terminal that
    belongs to no hall (a bank branch, a post office) only a system administrator."""
    if actor.is_superuser:
        return
    if hall is None:
        raise PermissionDenied("不属于大厅的终端只能由系统管理员登记和停用",
                               code="permission.hall_role_required")
    require_hall_role(actor, hall, HallRole.MANAGER)


def _new_code(region) -> str:
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_SUFFIX_LENGTH))
    return f"ZD{region.code[:6]}{suffix}"


def register_terminal(actor, *, name: str, hall, region=None, location: str,
                      window=None) -> tuple[Terminal, str]:
    """登记自助终端. Returns the terminal and its secret in plain text, this once; what is stored
    is only ``credential_hash``. ``region`` defaults to the hall's region; a terminal with a hall
    must stand in the hall's region or below it (``Region.path`` is a prefix). With a ``window``
    (of the hall) the terminal is that window's 评价器 (``pads``)."""
    name, location = (name or "").strip(), (location or "").strip()
    if not name:
        raise ValidationError("请填写终端名称", code="terminal.name_required")
    if not location:
        raise ValidationError("请填写放置地点", code="terminal.location_required")
    region = region or (hall.region if hall is not None else None)
    if region is None:
        raise ValidationError("请选择终端所在区划", code="terminal.region_required")
    if hall is not None and not region.path.startswith(hall.region.path):
        raise ValidationError("终端所在区划应与所属大厅一致", code="terminal.region_mismatch")
    if window is not None and (hall is None or window.hall_id != hall.pk):
        raise ValidationError("评价器的窗口应属于终端所在的大厅", code="terminal.window_mismatch")
    _require_manager(actor, hall)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    for _attempt in range(5):
        code = _new_code(region)
        try:
            with transaction.atomic():
                terminal = Terminal.objects.create(
                    code=code, name=name[:60], hall=hall, region=region, location=location[:200],
                    window=window, key_hash=credential_hash(code, secret), registered_by=actor)
                audit.record("hall.terminal_registered", actor=actor, subject=terminal,
                             summary=f"登记自助终端 {terminal.code}（{terminal.name}）",
                             data={"terminal": terminal.code, "hall_id": getattr(hall, "pk", None),
                                   "window_id": getattr(window, "pk", None),
                                   "location": terminal.location})
            return terminal, secret
        except IntegrityError:  # another terminal drew the same code: draw again
            continue
    raise Conflict("终端编号生成失败，请重试", code="terminal.code_exhausted")


def revoke_terminal(actor, terminal: Terminal, *, now=None) -> Terminal:
    """停用: the terminal's credential stops working at once, on its next page or API call."""
    _require_manager(actor, terminal.hall)
    with transaction.atomic():
        terminal = Terminal.objects.select_for_update().get(pk=terminal.pk)
        if terminal.status == TerminalStatus.REVOKED:
            raise Conflict("该终端已停用", code="terminal.already_revoked")
        terminal.status = TerminalStatus.REVOKED
        terminal.revoked_at = now or timezone.now()
        terminal.save(update_fields=["status", "revoked_at"])
        audit.record("hall.terminal_revoked", actor=actor, subject=terminal,
                     summary=f"停用自助终端 {terminal.code}", data={"terminal": terminal.code})
    return terminal


def _refused(terminal: Terminal | None) -> PermissionDenied | None:
    if terminal is None:
        return PermissionDenied("终端编号或密钥不正确", code="terminal.bad_credentials")
    if terminal.status != TerminalStatus.ACTIVE:
        return PermissionDenied(f"终端 {terminal.code} 已停用，请联系大厅管理员",
                                code="terminal.revoked")
    return None


def authenticate(code: str, secret: str, *, now=None) -> Terminal:
    """The active terminal with this code and secret; PermissionDenied ``terminal.bad_credentials``
    (the same answer for an unknown code and a wrong secret) or ``terminal.revoked``."""
    code, secret = (code or "").strip().upper(), (secret or "").strip()
    terminal = (Terminal.objects.select_related("hall", "region", "window").filter(code=code).first()
                if code else None)
    if terminal is None:
        credential_hash(code, secret)  # the same work as for a known code: no timing tell
    elif not _matches(terminal, secret):
        terminal = None
    if (refusal := _refused(terminal)) is not None:
        raise refusal
    seen(terminal, now=now)
    return terminal


def activate(code: str, secret: str, *, ip: str | None = None) -> Terminal:
    """启用: a device proves once that it holds the terminal's credential (``authenticate``);
    recorded, since from now on the device acts as the terminal."""
    terminal = authenticate(code, secret)
    with transaction.atomic():
        audit.record("hall.terminal.activated", subject=terminal, ip=ip,
                     summary=f"[{terminal.code}] 终端设备启用", data={"terminal": terminal.code})
    return terminal


def recheck(code: str, key_hash_prefix: str, *, now=None) -> Terminal:
    """The terminal an activated kiosk's signed cookie names, looked up again on every request:
    still active, and still on the credential it was activated with (a terminal registered anew
    under the same code would not match)."""
    terminal = Terminal.objects.select_related("hall", "region", "window").filter(code=code).first()
    if terminal is not None and not (key_hash_prefix
                                     and terminal.key_hash.startswith(key_hash_prefix)):
        terminal = None
    if (refusal := _refused(terminal)) is not None:
        raise refusal
    seen(terminal, now=now)
    return terminal


def seen(terminal: Terminal, *, now=None) -> None:
    """最近在线: written at most once a minute per terminal (an UPDATE guarded by the old value,
    so two requests at once write it once)."""
    now = now or timezone.now()
    if terminal.last_seen_at is None or now - terminal.last_seen_at >= LAST_SEEN_RESOLUTION:
        Terminal.objects.filter(pk=terminal.pk, last_seen_at=terminal.last_seen_at).update(
            last_seen_at=now)
        terminal.last_seen_at = now


def record_action(terminal: Terminal, kind: str, *, summary: str, subject=None, actor=None,
                  data: dict | None = None) -> None:
    """The audit record of one thing done on a terminal, always naming the terminal."""
    audit.record(f"hall.terminal.{kind}", actor=actor, subject=subject or terminal,
                 summary=f"[{terminal.code}] {summary}",
                 data={"terminal": terminal.code, **(data or {})})


def _require_hall(terminal: Terminal):
    if terminal.hall_id is None:
        raise Conflict("本终端不在政务服务大厅，不能取号或签到", code="terminal.no_hall")
    return terminal.hall


def take_ticket(terminal: Terminal, hall_item, *, user=None, id_number: str = "", name: str = "",
                now=None):
    """取号 on a terminal for a stationed item of the terminal's hall (part C's
    ``tickets.take_ticket`` with ``channel=TERMINAL``), audited with the terminal."""
    hall = _require_hall(terminal)
    if hall_item.hall_id != hall.pk or not hall_item.active:
        raise ValidationError("该事项不在本大厅办理", code="terminal.item_not_stationed")
    if id_number:
        id_number = validate_resident_id(id_number.strip().upper())
    with transaction.atomic():
        ticket = tickets.take_ticket(hall, channel=Channel.TERMINAL, hall_item=hall_item, user=user,
                                     id_number=id_number, name=name, terminal=terminal, now=now)
        record_action(terminal, "ticket_taken", subject=ticket, actor=user,
                      summary=f"自助终端取号 {ticket.number}",
                      data={"ticket": ticket.number, "hall_item_id": hall_item.pk})
    return ticket


def check_in(terminal: Terminal, code: str, *, now=None):
    """预约签到 on a terminal by the booking code (typed or scanned from the QR code): part B's
    ``appointments.check_in``, which takes the ticket; audited with the terminal."""
    hall = _require_hall(terminal)
    code = booking_code(code)
    with transaction.atomic():
        ticket = appointments.check_in(code, hall=hall, channel=Channel.TERMINAL, terminal=terminal,
                                       now=now)
        record_action(terminal, "checked_in", subject=ticket, actor=ticket.user,
                      summary=f"自助终端预约签到 {ticket.number}",
                      data={"ticket": ticket.number, "appointment_id": ticket.appointment_id})
    return ticket


def booking_code(text: str) -> str:
    """The booking code in what was typed or scanned. A QR scanner types the QR's text, which may
    be a link ending in the code (…/appointments/ABC123/ or …?code=ABC123): the last run of
    letters and digits is the code."""
    text = (text or "").strip()
    tail = text.rstrip("/").rsplit("/", 1)[-1].rsplit("=", 1)[-1]
    code = "".join(ch for ch in tail if ch.isascii() and ch.isalnum()).upper()
    if not code:
        raise ValidationError("请输入预约码", code="appointment.code_required")
    return code[:12]


def stationed_items(terminal: Terminal):
    """What a ticket can be taken for on this terminal: the active stationed items of its hall
    whose item is published, by queue; none for a terminal outside a hall."""
    if terminal.hall_id is None:
        return HallItem.objects.none()
    return (HallItem.objects.filter(hall_id=terminal.hall_id, active=True, queue__active=True,
                                    item__published_version__isnull=False)
            .select_related("queue", "item__published_version")
            .order_by("queue__order", "queue__code", "id"))


# --- the person at the terminal ----------------------------------------------------------------


# A simulated card whose number belongs to no account: the simulator needs a name to put on it.
UNKNOWN_HOLDER = "模拟持卡人"


def card_log_in(terminal: Terminal, placed: str):
    """身份证登录 on a terminal: the card's reading (part D's ``idcard.reader()``, which checks it:
    a bad check digit is ``idcard.bad_check_digit``) and, when its holder has an account, the
    account (which their licences and bookings hang on). The kiosk simulates the card: ``placed``
    is the number typed on the pad, and the simulated reader is given the name the card would
    carry, the account holder's. Audited with the terminal and the masked number; the kiosk
    keeps the person only until the idle time-out."""
    number = (placed or "").strip().upper()
    citizen = (Citizen.objects.select_related("user").filter(id_number=number).first()
               if number else None)
    reading = idcard.reader().decode({"id_number": number,
                                      "name": citizen.name if citizen else UNKNOWN_HOLDER})
    with transaction.atomic():
        record_action(terminal, "card_read", actor=citizen.user if citizen else None,
                      summary=f"身份证读卡登录 {mask_id(reading.id_number)}",
                      data={"id_number": mask_id(reading.id_number),
                            "registered": citizen is not None})
    return reading, citizen


def manageable_halls(user):
    """The halls whose terminals ``user`` registers and revokes: as 大厅管理员, 区域管理员 of the
    hall's region or superuser (``access.halls_for``)."""
    return halls_for(user, HallRole.MANAGER).select_related("region")


def managed_terminals(user):
    """The terminals ``user`` sees on the management page: of the halls they manage, and for a
    superuser every terminal (those outside halls included), newest first."""
    terminals = Terminal.objects.select_related("hall", "region", "window").order_by(
        "-registered_at", "-id")
    if user.is_superuser:
        return terminals
    return terminals.filter(hall__in=manageable_halls(user))
