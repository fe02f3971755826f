import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import make_id_number
from tests.cases.factories import pdf
from yiwang.accounts.models import AssuranceLevel, Citizen
from yiwang.cases import services as cases
from yiwang.cases.access import staff_cases, task_queue
from yiwang.cases.models import Case, CaseEvent, Channel, DeliveryMethod, Status, TaskKind
from yiwang.catalog.models import MaterialForm
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.hall import idcard
from yiwang.hall.models import HallItem, Ticket, TicketStatus, WindowCase, WindowKind
from yiwang.hall.services import frontdesk
from yiwang.supervision.models import AuditRecord

from .frontdesk_fixtures import hall_fixture, sign_in, user  # noqa: F401 (fixture)


def reading(name="李娜", number=None, **more):
    return idcard.reader().decode({"name": name, "id_number": number, **more})


def fill(h, case, *, files=("营业执照", "健康证明")):
    frontdesk.fill_form(h.clerk, h.window, case, h.world.form(applicant_name=case.applicant.citizen.name))
    for material in case.version.materials.filter(name__in=files):
        frontdesk.upload_scan(h.clerk, h.window, case, material.pk, pdf(f"{material.name}.pdf"))
    return case


def started(h, person=None, **kwargs):
    person = person or frontdesk.person_from_card(h.clerk, reading(number=h.walk_in.id_number))
    return frontdesk.start_window_application(h.clerk, h.window, person, h.hall_item, **kwargs)


# --- the person -------------------------------------------------------------------------------


def test_reading_the_card_of_a_registered_person_raises_them_to_l3(hall):
    assert hall.walk_in.assurance_level == AssuranceLevel.REGISTRY_VERIFIED
    person = frontdesk.person_from_card(hall.clerk, reading(number=hall.walk_in.id_number))
    assert person.pk == hall.walk_in.pk
    person.refresh_from_db()
    assert (person.assurance_level, person.verified_by) == (AssuranceLevel.IN_PERSON, hall.clerk)
    assert AuditRecord.objects.filter(kind="hall.person_looked_up", actor_id=hall.clerk.pk).exists()


def test_a_walk_in_without_an_account_is_registered_at_l3_with_their_mobile(hall):
    number = make_id_number(901, dt.date(1988, 3, 3))
    with pytest.raises(ValidationError) as caught:
        frontdesk.person_from_card(hall.clerk, reading("周强", number))
    assert caught.value.code == "hall.mobile_required"
    person = frontdesk.person_from_card(hall.clerk, reading("周强", number), mobile="13712345678")
    assert (person.name, person.id_number, person.assurance_level) == (
        "周强", number, AssuranceLevel.IN_PERSON)
    assert not person.user.has_usable_password()


def test_a_card_whose_name_differs_from_the_account_is_refused(hall):
    with pytest.raises(Conflict) as caught:
        frontdesk.person_from_card(hall.clerk, reading("王五", hall.walk_in.id_number))
    assert caught.value.code == "hall.name_mismatch"
    hall.walk_in.refresh_from_db()
    assert hall.walk_in.assurance_level == AssuranceLevel.REGISTRY_VERIFIED


def test_a_clerk_not_signed_in_can_do_nothing(hall):
    stranger = user("not_signed_in")
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.find_person(stranger, hall.walk_in.id_number)
    assert caught.value.code == "hall.not_signed_in"
    hall.session.ended_at = timezone.now()
    hall.session.save()
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.start_window_application(hall.clerk, hall.window, hall.walk_in, hall.hall_item)
    assert caught.value.code == "hall.not_signed_in"
    assert not Case.objects.exists()


def test_a_session_left_open_since_yesterday_does_not_count(hall):
    hall.session.started_at = timezone.now() - dt.timedelta(days=1)
    hall.session.save()
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.require_front_desk(hall.clerk, hall.window)
    assert caught.value.code == "hall.not_signed_in"


def test_the_pickup_window_is_no_front_desk(hall):
    pickup_clerk = user("pickup")
    sign_in(pickup_clerk, hall.pickup_window)
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.find_person(pickup_clerk, hall.walk_in.id_number)
    assert caught.value.code == "hall.wrong_window_kind"


# --- the application ---------------------------------------------------------------------------


