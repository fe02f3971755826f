"""Rating (好差评): one person rates one service event once, within the region's rating window,
and may change the rating while the window is open (each change kept in ``RatingChange``).

An event is named by its key (docs/evaluation.md): ``case:<id>`` (一事一评, by the applicant or
the company's representative, as ``cases.access`` decides who sees a case), ``ticket:<id>``
(一次一评 of a hall ticket, by its holder; a ticket without an account only at the terminal or the
window pad on the day it finished), ``overall:hall|department:<id>:<YYYY-MM>`` (综合点评 by any
signed-in person, once a month) and ``inspection:<uuid>`` (监督查评, by a supervisor of the
region). Invitations carry a one-time token (only its SHA-256 is stored) for the link
``/rate/<token>/``, which needs no log-in.

``rate`` sends ``signals.rating_given`` inside its transaction: the rectification (part B) and
the figures (part C) follow from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.cases import access as case_access
from yiwang.cases.models import DECIDED_STATUSES, Case, Status
from yiwang.common.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from yiwang.hall.models import Ticket, TicketStatus
from yiwang.orgs.models import Department, RegionRole, ServiceHall
from yiwang.orgs.services import scope_regions
from yiwang.supervision import audit

from ..models import (
    BAD_LEVELS,
    BadReviewReason,
    Level,
    Rating,
    RatingChange,
    RatingChannel,
    RatingInvitation,
    RatingKind,
)
from ..signals import rating_given
from . import policy

RATEABLE_CASE_STATUSES = (*DECIDED_STATUSES, Status.CERTIFIED, Status.DELIVERED, Status.NOT_ACCEPTED)
# Who stands at a terminal or window pad without an account may rate only there, and only a
# ticket finished that day: nobody else can be told apart from them.
ON_THE_SPOT_CHANNELS = (RatingChannel.HALL, RatingChannel.TERMINAL)
# What a person may choose where they rate themselves; hotline and SMS ratings come through the
# operator's and the token's own paths.
SELF_SERVICE_CHANNELS = (RatingChannel.PC, RatingChannel.MOBILE)
MAX_TEXT = 1000
TOKEN_BYTES = 32
OVERALL_KEY = re.compile(r"^overall:(hall|department):(\d{1,18}):(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class RatedEvent:
    """What a rating of ``key`` points at, and whose it is (``rater``: None for a ticket rated on
    the spot without an account). ``closes_at``: the end of the rating window."""

    key: str
    kind: str
    label: str
    region: object
    department: Department | None
    hall: ServiceHall | None
    item: object
    window: object
    staff: object
    event_at: dt.datetime
    closes_at: dt.datetime
    case: Case | None
    ticket: Ticket | None
    rater: object

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) <= self.closes_at


def _not_found() -> NotFound:
    return NotFound("没有可评价的服务记录", code="rating.not_found")


def _not_yours() -> PermissionDenied:
    return PermissionDenied("只有被服务的办事人（或其经办人）可以评价", code="rating.not_yours")


def _not_rateable(what: str) -> Conflict:
    return Conflict(f"{what}尚未办结，办结后才能评价", code="rating.not_rateable")


def _pk(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise _not_found()
    return int(text)


def _window(region, event_at: dt.datetime) -> dt.datetime:
    return event_at + dt.timedelta(days=policy.rating_days(region))


def _item_name(item) -> str:
    version = getattr(item, "published_version", None) if item is not None else None
    return version.name if version is not None else (str(item) if item is not None else "")


def _case_event(user, key: str, pk: int, now: dt.datetime) -> RatedEvent:
    case = (Case.objects.select_related("item__published_version", "version", "department",
                                        "region", "applicant", "company").filter(pk=pk).first())
    if case is None or case.number is None:
        raise _not_found()
    # Whoever may see the case as its applicant may rate it (cases.access decides, agents'
    # authorisations re-checked); for anyone else it is somebody else's case.
    try:
        if user is None or not case_access.applicant_cases(user).filter(pk=case.pk).exists():
            raise _not_yours()
        case_access.require_applicant(user, case)
    except (NotFound, PermissionDenied):
        raise _not_yours() from None
    if case.status not in RATEABLE_CASE_STATUSES:
        raise _not_rateable(f"办件{case.number}")
    # 不予受理 and 办结（不通过） close the case as they happen; a case rated between 办结 and
    # 送达 counts from the decision.
    event_at = case.closed_at or case.decided_at or now
    return RatedEvent(key=key, kind=RatingKind.CASE, label=f"办件{case.number}（{case.version.name}）",
                      region=case.region, department=case.department, hall=None, item=case.item,
                      window=None, staff=None, event_at=event_at,
                      closes_at=_window(case.region, event_at), case=case, ticket=None, rater=user)


def _ticket_event(user, key: str, pk: int, now: dt.datetime, channel: str | None) -> RatedEvent:
    ticket = (Ticket.objects.select_related("hall__region", "window", "served_by",
                                            "hall_item__item__department",
                                            "hall_item__item__published_version")
              .filter(pk=pk).first())
    if ticket is None:
        raise _not_found()
    if user is None:
        # On the spot without an account: only a ticket that has none, the day it finished.
        if ticket.user_id is not None or channel not in ON_THE_SPOT_CHANNELS:
            raise _not_yours()
    elif ticket.user_id != user.pk:
        raise _not_yours()
    if ticket.status != TicketStatus.DONE or ticket.finished_at is None:
        raise _not_rateable(f"{ticket.number}号")
    item = ticket.hall_item.item if ticket.hall_item_id else None
    region = ticket.hall.region
    closes_at = _window(region, ticket.finished_at)
    if user is None:
        local = timezone.localtime(ticket.finished_at)
        closes_at = min(closes_at, timezone.make_aware(
            dt.datetime.combine(local.date(), dt.time.max)))
    label = f"{ticket.hall.name}{ticket.number}号" + (f"（{_item_name(item)}）" if item else "")
    return RatedEvent(key=key, kind=RatingKind.EVENT, label=label, region=region,
                      department=item.department if item else None, hall=ticket.hall, item=item,
                      window=ticket.window, staff=ticket.served_by, event_at=ticket.finished_at,
                      closes_at=closes_at, case=None, ticket=ticket, rater=user)


def _month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, timezone.make_aware(dt.datetime.combine(following, dt.time.min)) - dt.timedelta(
        microseconds=1)


def _overall_event(user, key: str, now: dt.datetime) -> RatedEvent:
    match = OVERALL_KEY.match(key)
    if match is None:
        raise _not_found()
    what, pk, year, month = match.group(1), int(match.group(2)), int(match.group(3)), int(match.group(4))
    if not 1 <= month <= 12:
        raise _not_found()
    target = (ServiceHall if what == "hall" else Department).objects.select_related(
        "region").filter(pk=pk).first()
    if target is None:
        raise _not_found()
    if user is None:
        raise PermissionDenied("请先登录再点评", code="rating.login_required")
    start, end = _month_bounds(year, month)
    local = timezone.localtime(now)
    if (year, month) > (local.year, local.month):
        raise Conflict("不能点评未来的月份", code="rating.not_rateable")
    return RatedEvent(key=key, kind=RatingKind.OVERALL, label=f"{target.name}（{year}年{month}月综合点评）",
                      region=target.region, department=target if what == "department" else None,
                      hall=target if what == "hall" else None, item=None, window=None, staff=None,
                      event_at=start, closes_at=end, case=None, ticket=None, rater=user)


def overall_key(target, now: dt.datetime | None = None) -> str:
    """The key of this month's 综合点评 of a hall or department."""
    local = timezone.localtime(now or timezone.now())
    what = "hall" if isinstance(target, ServiceHall) else "department"
    return f"overall:{what}:{target.pk}:{local:%Y-%m}"


