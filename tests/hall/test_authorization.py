"""Who may use which URL of the hall (政务大厅); the rows of the site-wide rule table
(tests/accounts/test_authorization.py) for the hall's pages and API, and the tests that prove
each row.

One world (``AuthzWorld``): hall A (长春市政务服务中心) and hall B (吉林市政务服务中心), each with
a manager and a clerk signed in to a 综合窗口 (and a 出件窗口 clerk), a staff member of an
unrelated department, a province supervisor, a citizen (王芳) with a booking, a queue ticket and a
case, another citizen (赵强), and anonymous visitors. The clock is Monday 7 December 2026 at 10:00
(the halls open). Every check tries the URL as each role; the one who may act goes last, so that
"OK" for them means the action happened (``done``), and after everyone else it had not.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.accounts.factories import company
from tests.cases.factories import World
from tests.clients import VerifiedClient
from tests.factories import UserFactory
from tests.hall.terminal_world import MONDAY_MORNING
from yiwang.cases.models import Status
from yiwang.hall.models import (
    Appointment,
    AppointmentStatus,
    Category,
    Channel,
    DayKind,
    HallItem,
    HallMember,
    HallRole,
    OpeningPeriod,
    Queue,
    ResultPickup,
    Shift,
    Terminal,
    TerminalStatus,
    Ticket,
    TicketStatus,
    Window,
    WindowCase,
    WindowKind,
    WindowSession,
)
from yiwang.hall.services import appointments, calling, terminals, tickets
from yiwang.hall.views import device as device_views
from yiwang.orgs.models import ServiceHall

# --- the rules ------------------------------------------------------------------------------------

ANY_STAFF = "any staff member (2FA); citizens 403; anonymous → log-in"
MANAGER = ("大厅管理员 of that hall (or 区域管理员 above it, superuser); its clerks, other halls' "
           "managers, other staff and citizens 403; anonymous → log-in")
MANAGER_OBJECT = MANAGER + "; an object of another hall through this hall's URL 404"
DESK = ("staff signed in (today) to a 综合 or 专业窗口 — the desk of *their* window's hall; "
        "not signed in (manager, other staff, citizens) 403; anonymous → log-in")
DESK_OBJECT = (DESK + "; a ticket/case not taken in at the hall of their window 404 (other halls' "
               "clerks)")
BOOKING = ("citizen: own booking only (another citizen's, staff 404); anonymous → log-in")
BOOKING_API = ("citizen: own booking only (another citizen's, staff 404); anonymous 401")
CLERK_TICKET_API = ("the clerk signed in to the window the ticket was called to; a hall member "
                    "not signed in there 403; other halls' clerks, other staff and citizens 404 "
                    "(the ticket does not exist for them); anonymous 401; staff without the "
                    "second factor 403")
KIOSK = ("an activated self-service terminal (signed kiosk cookie, re-checked on every request): "
         "without it → /kiosk/activate/, revoked 403; a portal session counts for nothing")
KIOSK_PERSON = KIOSK + "; only the ID card read on that terminal (until the idle time-out)"
PAD = ("an activated window pad (评价器: a terminal bound to a window; the kiosk's cookie, "
       "re-checked on every request): without it → /kiosk/activate/, a kiosk terminal → /kiosk/, "
       "revoked 403; a portal session counts for nothing")
TERMINAL_API = ("a registered active terminal (X-Terminal-Key: code:secret); no key 401 (a "
                "portal session counts for nothing), a wrong or revoked key 403")

HALL_RULES: dict[str, str] = {
    # Staff pages under /workbench/hall/ (the second factor guards them).
    "hall:home": ANY_STAFF + "; lists only the halls they work in or manage",
    "hall:sign-in": ANY_STAFF + "; signs in only to a window they may work (hall role or their "
                    "department's 专业窗口) and are rostered on today — other halls' staff and "
                    "unrelated staff are refused (message, nothing changes)",
    "hall:sign-out": ANY_STAFF + "; ends only their own session",
    "hall:windows": MANAGER, "hall:window-edit": MANAGER_OBJECT,
    "hall:queues": MANAGER, "hall:queue-edit": MANAGER_OBJECT,
    "hall:items": MANAGER, "hall:item-edit": MANAGER_OBJECT,
    "hall:hours": MANAGER, "hall:roster": MANAGER, "hall:shift-remove": MANAGER_OBJECT,
    "hall:members": MANAGER, "hall:member-remove": MANAGER_OBJECT,
    "hall:calling": ANY_STAFF + "; shows only the window they are signed in to",
    "hall:calling-act": ANY_STAFF + "; acts only on a ticket at the window they are signed in "
                        "to (others: refused with a message, nothing changes)",
    "hall:calling-issue": ANY_STAFF + "; 代取号 only in the hall of the window they are signed "
                          "in to (others: refused with a message)",
    "hall:frontdesk": DESK, "hall:frontdesk-serve": DESK_OBJECT,
    "hall:frontdesk-case": DESK_OBJECT, "hall:frontdesk-receipt": DESK_OBJECT,
    "hall:frontdesk-accept": DESK_OBJECT, "hall:frontdesk-originals": DESK,
    "hall:frontdesk-proxies": DESK + " (or 咨询/帮办窗口); authorisations of their hall only",
    "hall:pickup": ("hall clerk or manager signed in to a 出件窗口: what waits at that hall; "
                    "anyone else 403; anonymous → log-in"),
    "hall:pickup-hand-over": ("hall clerk or manager signed in to a 出件窗口 of the result's hall; "
                              "another hall's 出件窗口 404; anyone else 403; anonymous → log-in"),
    "hall:terminals": ("大厅管理员 (区域管理员, superuser): the terminals of the halls they manage; "
                       "anyone else 403; anonymous → log-in"),
    "hall:terminal-revoke": ("大厅管理员 of the terminal's hall (superuser); for anyone else the "
                             "terminal does not exist (404); anonymous → log-in"),
    "hall:figures": ("大厅管理员 of the hall, 监察员 of its region (or above), superuser; another "
                     "hall 403; other staff and citizens 403; anonymous → log-in"),
    # Citizens' booking pages (预约).
    "hall_public:appointments": "signed-in user: their own bookings only; anonymous → log-in",
    "hall_public:appointment-choose": ("signed-in user (item public); a draft/case given in ?case= "
                                       "only the applicant's own (else 404); anonymous → log-in"),
    "hall_public:appointment-confirm": ("signed-in user sees the slot; booking (POST) only a "
                                        "citizen (personal account; staff 403), for themselves; "
                                        "?case= the applicant's own only (else 404); anonymous → "
                                        "log-in"),
    "hall_public:appointment": BOOKING, "hall_public:appointment-cancel": BOOKING,
    "hall_public:appointment-reschedule": BOOKING,
    "hall_public:appointment-reschedule-save": BOOKING,
    # The hall's display, the ticket on a phone, remote queueing.
    "hall_public:display": "public (the hall's calling board: numbers and windows only)",
    "hall_public:display-events": "public (the same board as Server-Sent Events)",
    "hall_public:ticket": "public by the ticket's secret access key: that ticket only (unknown key 404)",
    "hall_public:remote-queue": "signed-in user: the hall's queues and their own open tickets; "
                                "anonymous → log-in",
    "hall_public:remote-take": ("citizen (personal account), where the hall allows remote "
                                "queueing; staff refused (message); anonymous → log-in"),
    # The self-service terminal (自助终端).
    "hall_public:kiosk-activate": "public form; activates only with the terminal's code and "
                                  "secret (wrong or revoked 403)",
    "hall_public:kiosk-home": KIOSK, "hall_public:kiosk-card": KIOSK,
    "hall_public:kiosk-sign-out": KIOSK, "hall_public:kiosk-ticket": KIOSK,
    "hall_public:kiosk-check-in": KIOSK + "; bookings of the terminal's hall only",
    "hall_public:kiosk-slip": KIOSK + "; only a ticket taken on that terminal (else 404)",
    "hall_public:kiosk-progress": KIOSK + "; case number plus the applicant's ID number",
    "hall_public:kiosk-licences": KIOSK_PERSON,
    "hall_public:kiosk-licence": KIOSK_PERSON + "; another person's licence 404 "
                                 "(tests/hall/test_terminals_kiosk.py)",
    "hall_public:kiosk-rate": KIOSK_PERSON + "; rates only the card holder's last ticket finished "
                              "at the terminal's hall that day (tests/hall/test_terminals_kiosk.py)",
    # The window pad (评价器).
    "hall_public:pad": PAD + "; shows only the ticket just finished at its own window "
                       "(tests/hall/test_pads.py)",
    "hall_public:pad-rate": PAD + "; rates only a ticket its window finished within the offer "
                            "time, once (another window's 404, a second rating 409)",
    # The JSON API: booking (/api/hall/appointments).
    "api:booking_halls": "public", "api:booking_slots": "public",
    "api:book": ("citizen (personal account; staff 403), for themselves or a company they may act "
                 "for (else 403); case_id the applicant's own only (else 404); anonymous 401"),
    "api:my_appointments": "signed-in user: their own bookings only; anonymous 401",
    "api:my_appointment": BOOKING_API, "api:reschedule": BOOKING_API,
    "api:cancel_appointment": BOOKING_API,
    # Tickets (/api/hall/tickets).
    "api:cancel_ticket": ("its holder, or a clerk/manager of the ticket's hall; anyone else 404; "
                          "anonymous 401"),
    "api:display_feed": "public (the calling board)",
    "api:ticket_place": "public by the ticket's secret access key: that ticket only (unknown 404)",
    "api:remote_ticket": ("citizen (personal account; staff 403), where the hall allows remote "
                          "queueing; anonymous 401"),
    "api:current_ticket": ("signed-in user: the ticket at the window *they* are signed in to "
                           "(null otherwise); anonymous 401; staff without the second factor 403"),
    "api:call_next": ("staff signed in to that window (the window's hall, rostered); anyone else "
                      "403; anonymous 401"),
    "api:recall": CLERK_TICKET_API, "api:start": CLERK_TICKET_API,
    "api:finish": CLERK_TICKET_API, "api:skip": CLERK_TICKET_API,
    "api:transfer": CLERK_TICKET_API + "; only to a queue of the ticket's hall (404)",
    # Terminals (/api/hall/terminals).
    "api:heartbeat": TERMINAL_API, "api:items": TERMINAL_API + "; its own hall's items",
    "api:take_ticket": TERMINAL_API + "; its own hall's items (another hall's 404)",
    "api:check_in": TERMINAL_API + "; bookings of its own hall (another hall's 409)",
}


def _hall_url_names() -> set[str]:
    """The names of every URL of the hall: its two namespaces, and the API under /api/hall/."""
    names = set()

    def walk(resolver, namespace, prefix):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, pattern.namespace or namespace, route)
            elif isinstance(pattern, URLPattern) and pattern.name and (
                    namespace in ("hall", "hall_public")
                    or (namespace == "api" and route.startswith("api/hall/"))):
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver(), None, "")
    return names


def test_every_hall_url_has_a_rule():
    assert _hall_url_names() == set(HALL_RULES)


# --- the world ------------------------------------------------------------------------------------

MONDAY = MONDAY_MORNING.date()
ROLES = ("anonymous", "citizen", "other_citizen", "dept_staff", "supervisor", "clerk_b",
         "manager_b", "clerk_a", "manager_a")
OK, LOGIN = "ok", "login"


def _member(hall, username, role):
    user = UserFactory(username=username)
    user.save()  # keeps the factory's password, so force_login's session survives
    HallMember.objects.create(hall=hall, user=user, role=role)
    return user


def _sign_in(user, window):
    Shift.objects.get_or_create(window=window, user=user, date=MONDAY)
    return WindowSession.objects.create(window=window, user=user, started_at=timezone.now())


class AuthzWorld(World):
    """The case world (province, 食品经营许可 of 市场监管 + 卫健, 王芳 and 赵强, an ``outsider`` of
    交通运输厅, a province ``supervisor``) with two halls."""

    def __init__(self):
        super().__init__()
        self.hall_a, self.queue_a, self.a1, self.a2, self.a8 = self._hall("长春市政务服务中心")
        self.hall_b, self.queue_b, self.b1, _, self.b8 = self._hall("吉林市政务服务中心")
        self.queue_a2 = Queue.objects.create(hall=self.hall_a, code="B", name="社会事务",
                                             window_kind=WindowKind.COMPREHENSIVE,
                                             category=Category.SOCIAL)
        self.item_a = HallItem.objects.create(hall=self.hall_a, item=self.item, queue=self.queue_a,
                                              category=Category.ENTERPRISE)
        self.item_b = HallItem.objects.create(hall=self.hall_b, item=self.item, queue=self.queue_b,
                                              category=Category.ENTERPRISE)
        self.manager_a = _member(self.hall_a, "zx_manager", HallRole.MANAGER)
        self.clerk_a = _member(self.hall_a, "zx_clerk", HallRole.CLERK)
        self.pickup_a = _member(self.hall_a, "zx_pickup", HallRole.CLERK)
        self.proxy_a = _member(self.hall_a, "zx_proxy", HallRole.PROXY)
        self.manager_b = _member(self.hall_b, "jl_manager", HallRole.MANAGER)
        self.clerk_b = _member(self.hall_b, "jl_clerk", HallRole.CLERK)
        self.pickup_b = _member(self.hall_b, "jl_pickup", HallRole.CLERK)
        for user, window in ((self.clerk_a, self.a1), (self.pickup_a, self.a8),
                             (self.clerk_b, self.b1), (self.pickup_b, self.b8)):
            _sign_in(user, window)
        # 王芳's booking for 14:00, her ticket (queue B: queue A stays free for her remote ticket)
        # and a walk-in's (an anonymous terminal ticket, the first called at A1).
        self.booking = appointments.book(self.user, self.item_a, MONDAY, dt.time(14),
                                         channel=Channel.PC)
        self.walk_in = tickets.take_ticket(self.hall_a, channel=Channel.TERMINAL, queue=self.queue_a)
        self.her_ticket = tickets.take_ticket(
            self.hall_a, channel=Channel.TERMINAL, queue=self.queue_a2, user=self.user,
            id_number=self.applicant.id_number, name=self.applicant.name)
        # A case she submitted online, received at window A1 and (as far as the pick-up pages
        # look) waiting at A's 出件窗口; a draft of hers received at A1.
        self.case = self.submitted()
        self.draft_case = self.draft()
        for case in (self.case, self.draft_case):
            WindowCase.objects.create(hall=self.hall_a, window=self.a1, case=case,
                                      action=WindowCase.Action.RECEIVED, clerk=self.clerk_a,
                                      at=timezone.now())
        self.pickup = ResultPickup.objects.create(case=self.case, hall=self.hall_a, code="12345678",
                                                  ready_at=timezone.now(), contents=["许可证"])
        self.terminal, self.secret = terminals.register_terminal(
            self.manager_a, name="一楼1号机", hall=self.hall_a, location="一楼东侧")
        self.shift = Shift.objects.create(window=self.a2, user=self.clerk_a,
                                          date=MONDAY + dt.timedelta(days=1))
        self.players = {"anonymous": None, "citizen": self.user, "other_citizen": self.stranger.user,
                        "dept_staff": self.outsider, "supervisor": self.supervisor,
                        "clerk_b": self.clerk_b, "manager_b": self.manager_b,
                        "clerk_a": self.clerk_a, "manager_a": self.manager_a}

    def _hall(self, name):
        hall = ServiceHall.objects.create(name=name, region=self.province, address="人民大街1号",
                                          remote_queueing=True)
        for kind, start, end in ((DayKind.WORKDAY, dt.time(8, 30), dt.time(12)),
                                 (DayKind.WORKDAY, dt.time(13), dt.time(17))):
            OpeningPeriod.objects.create(hall=hall, day_kind=kind, start=start, end=end)
        queue = Queue.objects.create(hall=hall, code="A", name="企业开办与经营",
                                     window_kind=WindowKind.COMPREHENSIVE,
                                     category=Category.ENTERPRISE)
        Queue.objects.create(hall=hall, code="Q", name="出件", window_kind=WindowKind.PICKUP)
        windows = [Window.objects.create(hall=hall, number=n, name="综合受理",
                                         kind=WindowKind.COMPREHENSIVE) for n in ("1", "2")]
        for window in windows:
            window.queues.add(queue)
        pickup = Window.objects.create(hall=hall, number="8", name="出件", kind=WindowKind.PICKUP)
        return hall, queue, windows[0], windows[1], pickup

    def values(self) -> dict:
        return {"hall_a": self.hall_a.pk, "hall_b": self.hall_b.pk, "a1": self.a1.pk,
                "a2": self.a2.pk, "b1": self.b1.pk, "queue_a": self.queue_a.pk,
                "queue_a2": self.queue_a2.pk, "queue_b": self.queue_b.pk,
                "item_a": self.item_a.pk, "item_b": self.item_b.pk,
                "item_code": self.item.handling_code, "booking": self.booking.pk,
                "walk_in": self.walk_in.pk, "walk_in_key": self.walk_in.access_key,
                "her_ticket": self.her_ticket.pk, "case": self.case.pk,
                "draft": self.draft_case.pk, "pickup": self.pickup.pk,
                "terminal": self.terminal.pk, "shift": self.shift.pk,
                "proxy_member": HallMember.objects.get(user=self.proxy_a).pk,
                "monday": MONDAY.isoformat(), "her_case": self.case.pk}

    def client_for(self, user) -> Client:
        """A client signed in as ``user`` (second factor passed), or anonymous for None."""
        return self.clients[user.pk if user is not None else None]


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end; each test runs in
    a savepoint of it (the ``db`` fixture), so what a test changes is gone for the next one. The
    clock is Monday morning throughout; every role's client is signed in once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: MONDAY_MORNING)
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                world = AuthzWorld()
                world.clients = {None: Client()}
                for user in [*world.players.values(), world.pickup_a, world.pickup_b]:
                    if user is not None:
                        world.clients[user.pk] = VerifiedClient()
                        world.clients[user.pk].force_login(user)
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        yield world
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(built_world, db):
    return built_world


# --- the checks -----------------------------------------------------------------------------------


def expect(default, **per_role) -> dict:
    """The outcome for each role in ROLES: ``default`` unless named; None = not tried."""
    assert set(per_role) <= set(ROLES), per_role
    return {role: per_role.get(role, default) for role in ROLES}


@dataclass(frozen=True)
class Check:
    method: str
    path: str
    expected: dict
    right: str = ""  # the role that may do it: tried last, and ``done`` must hold after it only
    data: dict = field(default_factory=dict)
    done: Callable | None = None
    prepare: Callable | None = None  # world → more placeholders (e.g. a ticket called first)
    players: dict = field(default_factory=dict)  # role → attribute of the world playing it


def _reload(model, pk):
    return model.objects.get(pk=pk)


def _booking_cancelled(w) -> bool:
    return _reload(Appointment, w.booking.pk).status == AppointmentStatus.CANCELLED


def _booking_moved(w) -> bool:
    return _reload(Appointment, w.booking.pk).start == dt.time(15)


def _called(w) -> dict:
    """The walk-in called to window A1 by clerk A (the first in calling order)."""
    ticket = calling.call_next(w.clerk_a, w.a1)
    assert ticket.pk == w.walk_in.pk
    return {"called": ticket.pk}


def _rostered_at_a2(w) -> dict:
    """Everyone but A's manager is on the roster of window A2 today: what refuses them is who they
    are, not the roster."""
    for user in (w.outsider, w.supervisor, w.clerk_b, w.manager_b, w.clerk_a):
        Shift.objects.get_or_create(window=w.a2, user=user, date=MONDAY)
    return {}


def _ticket_status(pk, *statuses):
    return lambda w: _reload(Ticket, pk(w)).status in statuses


def _walk_in(w):
    return w.walk_in.pk


MANAGER_GET = expect(403, anonymous=LOGIN, manager_a=OK)
STAFF_PAGE = expect(OK, anonymous=LOGIN, citizen=403, other_citizen=403)
DESK_GET = expect(403, anonymous=LOGIN, clerk_b=OK, clerk_a=OK)
DESK_OBJECT_GET = expect(403, anonymous=LOGIN, clerk_b=404, clerk_a=OK)
PICKUP_PLAYERS = {"clerk_a": "pickup_a", "clerk_b": "pickup_b"}
OWN_BOOKING = expect(404, anonymous=LOGIN, citizen=OK)
OWN_BOOKING_API = expect(404, anonymous=401, citizen=OK)
CLERK_ACT_API = expect(404, anonymous=401, manager_a=403, clerk_a=OK)
EVERYONE = expect(OK)

W = "/workbench/hall"
CHECKS: dict[str, Check] = {
    # --- staff pages ---
    "hall:home": Check("get", f"{W}/", STAFF_PAGE, "manager_a"),
    "hall:sign-in": Check(
        "post", f"{W}/sign-in/", expect(OK, anonymous=LOGIN, citizen=403, other_citizen=403,
                                        manager_a=None),
        "clerk_a", {"window": "{a2}"}, prepare=_rostered_at_a2,
        done=lambda w: WindowSession.objects.filter(window=w.a2, ended_at=None).exists()),
    "hall:sign-out": Check(
        "post", f"{W}/sign-out/", STAFF_PAGE, "clerk_a",
        done=lambda w: not WindowSession.objects.filter(user=w.clerk_a, ended_at=None).exists()),
    "hall:windows": Check("get", f"{W}/{{hall_a}}/windows/", MANAGER_GET, "manager_a"),
    "hall:windows (add a window)": Check(
        "post", f"{W}/{{hall_a}}/windows/", MANAGER_GET, "manager_a",
        {"number": "9", "name": "综合受理", "kind": "comprehensive", "queues": "{queue_a}",
         "active": "on"},
        done=lambda w: w.hall_a.windows.filter(number="9").exists()),
    "hall:window-edit": Check("get", f"{W}/{{hall_a}}/windows/{{a1}}/", MANAGER_GET, "manager_a"),
    "hall:window-edit (hall B's window through hall A)": Check(
        "get", f"{W}/{{hall_a}}/windows/{{b1}}/", expect(403, anonymous=LOGIN, manager_a=404)),
    "hall:window-edit (hall A's window through hall B)": Check(
        "get", f"{W}/{{hall_b}}/windows/{{a1}}/", expect(403, anonymous=LOGIN, manager_b=404)),
    "hall:queues": Check("get", f"{W}/{{hall_a}}/queues/", MANAGER_GET, "manager_a"),
    "hall:queue-edit": Check("get", f"{W}/{{hall_a}}/queues/{{queue_a}}/", MANAGER_GET, "manager_a"),
    "hall:queue-edit (hall A's queue through hall B)": Check(
        "get", f"{W}/{{hall_b}}/queues/{{queue_a}}/", expect(403, anonymous=LOGIN, manager_b=404)),
    "hall:items": Check("get", f"{W}/{{hall_a}}/items/", MANAGER_GET, "manager_a"),
    "hall:item-edit": Check("get", f"{W}/{{hall_a}}/items/{{item_a}}/", MANAGER_GET, "manager_a"),
    "hall:item-edit (hall A's item through hall B)": Check(
        "get", f"{W}/{{hall_b}}/items/{{item_a}}/", expect(403, anonymous=LOGIN, manager_b=404)),
    "hall:hours": Check("get", f"{W}/{{hall_a}}/hours/", MANAGER_GET, "manager_a"),
    "hall:hours (save)": Check(
        "post", f"{W}/{{hall_a}}/hours/", MANAGER_GET, "manager_a",
        {"day_kind": "saturday", "periods": "09:00-12:00"},
        done=lambda w: w.hall_a.opening_periods.filter(day_kind=DayKind.SATURDAY).exists()),
    "hall:roster": Check("get", f"{W}/{{hall_a}}/roster/", MANAGER_GET, "manager_a"),
    "hall:shift-remove": Check(
        "post", f"{W}/{{hall_a}}/roster/{{shift}}/remove/", MANAGER_GET, "manager_a",
        done=lambda w: not Shift.objects.filter(pk=w.shift.pk).exists()),
    "hall:shift-remove (hall A's shift through hall B)": Check(
        "post", f"{W}/{{hall_b}}/roster/{{shift}}/remove/",
        expect(403, anonymous=LOGIN, manager_b=404),
        done=lambda w: not Shift.objects.filter(pk=w.shift.pk).exists()),
    "hall:members": Check("get", f"{W}/{{hall_a}}/members/", MANAGER_GET, "manager_a"),
    "hall:members (grant a role)": Check(
        "post", f"{W}/{{hall_a}}/members/", MANAGER_GET, "manager_a",
        {"username": "examiner", "role": "clerk"},
        done=lambda w: HallMember.objects.filter(hall=w.hall_a, user=w.examiner).exists()),
    "hall:member-remove": Check(
        "post", f"{W}/{{hall_a}}/members/{{proxy_member}}/remove/", MANAGER_GET, "manager_a",
        done=lambda w: not HallMember.objects.filter(user=w.proxy_a).exists()),
    "hall:member-remove (hall A's member through hall B)": Check(
        "post", f"{W}/{{hall_b}}/members/{{proxy_member}}/remove/",
        expect(403, anonymous=LOGIN, manager_b=404),
        done=lambda w: not HallMember.objects.filter(user=w.proxy_a).exists()),
    # The 叫号台: refusals are messages on the page, so ``done`` says who acted.
    "hall:calling": Check("get", f"{W}/calling/", STAFF_PAGE, "clerk_a"),
    "hall:calling-act": Check(
        "post", f"{W}/calling/finish/", STAFF_PAGE, "clerk_a", {"ticket": "{called}"},
        prepare=_called, done=_ticket_status(_walk_in, TicketStatus.DONE)),
    "hall:calling-act (call the next)": Check(
        "post", f"{W}/calling/call/", STAFF_PAGE, "clerk_a",
        done=_ticket_status(_walk_in, TicketStatus.CALLED)),
    "hall:calling-issue": Check(
        "post", f"{W}/calling/issue/", STAFF_PAGE, "clerk_a", {"queue": "{queue_a}"},
        done=lambda w: Ticket.objects.filter(hall=w.hall_a, channel=Channel.WINDOW).exists()),
    # 一窗受理: clerk A at A1, clerk B at B1 (its own hall's desk).
    "hall:frontdesk": Check("get", f"{W}/frontdesk/", DESK_GET, "clerk_a"),
    "hall:frontdesk-serve": Check("get", f"{W}/frontdesk/{{walk_in}}/", DESK_OBJECT_GET, "clerk_a"),
    "hall:frontdesk-case": Check("get", f"{W}/frontdesk/cases/{{draft}}/", DESK_OBJECT_GET,
                                 "clerk_a"),
    "hall:frontdesk-receipt": Check("get", f"{W}/frontdesk/cases/{{case}}/receipt/",
                                    DESK_OBJECT_GET, "clerk_a"),
    "hall:frontdesk-accept": Check(
        "post", f"{W}/frontdesk/cases/{{case}}/accept/", DESK_OBJECT_GET, "clerk_a",
        done=lambda w: _reload(type(w.case), w.case.pk).status == Status.ACCEPTED),
    "hall:frontdesk-originals": Check("get", f"{W}/frontdesk/originals/", DESK_GET, "clerk_a"),
    "hall:frontdesk-proxies": Check("get", f"{W}/frontdesk/proxies/", DESK_GET, "clerk_a"),
    # 统一出件: the 出件窗口 clerks of A and B play the clerks.
    "hall:pickup": Check("get", f"{W}/pickup/", DESK_GET, "clerk_a", players=PICKUP_PLAYERS),
    "hall:pickup-hand-over": Check("get", f"{W}/pickup/{{pickup}}/", DESK_OBJECT_GET, "clerk_a",
                                   players=PICKUP_PLAYERS),
    # The clerk of A's 出件窗口 gets as far as 送达, which this world's case has not reached (409;
    # tests/hall/test_pickup_pages.py hands a certified result over); nobody else gets that far.
    "hall:pickup-hand-over (hand over)": Check(
        "post", f"{W}/pickup/{{pickup}}/", expect(403, anonymous=LOGIN, clerk_b=404, clerk_a=409),
        "clerk_a",
        {"recipient_name": "王芳", "proof": "code", "code": "12345678", "contents": "许可证"},
        players=PICKUP_PLAYERS),
    "hall:terminals": Check("get", f"{W}/terminals/", expect(403, anonymous=LOGIN, manager_b=OK,
                                                             manager_a=OK), "manager_a"),
    "hall:terminal-revoke": Check(
        "post", f"{W}/terminals/{{terminal}}/revoke/", expect(404, anonymous=LOGIN, manager_a=OK),
        "manager_a",
        done=lambda w: _reload(Terminal, w.terminal.pk).status == TerminalStatus.REVOKED),
    "hall:figures": Check("get", f"{W}/figures/", expect(403, anonymous=LOGIN, supervisor=OK,
                                                         manager_b=OK, manager_a=OK), "manager_a"),
    "hall:figures (hall A)": Check("get", f"{W}/figures/?hall={{hall_a}}",
                                   expect(403, anonymous=LOGIN, supervisor=OK, manager_a=OK),
                                   "manager_a"),
    # --- booking pages ---
    "hall_public:appointments": Check("get", "/appointments/", expect(OK, anonymous=LOGIN),
                                      "citizen"),
    "hall_public:appointment-choose": Check("get", "/appointments/items/{item_code}/",
                                            expect(OK, anonymous=LOGIN), "citizen"),
    "hall_public:appointment-choose (for her case)": Check(
        "get", "/appointments/items/{item_code}/?case={her_case}", OWN_BOOKING, "citizen"),
    "hall_public:appointment-confirm": Check(
        "get", "/appointments/confirm/?hall_item={item_a}&date={monday}&start=15:00",
        expect(OK, anonymous=LOGIN), "citizen"),
    "hall_public:appointment-confirm (book)": Check(
        "post", "/appointments/confirm/", expect(403, anonymous=LOGIN, citizen=409,
                                                 other_citizen=OK),
        "other_citizen", {"hall_item": "{item_a}", "date": "{monday}", "start": "15:00"},
        done=lambda w: Appointment.objects.filter(user=w.stranger.user).exists()),
    "hall_public:appointment-confirm (book for her case)": Check(
        "post", "/appointments/confirm/", expect(404, anonymous=LOGIN, citizen=None),
        data={"hall_item": "{item_a}", "date": "{monday}", "start": "15:00", "case": "{her_case}"},
        done=lambda w: Appointment.objects.filter(user=w.stranger.user).exists()),
    "hall_public:appointment": Check("get", "/appointments/{booking}/", OWN_BOOKING, "citizen"),
    "hall_public:appointment-cancel": Check(
        "post", "/appointments/{booking}/cancel/", OWN_BOOKING, "citizen",
        done=_booking_cancelled),
    "hall_public:appointment-reschedule": Check("get", "/appointments/{booking}/reschedule/",
                                                OWN_BOOKING, "citizen"),
    "hall_public:appointment-reschedule-save": Check(
        "post", "/appointments/{booking}/reschedule/save/", OWN_BOOKING, "citizen",
        {"date": "{monday}", "start": "15:00"},
        done=_booking_moved),
    # --- display, ticket page, remote queueing ---
    "hall_public:display": Check("get", "/hall/{hall_a}/display/", EVERYONE),
    "hall_public:display-events": Check("get", "/hall/{hall_a}/display/events/", EVERYONE),
    "hall_public:ticket": Check("get", "/hall/tickets/{walk_in_key}/", EVERYONE),
    "hall_public:ticket (unknown key)": Check("get", "/hall/tickets/{walk_in_key}x/", expect(404)),
    "hall_public:remote-queue": Check("get", "/hall/{hall_a}/queue/", expect(OK, anonymous=LOGIN),
                                      "citizen"),
    "hall_public:remote-take": Check(
        "post", "/hall/{hall_a}/queue/take/", expect(OK, anonymous=LOGIN), "citizen",
        {"hall_item": "{item_a}"},
        done=lambda w: Ticket.objects.filter(user=w.user, channel=Channel.PC).exists()),
    # --- booking API ---
    "api:booking_halls": Check("get", "/api/hall/appointments/halls?item_code={item_code}",
                               EVERYONE),
    "api:booking_slots": Check("get", "/api/hall/appointments/slots?hall_item_id={item_a}",
                               EVERYONE),
    "api:book": Check(
        "post", "/api/hall/appointments", expect(403, anonymous=401, citizen=409, other_citizen=OK),
        "other_citizen", {"hall_item_id": "{item_a}", "date": "{monday}", "start": "15:00"},
        done=lambda w: Appointment.objects.filter(user=w.stranger.user).exists()),
    "api:book (for her company)": Check(
        "post", "/api/hall/appointments", expect(403, anonymous=401, citizen=None),
        data={"hall_item_id": "{item_a}", "date": "{monday}", "start": "15:00",
              "company_id": "{company}"},
        prepare=lambda w: {"company": company(w.applicant).pk},
        done=lambda w: Appointment.objects.filter(company__isnull=False).exists()),
    "api:book (for her case)": Check(
        "post", "/api/hall/appointments", expect(404, anonymous=401, citizen=None),
        data={"hall_item_id": "{item_a}", "date": "{monday}", "start": "15:00",
              "case_id": "{her_case}"},
        done=lambda w: Appointment.objects.filter(user=w.stranger.user).exists()),
    "api:my_appointments": Check("get", "/api/hall/appointments", expect(OK, anonymous=401),
                                 "citizen"),
    "api:my_appointment": Check("get", "/api/hall/appointments/{booking}", OWN_BOOKING_API,
                                "citizen"),
    "api:cancel_appointment": Check(
        "post", "/api/hall/appointments/{booking}/cancel", OWN_BOOKING_API, "citizen",
        done=_booking_cancelled),
    "api:reschedule": Check(
        "post", "/api/hall/appointments/{booking}/reschedule", OWN_BOOKING_API, "citizen",
        {"date": "{monday}", "start": "15:00"},
        done=_booking_moved),
    # --- tickets API ---
    "api:display_feed": Check("get", "/api/hall/tickets/display/{hall_a}", EVERYONE),
    "api:ticket_place": Check("get", "/api/hall/tickets/by-key/{walk_in_key}", EVERYONE),
    "api:ticket_place (unknown key)": Check("get", "/api/hall/tickets/by-key/{walk_in_key}x",
                                            expect(404)),
    "api:remote_ticket": Check(
        "post", "/api/hall/tickets/remote", expect(403, anonymous=401, citizen=OK,
                                                   other_citizen=OK),
        "citizen", {"hall_item": "{item_a}"},
        done=lambda w: Ticket.objects.filter(user=w.user, channel=Channel.API).exists()),
    "api:current_ticket": Check("get", "/api/hall/tickets/current", expect(OK, anonymous=401),
                                "clerk_a"),
    "api:call_next": Check(
        "post", "/api/hall/tickets/call-next", expect(403, anonymous=401, clerk_a=OK), "clerk_a",
        {"window": "{a1}"}, done=_ticket_status(_walk_in, TicketStatus.CALLED)),
    "api:recall": Check(
        "post", "/api/hall/tickets/{called}/recall", CLERK_ACT_API, "clerk_a", prepare=_called,
        done=lambda w: _reload(Ticket, w.walk_in.pk).call_count == 2),
    "api:start": Check("post", "/api/hall/tickets/{called}/start", CLERK_ACT_API, "clerk_a",
                       prepare=_called, done=_ticket_status(_walk_in, TicketStatus.SERVING)),
    "api:finish": Check("post", "/api/hall/tickets/{called}/finish", CLERK_ACT_API, "clerk_a",
                        prepare=_called, done=_ticket_status(_walk_in, TicketStatus.DONE)),
    "api:skip": Check("post", "/api/hall/tickets/{called}/skip", CLERK_ACT_API, "clerk_a",
                      prepare=_called,
                      done=lambda w: _reload(Ticket, w.walk_in.pk).window_id is None),
    "api:transfer": Check("post", "/api/hall/tickets/{called}/transfer", CLERK_ACT_API, "clerk_a",
                          {"queue": "{queue_a2}"}, prepare=_called,
                          done=_ticket_status(_walk_in, TicketStatus.TRANSFERRED)),
    "api:transfer (to another hall's queue)": Check(
        "post", "/api/hall/tickets/{called}/transfer", expect(404, anonymous=401, manager_a=None),
        data={"queue": "{queue_b}"}, prepare=_called,
        done=_ticket_status(_walk_in, TicketStatus.TRANSFERRED)),
    "api:cancel_ticket (her ticket, by her)": Check(
        "post", "/api/hall/tickets/{her_ticket}/cancel",
        expect(404, anonymous=401, citizen=OK, clerk_a=None, manager_a=None), "citizen",
        done=lambda w: _reload(Ticket, w.her_ticket.pk).status == TicketStatus.CANCELLED),
    "api:cancel_ticket (a ticket, by a clerk of its hall)": Check(
        "post", "/api/hall/tickets/{walk_in}/cancel", expect(404, anonymous=401, manager_a=None,
                                                             clerk_a=OK),
        "clerk_a", done=_ticket_status(_walk_in, TicketStatus.CANCELLED)),
}


def outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/accounts/login/") else OK
    return OK if response.status_code in (200, 201) else response.status_code


def _fill(template, values):
    return template.format(**values) if isinstance(template, str) else template


@pytest.mark.parametrize("label", list(CHECKS))
def test_url_access(world, label):
    check = CHECKS[label]
    values = {**world.values(), **(check.prepare(world) if check.prepare else {})}
    path = _fill(check.path, values)
    data = {key: _fill(value, values) for key, value in check.data.items()}
    api = path.startswith("/api/")
    order = [r for r in ROLES if r != check.right and check.expected[r] is not None]
    for role in [*order, *([check.right] if check.right else [])]:
        player = check.players.get(role)
        client = world.client_for(getattr(world, player) if player else world.players[role])
        if check.method == "get":
            response = client.get(path)
        elif api:
            response = client.post(path, json.dumps(data), content_type="application/json")
        else:
            response = client.post(path, data)
        shown = response.content[:300] if not response.streaming else b"(stream)"
        assert outcome(response) == check.expected[role], (label, role, response.status_code, shown)
        if check.done is not None:
            assert check.done(world) == (role == check.right), (label, role, "done?")


# --- what each one sees ---------------------------------------------------------------------------


def test_the_hall_home_shows_only_ones_own_halls(client, world):
    client.force_login(world.clerk_b)
    page = client.get(f"{W}/").content.decode()
    assert world.hall_b.name in page and world.hall_a.name not in page
    client.force_login(world.outsider)
    page = client.get(f"{W}/").content.decode()
    assert world.hall_a.name not in page and world.hall_b.name not in page


def test_terminal_managers_see_only_their_halls_terminals(client, world):
    client.force_login(world.manager_b)
    assert world.terminal.code not in client.get(f"{W}/terminals/").content.decode()
    client.force_login(world.manager_a)
    assert world.terminal.code in client.get(f"{W}/terminals/").content.decode()


def test_a_citizen_sees_only_her_own_bookings(client, world):
    client.force_login(world.stranger.user)
    assert world.booking.code not in client.get("/appointments/").content.decode()
    assert client.get("/api/hall/appointments").json()["total"] == 0
    client.force_login(world.user)
    assert world.booking.code in client.get("/appointments/").content.decode()
    assert [a["code"] for a in client.get("/api/hall/appointments").json()["items"]] == [
        world.booking.code]


def test_the_ticket_page_shows_the_ticket_of_its_key_only(client, world):
    assert world.walk_in.number != world.her_ticket.number
    page = client.get(f"/hall/tickets/{world.walk_in.access_key}/").content.decode()
    assert world.walk_in.number in page and world.her_ticket.number not in page
    place = client.get(f"/api/hall/tickets/by-key/{world.her_ticket.access_key}").json()
    assert place["number"] == world.her_ticket.number


def test_the_current_ticket_is_the_one_at_ones_own_window(client, world):
    _called(world)
    for user in (world.clerk_b, world.manager_a, world.user):
        client.force_login(user)
        assert client.get("/api/hall/tickets/current").json() == {"ticket": None}, user
    client.force_login(world.clerk_a)
    assert client.get("/api/hall/tickets/current").json()["ticket"]["number"] == world.walk_in.number


def test_calling_as_clerk_b_never_touches_hall_a(client, world):
    """Clerk B calls at their own window: hall A's waiting tickets stay where they are."""
    client.force_login(world.clerk_b)
    client.post(f"{W}/calling/call/")
    answer = client.post("/api/hall/tickets/call-next", json.dumps({"window": world.b1.pk}),
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"ticket": None}
    assert not Ticket.objects.filter(hall=world.hall_a).exclude(status=TicketStatus.WAITING).exists()


