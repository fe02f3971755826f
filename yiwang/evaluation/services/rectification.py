"""差评整改 and 申诉: what follows a 差评.

A rating that becomes a 差评 opens a ``Rectification`` for its responsible party (the department,
else the hall) due ``policy.rectification_working_days`` working days after the rating. It moves
待核实 → 整改中 (``verify``: the finding) → 已整改 (``reply``: the answer to the rater) → 已回访
(``record_revisit`` by phone or online, or the rater's own verdict through ``confirm``).

Decisions (docs/evaluation.md leaves them to this part):

- The rater changing a 差评 into a good rating within the window keeps the rectification (the
  complaint was made and may have been acted on); the handlers are told and the audit notes it.
  A rating turning bad again while a rectification exists reopens nothing: the one rectification
  stands for the event.
- A verdict of 不满意 (by phone, or the rater online) sends the rectification back to 整改中 with
  a fresh deadline counted from that day; a second 不满意 after the second reply is final: the
  rectification stays 已回访 with the verdict 不满意 for the supervisors to see.
- An appeal leaves the clock running. An upheld appeal excludes the rating (kept, shown as
  已复核剔除) and closes its rectification as such: its status stays where it was, but it drops out
  of the lists, warnings and reminders, and nothing more can be done to it.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Case as SqlCase
from django.db.models import CharField, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.services import citizen_of
from yiwang.calendar.workdays import add_working_days
from yiwang.cases import deadlines
from yiwang.cases.services.monitoring import supervisors_of
from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_name
from yiwang.hall.models import HallMember, HallRole
from yiwang.notify.services import notify_user
from yiwang.orgs.models import Membership
from yiwang.supervision import audit

from .. import access, signals
from ..models import BAD_LEVELS, Appeal, AppealStatus, Rating, Rectification, RectificationStatus
from . import policy

MAX_TEXT = 2000
OPEN = (RectificationStatus.PENDING, RectificationStatus.RECTIFYING)
Status = RectificationStatus


def _text(value: str, *, code: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code=code)
    if len(value) > MAX_TEXT:
        raise ValidationError(f"内容不能超过{MAX_TEXT}字", code=f"{code.rsplit('_', 1)[0]}_too_long")
    return value


def due_on(region, start: dt.date) -> dt.date:
    return add_working_days(start, policy.rectification_working_days(region), region).due_date


def handlers(rect) -> list:
    """Who is told of a rectification: the department's 好差评管理员 and 部门管理员, or the hall's
    managers."""
    if rect.department_id:
        users = [m.user for m in Membership.objects.filter(
            department_id=rect.department_id, role__in=access.HANDLER_ROLES).select_related("user")]
    else:
        users = [m.user for m in HallMember.objects.filter(
            hall_id=rect.hall_id, role=HallRole.MANAGER).select_related("user")]
    return list({u.pk: u for u in users}.values())


def _tell(users, subject: str, text: str) -> None:
    for user in {u.pk: u for u in users if u is not None}.values():
        notify_user(user, subject, text)


def label(rating: Rating) -> str:
    """What the rating was about, for messages: the item, else the hall."""
    version = rating.item.published_version if rating.item_id else None
    if version is not None:
        return version.name
    return str(rating.hall or rating.department)


def masked_rater(rating: Rating) -> str:
    """The rater as staff see them: the handlers answer the complaint, not the person."""
    if rating.rater_id is None:
        return "匿名"
    citizen = citizen_of(rating.rater)
    return mask_name(citizen.name if citizen else rating.rater.get_full_name() or "评价人")


def rater_url(rect) -> str:
    return reverse("evaluation:rectification", args=[rect.pk])


# --- opening -----------------------------------------------------------------------------------


def on_rating_given(sender, rating: Rating, created: bool, previous_level, **kwargs) -> None:
    """``rating_given`` receiver, inside the rating's transaction."""
    rect = Rectification.objects.filter(rating=rating).first()
    was_bad = previous_level in BAD_LEVELS
    if rect is None:
        if rating.is_bad and not rating.excluded:
            open_rectification(rating)
        return
    if was_bad and not rating.is_bad and rect.status in OPEN:
        audit.record("evaluation.rectification.rating_improved", subject=rect,
                     summary=f"评价人将差评改为“{rating.get_level_display()}”，整改继续",
                     data={"rating": rating.pk, "from": previous_level, "to": rating.level})
        _tell(handlers(rect), "差评已被评价人修改",
              f"关于“{label(rating)}”的差评已被评价人改为“{rating.get_level_display()}”，"
              "整改工单保留，请继续核实并答复。")


