"""一窗受理 at the front desk: the clerk at a 综合 or 专业 window serves the person in front of
them — reads their ID card, finds or registers them (L3, in person), makes the application on
their behalf with the same case services as an online applicant uses (channel 窗口), fills in
the form, scans the paper materials, runs 预审, and then accepts at once for the department or
issues the 一次性告知 notice. The accepted case goes to the departments' review queues exactly
as an online case does (并联审查). Online cases that need their paper originals seen are
finished here too (核验原件).

The case is the person's (its applicant is their account); the clerk is the actor of every
step, and ``WindowCase`` rows keep at which window it was taken in, accepted or checked — what
lets the hall's clerks accept it (``case_access``) and what the 一窗受理 share is counted from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from yiwang.accounts import services as accounts
from yiwang.accounts.models import AssuranceLevel, Citizen, Company, ProxyAuthorization
from yiwang.cases import services as cases
from yiwang.cases.models import Case, CaseFile, Channel, DeliveryMethod, Status
from yiwang.cases.prereview import PreReview
from yiwang.catalog.models import MaterialForm
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_id, validate_resident_id
from yiwang.supervision import audit

from ..idcard import IdCardReading
from ..models import (
    OPEN_TICKET_STATUSES,
    HallItem,
    Ticket,
    Window,
    WindowCase,
    WindowKind,
    WindowSession,
)
from . import proxy as proxies
from . import windows

FRONT_DESK_KINDS = (WindowKind.COMPREHENSIVE, WindowKind.SPECIALISED)
# 帮办代办 authorisations are also registered at the 咨询/帮办 window (a village 代办员's).
PROXY_DESK_KINDS = (*FRONT_DESK_KINDS, WindowKind.CONSULT)


# --- who may work here ---------------------------------------------------------------------------


def require_front_desk(clerk, window: Window | None = None, *,
                       kinds: tuple[str, ...] = FRONT_DESK_KINDS) -> WindowSession:
    """The clerk's sign-in of today at a 综合 or 专业 window (``window`` if given): every
    front-desk action needs one. Signing in is where the roster and the clerk's hall or department
    were checked (``windows.sign_in``), so a clerk of another hall never gets this far."""
    session = (windows.require_signed_in(clerk, window) if window is not None
               else windows.current_session(clerk))
    if session is None:
        raise PermissionDenied("请先签入窗口", code="hall.not_signed_in")
    if session.window.kind not in kinds:
        raise PermissionDenied("一窗受理须在综合受理窗口或专业窗口办理", code="hall.wrong_window_kind")
    return session


def _ticket(window: Window, ticket: Ticket | None) -> Ticket | None:
    if ticket is None:
        return None
    ticket = Ticket.objects.select_for_update().filter(pk=ticket.pk, hall=window.hall_id).first()
    if ticket is None:
        raise NotFound("排队票不存在", code="hall.ticket_not_found")
    if ticket.status not in OPEN_TICKET_STATUSES or ticket.window_id not in (None, window.pk):
        raise Conflict(f"排队票{ticket.number}不在本窗口办理中", code="hall.ticket_not_here")
    return ticket


def serving_ticket(clerk, ticket_id) -> Ticket:
    """The ticket a clerk opens the front desk for (from the 叫号台): of the hall of the window
    they are signed in to, else NotFound."""
    session = require_front_desk(clerk)
    ticket = (Ticket.objects.select_related("hall_item__item", "appointment", "user")
              .filter(pk=ticket_id, hall=session.window.hall_id).first()
              if str(ticket_id).isdigit() else None)
    if ticket is None:
        raise NotFound("排队票不存在", code="hall.ticket_not_found")
    return ticket


def stationed_items(window: Window):
    """进驻事项 this window takes: the hall's active items of its kind; a 专业窗口 only its
    department's."""
    items = (HallItem.objects.filter(hall=window.hall_id, active=True, window_kind=window.kind,
                                     item__published_version__isnull=False)
             .select_related("item__published_version", "item__department", "queue"))
    if window.kind == WindowKind.SPECIALISED:
        items = items.filter(item__department=window.department_id)
    return items.order_by("queue__order", "item__published_version__name")