def _inspection_event(user, key: str) -> RatedEvent:
    rating = (Rating.objects.select_related("region", "department", "hall", "case", "item")
              .filter(event_key=key, kind=RatingKind.INSPECTION).first())
    if rating is None:
        raise _not_found()
    if user is None or rating.rater_id != user.pk:
        raise _not_yours()
    return RatedEvent(key=key, kind=RatingKind.INSPECTION, label=_inspection_label(rating.hall,
                      rating.department, rating.case), region=rating.region,
                      department=rating.department, hall=rating.hall, item=rating.item, window=None,
                      staff=None, event_at=rating.event_at,
                      closes_at=_window(rating.region, rating.event_at), case=rating.case,
                      ticket=None, rater=user)


def rateable_event(user, event_key: str, *, channel: str | None = None,
                   now: dt.datetime | None = None) -> RatedEvent:
    """The event ``event_key`` names, if ``user`` may rate it (NotFound ``rating.not_found``,
    PermissionDenied ``rating.not_yours``, Conflict ``rating.not_rateable`` before it ended).
    Whether the window is still open is ``RatedEvent.is_open``'s answer."""
    now = now or timezone.now()
    kind, _, rest = (event_key or "").partition(":")
    if kind == "case":
        return _case_event(user, event_key, _pk(rest), now)
    if kind == "ticket":
        return _ticket_event(user, event_key, _pk(rest), now, channel)
    if kind == "overall":
        return _overall_event(user, event_key, now)
    if kind == "inspection":
        return _inspection_event(user, event_key)
    raise _not_found()


