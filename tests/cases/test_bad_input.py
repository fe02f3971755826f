"""Every refusal the issue names: a clear code and message, and nothing half-written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.factories import JPG, PNG, ofd, pdf
from tests.portal.factories import withdraw as withdraw_item
from yiwang.cases import services
from yiwang.cases.models import Case, CaseEvent, CaseFile, CaseTask, Status, TaskKind, TaskStatus
from yiwang.common.errors import (
    Conflict,
    DomainError,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ValidationError,
)
from yiwang.supervision.models import AuditRecord


def _unchanged(case, status):
    case.refresh_from_db()
    assert case.status == status
    return case


def test_submitting_to_a_withdrawn_item_is_refused_and_the_draft_stays_a_draft(world):
    case = world.draft()
    withdraw_item(world.item)
    with pytest.raises(Conflict) as exc:
        services.submit(case, world.user)
    assert exc.value.code == "case.item_withdrawn" and "已撤回" in exc.value.message
    assert _unchanged(case, Status.DRAFT).number is None
    with pytest.raises(Conflict):
        services.start_application(world.user, world.item)


def test_every_defect_is_listed_at_once(world):
    case = world.draft(files=(), phone="12345", shop_name="")
    with pytest.raises(ValidationError) as exc:
        services.submit(case, world.user)
    assert exc.value.code == "case.prereview_failed"
    defects = {(d["kind"], d["label"]) for d in exc.value.details["defects"]}
    assert defects == {("field", "店铺名称"), ("field", "联系电话"), ("material", "营业执照")}
    assert "共3处" in exc.value.message
    assert _unchanged(case, Status.DRAFT).number is None
    assert not CaseTask.objects.filter(case=case).exists()


@pytest.mark.parametrize("upload, code", [
    (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"), "case.file_type"),
    (SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf"), "case.file_content"),
    (SimpleUploadedFile("照片.png", JPG), "case.file_content"),
    (SimpleUploadedFile("空.pdf", b""), "case.file_empty"),
    (ofd("无入口.ofd", with_entry=False), "case.file_content"),
])
def test_wrong_file_types_are_refused_by_name_and_content(world, upload, code):
    case = world.draft(files=())
    material = case.version.materials.get(name="营业执照")
    with pytest.raises(ValidationError) as exc:
        services.attach_file(case, world.user, material.pk, upload)
    assert exc.value.code == code
    assert "PDF、JPG、PNG、OFD" in exc.value.message or code == "case.file_empty"
    assert not CaseFile.objects.filter(case=case).exists()


@pytest.mark.parametrize("upload", [pdf(), ofd(), SimpleUploadedFile("a.png", PNG),
                                    SimpleUploadedFile("a.jpeg", JPG)])
def test_the_four_allowed_types_are_stored(world, upload):
    case = world.draft(files=())
    stored = services.attach_file(case, world.user, case.version.materials.first().pk, upload)
    assert stored.size == upload.size and len(stored.sha256) == 64
    assert stored.file.storage.exists(stored.file.name)
    assert not stored.file.name.startswith(("static", "/"))


def test_a_100_mb_upload_is_refused_as_too_large(world):
    case = world.draft(files=())
    big = SimpleUploadedFile("扫描件.pdf", b"%PDF-" + b"0" * 16)
    big.size = 100 * 1024 * 1024  # what the upload handler reports; the body is not needed
    with pytest.raises(PayloadTooLarge) as exc:
        services.attach_file(case, world.user, case.version.materials.first().pk, big)
    assert exc.value.status == 413 and "100.0 MB" in exc.value.message and "20 MB" in exc.value.message
    assert not CaseFile.objects.filter(case=case).exists()


def test_a_double_submit_creates_one_case(world):
    case = world.draft()
    first = services.submit(case, world.user, key="k-1")
    again = services.submit(case, world.user, key="k-1")
    other_key = services.submit(Case.objects.get(pk=case.pk), world.user)
    assert first.pk == again.pk == other_key.pk
    assert Case.objects.exclude(number=None).count() == 1
    assert CaseEvent.objects.filter(case=case, action="submit").count() == 1
    assert CaseTask.objects.filter(case=case, kind=TaskKind.ACCEPT).count() == 1


def test_a_retry_with_the_same_key_from_another_draft_returns_the_first_case(world):
    first = services.submit(world.draft(), world.user, key="retry")
    second_draft = world.draft()
    assert services.submit(second_draft, world.user, key="retry").pk == first.pk
    assert _unchanged(second_draft, Status.DRAFT).number is None


def test_two_clerks_claiming_the_same_task(world):
    from tests.factories import staff
    from yiwang.orgs.models import Role

    second = staff(world.market, Role.EXAMINER, username="examiner2")
    case = world.accepted()
    task = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=world.market)
    services.claim(task, world.examiner)
    with pytest.raises(Conflict) as exc:
        services.claim(task, second)
    assert exc.value.code == "task.taken"
    task.refresh_from_db()
    assert task.assignee == world.examiner and task.status == TaskStatus.CLAIMED
    with pytest.raises(Conflict):
        services.complete_review(task, second, approve=True)
    services.release(task, world.examiner)
    assert services.claim(task, second).assignee == second


def test_deciding_a_case_in_correction_is_an_illegal_transition_and_changes_nothing(world):
    case = world.accepted()
    task = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=world.market)
    services.request_correction(case, world.examiner, [{"kind": "field", "target": "shop_name",
                                                        "message": "店铺名称与营业执照不一致"}])
    audit_count = AuditRecord.objects.count()
    with pytest.raises(Conflict) as exc:
        services.decide(case, world.decider, outcome="approved")
    assert exc.value.code == "case.illegal_transition"
    assert exc.value.message == "该办件当前状态为补正中，不能作出决定"
    assert _unchanged(case, Status.CORRECTING).decided_at is None
    assert AuditRecord.objects.count() == audit_count
    with pytest.raises(Conflict):
        services.complete_review(task, world.examiner, approve=True)


@pytest.mark.parametrize("actor, action", [
    ("examiner", lambda w, c: services.accept(c, w.examiner)),
    ("outsider", lambda w, c: services.accept(c, w.outsider)),
    ("stranger", lambda w, c: services.withdraw(c, w.stranger.user)),
    ("decider", lambda w, c: services.revoke(c, w.decider, "无权")),
    ("applicant", lambda w, c: services.not_accept(c, w.user, "自己不受理")),
])
def test_a_transition_by_a_user_without_the_role_changes_nothing(world, actor, action):
    case = world.submitted()
    events = CaseEvent.objects.count()
    with pytest.raises((PermissionDenied, NotFound)) as exc:
        action(world, case)
    assert exc.value.code in ("permission.role_required", "case.not_found",
                              "permission.supervisor_required")
    assert _unchanged(case, Status.RECEIVED)
    assert CaseEvent.objects.count() == events
    assert CaseTask.objects.get(case=case, kind=TaskKind.ACCEPT).assignee is None


def test_reasons_are_required_where_the_law_asks_for_them(world):
    case = world.submitted()
    with pytest.raises(ValidationError) as exc:
        services.not_accept(case, world.acceptor, "  ")
    assert exc.value.code == "case.reason_required"
    with pytest.raises(ValidationError):
        services.request_correction(case, world.acceptor, [])
    with pytest.raises(ValidationError) as exc:
        services.request_correction(case, world.acceptor, [{"kind": "material", "target": "999999",
                                                            "message": "x"}])
    assert exc.value.code == "case.defect_target"
    _unchanged(case, Status.RECEIVED)


def test_an_applicant_below_the_items_real_name_level_cannot_apply(world):
    from tests.accounts.factories import citizen
    from tests.portal.factories import republish

    republish(world.item, min_assurance_level=3)
    with pytest.raises(PermissionDenied) as exc:
        services.start_application(citizen("李四").user, world.item)
    assert exc.value.code == "assurance.too_low"


def test_domain_errors_all_carry_chinese_messages(world):
    case = world.submitted()
    with pytest.raises(DomainError) as exc:
        services.certify(case, world.certifier)
    assert exc.value.message == "该办件当前状态为已接件，不能制证"