def test_staff_need_the_second_factor(world):
    plain = Client()
    plain.force_login(world.clerk_a)
    answer = plain.get(f"{W}/calling/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/otp/")
    for method, path in (("get", "/api/hall/tickets/current"),
                         ("post", f"/api/hall/tickets/{world.walk_in.pk}/cancel")):
        answer = getattr(plain, method)(path)
        assert answer.status_code == 403, path
        assert answer.json()["code"] == "auth.second_factor_required"
    answer = plain.post("/api/hall/tickets/call-next", json.dumps({"window": world.a1.pk}),
                        content_type="application/json")
    assert answer.json()["code"] == "auth.second_factor_required"
    assert _reload(Ticket, world.walk_in.pk).status == TicketStatus.WAITING


# --- the self-service terminal --------------------------------------------------------------------

KIOSK_PAGES = {
    "hall_public:kiosk-home": ("get", "/kiosk/"),
    "hall_public:kiosk-card": ("get", "/kiosk/card/"),
    "hall_public:kiosk-sign-out": ("post", "/kiosk/sign-out/"),
    "hall_public:kiosk-ticket": ("get", "/kiosk/ticket/"),
    "hall_public:kiosk-check-in": ("get", "/kiosk/check-in/"),
    "hall_public:kiosk-slip": ("get", "/kiosk/tickets/{slip_key}/"),
    "hall_public:kiosk-progress": ("get", "/kiosk/progress/"),
    "hall_public:kiosk-licences": ("get", "/kiosk/licences/"),
    "hall_public:kiosk-licence": ("get", "/kiosk/licences/{licence}/"),
    "hall_public:kiosk-rate": ("get", "/kiosk/rate/"),
}


