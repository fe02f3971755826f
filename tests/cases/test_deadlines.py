"""承诺时限 of real cases: over a holiday, through 补正 and 特别程序, across an unknown year, and
the yellow/red warnings and reminders."""

import datetime as dt

from tests.calendar.conftest import TABLE_2027
from tests.cases.factories import pdf
from tests.factories import UserFactory
from yiwang.calendar import services as calendar_services
from yiwang.cases import deadlines, services
from yiwang.cases.models import Case, CaseTask, TaskKind
from yiwang.notify.models import Message

D = dt.date


def _review_task(case, department):
    return CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=department)


def test_the_deadline_skips_national_day_and_moves_by_the_working_days_of_a_correction(world, clock):
    clock("2026-09-29 10:00")  # Tuesday before 国庆
    case = world.accepted()
    # 10 working days from 9/30: 9/30, 10/8, 10/9, 10/10 (make-up Saturday), 10/12 … 10/16, 10/19
    assert case.due_date == D(2026, 10, 19)
    explanation = "\n".join(deadlines.compute(case).explanation)
    assert "国庆节" in explanation and "10月10日（星期六）" in explanation

    clock("2026-10-12 09:00")
    services.claim(_review_task(case, world.market), world.examiner)
    services.request_correction(case, world.examiner, [
        {"kind": "material", "target": str(case.version.materials.get(name="营业执照").pk),
         "message": "营业执照复印件不清晰，请重新上传"}])
    clock("2026-10-14 15:00")
    services.attach_file(case, world.user, case.version.materials.get(name="营业执照").pk,
                         pdf("清晰版.pdf"))
    services.resubmit(case, world.user)
    case.refresh_from_db()
    # 10/12, 10/13 and 10/14 did not count: three more working days, to 10/22.
    assert case.due_date == D(2026, 10, 22)
    deadline = deadlines.compute(case)
    assert [(s.stop.start, s.stop.end, s.working_days) for s in deadline.stops] == [
        (D(2026, 10, 12), D(2026, 10, 14), 3)]
    assert any("补正" in line for line in deadline.explanation)


def test_a_special_procedure_stops_the_clock_while_it_runs(world, clock):
    clock("2026-11-02 09:00")  # Monday
    case = world.accepted()
    assert case.due_date == D(2026, 11, 16)
    services.claim(_review_task(case, world.market), world.examiner)
    clock("2026-11-03 09:00")
    services.start_special(case, world.examiner, kind="inspection", reason="需现场勘验后厨",
                           expected_days=3)
    clock("2026-11-05 17:00")
    services.end_special(case, world.examiner, result="现场符合要求")
    case.refresh_from_db()
    assert case.status == "reviewing"
    assert case.due_date == D(2026, 11, 19)  # 11/3, 11/4, 11/5 stood still


def test_a_december_case_is_provisional_until_2027_is_imported_then_recomputed(
        world, clock, django_capture_on_commit_callbacks):
    clock("2026-12-24 10:00")
    case = world.accepted()
    assert case.due_date == D(2027, 1, 8) and case.deadline_provisional
    assert deadlines.compute(case).explanation[-1].endswith("（暂定）。")
    root = UserFactory(username="root", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.import_arrangement(TABLE_2027, actor=root)
    case.refresh_from_db()
    assert case.due_date == D(2027, 1, 9) and not case.deadline_provisional


def test_warnings_turn_yellow_two_working_days_before_and_red_after(world, clock):
    clock("2026-11-02 09:00")
    case = world.accepted()  # due 11/16 (Monday)
    assert deadlines.warning(case, D(2026, 11, 11)).level == "green"
    assert deadlines.warning(case, D(2026, 11, 12)).level == "yellow"  # 11/13, 11/16 left
    assert deadlines.warning(case, D(2026, 11, 16)).days_left == 0
    red = deadlines.warning(case, D(2026, 11, 18))
    assert red.level == "red" and red.days_left == -2


def test_reminders_go_to_handlers_when_yellow_and_to_supervisors_when_red_once_a_day(
        world, clock, django_capture_on_commit_callbacks):
    clock("2026-11-02 09:00")
    case = world.accepted()
    services.claim(_review_task(case, world.market), world.examiner)
    assert services.send_reminders(D(2026, 11, 11)) == 0
    assert services.send_reminders(D(2026, 11, 12)) == 1
    assert Message.objects.filter(user=world.examiner, subject="办件即将到期").count() == 1
    # The unclaimed branch reminds every examiner of its department.
    assert Message.objects.filter(user=world.health_examiner, subject="办件即将到期").count() == 1
    assert not Message.objects.filter(user=world.supervisor).exists()
    assert services.send_reminders(D(2026, 11, 12)) == 0  # once a day
    assert services.send_reminders(D(2026, 11, 17)) == 1
    assert Message.objects.filter(user=world.supervisor, subject="办件超期").count() == 1
    assert "已超期1个工作日" in Message.objects.get(user=world.supervisor).body
    assert Case.objects.get(pk=case.pk).last_reminded_on == D(2026, 11, 17)


def test_an_immediate_item_is_decided_at_acceptance_and_due_the_same_day(world, clock):
    from tests.portal.factories import republish

    republish(world.item, handling_kind="1", promised_time_limit=0)
    clock("2026-11-02 09:00")
    case = services.accept(world.submitted(), world.acceptor, decide_now="approved")
    assert case.status == "approved" and case.due_date == D(2026, 11, 2)
    assert CaseTask.objects.get(case=case, kind=TaskKind.DECIDE).completed_by == world.acceptor