# --- rating ---------------------------------------------------------------------------------------


def _clean_level(level) -> int:
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise ValidationError("请选择评价等级（非常满意至非常不满意）", code="rating.bad_level")
    return level


def _clean_reasons(level: int, codes, text: str) -> list[BadReviewReason]:
    """差评 needs at least one active standard reason and a text; other levels carry none."""
    if level not in BAD_LEVELS:
        return []
    codes = sorted({str(code) for code in (codes or ()) if code})
    if not codes:
        raise ValidationError("差评请选择至少一项差评原因", code="rating.reasons_required")
    reasons = list(BadReviewReason.objects.filter(code__in=codes, active=True))
    if len(reasons) != len(codes):
        unknown = sorted(set(codes) - {r.code for r in reasons})
        raise ValidationError("差评原因无效，请从列表中选择", code="rating.unknown_reason",
                              details={"unknown": unknown[:10]})
    if not text:
        raise ValidationError("差评请填写具体情况", code="rating.text_required")
    return reasons


def _clean_text(text) -> str:
    text = str(text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(f"评价内容不能超过{MAX_TEXT}个字", code="rating.text_too_long")
    return text


def _clean_channel(channel) -> str:
    if channel not in RatingChannel.values:
        raise ValidationError("评价渠道无效", code="rating.bad_channel")
    return channel


def _existing(event: RatedEvent) -> Rating | None:
    found = Rating.objects.select_for_update().filter(event_key=event.key)
    found = found.filter(rater=event.rater) if event.rater is not None else found.filter(
        rater__isnull=True, channel__in=ON_THE_SPOT_CHANNELS)
    return found.first()


def _reason_codes(rating: Rating) -> list[str]:
    return sorted(rating.reasons.values_list("code", flat=True))


def _record(rating: Rating, actor, created: bool, previous_level: int | None) -> None:
    verb = "评价" if created else "修改评价"
    audit.record("evaluation.rated" if created else "evaluation.rating_changed", actor=actor,
                 subject=rating, summary=f"{verb}：{rating.get_level_display()}（{rating.event_key}）",
                 data={"event": rating.event_key, "kind": rating.kind, "channel": rating.channel,
                       "level": rating.level, "previous_level": previous_level,
                       "reasons": _reason_codes(rating)})


def _save(event: RatedEvent, *, level: int, reasons: list[BadReviewReason], text: str,
          channel: str, agent, now: dt.datetime) -> tuple[Rating, bool, int | None]:
    rating = _existing(event)
    created, previous = rating is None, None
    if rating is None:
        rating = Rating(kind=event.kind, event_key=event.key, rater=event.rater, case=event.case,
                        ticket=event.ticket, hall=event.hall, window=event.window, staff=event.staff,
                        item=event.item, department=event.department, region=event.region,
                        created_at=now)
    else:
        previous = rating.level
        RatingChange.objects.create(rating=rating, old_level=rating.level, old_text=rating.text,
                                    old_reasons=_reason_codes(rating), changed_at=now)
    rating.level, rating.text, rating.channel, rating.agent = level, text, channel, agent
    rating.event_at, rating.updated_at = event.event_at, now
    rating.save()
    rating.reasons.set(reasons)
    return rating, created, previous


def rate(user, *, event_key: str, level: int, reasons=(), text: str = "", channel: str,
         agent=None, now: dt.datetime | None = None) -> Rating:
    """评价 ``event_key`` as ``user`` (the person served; ``agent`` who entered it for them, if
    anyone did). A second rating of the same event by the same person changes the first and
    keeps what it was in ``RatingChange``. Errors: see docs/evaluation.md."""
    now = now or timezone.now()
    channel = _clean_channel(channel)
    level = _clean_level(level)
    text = _clean_text(text)
    chosen = _clean_reasons(level, reasons, text)
    with transaction.atomic():
        event = rateable_event(user, event_key, channel=channel, now=now)
        if not event.is_open(now):
            raise Conflict("已超过可评价期限", code="rating.window_closed",
                           details={"closed_at": event.closes_at.isoformat()})
        try:
            with transaction.atomic():
                rating, created, previous = _save(event, level=level, reasons=chosen, text=text,
                                                  channel=channel, agent=agent, now=now)
        except IntegrityError:
            # The same person rating twice at once: the other request made the rating, this
            # one changes it.
            rating, created, previous = _save(event, level=level, reasons=chosen, text=text,
                                              channel=channel, agent=agent, now=now)
        _record(rating, agent or user, created, previous)
        rating_given.send(sender=Rating, rating=rating, created=created, previous_level=previous)
    return rating


def changeable(rating: Rating, now: dt.datetime | None = None) -> bool:
    """May the rater still change ``rating`` (its window open)? Inspections and on-the-spot
    ratings are not changed from the rater's pages."""
    if rating.rater_id is None or rating.kind == RatingKind.INSPECTION:
        return False
    if rating.kind == RatingKind.OVERALL:
        match = OVERALL_KEY.match(rating.event_key)
        local = timezone.localtime(now or timezone.now())
        return bool(match) and (int(match.group(3)), int(match.group(4))) == (local.year, local.month)
    return (now or timezone.now()) <= _window(rating.region, rating.event_at)


def my_ratings(user):
    """我的评价: the ratings ``user`` gave, newest first."""
    return (Rating.objects.filter(rater=user).exclude(kind=RatingKind.INSPECTION)
            .select_related("case__version", "ticket", "hall", "department", "region",
                            "rectification")
            .prefetch_related("reasons"))


def rating_of(user, event_key: str) -> Rating | None:
    if user is None or not user.is_authenticated:
        return None
    return Rating.objects.filter(event_key=event_key, rater=user).prefetch_related("reasons").first()


def active_reasons():
    return BadReviewReason.objects.filter(active=True)


def case_key(case) -> str:
    return f"case:{case.pk}"


def ticket_key(ticket) -> str:
    return f"ticket:{ticket.pk}"


# --- 监督查评 ------------------------------------------------------------------------------------


def _inspection_label(hall, department, case) -> str:
    if case is not None:
        return f"办件{case.number}"
    return (hall or department).name


def supervised_regions(user) -> list:
    return scope_regions(user, RegionRole.SUPERVISOR)


def _supervises(user, region) -> bool:
    return user.is_superuser or any(region.path.startswith(r.path) for r in supervised_regions(user))


def rate_inspection(supervisor, *, hall=None, department=None, case=None, level, reasons=(),
                    text: str = "", now: dt.datetime | None = None) -> Rating:
    """监督查评: a supervisor (监察员) of the region records a rating of a hall, a department or a
    case they inspected. Each is a new event (``inspection:<uuid>``)."""
    now = now or timezone.now()
    if sum(x is not None for x in (hall, department, case)) != 1:
        raise ValidationError("请选择被查评的大厅、部门或办件（其一）", code="rating.inspection_target")
    level = _clean_level(level)
    text = _clean_text(text)
    chosen = _clean_reasons(level, reasons, text)
    target = case or hall or department
    region = target.region
    if not _supervises(supervisor, region):
        raise PermissionDenied("只有该区划的监察员可以录入监督查评", code="permission.supervisor_required")
    if case is not None and case.status not in RATEABLE_CASE_STATUSES:
        raise _not_rateable(f"办件{case.number}")
    key = f"inspection:{uuid.uuid4()}"
    event = RatedEvent(key=key, kind=RatingKind.INSPECTION,
                       label=_inspection_label(hall, department, case), region=region,
                       department=case.department if case else department, hall=hall,
                       item=case.item if case else None, window=None, staff=None, event_at=now,
                       closes_at=_window(region, now), case=case, ticket=None, rater=supervisor)
    with transaction.atomic():
        rating, created, previous = _save(event, level=level, reasons=chosen, text=text,
                                          channel=RatingChannel.PC, agent=None, now=now)
        _record(rating, supervisor, created, previous)
        rating_given.send(sender=Rating, rating=rating, created=created, previous_level=previous)
    return rating


def inspections_by(user):
    return (Rating.objects.filter(kind=RatingKind.INSPECTION, rater=user)
            .select_related("hall", "department", "case", "region").prefetch_related("reasons"))


# --- invitations ----------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rating_link(token: str) -> str:
    return f"{settings.SITE_URL}/rate/{token}/"


def invite(user, *, event_key: str, channel: str, now: dt.datetime | None = None) -> str:
    """An invitation to ``user`` to rate ``event_key`` through the link ``/rate/<token>/``, valid
    until the rating window closes and for one rating. Returns the raw token (only its hash is
    kept); the caller sends the link."""
    now = now or timezone.now()
    channel = _clean_channel(channel)
    event = rateable_event(user, event_key, now=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    RatingInvitation.objects.create(event_key=event.key, user=user, case=event.case,
                                    ticket=event.ticket, token_hash=_hash(token), channel=channel,
                                    created_at=now, expires_at=event.closes_at)
    audit.record("evaluation.invited", actor=None, subject=event.case or event.ticket,
                 summary=f"邀请评价：{event.label}", data={"event": event.key, "channel": channel})
    return token


@dataclass(frozen=True)
class Invited:
    invitation: RatingInvitation
    event: RatedEvent
    rating: Rating | None


def _bad_token() -> NotFound:
    return NotFound("评价链接无效、已使用或已过期。您可以登录后在“我的评价”或办件页面评价。",
                    code="rating.bad_token")


def _invitation(token: str, now: dt.datetime, *, lock: bool = False) -> RatingInvitation:
    if not token or len(token) > 100:
        raise _bad_token()
    found = RatingInvitation.objects.select_related("user").filter(token_hash=_hash(token))
    invitation = (found.select_for_update() if lock else found).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at < now:
        raise _bad_token()
    return invitation


def rating_by_token(token: str, *, now: dt.datetime | None = None) -> Invited:
    """What the link ``/rate/<token>/`` rates, or NotFound ``rating.bad_token`` (unknown, forged,
    used or expired)."""
    now = now or timezone.now()
    invitation = _invitation(token, now)
    try:
        event = rateable_event(invitation.user, invitation.event_key, now=now)
    except DomainError:
        raise _bad_token() from None
    return Invited(invitation=invitation, event=event,
                   rating=rating_of(invitation.user, invitation.event_key))


def rate_by_token(token: str, *, level, reasons=(), text: str = "",
                  now: dt.datetime | None = None) -> Rating:
    """评价 through an invitation's link, as the invited person, over the channel it was sent
    by; the token is used up by the rating it leads to."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _invitation(token, now, lock=True)
        rating = rate(invitation.user, event_key=invitation.event_key, level=level,
                      reasons=reasons, text=text, channel=invitation.channel, now=now)
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
    return rating


def offer_for_case(user, case) -> dict | None:
    """What the case page's 评价本次办理 block shows ``user``: the event, their rating and whether
    it may still be given or changed; None where they may not rate the case (yet)."""
    if case.status not in RATEABLE_CASE_STATUSES:
        return None
    try:
        event = rateable_event(user, case_key(case))
    except DomainError:
        return None
    return {"event": event, "rating": rating_of(user, event.key), "open": event.is_open()}


def last_ticket_at_hall(hall, *, user=None, id_number: str = "",
                        now: dt.datetime | None = None) -> Ticket | None:
    """The person's last ticket finished at ``hall`` today (who they are: their account, else the
    ID card read at the terminal): what the terminal's 服务评价 rates."""
    person = Q()
    if user is not None:
        person |= Q(user=user)
    if id_number:
        person |= Q(id_number=id_number)
    if not person or hall is None:
        return None
    day = timezone.localdate(now or timezone.now())
    return (Ticket.objects.select_related("hall", "window", "hall_item__item__published_version")
            .filter(person, hall=hall, date=day, status=TicketStatus.DONE)
            .order_by("-finished_at", "-pk").first())


def _in_supervised(user, queryset, field: str = "region__path"):
    if user.is_superuser:
        return queryset
    scope = Q(pk__in=[])
    for region in supervised_regions(user):
        scope |= Q(**{f"{field}__startswith": region.path})
    return queryset.filter(scope)


def inspection_targets(user) -> tuple:
    """The halls and departments ``user`` may record 监督查评 of (their regions and below)."""
    return (_in_supervised(user, ServiceHall.objects.select_related("region")),
            _in_supervised(user, Department.objects.select_related("region")))


def may_inspect(user) -> bool:
    return user.is_superuser or bool(supervised_regions(user))


def inspected_case(user, number: str) -> Case:
    """The case of ``number`` among those the supervisor may see, or NotFound."""
    number = (number or "").strip().upper()[:50]
    case = case_access.staff_cases(user).filter(number=number).select_related(
        "region", "department", "item").first() if number else None
    if case is None:
        raise NotFound("未找到该办件，或不在您监督的区划内", code="rating.not_found")
    return case