def open_rectification(rating: Rating) -> Rectification:
    opened = rating.updated_at or rating.created_at or timezone.now()
    rect = Rectification.objects.create(
        rating=rating, department=rating.department,
        hall=None if rating.department_id else rating.hall, region=rating.region,
        opened_at=opened, due_on=due_on(rating.region, timezone.localdate(opened)))
    audit.record("evaluation.rectification.opened", subject=rect,
                 summary=f"差评生成整改工单，整改期限{rect.due_on:%Y-%m-%d}",
                 data={"rating": rating.pk, "due_on": str(rect.due_on)})
    signals.rectification_changed.send(sender=Rectification, rectification=rect,
                                       previous_status=None)
    _tell(handlers(rect), "收到差评，请核实整改",
          f"关于“{label(rating)}”收到一条{rating.get_level_display()}评价，"
          f"请于{rect.due_on:%Y-%m-%d}前核实整改并答复评价人。")
    return rect


# --- the department's steps --------------------------------------------------------------------


def _lock(user, rect: Rectification, *allowed: str) -> Rectification:
    """The rectification locked, after checking who acts and that its state allows the step."""
    locked = (Rectification.objects.select_for_update().order_by().get(pk=rect.pk))
    locked = Rectification.objects.select_related(
        "rating__item__published_version", "rating__hall", "rating__rater", "department", "hall",
        "region").get(pk=locked.pk)
    if user is not None:
        access.require_handler(user, locked.department, locked.hall)
    if locked.rating.excluded:
        raise Conflict("该差评已经复核剔除，无需整改", code="rectification.excluded")
    if allowed and locked.status not in allowed:
        raise Conflict(f"整改工单{locked.get_status_display()}，不能执行此操作",
                       code="rectification.wrong_state")
    return locked


def _changed(rect: Rectification, previous: str, kind: str, actor, summary: str, data=None):
    audit.record(f"evaluation.rectification.{kind}", actor=actor, subject=rect, summary=summary,
                 data={"from": previous, "to": rect.status, **(data or {})})
    signals.rectification_changed.send(sender=Rectification, rectification=rect,
                                       previous_status=previous)


@transaction.atomic
def verify(user, rect: Rectification, finding: str) -> Rectification:
    """核实: the department states what it found; 待核实 → 整改中."""
    finding = _text(finding, code="rectification.finding_required", message="请填写核实情况")
    rect = _lock(user, rect, Status.PENDING)
    previous = rect.status
    rect.finding, rect.verified_by, rect.verified_at = finding, user, timezone.now()
    rect.status = Status.RECTIFYING
    rect.save(update_fields=["finding", "verified_by", "verified_at", "status"])
    _changed(rect, previous, "verified", user, "核实差评，开始整改")
    return rect


@transaction.atomic
def reply(user, rect: Rectification, text: str) -> Rectification:
    """答复: the answer to the rater, who is told with a link to it; 整改中 → 已整改."""
    text = _text(text, code="rectification.reply_required", message="请填写整改答复")
    rect = _lock(user, rect, Status.RECTIFYING)
    previous = rect.status
    rect.reply, rect.replied_by, rect.replied_at = text, user, timezone.now()
    rect.status = Status.RECTIFIED
    rect.save(update_fields=["reply", "replied_by", "replied_at", "status"])
    _changed(rect, previous, "replied", user, "答复评价人，整改完成",
             data={"on_time": timezone.localdate(rect.replied_at) <= rect.due_on})
    if rect.rating.rater_id:
        notify_user(rect.rating.rater, "您的差评已整改答复",
                    f"您对“{label(rect.rating)}”的评价已整改答复：{text}\n"
                    f"查看并评价整改结果：{rater_url(rect)}")
    return rect