def _activated(world) -> Client:
    device = Client()
    answer = device.post("/kiosk/activate/", {"code": world.terminal.code, "secret": world.secret})
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/"
    return device


def _kiosk_values(world) -> dict:
    slip = terminals.take_ticket(world.terminal, world.item_a)
    return {"slip_key": slip.access_key, "licence": 999999}


@pytest.mark.parametrize("name", list(KIOSK_PAGES))
def test_kiosk_pages_need_an_activated_terminal(client, world, name):
    method, template = KIOSK_PAGES[name]
    device = _activated(world)
    path = template.format(**_kiosk_values(world))
    # No terminal: a portal session (citizen or clerk) is no terminal; a forged cookie neither.
    for user in (None, world.user, world.clerk_a):
        client.logout()
        if user is not None:
            client.force_login(user)
        answer = getattr(client, method)(path)
        assert answer.status_code == 302 and answer["Location"] == "/kiosk/activate/", (name, user)
    client.cookies[device_views.COOKIE] = f"{world.terminal.code}:{world.terminal.key_hash[:16]}"
    answer = getattr(client, method)(path)
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/activate/"
    # The activated terminal.
    answer = getattr(device, method)(path)
    if name == "hall_public:kiosk-licence":
        assert answer.status_code == 302 and answer["Location"] == "/kiosk/card/"  # no card read
        device.post("/kiosk/card/", {"placed": world.applicant.id_number})
        assert device.get(path).status_code == 404  # not a licence of hers
    else:
        assert answer.status_code in (200, 302), (name, answer.status_code)
        assert answer.status_code == 200 or not answer["Location"].startswith("/kiosk/activate/")
    # Revoked: the next touch is refused.
    terminals.revoke_terminal(world.manager_a, _reload(Terminal, world.terminal.pk))
    assert getattr(device, method)(path).status_code == 403


