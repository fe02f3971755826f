"""差评整改 and 申诉 services: opening on a 差评, the four states, the rater's verdict, appeals
and their review, the warnings and the daily reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.evaluation.rectify_world import DUE, RATED_AT, RectifyWorld
from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.evaluation import signals
from yiwang.evaluation.models import (
    Appeal,
    AppealStatus,
    EvaluationPolicy,
    Rectification,
    RectificationStatus,
)
from yiwang.evaluation.services import rectification as rectify
from yiwang.notify.models import Message
from yiwang.supervision.models import AuditRecord

S = RectificationStatus
V = Rectification.Verdict


@pytest.fixture
def w(db):
    return RectifyWorld()


@pytest.fixture
def changes():
    seen = []

    def listen(sender, rectification, previous_status, **kwargs):
        seen.append((previous_status, rectification.status))

    signals.rectification_changed.connect(listen)
    yield seen
    signals.rectification_changed.disconnect(listen)


def inbox(user, subject=None):
    messages = Message.objects.filter(user=user, channel="inbox")
    if subject:
        messages = messages.filter(subject=subject)
    return list(messages.values_list("body", flat=True))


def kinds(subject):
    return list(AuditRecord.objects.filter(subject_type=subject._meta.label_lower,
                                           subject_id=str(subject.pk)).values_list("kind", flat=True))


def replied(w, rating=None):
    rect = (rating or w.rating()).rectification
    rect = rectify.verify(w.handler, rect, "窗口人员离岗未报备，属实")
    return rectify.reply(w.handler, rect, "已对相关人员批评教育，增设引导岗")


# --- opening -------------------------------------------------------------------------------------


def test_a_bad_rating_opens_a_rectification_due_in_15_working_days(w, changes):
    rating = w.rating(level=4)
    rect = rating.rectification
    assert (rect.status, rect.department, rect.hall, rect.region) == (S.PENDING, w.market, None,
                                                                      w.province)
    assert rect.due_on == DUE
    assert changes == [(None, S.PENDING)]
    assert kinds(rect) == ["evaluation.rectification.opened"]
    # The department's 好差评管理员 and 部门管理员 are told; its case clerk is not.
    assert "2026-12-28" in inbox(w.handler, "收到差评，请核实整改")[0]
    assert inbox(w.dept_admin, "收到差评，请核实整改")
    assert inbox(w.clerk) == [] and inbox(w.outsider) == []


def test_the_deadline_follows_the_regions_policy(w):
    EvaluationPolicy.objects.create(region=w.province, rating_days=15,
                                    rectification_working_days=5)
    assert w.rating().rectification.due_on == dt.date(2026, 12, 14)


def test_good_ratings_open_nothing_and_a_hall_answers_for_what_no_department_does(w):
    assert not Rectification.objects.filter(rating=w.rating(level=3)).exists()
    rect = w.rating(hall=w.hall).rectification
    assert (rect.department, rect.hall) == (None, w.hall)
    assert inbox(w.manager, "收到差评，请核实整改") and inbox(w.other_manager) == []


def test_a_rating_turned_bad_within_the_window_opens_one(w):
    rating = w.rating(level=2)
    w.change(rating, 5)
    assert rating.rectification.status == S.PENDING
    w.change(rating, 4)
    assert Rectification.objects.filter(rating=rating).count() == 1


def test_a_bad_rating_turned_good_keeps_its_rectification_and_tells_the_handlers(w):
    rating = w.rating(level=5)
    w.change(rating, 1)
    rect = Rectification.objects.get(rating=rating)
    assert rect.status == S.PENDING
    assert "evaluation.rectification.rating_improved" in kinds(rect)
    assert "非常满意" in inbox(w.handler, "差评已被评价人修改")[0]


# --- the department's steps ----------------------------------------------------------------------


def test_verify_reply_and_revisit_by_phone(w, changes):
    rect = replied(w)
    assert rect.status == S.RECTIFIED and rect.replied_by == w.handler
    body = inbox(w.rater, "您的差评已整改答复")[0]
    assert "增设引导岗" in body and f"/evaluation/rectifications/{rect.pk}/" in body
    rect = rectify.record_revisit(w.dept_admin, rect, "phone", "电话联系王芳，认可整改", V.SATISFIED)
    assert (rect.status, rect.verdict, rect.revisit_method) == (S.REVISITED, V.SATISFIED, "phone")
    assert changes[1:] == [(S.PENDING, S.RECTIFYING), (S.RECTIFYING, S.RECTIFIED),
                           (S.RECTIFIED, S.REVISITED)]
    assert kinds(rect)[1:] == ["evaluation.rectification.verified",
                               "evaluation.rectification.replied",
                               "evaluation.rectification.revisited"]


def test_a_rectification_cannot_be_closed_without_a_reply(w):
    rect = w.rating().rectification
    with pytest.raises(Conflict) as error:
        rectify.record_revisit(w.handler, rect, "phone", "已回访", V.SATISFIED)
    assert error.value.code == "rectification.not_replied"
    rect = rectify.verify(w.handler, rect, "属实")
    with pytest.raises(ValidationError) as error:
        rectify.reply(w.handler, rect, "   ")
    assert error.value.code == "rectification.reply_required"
    with pytest.raises(Conflict):
        rectify.record_revisit(w.handler, rect, "online", "已回访")
    rect.refresh_from_db()
    assert (rect.status, rect.reply) == (S.RECTIFYING, "")


def test_bad_input_to_the_steps(w):
    rect = w.rating().rectification
    with pytest.raises(ValidationError) as error:
        rectify.verify(w.handler, rect, "")
    assert error.value.code == "rectification.finding_required"
    with pytest.raises(Conflict) as error:
        rectify.reply(w.handler, rect, "答复")  # not verified yet
    assert error.value.code == "rectification.wrong_state"
    rect = replied(w, rect.rating)
    with pytest.raises(ValidationError) as error:
        rectify.record_revisit(w.handler, rect, "fax", "记录", V.SATISFIED)
    assert error.value.code == "rectification.bad_method"
    with pytest.raises(ValidationError) as error:
        rectify.record_revisit(w.handler, rect, "phone", "记录")  # a phone call hears a verdict
    assert error.value.code == "rectification.bad_verdict"
    with pytest.raises(ValidationError) as error:
        rectify.record_revisit(w.handler, rect, "phone", "", V.SATISFIED)
    assert error.value.code == "rectification.note_required"


@pytest.mark.parametrize("who", ["outsider", "clerk", "other_manager", "supervisor", "rater"])
def test_someone_of_another_department_cannot_act(w, who):
    rect = w.rating().rectification
    with pytest.raises(PermissionDenied) as error:
        rectify.verify(getattr(w, who), rect, "属实")
    assert error.value.code == "rectification.not_handler"
    rect.refresh_from_db()
    assert rect.status == S.PENDING and rect.finding == ""


def test_only_the_halls_managers_handle_a_halls_rectification(w):
    rect = w.rating(hall=w.hall).rectification
    with pytest.raises(PermissionDenied):
        rectify.verify(w.handler, rect, "属实")
    with pytest.raises(PermissionDenied):
        rectify.verify(w.other_manager, rect, "属实")
    assert rectify.verify(w.manager, rect, "属实").status == S.RECTIFYING


# --- the rater's verdict -------------------------------------------------------------------------


def test_the_rater_is_satisfied_online(w):
    rect = rectify.confirm(w.rater, replied(w), V.SATISFIED)
    assert (rect.status, rect.verdict, rect.revisit_method) == (S.REVISITED, V.SATISFIED, "online")
    with pytest.raises(Conflict) as error:
        rectify.confirm(w.rater, rect, V.DISSATISFIED)  # one verdict per reply
    assert error.value.code == "rectification.not_awaiting_verdict"


def test_only_the_rater_gives_a_verdict_and_only_after_the_reply(w):
    rect = w.rating().rectification
    with pytest.raises(Conflict):
        rectify.confirm(w.rater, rect, V.SATISFIED)
    rect = replied(w, rect.rating)
    for someone in (w.stranger, w.handler):
        with pytest.raises(PermissionDenied):
            rectify.confirm(someone, rect, V.SATISFIED)
    with pytest.raises(ValidationError):
        rectify.confirm(w.rater, rect, "meh")


def test_dissatisfied_reopens_once_with_a_fresh_deadline(w, changes, monkeypatch):
    rect = replied(w)
    day = dt.date(2026, 12, 14)
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(dt.datetime.combine(
        day, dt.time(9))))
    rect = rectify.confirm(w.rater, rect, V.DISSATISFIED)
    assert (rect.status, rect.verdict) == (S.RECTIFYING, V.DISSATISFIED)
    assert rect.due_on == dt.date(2027, 1, 5)  # 15 working days from 14 December, 元旦 skipped
    assert "不满意" in inbox(w.handler, "评价人对整改不满意")[0]
    day = dt.date(2026, 12, 15)
    rect = rectify.reply(w.handler, rect, "再次整改：增派窗口人员")
    rect = rectify.record_revisit(w.handler, rect, "online", "已发送网上回访链接")
    assert rect.status == S.REVISITED and rect.verdict == V.DISSATISFIED
    rect = rectify.confirm(w.rater, rect, V.DISSATISFIED)
    # The second 不满意 is final: the supervisors see it, the rectification is done.
    assert (rect.status, rect.verdict) == (S.REVISITED, V.DISSATISFIED)
    assert changes[-2:] == [(S.RECTIFYING, S.RECTIFIED), (S.RECTIFIED, S.REVISITED)]


def test_dissatisfied_by_phone_reopens_too(w):
    rect = rectify.record_revisit(w.handler, replied(w), "phone", "评价人仍不满意", V.DISSATISFIED)
    assert rect.status == S.RECTIFYING and "evaluation.rectification.reopened" in kinds(rect)


# --- appeals -------------------------------------------------------------------------------------


def test_an_upheld_appeal_excludes_the_rating_and_closes_its_rectification(w):
    rating = w.rating(text="与办事无关的广告")
    excluded = []
    signals.rating_excluded.connect(lambda sender, rating, **kw: excluded.append(rating.pk),
                                    weak=False, dispatch_uid="test-excluded")
    try:
        appeal = rectify.appeal(w.handler, rating, "off_topic", "评价内容为广告，与服务无关")
        assert inbox(w.supervisor, "差评申诉待复核") and inbox(w.city_supervisor) == []
        appeal = rectify.decide_appeal(w.supervisor, appeal, True, "内容确与服务无关")
    finally:
        signals.rating_excluded.disconnect(dispatch_uid="test-excluded")
    rating.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and rating.excluded and excluded == [rating.pk]
    assert "内容确与服务无关" in inbox(w.handler, "差评申诉申诉成立")[0]
    rect = rating.rectification
    assert rect.status == S.PENDING and rectify.warning(rect, dt.date(2027, 1, 4)) is None
    with pytest.raises(Conflict) as error:
        rectify.verify(w.handler, rect, "属实")
    assert error.value.code == "rectification.excluded"
    with pytest.raises(Conflict) as error:
        rectify.appeal(w.handler, rating, "malicious", "再申诉")
    assert error.value.code == "appeal.already_excluded"
    assert "evaluation.rating.excluded" in kinds(rating)


def test_a_rejected_appeal_leaves_the_rating_counted(w):
    rating = w.rating()
    appeal = rectify.appeal(w.dept_admin, rating, "malicious", "评价人多次恶意差评")
    appeal = rectify.decide_appeal(w.supervisor, appeal, False, "证据不足")
    rating.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED and not rating.excluded
    with pytest.raises(Conflict) as error:
        rectify.decide_appeal(w.supervisor, appeal, True, "改判")
    assert error.value.code == "appeal.decided"


def test_bad_appeals(w):
    rating = w.rating()
    with pytest.raises(ValidationError) as error:
        rectify.appeal(w.handler, rating, "malicious", "  ")
    assert error.value.code == "appeal.statement_required"
    with pytest.raises(ValidationError) as error:
        rectify.appeal(w.handler, rating, "ugly", "说明")
    assert error.value.code == "appeal.bad_ground"
    with pytest.raises(PermissionDenied):
        rectify.appeal(w.outsider, rating, "malicious", "说明")
    rectify.appeal(w.handler, rating, "malicious", "说明")
    with pytest.raises(Conflict) as error:
        rectify.appeal(w.dept_admin, rating, "off_topic", "第二次")
    assert error.value.code == "appeal.pending_exists"
    assert Appeal.objects.filter(rating=rating).count() == 1
    with pytest.raises(Conflict) as error:
        rectify.appeal(w.handler, w.rating(level=2), "malicious", "好评也申诉")
    assert error.value.code == "appeal.not_bad"


def test_a_supervisor_of_another_region_cannot_decide(w):
    appeal = rectify.appeal(w.handler, w.rating(), "malicious", "说明")
    for someone in (w.city_supervisor, w.handler):
        with pytest.raises(PermissionDenied) as error:
            rectify.decide_appeal(someone, appeal, True, "成立")
        assert error.value.code == "appeal.not_reviewer"
    with pytest.raises(ValidationError):
        rectify.decide_appeal(w.supervisor, appeal, True, "")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING
    # A supervisor of 吉林市 decides what was rated there.
    city_rating = w.rating(hall=w.other_hall)
    appeal = rectify.appeal(w.other_manager, city_rating, "malicious", "说明")
    assert rectify.decide_appeal(w.city_supervisor, appeal, False, "不成立").status == "rejected"


# --- warnings and reminders ----------------------------------------------------------------------


def test_warnings_use_the_cases_thresholds(w):
    rect = w.rating().rectification
    assert rectify.warning(rect, dt.date(2026, 12, 21)).level == "green"
    assert (rectify.warning(rect, dt.date(2026, 12, 24)).level,
            rectify.warning(rect, dt.date(2026, 12, 24)).days_left) == ("yellow", 2)
    late = rectify.warning(rect, dt.date(2026, 12, 30))
    assert (late.level, late.days_left, late.label) == ("red", -2, "已超期")
    assert rectify.warning(replied(w, rect.rating), dt.date(2026, 12, 30)) is None


def test_the_queue_puts_open_rectifications_before_finished_ones(w):
    old = w.rating(at=RATED_AT - dt.timedelta(days=200))
    replied(w, old)
    later = w.rating(at=RATED_AT + dt.timedelta(days=3)).rectification
    sooner = w.rating().rectification
    assert list(rectify.queue(w.handler)) == [sooner, later, old.rectification]


def test_reminders_go_out_once_a_day(w):
    yellow = w.rating().rectification
    red = w.rating(at=RATED_AT - dt.timedelta(days=28)).rectification
    done = replied(w, w.rating(at=RATED_AT - dt.timedelta(days=28)))
    assert red.due_on < dt.date(2026, 12, 24) and done.due_on == red.due_on
    assert rectify.remind(dt.date(2026, 12, 24)) == 2
    assert rectify.remind(dt.date(2026, 12, 24)) == 0
    assert len(inbox(w.handler, "差评整改即将到期")) == 1
    assert len(inbox(w.handler, "差评整改超期")) == 1
    assert len(inbox(w.supervisor, "差评整改超期")) == 1 and inbox(w.supervisor, "差评整改即将到期") == []
    yellow.refresh_from_db()
    assert yellow.last_reminded_on == dt.date(2026, 12, 24)


def test_the_command_and_the_task_send_the_reminders(w, capsys):
    w.rating(at=RATED_AT - dt.timedelta(days=60))
    call_command("remind_rectifications")
    assert "已发送1件差评整改的到期提醒" in capsys.readouterr().out
    from yiwang.evaluation.tasks import remind_rectifications

    assert remind_rectifications.call() == 0  # already reminded today