def _hall_item(window: Window, hall_item: HallItem) -> HallItem:
    found = stationed_items(window).filter(pk=hall_item.pk).first()
    if found is None:
        if HallItem.objects.filter(pk=hall_item.pk, hall=window.hall_id, active=True).exists():
            raise PermissionDenied("该事项不在本窗口受理，请引导到相应窗口",
                                   code="hall.item_not_for_window")
        raise NotFound("该事项未进驻本大厅", code="hall.item_not_stationed")
    return found


# --- the person ----------------------------------------------------------------------------------


def find_person(clerk, id_number: str, *, kinds: tuple[str, ...] = FRONT_DESK_KINDS
                ) -> Citizen | None:
    """The registered person with this ID number, or None. Every look-up is audited (staff
    reading personal data)."""
    session = require_front_desk(clerk, kinds=kinds)
    id_number = validate_resident_id((id_number or "").strip().upper())
    person = Citizen.objects.select_related("user").filter(id_number=id_number).first()
    audit.record("hall.person_looked_up", actor=clerk, subject=person,
                 summary=f"窗口查询办事人 {mask_id(id_number)}",
                 data={"window": session.window_id, "found": person is not None})
    return person


@transaction.atomic
def register_at_window(clerk, reading: IdCardReading, mobile: str) -> Citizen:
    """窗口现场注册 from a card just read: an account at L3 (see
    ``accounts.services.register_in_person``)."""
    session = require_front_desk(clerk)
    person = accounts.register_in_person(name=reading.name, id_number=reading.id_number,
                                         mobile=mobile, clerk=clerk)
    audit.record("hall.person_registered", actor=clerk, subject=person,
                 summary=f"窗口现场注册 {mask_id(reading.id_number)}",
                 data={"window": session.window_id})
    return person


@transaction.atomic
def person_from_card(clerk, reading: IdCardReading, *, mobile: str = "") -> Citizen:
    """The person whose card was just read: found and raised to L3 (现场核验), or registered
    with ``mobile``. A card whose name differs from the account's is refused: the account or
    the card is not this person's."""
    require_front_desk(clerk)
    person = find_person(clerk, reading.id_number)
    if person is None:
        if not mobile:
            raise ValidationError("此人尚未注册，请填写手机号以现场注册", code="hall.mobile_required")
        return register_at_window(clerk, reading, mobile)
    if person.name != reading.name:
        raise Conflict("证件姓名与该身份证号的注册账号不一致，请核实", code="hall.name_mismatch")
    return accounts.raise_to_in_person(person, clerk=clerk)


# --- the application -----------------------------------------------------------------------------


@transaction.atomic
def start_window_application(clerk, window: Window, person: Citizen, hall_item: HallItem, *,
                             ticket: Ticket | None = None, company: Company | None = None,
                             proxy: ProxyAuthorization | None = None,
                             delivery_method: str = DeliveryMethod.WINDOW,
                             now: dt.datetime | None = None) -> Case:
    """窗口收件: a new draft of ``hall_item`` for ``person`` (for ``company`` if they are its legal
    representative or agent), made by ``clerk`` at ``window``, recorded as received there.

    Without ``proxy`` the person stands at the counter and their card has been read (L3); with
    a 帮办代办 authorisation the clerk acts for them within its scope and time."""
    now = now or timezone.now()
    require_front_desk(clerk, window)
    hall_item = _hall_item(window, hall_item)
    ticket = _ticket(window, ticket)
    if proxy is not None:
        # Locked and read afresh: a revocation committed meanwhile is seen, or waits for this.
        proxy = ProxyAuthorization.objects.select_for_update().get(pk=proxy.pk)
        proxies.require_usable(proxy, principal_user=person.user,
                               item_code=hall_item.item.basic_code, today=timezone.localdate(now))
    elif person.assurance_level < AssuranceLevel.IN_PERSON:
        raise PermissionDenied("请先读取办事人的身份证，现场核验身份", code="hall.identity_not_checked")
    case = cases.start_in_person(person.user, hall_item.item,
                                 company_id=company.pk if company else None,
                                 channel=Channel.WINDOW, delivery_method=delivery_method,
                                 proxy_authorization=proxy)
    WindowCase.objects.create(hall=window.hall, window=window, case=case, ticket=ticket,
                              action=WindowCase.Action.RECEIVED, clerk=clerk, at=now)
    audit.record("hall.window_received", actor=clerk, subject=case,
                 on_behalf=company.name if company else person.name,
                 summary=f"{window}收件：{case.version.name}",
                 data={"hall": window.hall_id, "window": window.pk,
                       "ticket": ticket.number if ticket else "", "proxy": proxy.pk if proxy else None})
    return case


