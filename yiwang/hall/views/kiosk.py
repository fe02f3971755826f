"""自助终端 (kiosk mode): touch-screen pages for a registered terminal in a hall, a bank branch or
a post office.

The device is activated and re-checked on every request as ``device`` says. The person at the
terminal is known by their ID card (read through the reader) until they sign out or nobody has
touched the screen for ``HALL_KIOSK_IDLE_SECONDS`` (60 s): the page's script returns to the start
screen then, and the server forgets the person as well should the script not run. The person is
never logged in to the portal: the kiosk keeps only what it shows, in the session, the ID number
encrypted like every stored one."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps

import segno
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from yiwang.accounts.models import Citizen
from yiwang.cases import selectors as case_selectors
from yiwang.common import personal_data
from yiwang.common.errors import DomainError, NotFound
from yiwang.common.identifiers import mask_id, mask_name
from yiwang.evaluation import rating_views
from yiwang.evaluation.models import RatingChannel
from yiwang.evaluation.services import ratings
from yiwang.licences import rendering
from yiwang.licences import selectors as licence_selectors

from ..models import Ticket
from ..services import terminals, tickets
from .device import activate, device_view

PERSON_KEY = "hall_kiosk_person"
ID_NUMBER_CONTEXT = "hall.kiosk_session.id_number"


def idle_seconds() -> int:
    return settings.HALL_KIOSK_IDLE_SECONDS


@dataclass(frozen=True)
class KioskPerson:
    """Who stands at the terminal, from their ID card."""

    name: str
    id_number: str
    citizen_id: int | None

    @property
    def masked(self) -> str:
        return f"{mask_name(self.name)}（{mask_id(self.id_number)}）"

    @property
    def user(self):
        if self.citizen_id is None:
            return None
        citizen = Citizen.objects.select_related("user").filter(pk=self.citizen_id).first()
        return citizen.user if citizen else None


def _person(request, terminal) -> KioskPerson | None:
    stored = request.session.get(PERSON_KEY)
    if not stored:
        return None
    if stored.get("terminal") != terminal.code or time.time() - stored["seen"] > idle_seconds():
        request.session.pop(PERSON_KEY, None)
        return None
    stored["seen"] = time.time()
    request.session[PERSON_KEY] = stored
    return KioskPerson(name=stored["name"], citizen_id=stored["citizen"],
                       id_number=personal_data.decrypt(stored["id_number"], ID_NUMBER_CONTEXT))


def _remember(request, terminal, reading, citizen) -> None:
    request.session.cycle_key()
    request.session[PERSON_KEY] = {
        "terminal": terminal.code, "name": reading.name, "seen": time.time(),
        "citizen": citizen.pk if citizen else None,
        "id_number": personal_data.encrypt(reading.id_number, ID_NUMBER_CONTEXT)}


def _render(request, template: str, context: dict | None = None, status: int = 200):
    context = {"terminal": request.terminal, "person": request.kiosk_person,
               "idle_seconds": idle_seconds(), **(context or {})}
    return render(request, f"hall/kiosk/{template}", context, status=status)


def kiosk_view(view):
    """A page of the kiosk (``device.device_view``), with the person at it as
    ``request.kiosk_person``; a DomainError of the view is shown on the kiosk's own error page."""

    @wraps(view)
    @device_view(pad=False)
    def wrapper(request, *args, **kwargs):
        request.kiosk_person = _person(request, request.terminal)
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return _render(request, "error.html", {"error": exc}, status=exc.status)

    return wrapper


@kiosk_view
def home(request):
    return _render(request, "home.html")


@kiosk_view
def card(request):
    """读取身份证: the card is placed on the reader; in simulation the number pad says which."""
    if request.method == "POST":
        reading, citizen = terminals.card_log_in(request.terminal, request.POST.get("placed", ""))
        _remember(request, request.terminal, reading, citizen)
        return redirect(request.POST.get("next") if _safe_next(request.POST.get("next"))
                        else "hall_public:kiosk-home")
    return _render(request, "card.html", {"next": request.GET.get("next", "")})


def _safe_next(target: str | None) -> bool:
    return bool(target) and target.startswith("/kiosk/") and "//" not in target


@require_POST
@kiosk_view
def sign_out(request):
    """退出, by the person or by the idle time-out: the screen returns to the start, empty."""
    request.session.pop(PERSON_KEY, None)
    request.session.cycle_key()
    return redirect(reverse("hall_public:kiosk-home") + ("?timeout=1" if request.POST.get("timeout")
                                                         else ""))


@kiosk_view
def take_ticket(request):
    """取号: the hall's stationed items by queue; with an ID card read, the ticket carries the
    person (their bookings and cases reach the window clerk), without one it is anonymous."""
    if request.method == "POST":
        chosen = request.POST.get("hall_item", "")
        entry = (terminals.stationed_items(request.terminal).filter(pk=chosen).first()
                 if chosen.isdigit() and len(chosen) < 19 else None)
        if entry is None:
            raise NotFound("请选择本大厅办理的事项", code="terminal.item_not_stationed")
        person = request.kiosk_person
        ticket = terminals.take_ticket(
            request.terminal, entry, user=person.user if person else None,
            id_number=person.id_number if person else "", name=person.name if person else "")
        return redirect("hall_public:kiosk-slip", access_key=ticket.access_key)
    if request.terminal.hall_id is None:
        raise NotFound("本终端不在政务服务大厅，不能取号", code="terminal.no_hall")
    queues: dict = {}
    for entry in terminals.stationed_items(request.terminal):
        queues.setdefault(entry.queue, []).append(entry)
    return _render(request, "ticket.html", {"queues": queues})