def test_kiosk_activation_needs_the_terminals_secret(world):
    device = Client()
    assert device.get("/kiosk/activate/").status_code == 200
    answer = device.post("/kiosk/activate/", {"code": world.terminal.code, "secret": "guess"})
    assert answer.status_code == 403 and device_views.COOKIE not in answer.cookies
    assert device.get("/kiosk/").status_code == 302


def test_a_kiosk_slip_is_only_of_a_ticket_taken_on_that_terminal(world):
    device = _activated(world)
    for ticket in (world.walk_in, world.her_ticket):  # taken, but not on this terminal
        assert device.get(f"/kiosk/tickets/{ticket.access_key}/").status_code == 404


def test_kiosk_check_in_is_for_bookings_of_the_terminals_hall(world):
    elsewhere = appointments.book(world.stranger.user, world.item_b, MONDAY, dt.time(14),
                                  channel=Channel.PC)
    device = _activated(world)
    answer = device.post("/kiosk/check-in/", {"code": elsewhere.code})
    assert answer.status_code == 409
    assert _reload(Appointment, elsewhere.pk).status == AppointmentStatus.BOOKED


PAD_PAGES = {
    "hall_public:pad": ("get", "/hall/pad/", {}),
    "hall_public:pad-rate": ("post", "/hall/pad/rate/", {"ticket": "{walk_in}", "level": "1"}),
}


