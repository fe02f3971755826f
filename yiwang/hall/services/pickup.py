"""统一出件: results of 窗口领取 cases wait at a hall's 出件窗口 and are handed over there.

When a case whose applicant chose 窗口领取 is certified (制证), its 送达 task opens and a
``ResultPickup`` is made in the same transaction for the hall where the case was taken in (its
``WindowCase``), else the nearest hall of the case's region (or a region above it) that has the
item stationed. The applicant is told the pick-up code and the place. At the 出件窗口 a hall
clerk signed in to that window checks the recipient — the applicant's ID number or the pick-up
code — records what was handed to whom, and the hand-over completes 送达 through the cases
service, in one transaction: nothing is recorded as handed over unless 送达 is recorded too."""

from __future__ import annotations

import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.services import citizen_of
from yiwang.cases.models import Case, DeliveryMethod
from yiwang.cases.services import deliver
from yiwang.cases.services._base import tell_applicant
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_id, mask_name
from yiwang.orgs.models import ServiceHall
from yiwang.supervision import audit

from ..access import require_hall_role
from ..case_access import WORKING_ROLES
from ..models import (
    HallItem,
    PickupStatus,
    ResultPickup,
    Window,
    WindowCase,
    WindowKind,
)
from . import windows

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_ATTEMPTS = 20
MAX_CONTENTS = 20
MAX_CONTENT_LENGTH = 100
PROOF_ID_NUMBER = "id_number"
PROOF_CODE = "pickup_code"
PROOF_LABELS = {PROOF_ID_NUMBER: "本人证件", PROOF_CODE: "取件码"}


# --- making the pick-up -------------------------------------------------------------------------


def hall_for(case: Case) -> ServiceHall | None:
    """Where the result of ``case`` waits: the hall it was taken in at, else the nearest hall of
    the case's region or a region above it where the item is stationed."""
    taken_in = WindowCase.objects.filter(case=case).select_related("hall").order_by("at", "id").first()
    if taken_in is not None:
        return taken_in.hall
    stationed = (HallItem.objects.filter(item_id=case.item_id, active=True)
                 .select_related("hall", "hall__region"))
    nearest = [entry.hall for entry in stationed if case.region.path.startswith(entry.hall.region.path)]
    nearest.sort(key=lambda hall: (-len(hall.region.path), hall.pk))
    return nearest[0] if nearest else None


def default_contents(case: Case) -> list[str]:
    """What usually goes over the counter: the decision and the result's paper copy."""
    contents = ["决定书"]
    if case.version.result_name:
        contents.append(f"{case.version.result_name}（纸质打印件）")
    return contents


def _new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def pickup_windows(hall: ServiceHall) -> list[Window]:
    return list(Window.objects.filter(hall=hall, kind=WindowKind.PICKUP, active=True))


def place(pickup: ResultPickup) -> str:
    """The place the applicant is told: the hall, its 出件窗口 and its address."""
    windows = "、".join(f"{w.number}号" for w in pickup_windows(pickup.hall))
    counter = f"{windows}出件窗口" if windows else "出件窗口"
    return f"{pickup.hall.name}{counter}（{pickup.hall.address}）"


def create_pickup(case: Case, *, now=None) -> ResultPickup | None:
    """The pick-up of a 窗口领取 case whose 送达 task has opened, and the message telling the
    applicant its code and place; None when no hall stations the item (the department then
    delivers as before). Runs in the caller's transaction (制证)."""
    hall = hall_for(case)
    if hall is None:
        logger.warning("No hall stations item %s for the pick-up of case %s", case.item_id, case.pk)
        return None
    now = now or timezone.now()
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: a clashing code is retried, not fatal
                pickup = ResultPickup.objects.create(case=case, hall=hall, code=_new_code(),
                                                     contents=default_contents(case), ready_at=now)
            break
        except IntegrityError:
            if ResultPickup.objects.filter(case=case).exists():
                raise
    else:
        raise Conflict("取件码生成失败，请重试", code="pickup.code_exhausted")
    audit.record("hall.pickup_ready", actor=None, subject=pickup,
                 summary=f"办件{case.number}的办理结果待{hall.name}出件窗口领取",
                 data={"case": case.number, "hall": hall.pk})
    tell_applicant(case, "办理结果待领取",
                   f"的办理结果已送至{place(pickup)}，请凭本人身份证或取件码 {pickup.code} 领取。")
    return pickup