@kiosk_view
def check_in(request):
    """预约签到 by the booking code, typed on the pad or scanned from the booking's QR code."""
    if request.method == "POST":
        ticket = terminals.check_in(request.terminal, request.POST.get("code", ""))
        return redirect("hall_public:kiosk-slip", access_key=ticket.access_key)
    return _render(request, "check_in.html")


@kiosk_view
def slip(request, access_key: str):
    """The ticket slip (排队小票) to print: only of a ticket taken on this terminal."""
    ticket = (Ticket.objects.select_related("queue", "hall", "hall_item__item__published_version")
              .filter(access_key=access_key, terminal=request.terminal).first())
    if ticket is None:
        raise NotFound("没有这张排队票", code="ticket.not_found")
    # The ticket's own page on the phone, as a QR code to scan from the slip.
    ticket_url = request.build_absolute_uri(reverse("hall_public:ticket", args=[access_key]))
    qr = segno.make(ticket_url, error="m").svg_inline(scale=3, omitsize=True)
    return _render(request, "slip.html", {"ticket": ticket, "position": tickets.position(ticket),
                                          "holder": mask_name(ticket.name), "ticket_url": ticket_url,
                                          "ticket_qr": mark_safe(qr)})  # noqa: S308 — segno's own SVG


@kiosk_view
def progress(request):
    """办件查询 through the portal's public progress query: the case number on the pad and the
    applicant's ID number — read from the card when one was read, typed otherwise."""
    context = {"number": request.POST.get("number", "").strip().upper()}
    person = request.kiosk_person
    if request.method == "POST":
        applicant = person.id_number if person else request.POST.get("applicant", "").strip().upper()
        case_selectors.throttle_progress_query(f"terminal:{request.terminal.code}")
        case = case_selectors.progress_lookup(context["number"], applicant)
        context["result"] = case_selectors.public_progress(case) if case else None
        context["not_found"] = case is None
        terminals.record_action(request.terminal, "progress_query", actor=person.user if person else None,
                                summary="办件进度查询", data={"found": case is not None})
    return _render(request, "progress.html", context)


def _licence_holder(request):
    person = request.kiosk_person
    if person is None:
        return None
    user = person.user
    if user is None:
        raise NotFound("您尚未注册一网通办账号，没有可打印的电子证照", code="terminal.no_account")
    return user


@kiosk_view
def licences(request):
    """打印证照: the card holder's licences (their wallet); a card must be read first."""
    user = _licence_holder(request)
    if user is None:
        return redirect(reverse("hall_public:kiosk-card") + "?next=" + reverse("hall_public:kiosk-licences"))
    return _render(request, "licences.html",
                   {"licences": licence_selectors.wallet_licences(user).order_by("-issued_at")[:20]})


@kiosk_view
def licence_copy(request, pk: int):
    """A printable copy of one of the card holder's licences, audited as printed on this terminal."""
    user = _licence_holder(request)
    if user is None:
        return redirect("hall_public:kiosk-card")
    licence = licence_selectors.wallet_licence(user, pk)
    terminals.record_action(request.terminal, "licence_printed", actor=user, subject=licence,
                            summary=f"打印证照 {licence.identifier}",
                            data={"identifier": licence.identifier})
    base_url = request.build_absolute_uri("/").rstrip("/")
    return _render(request, "licence_copy.html", rendering.card(licence, base_url=base_url))


@kiosk_view
def rate(request):
    """服务评价 (一次一评): the card holder rates their last ticket finished at this hall today;
    without an account the rating is theirs only here, on the spot (evaluation.services.ratings)."""
    person = request.kiosk_person
    if person is None:
        return redirect(reverse("hall_public:kiosk-card") + "?next=" + reverse("hall_public:kiosk-rate"))
    ticket = ratings.last_ticket_at_hall(request.terminal.hall, user=person.user,
                                         id_number=person.id_number)
    if ticket is None:
        raise NotFound("您今天在本大厅没有已办结的排队号，暂无可评价的服务", code="terminal.nothing_to_rate")
    rater, key = (person.user if ticket.user_id else None), ratings.ticket_key(ticket)
    context = {"ticket": ticket, "rating": ratings.rating_of(rater, key)}
    if request.method == "POST":
        values = rating_views.form_values(request)
        try:
            rating = ratings.rate(rater, event_key=key, channel=RatingChannel.TERMINAL, **values)
        except DomainError as exc:
            return _render(request, "rate.html", {**context, **rating_views.form_context(values=values),
                                                  "error": exc}, status=exc.status)
        return _render(request, "rated.html", {"ticket": ticket, "rating": rating})
    return _render(request, "rate.html", {**context, **rating_views.form_context(context["rating"])})


public_urlpatterns = [
    path("kiosk/", home, name="kiosk-home"),
    path("kiosk/activate/", activate, name="kiosk-activate"),
    path("kiosk/card/", card, name="kiosk-card"),
    path("kiosk/sign-out/", sign_out, name="kiosk-sign-out"),
    path("kiosk/ticket/", take_ticket, name="kiosk-ticket"),
    path("kiosk/check-in/", check_in, name="kiosk-check-in"),
    path("kiosk/tickets/<str:access_key>/", slip, name="kiosk-slip"),
    path("kiosk/progress/", progress, name="kiosk-progress"),
    path("kiosk/licences/", licences, name="kiosk-licences"),
    path("kiosk/licences/<int:pk>/", licence_copy, name="kiosk-licence"),
    path("kiosk/rate/", rate, name="kiosk-rate"),
]