def test_an_unchecked_identity_or_an_item_not_stationed_or_of_another_hall_is_refused(hall):
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.start_window_application(hall.clerk, hall.window, hall.walk_in, hall.hall_item)
    assert caught.value.code == "hall.identity_not_checked"
    person = frontdesk.person_from_card(hall.clerk, reading(number=hall.walk_in.id_number))
    with pytest.raises(NotFound) as caught:
        frontdesk.start_window_application(hall.clerk, hall.window, person, hall.other_item)
    assert caught.value.code == "hall.item_not_stationed"
    hall.hall_item.window_kind = WindowKind.SPECIALISED
    hall.hall_item.save()
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.start_window_application(hall.clerk, hall.window, person, hall.hall_item)
    assert caught.value.code == "hall.item_not_for_window"
    # The clerk of the other hall is signed in there, not here.
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.start_window_application(hall.other_clerk, hall.window, person, hall.hall_item)
    assert caught.value.code == "hall.not_signed_in"
    assert not Case.objects.exists() and not WindowCase.objects.exists()


def test_an_item_with_no_online_application_can_still_be_applied_for_at_the_window(hall):
    version = hall.world.item.published_version
    version.online_depth = 1
    version.save()
    case = started(hall)
    assert (case.status, case.channel, case.delivery_method) == (
        Status.DRAFT, Channel.WINDOW, DeliveryMethod.WINDOW)
    assert case.applicant == hall.walk_in.user
    received = WindowCase.objects.get(case=case)
    assert (received.action, received.window, received.clerk) == (
        WindowCase.Action.RECEIVED, hall.window, hall.clerk)


def test_accepted_at_the_window_the_case_goes_to_both_departments_review_queues(hall):
    ticket = Ticket.objects.create(
        hall=hall.hall, queue=hall.queue, date=timezone.localdate(), sequence=1, number="A001",
        status=TicketStatus.SERVING, channel="window", hall_item=hall.hall_item, window=hall.window,
        access_key="k" * 32, arrived_at=timezone.now(), taken_at=timezone.now())
    case = fill(hall, started(hall, ticket=ticket))
    frontdesk.fill_form(hall.clerk, hall.window, case, {}, delivery_method=DeliveryMethod.POST)
    review = frontdesk.prereview(hall.clerk, hall.window, case)
    assert review.passed, review.defects
    case = frontdesk.accept_at_window(hall.clerk, hall.window, case)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.number
    assert (case.channel, case.delivery_method) == (Channel.WINDOW, DeliveryMethod.POST)
    assert case.applicant_name == "李娜"
    reviews = {t.department: t.status for t in case.tasks.filter(kind=TaskKind.REVIEW)}
    assert set(reviews) == {hall.world.market, hall.world.health}
    for examiner in (hall.world.examiner, hall.world.health_examiner):
        assert task_queue(examiner).filter(case=case, kind=TaskKind.REVIEW).count() == 1
    assert list(WindowCase.objects.filter(case=case).order_by("id").values_list(
        "action", "ticket")) == [(WindowCase.Action.RECEIVED, ticket.pk),
                                 (WindowCase.Action.ACCEPTED, ticket.pk)]
    # The history names the clerk, for whom and where; the uploads were the clerk's.
    submitted = case.events.get(action="submit")
    assert (submitted.actor, submitted.on_behalf, submitted.data["channel"]) == (
        hall.clerk, "李娜", "窗口")
    assert case.events.get(action="accept").actor == hall.clerk
    assert set(case.files.values_list("uploaded_by", flat=True)) == {hall.clerk.pk}
    # And the review runs as for any case: both departments approve in parallel.
    for task in case.tasks.filter(kind=TaskKind.REVIEW):
        examiner = (hall.world.examiner if task.department == hall.world.market
                    else hall.world.health_examiner)
        cases.complete_review(task, examiner, approve=True)
    assert case.tasks.get(kind=TaskKind.DECIDE).department == hall.world.market


def test_the_clerk_of_another_hall_cannot_see_or_touch_the_case(hall):
    case = fill(hall, started(hall))
    with pytest.raises(NotFound):
        frontdesk.window_case(hall.other_clerk, hall.other_window, case.pk)
    assert not staff_cases(hall.other_clerk).filter(pk=case.pk).exists()
    sign_in(hall.other_clerk, hall.window)  # even a session here does not make them a clerk of it
    with pytest.raises(PermissionDenied) as caught:
        frontdesk.accept_at_window(hall.other_clerk, hall.window, case)
    assert caught.value.code == "permission.role_required"
    case.refresh_from_db()
    assert case.status == Status.DRAFT and case.number is None
    assert not CaseEvent.objects.filter(case=case).exists()