def _verdict_given(rect: Rectification, verdict: str, now) -> bool:
    """Record the rater's verdict; True when 不满意 sends the fix back (once only)."""
    reopen = (verdict == Rectification.Verdict.DISSATISFIED
              and rect.verdict != Rectification.Verdict.DISSATISFIED)
    rect.verdict, rect.verdict_at = verdict, now
    if reopen:
        rect.status = Status.RECTIFYING
        rect.due_on = due_on(rect.region, timezone.localdate(now))
        rect.last_reminded_on = None
    return reopen


def _check_verdict(verdict: str, *, required: bool) -> str:
    verdict = (verdict or "").strip()
    if not verdict and not required:
        return ""
    if verdict not in Rectification.Verdict.values:
        raise ValidationError("请选择对整改结果是否满意", code="rectification.bad_verdict")
    return verdict


def awaits_verdict(rect: Rectification) -> bool:
    """Replied to and not yet judged since the last reply."""
    return (rect.status in (Status.RECTIFIED, Status.REVISITED) and rect.replied_at is not None
            and (rect.verdict_at is None or rect.verdict_at < rect.replied_at))


def _after_verdict(rect, previous, actor, reopen: bool, how: str) -> None:
    rect.save()
    if reopen:
        _changed(rect, previous, "reopened", actor,
                 f"{how}对整改不满意，重新整改，期限{rect.due_on:%Y-%m-%d}",
                 data={"due_on": str(rect.due_on)})
        _tell(handlers(rect), "评价人对整改不满意",
              f"关于“{label(rect.rating)}”的整改，评价人表示不满意，"
              f"请于{rect.due_on:%Y-%m-%d}前重新整改并答复。")
    elif previous != rect.status:
        _changed(rect, previous, "revisited", actor, f"{how}：{rect.get_verdict_display()}")
    else:
        audit.record("evaluation.rectification.verdict", actor=actor, subject=rect,
                     summary=f"{how}：{rect.get_verdict_display()}", data={"verdict": rect.verdict})


@transaction.atomic
def record_revisit(user, rect: Rectification, method: str, note: str,
                   verdict: str = "") -> Rectification:
    """回访 after the reply: by phone (the rater's verdict heard and recorded), or online (the
    rater gives the verdict on their page); 已整改 → 已回访, or back to 整改中 on 不满意."""
    if method not in Rectification.RevisitMethod.values:
        raise ValidationError("请选择回访方式", code="rectification.bad_method")
    note = _text(note, code="rectification.note_required", message="请填写回访记录")
    verdict = _check_verdict(verdict, required=method == Rectification.RevisitMethod.PHONE)
    rect = _lock(user, rect)
    if rect.status != Status.RECTIFIED:
        raise Conflict("整改尚未答复评价人，不能回访办结", code="rectification.not_replied")
    previous, now = rect.status, timezone.now()
    rect.revisit_method, rect.revisit_note = method, note
    rect.revisited_by, rect.revisited_at = user, now
    rect.status = Status.REVISITED
    reopen = bool(verdict) and _verdict_given(rect, verdict, now)
    _after_verdict(rect, previous, user, reopen, rect.get_revisit_method_display())
    return rect


@transaction.atomic
def confirm(rater, rect: Rectification, verdict: str) -> Rectification:
    """The rater's own verdict on the fix (网上回访)."""
    verdict = _check_verdict(verdict, required=True)
    rect = _lock(None, rect)
    if rect.rating.rater_id is None or rect.rating.rater_id != getattr(rater, "pk", None):
        raise PermissionDenied("只有评价人本人可以评价整改结果", code="rectification.not_rater")
    if not awaits_verdict(rect):
        raise Conflict("整改答复后才能评价整改结果，且每次答复只能评价一次",
                       code="rectification.not_awaiting_verdict")
    previous, now = rect.status, timezone.now()
    if rect.status == Status.RECTIFIED:
        rect.revisit_method, rect.revisited_at = Rectification.RevisitMethod.ONLINE, now
        rect.status = Status.REVISITED
    reopen = _verdict_given(rect, verdict, now)
    _after_verdict(rect, previous, rater, reopen, "评价人网上评价")
    return rect