@pytest.mark.parametrize("name", list(PAD_PAGES))
def test_pad_pages_need_an_activated_pad(client, world, name):
    method, path, body = PAD_PAGES[name]
    data = {key: _fill(value, world.values()) for key, value in body.items()}
    pad, secret = terminals.register_terminal(world.manager_a, name="A1评价器", hall=world.hall_a,
                                              location="台面", window=world.a1)
    for user in (None, world.user, world.clerk_a, world.manager_a):
        client.logout()
        if user is not None:
            client.force_login(user)
        answer = getattr(client, method)(path, data)
        assert answer.status_code == 302 and answer["Location"] == "/kiosk/activate/", (name, user)
    kiosk_device = _activated(world)  # a kiosk is no pad
    answer = getattr(kiosk_device, method)(path, data)
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/"
    device = Client()
    device.post("/kiosk/activate/", {"code": pad.code, "secret": secret})
    answer = getattr(device, method)(path, data)
    # The walk-in's ticket is not finished: the pad has nothing of it to rate.
    assert answer.status_code == (200 if method == "get" else 404), name
    terminals.revoke_terminal(world.manager_a, _reload(Terminal, pad.pk))
    assert getattr(device, method)(path, data).status_code == 403


TERMINAL_OPS = {
    "api:heartbeat": ("post", "/api/hall/terminals/heartbeat", {}),
    "api:items": ("get", "/api/hall/terminals/items", {}),
    "api:take_ticket": ("post", "/api/hall/terminals/tickets", {"hall_item_id": "{item_a}"}),
    "api:check_in": ("post", "/api/hall/terminals/check-ins", {"code": "{code}"}),
}