def window_case(clerk, window: Window, case_id) -> Case:
    """A case taken in or checked at the hall of ``window``, for the clerk signed in there; any
    other case does not exist for them."""
    require_front_desk(clerk, window)
    case = (Case.objects.select_related("item", "version", "department", "company", "applicant",
                                        "proxy_authorization")
            .filter(pk=case_id, pk__in=WindowCase.objects.filter(hall=window.hall_id)
                    .values("case_id")).first() if str(case_id).isdigit() else None)
    if case is None:
        raise NotFound("办件不存在或不在本大厅收件", code="hall.case_not_found")
    return case


def _draft(clerk, window: Window, case: Case) -> Case:
    case = window_case(clerk, window, case.pk)
    if case.status != Status.DRAFT:
        raise Conflict(f"办件已{case.get_status_display()}，不能再修改申请内容", code="case.not_editable")
    return case


def fill_form(clerk, window: Window, case: Case, form_data: dict, *,
              delivery_method: str | None = None) -> Case:
    """填写申请表 for the applicant (and the 送达方式 they choose)."""
    case = _draft(clerk, window, case)
    with transaction.atomic():
        case = cases.save_draft(case, case.applicant, form_data)
        if delivery_method is not None:
            if delivery_method not in DeliveryMethod.values:
                raise ValidationError("送达方式无效", code="case.delivery_method")
            Case.objects.filter(pk=case.pk).update(delivery_method=delivery_method)
            case.delivery_method = delivery_method
    return case


def upload_scan(clerk, window: Window, case: Case, material_id, upload) -> CaseFile:
    """扫描上传 a paper material the person brought."""
    case = _draft(clerk, window, case)
    return cases.attach_file(case, case.applicant, material_id, upload, clerk=clerk)


def prereview(clerk, window: Window, case: Case) -> PreReview:
    """预审: every problem at once, as submission would find them."""
    return cases.check_draft(_draft(clerk, window, case))


@transaction.atomic
def accept_at_window(clerk, window: Window, case: Case, *, tolerated: bool = False,
                     tolerated_until: dt.date | None = None, note: str = "",
                     now: dt.datetime | None = None) -> Case:
    """受理 at the counter: a draft taken in here is submitted for its applicant and accepted at
    once; an online case whose originals were checked here and that waits for acceptance is
    accepted. The acceptance opens the departments' review tasks as for any case. Either all of
    it happens or none (a failing 预审 or a missing 容缺 decision leaves the draft as it was)."""
    now = now or timezone.now()
    case = window_case(clerk, window, case.pk)
    if case.status == Status.DRAFT:
        case = cases.submit(case, case.applicant, clerk=clerk)
    elif case.status != Status.RECEIVED:
        raise Conflict(f"办件已{case.get_status_display()}，不能受理", code="case.not_received")
    case = cases.accept(case, clerk, tolerated=tolerated, tolerated_until=tolerated_until,
                        reason=note)
    received = WindowCase.objects.filter(case=case, hall=window.hall_id).order_by("at").first()
    WindowCase.objects.create(hall=window.hall, window=window, case=case,
                              ticket=received.ticket if received else None,
                              action=WindowCase.Action.ACCEPTED, clerk=clerk, at=now)
    audit.record("hall.window_accepted", actor=clerk, subject=case,
                 summary=f"{window}受理：办件{case.number}",
                 data={"hall": window.hall_id, "window": window.pk, "number": case.number})
    return case


@dataclass
class Notice:
    """一次性告知书: everything the person must bring or fix, in one notice."""

    case: Case
    defects: list[dict]
    note: str
    at: dt.datetime
    correction: object = None
    items: list[str] = field(default_factory=list)