def on_case_certified(sender, *, case: Case, **kwargs) -> None:
    """``cases.case_certified`` is sent right after 制证 opened the 送达 task."""
    if case.delivery_method == DeliveryMethod.WINDOW:
        create_pickup(case)


# --- who may hand over ----------------------------------------------------------------------------


def require_hall_clerk(clerk, hall: ServiceHall) -> None:
    require_hall_role(clerk, hall, *WORKING_ROLES)


def signed_in_pickup_window(clerk) -> Window | None:
    """The 出件窗口 ``clerk`` is signed in to today, if any."""
    session = windows.current_session(clerk)
    if session is None or session.window.kind != WindowKind.PICKUP or not session.window.active:
        return None
    return session.window


def require_pickup_window(clerk, window: Window, hall: ServiceHall) -> None:
    """A hall clerk of ``hall`` signed in to ``window``, one of its 出件窗口."""
    require_hall_clerk(clerk, hall)
    if window.hall_id != hall.pk:
        raise PermissionDenied("该办理结果不在本大厅出件", code="pickup.wrong_hall")
    if window.kind != WindowKind.PICKUP:
        raise PermissionDenied("请在出件窗口办理出件", code="pickup.not_pickup_window")
    windows.require_signed_in(clerk, window)


# --- finding ----------------------------------------------------------------------------------------


def waiting(hall: ServiceHall) -> QuerySet[ResultPickup]:
    """What waits at ``hall``'s 出件窗口, oldest first."""
    return (ResultPickup.objects.filter(hall=hall, status=PickupStatus.READY)
            .select_related("case", "case__version").order_by("ready_at", "id"))


def find(clerk, hall: ServiceHall, *, code: str = "", id_number: str = "") -> list[ResultPickup]:
    """The pick-ups waiting at ``hall`` for a code or for the applicant's ID number (the applying
    person's or, for a personal case, the applicant's on the form)."""
    require_hall_clerk(clerk, hall)
    code, id_number = (code or "").strip(), (id_number or "").strip().upper()
    if code:
        found = waiting(hall).filter(code=code)
    elif id_number:
        found = waiting(hall).filter(Q(case__applicant_id_number=id_number)
                                     | Q(case__applicant__citizen__id_number=id_number))
    else:
        raise ValidationError("请输入取件码或申请人身份证号", code="pickup.query_required")
    found = list(found)
    if not found:
        raise NotFound("没有找到待领取的办理结果", code="pickup.not_found")
    return found


def pickup_of(clerk, hall: ServiceHall, pk) -> ResultPickup:
    require_hall_clerk(clerk, hall)
    pickup = ResultPickup.objects.filter(hall=hall, pk=pk).select_related("case", "hall").first()
    if pickup is None:
        raise NotFound("没有找到该出件记录", code="pickup.not_found")
    return pickup


def waiting_for_applicant(case: Case) -> ResultPickup | None:
    """The citizen's case page shows its pick-up code and place while the result waits."""
    return (ResultPickup.objects.filter(case=case, status=PickupStatus.READY)
            .select_related("hall").first())


# --- handing over -----------------------------------------------------------------------------------


def _applicant_id_numbers(case: Case) -> set[str]:
    numbers = set()
    person = citizen_of(case.applicant)
    if person is not None:
        numbers.add(person.id_number.upper())
    if not case.company_id and case.applicant_id_number:
        numbers.add(case.applicant_id_number.upper())
    return numbers