@pytest.mark.parametrize("name", list(TERMINAL_OPS))
def test_terminal_api_needs_the_terminal_key(client, world, name):
    method, path, body = TERMINAL_OPS[name]
    values = {**world.values(), "code": world.booking.code}
    payload = json.dumps({k: _fill(v, values) for k, v in body.items()})

    def call(key=None, session_of=None):
        client.logout()
        if session_of is not None:
            client.force_login(session_of)
        headers = {"X-Terminal-Key": key} if key is not None else {}
        if method == "get":
            return client.get(path, headers=headers)
        return client.post(path, payload, content_type="application/json", headers=headers)

    assert call().status_code == 401
    assert call(session_of=world.clerk_a).status_code == 401  # a session is no terminal
    assert call(session_of=world.manager_a).status_code == 401
    assert call(f"{world.terminal.code}:guess").status_code == 403
    assert call(f"NOPE:{world.secret}").status_code == 403
    assert call(f"{world.terminal.code}:{world.secret}").status_code in (200, 201)
    terminals.revoke_terminal(world.manager_a, _reload(Terminal, world.terminal.pk))
    answer = call(f"{world.terminal.code}:{world.secret}")
    assert answer.status_code == 403 and answer.json()["code"] == "terminal.revoked"


def test_a_terminal_serves_only_its_own_hall(client, world):
    key = {"X-Terminal-Key": f"{world.terminal.code}:{world.secret}"}
    items = client.get("/api/hall/terminals/items", headers=key).json()
    assert [i["id"] for i in items] == [world.item_a.pk]
    answer = client.post("/api/hall/terminals/tickets", json.dumps({"hall_item_id": world.item_b.pk}),
                         content_type="application/json", headers=key)
    assert answer.status_code == 404
    elsewhere = appointments.book(world.stranger.user, world.item_b, MONDAY, dt.time(14),
                                  channel=Channel.PC)
    answer = client.post("/api/hall/terminals/check-ins", json.dumps({"code": elsewhere.code}),
                         content_type="application/json", headers=key)
    assert answer.status_code == 409 and answer.json()["code"] == "appointment.wrong_hall"
    assert not Ticket.objects.filter(hall=world.hall_b).exists()


# --- every rule is exercised ----------------------------------------------------------------------


def test_every_rule_has_a_check():
    exercised = ({label.split(" ")[0] for label in CHECKS} | set(KIOSK_PAGES) | set(TERMINAL_OPS)
                 | set(PAD_PAGES))
    exercised |= {"hall_public:kiosk-activate"}  # test_kiosk_activation_needs_the_terminals_secret
    assert exercised == set(HALL_RULES)