# --- appeals -----------------------------------------------------------------------------------


@transaction.atomic
def appeal(user, rating: Rating, ground: str, statement: str) -> Appeal:
    """申诉: the responsible party holds the 差评 malicious or off-topic."""
    rating = Rating.objects.select_for_update().order_by().get(pk=rating.pk)
    access.require_handler(user, rating.department, None if rating.department_id else rating.hall)
    if ground not in Appeal.Ground.values:
        raise ValidationError("请选择申诉理由", code="appeal.bad_ground")
    statement = _text(statement, code="appeal.statement_required", message="请填写申诉说明")
    if not rating.is_bad:
        raise Conflict("只能对差评提出申诉", code="appeal.not_bad")
    if rating.excluded:
        raise Conflict("该差评已经复核剔除", code="appeal.already_excluded")
    if rating.appeals.filter(status=AppealStatus.PENDING).exists():
        raise Conflict("该差评已有待复核的申诉", code="appeal.pending_exists")
    try:
        with transaction.atomic():
            filed = Appeal.objects.create(
                rating=rating, department=rating.department,
                hall=None if rating.department_id else rating.hall, ground=ground,
                statement=statement, filed_by=user, filed_at=timezone.now())
    except IntegrityError:
        raise Conflict("该差评已有待复核的申诉", code="appeal.pending_exists") from None
    audit.record("evaluation.appeal.filed", actor=user, subject=filed,
                 summary=f"对差评提出申诉：{filed.get_ground_display()}", data={"rating": rating.pk})
    _tell(supervisors_of(rating), "差评申诉待复核",
          f"{filed.department or filed.hall}对一条关于“{label(rating)}”的差评提出申诉"
          f"（{filed.get_ground_display()}），请复核。")
    return filed


@transaction.atomic
def decide_appeal(supervisor, appeal: Appeal, upheld: bool, decision: str) -> Appeal:
    """复核: upheld → the rating is kept but leaves the figures (``rating_excluded``)."""
    # The rating first, as ``appeal`` locks it; the row alone: FOR UPDATE over the outer joins
    # is refused by PostgreSQL.
    Rating.objects.select_for_update().order_by().filter(pk=appeal.rating_id).values_list("pk").get()
    appeal = Appeal.objects.select_for_update().order_by().get(pk=appeal.pk)
    rating = Rating.objects.select_related("region", "item__published_version", "hall",
                                           "department").get(pk=appeal.rating_id)
    if not access.can_review_appeals(supervisor, rating.region):
        raise PermissionDenied("您不是该区划的监察员，无权复核此申诉", code="appeal.not_reviewer")
    decision = _text(decision, code="appeal.decision_required", message="请填写复核意见")
    if appeal.status != AppealStatus.PENDING:
        raise Conflict("该申诉已经复核", code="appeal.decided")
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision = supervisor, timezone.now(), decision
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision"])
    audit.record("evaluation.appeal.decided", actor=supervisor, subject=appeal,
                 summary=f"复核申诉：{appeal.get_status_display()}",
                 data={"rating": rating.pk, "upheld": bool(upheld)})
    if upheld:
        rating.excluded = True
        rating.save(update_fields=["excluded"])
        audit.record("evaluation.rating.excluded", actor=supervisor, subject=rating,
                     summary="申诉成立，评价保留但不计入统计", data={"appeal": appeal.pk})
        signals.rating_excluded.send(sender=Rating, rating=rating)
    if appeal.filed_by_id:
        notify_user(appeal.filed_by, f"差评申诉{appeal.get_status_display()}",
                    f"您对关于“{label(rating)}”的差评提出的申诉已复核："
                    f"{appeal.get_status_display()}。复核意见：{decision}")
    return appeal


# --- warnings ----------------------------------------------------------------------------------


def is_open(rect: Rectification) -> bool:
    return rect.status in OPEN and not rect.rating.excluded


def warning(rect: Rectification, today: dt.date | None = None) -> deadlines.Warning | None:
    """The cases' colours (``cases.deadlines``) for a rectification still being worked on."""
    if not is_open(rect):
        return None
    return deadlines.warning_on(rect.due_on, rect.region, today)