def test_a_failed_acceptance_leaves_the_draft_as_it_was(hall):
    case = fill(hall, started(hall), files=("营业执照",))  # the 容缺 health certificate is missing
    with pytest.raises(ValidationError) as caught:
        frontdesk.accept_at_window(hall.clerk, hall.window, case)
    assert caught.value.code == "case.tolerated_missing"
    case.refresh_from_db()
    assert (case.status, case.number) == (Status.DRAFT, None)
    assert list(WindowCase.objects.filter(case=case).values_list("action", flat=True)) == [
        WindowCase.Action.RECEIVED]
    until = timezone.localdate() + dt.timedelta(days=10)
    case = frontdesk.accept_at_window(hall.clerk, hall.window, case, tolerated=True,
                                      tolerated_until=until)
    assert case.status == Status.ACCEPTED and case.tolerated


def test_the_one_time_notice_lists_everything_and_keeps_an_incomplete_draft(hall):
    case = started(hall)
    notice = frontdesk.issue_notice(hall.clerk, hall.window, case, note="请带齐材料")
    messages = " ".join(d["message"] for d in notice.defects)
    assert "店铺名称" in messages and "营业执照" in messages
    case.refresh_from_db()
    assert case.status == Status.DRAFT and notice.correction is None
    assert AuditRecord.objects.filter(kind="hall.notice_issued", actor_id=hall.clerk.pk).exists()


def test_a_complete_draft_with_wanting_paper_is_submitted_and_sent_to_correction(hall):
    case = fill(hall, started(hall))
    with pytest.raises(ValidationError):
        frontdesk.issue_notice(hall.clerk, hall.window, case)
    material = case.version.materials.get(name="营业执照")
    notice = frontdesk.issue_notice(hall.clerk, hall.window, case, defects=[
        {"kind": "material", "target": str(material.pk), "message": "营业执照复印件不清晰"}])
    case.refresh_from_db()
    assert case.status == Status.CORRECTING and case.number
    assert notice.correction.requested_by == hall.clerk
    # The applicant fixes it online like anyone else.
    cases.attach_file(case, case.applicant, material.pk, pdf("营业执照.pdf"))
    assert cases.resubmit(case, case.applicant).status == Status.RECEIVED


# --- 核验原件 ---------------------------------------------------------------------------------


def test_originals_of_an_online_case_are_checked_and_it_can_then_be_accepted_here(hall):
    material = hall.world.item.published_version.materials.get(name="营业执照")
    material.form = MaterialForm.BOTH
    material.save()
    online = hall.world.submitted()
    with pytest.raises(NotFound):
        frontdesk.find_case_for_originals(hall.clerk, hall.window, online.number,
                                          hall.walk_in.id_number)
    with pytest.raises(PermissionDenied):
        frontdesk.find_case_for_originals(hall.other_clerk, hall.window, online.number,
                                          hall.world.applicant.id_number)
    found = frontdesk.find_case_for_originals(hall.clerk, hall.window, online.number,
                                              hall.world.applicant.id_number)
    assert found.pk == online.pk
    with pytest.raises(PermissionDenied):
        cases.accept(online, hall.clerk)  # nothing ties the case to the hall yet
    checked = frontdesk.check_originals(hall.clerk, hall.window, found, note="原件与扫描件一致")
    assert checked.action == WindowCase.Action.ORIGINALS_CHECKED
    event = online.events.get(action="originals_checked")
    assert (event.actor, event.data["materials"]) == (hall.clerk, ["营业执照"])
    assert frontdesk.accept_at_window(hall.clerk, hall.window, found).status == Status.ACCEPTED


def test_a_case_without_paper_originals_has_nothing_to_check(hall):
    online = hall.world.submitted()
    with pytest.raises(ValidationError) as caught:
        frontdesk.check_originals(hall.clerk, hall.window, online)
    assert caught.value.code == "hall.no_originals"
    assert not WindowCase.objects.exists()


def test_the_stationed_items_of_a_window_are_the_halls_of_its_kind(hall):
    assert list(frontdesk.stationed_items(hall.window)) == [hall.hall_item]
    HallItem.objects.filter(pk=hall.hall_item.pk).update(active=False)
    assert not frontdesk.stationed_items(hall.window).exists()


def test_a_ticket_of_another_hall_is_not_found(hall):
    other = Ticket.objects.create(
        hall=hall.other_hall, queue=hall.other_item.queue, date=timezone.localdate(), sequence=1,
        number="A001", channel="window", access_key="o" * 32, arrived_at=timezone.now(),
        taken_at=timezone.now())
    with pytest.raises(NotFound):
        frontdesk.serving_ticket(hall.clerk, other.pk)
    person = frontdesk.person_from_card(hall.clerk, reading(number=hall.walk_in.id_number))
    with pytest.raises(NotFound):
        frontdesk.start_window_application(hall.clerk, hall.window, person, hall.hall_item,
                                           ticket=other)
    assert Citizen.objects.filter(pk=person.pk).exists() and not Case.objects.exists()