@transaction.atomic
def issue_notice(clerk, window: Window, case: Case, *, defects: list[dict] | None = None,
                 note: str = "") -> Notice:
    """一次性告知 at the counter. A draft that 预审 finds incomplete is kept (the person may finish
    it online or come back with it) and the notice lists every problem 预审 found and the
    clerk's own; a complete draft in which the clerk finds the paper wanting is submitted and
    the 补正 notice (``cases.request_correction``) sent, as a department would, so the person
    fixes it online like any applicant."""
    case = window_case(clerk, window, case.pk)
    defects = list(defects or [])
    if case.status == Status.DRAFT:
        review = cases.check_draft(case)
        if not review.passed:
            found = [*review.defects, *defects]
            audit.record("hall.notice_issued", actor=clerk, subject=case,
                         summary=f"{window}一次性告知：{case.version.name}",
                         data={"window": window.pk, "defects": [d.get("message", "") for d in found],
                               "note": note[:500]})
            return Notice(case=case, defects=found, note=note, at=timezone.now())
        if not defects:
            raise ValidationError("预审已通过；如需补正，请列明需要补正的内容",
                                  code="case.defects_required")
        case = cases.submit(case, case.applicant, clerk=clerk)
    elif case.status != Status.RECEIVED:
        raise Conflict(f"办件已{case.get_status_display()}，不能再告知补正", code="case.not_received")
    correction = cases.request_correction(case, clerk, defects, note)
    return Notice(case=case, defects=correction.defects, note=correction.note,
                  at=correction.requested_at, correction=correction)


# --- 核验原件 ---------------------------------------------------------------------------------


def originals_of(case: Case):
    """The materials of which the guide asks for the paper original (纸质, 纸质和电子)."""
    return case.version.materials.filter(form__in=(MaterialForm.PAPER, MaterialForm.BOTH))


# Cases whose paper originals a window may still check: submitted and not yet closed.
ORIGINALS_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.CORRECTING, Status.REVIEWING,
                      Status.SPECIAL, Status.APPROVED, Status.APPROVED_TOLERATED, Status.CERTIFIED)


def find_case_for_originals(clerk, window: Window, number: str, id_number: str) -> Case:
    """An open case of an item stationed in this hall, by its number and the applicant's ID
    number (the person shows their card); anything else is NotFound, so the counter is no
    look-up service for other people's cases."""
    require_front_desk(clerk, window)
    id_number = validate_resident_id((id_number or "").strip().upper())
    case = (Case.objects.select_related("item", "version", "department", "company", "applicant")
            .filter(number=(number or "").strip()[:50], status__in=ORIGINALS_STATUSES,
                    item__hall_entries__hall=window.hall_id, item__hall_entries__active=True)
            .first())
    holder = accounts.citizen_of(case.applicant) if case else None
    if case is None or holder is None or holder.id_number != id_number:
        raise NotFound("没有找到该办件，请核对办件编号和申请人身份证号", code="hall.case_not_found")
    audit.record("hall.case_looked_up", actor=clerk, subject=case,
                 summary=f"窗口查询办件{case.number}（核验原件）", data={"window": window.pk})
    return case


@transaction.atomic
def check_originals(clerk, window: Window, case: Case, *, material_ids=None, note: str = "",
                    now: dt.datetime | None = None) -> WindowCase:
    """核验原件: the clerk has compared the paper originals with the uploads. Recorded on the case
    (history) and as a ``WindowCase``, which lets this hall's clerks accept the case if it still
    waits for acceptance."""
    now = now or timezone.now()
    require_front_desk(clerk, window)
    originals = list(originals_of(case))
    if material_ids is not None:
        wanted = {int(m) for m in material_ids if str(m).isdigit()}
        originals = [m for m in originals if m.pk in wanted]
    if not originals:
        raise ValidationError("该办件没有需要核验原件的材料", code="hall.no_originals")
    cases.record_originals_checked(case, clerk, place=f"{window.hall.name}{window}",
                                   materials=[m.name for m in originals], note=note)
    checked = WindowCase.objects.create(hall=window.hall, window=window, case=case,
                                        action=WindowCase.Action.ORIGINALS_CHECKED, clerk=clerk,
                                        at=now)
    audit.record("hall.originals_checked", actor=clerk, subject=case,
                 summary=f"{window}核验原件：办件{case.number}",
                 data={"window": window.pk, "materials": [m.name for m in originals]})
    return checked