def remind(today: dt.date | None = None) -> int:
    """Once a day per rectification: yellow to the handlers, red to the handlers and the
    supervisors of the region."""
    today = today or timezone.localdate()
    line = deadlines.yellow_line(today)
    candidates = (Rectification.objects.filter(status__in=OPEN, rating__excluded=False,
                                               due_on__lte=line + dt.timedelta(days=14))
                  .exclude(last_reminded_on=today)
                  .select_related("rating__item__published_version", "rating__hall",
                                  "rating__department", "region", "department", "hall"))
    reminded = 0
    for rect in candidates.iterator(chunk_size=500):
        alarm = warning(rect, today)
        if alarm is None or alarm.level == deadlines.GREEN:
            continue
        with transaction.atomic():
            about = f"关于“{label(rect.rating)}”的差评整改"
            if alarm.level == deadlines.RED:
                _tell(handlers(rect) + supervisors_of(rect), "差评整改超期",
                      f"{about}已超期{-alarm.days_left}个工作日（期限{rect.due_on:%Y-%m-%d}），"
                      "请立即整改答复。")
            else:
                _tell(handlers(rect), "差评整改即将到期",
                      f"{about}距整改期限{rect.due_on:%Y-%m-%d}还剩{alarm.days_left}个工作日。")
            Rectification.objects.filter(pk=rect.pk).update(last_reminded_on=today)
        reminded += 1
    return reminded


# --- the staff's lists ---------------------------------------------------------------------------

EXCLUDED = "excluded"
STATUS_FILTERS = {**dict(RectificationStatus.choices), EXCLUDED: "已复核剔除"}
WARNING_FILTERS = {deadlines.RED: deadlines.WARNING_LABELS[deadlines.RED],
                   deadlines.YELLOW: deadlines.WARNING_LABELS[deadlines.YELLOW]}


def _warning_level(today: dt.date) -> SqlCase:
    """The colour in SQL, as ``warning`` gives it, so that the filter and the rows agree."""
    open_ = Q(status__in=OPEN, rating__excluded=False)
    return SqlCase(When(open_ & Q(due_on__lt=today), then=Value(deadlines.RED)),
                   When(open_ & Q(due_on__lte=deadlines.yellow_line(today)),
                        then=Value(deadlines.YELLOW)),
                   default=Value(""), output_field=CharField())


def queue(user, *, status: str = "", warning: str = "", q: str = "",
          today: dt.date | None = None) -> QuerySet[Rectification]:
    """差评整改 the user handles, the most urgent first; rectifications of excluded ratings only
    when asked for (``status="excluded"``). ``q`` finds the item's name or the case number."""
    today = today or timezone.localdate()
    rects = (access.handled_rectifications(user)
             .select_related("rating__item__published_version", "rating__case", "rating__rater",
                             "rating__hall", "department", "hall", "region")
             .annotate(warning_level=_warning_level(today)))
    if status == EXCLUDED:
        rects = rects.filter(rating__excluded=True)
    else:
        rects = rects.filter(rating__excluded=False)
        if status in RectificationStatus.values:
            rects = rects.filter(status=status)
    if warning in WARNING_FILTERS:
        rects = rects.filter(warning_level=warning)
    q = (q or "").strip()[:100]
    if q:
        rects = rects.filter(Q(rating__item__published_version__name__icontains=q)
                             | Q(rating__case__number__icontains=q)
                             | Q(rating__hall__name__icontains=q))
    # The open ones first: a year of finished rectifications must not push today's work off the
    # first page.
    finished = SqlCase(When(status__in=OPEN, then=Value(0)), default=Value(1),
                       output_field=IntegerField())
    return rects.order_by(finished, "due_on", "pk")


def appeal_queue(user, *, status: str = AppealStatus.PENDING) -> QuerySet[Appeal]:
    appeals = access.reviewable_appeals(user).select_related(
        "rating__item__published_version", "rating__region", "department", "hall", "filed_by")
    if status in AppealStatus.values:
        appeals = appeals.filter(status=status)
    return appeals.order_by("filed_at", "pk")