def _check_recipient(pickup: ResultPickup, *, id_number: str | None, code: str | None) -> str:
    id_number, code = (id_number or "").strip().upper(), (code or "").strip()
    if id_number:
        if id_number not in _applicant_id_numbers(pickup.case):
            raise ValidationError("证件号码与申请人不符，不能领取", code="pickup.wrong_id_number")
        return PROOF_ID_NUMBER
    if code:
        if not secrets.compare_digest(code, pickup.code):
            raise ValidationError("取件码不正确", code="pickup.wrong_code")
        return PROOF_CODE
    raise ValidationError("请核对申请人身份证号或取件码", code="pickup.proof_required")


def _clean_contents(contents) -> list[str]:
    cleaned = [str(c).strip() for c in contents or [] if str(c).strip()]
    if not cleaned:
        raise ValidationError("请写明交付的材料", code="pickup.contents_required")
    if len(cleaned) > MAX_CONTENTS or any(len(c) > MAX_CONTENT_LENGTH for c in cleaned):
        raise ValidationError(f"出件内容最多{MAX_CONTENTS}项，每项不超过{MAX_CONTENT_LENGTH}个字符",
                              code="pickup.contents_too_long")
    return cleaned


@transaction.atomic
def hand_over(clerk, window: Window, pickup: ResultPickup, *, recipient_name: str,
              id_number: str | None = None, code: str | None = None, contents, now=None) -> ResultPickup:
    """出件: check the recipient by the applicant's ID number or the pick-up code, record who
    handed what to whom and when, and complete 送达 (窗口领取). The pick-up row is locked first,
    so of two clerks handing the same result over at once the second is told it is gone."""
    pickup = (ResultPickup.objects.select_for_update().order_by().filter(pk=pickup.pk)
              .values_list("pk", flat=True).first())
    if pickup is None:
        raise NotFound("没有找到该出件记录", code="pickup.not_found")
    pickup = ResultPickup.objects.select_related("case", "hall").get(pk=pickup)
    require_pickup_window(clerk, window, pickup.hall)
    if pickup.status == PickupStatus.COLLECTED:
        raise Conflict(f"该办理结果已于{timezone.localtime(pickup.collected_at):%Y-%m-%d %H:%M}领取",
                       code="pickup.collected")
    recipient_name = (recipient_name or "").strip()
    if not recipient_name or len(recipient_name) > 50:
        raise ValidationError("请填写领取人姓名（不超过50个字符）", code="pickup.recipient_required")
    proof = _check_recipient(pickup, id_number=id_number, code=code)
    contents = _clean_contents(contents)
    now = now or timezone.now()
    pickup.status, pickup.collected_at, pickup.window, pickup.handed_by = (
        PickupStatus.COLLECTED, now, window, clerk)
    pickup.recipient_name, pickup.proof, pickup.contents = recipient_name, proof, contents
    pickup.recipient_id_number = (id_number or "").strip().upper() if proof == PROOF_ID_NUMBER else ""
    pickup.save(update_fields=["status", "collected_at", "window", "handed_by", "recipient_name",
                               "recipient_id_number", "proof", "contents"])
    note = (f"{window.number}号出件窗口领取，领取人{mask_name(recipient_name)}"
            f"（核对{PROOF_LABELS[proof]}），交付：{'、'.join(contents)}")
    audit.record("hall.pickup_handed_over", actor=clerk, subject=pickup,
                 summary=f"办件{pickup.case.number}的办理结果在{window}交付", data={
                     "case": pickup.case.number, "window": window.number, "proof": proof,
                     "recipient": mask_name(recipient_name),
                     "recipient_id_number": mask_id(pickup.recipient_id_number),
                     "contents": contents})
    deliver(pickup.case, clerk, method=DeliveryMethod.WINDOW, note=note)
    return pickup
