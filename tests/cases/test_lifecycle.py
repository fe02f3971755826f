"""A case from draft to delivery through the services, and the parallel review join."""

import re

import pytest

from yiwang.cases import services
from yiwang.cases.models import CaseTask, Status, TaskKind, TaskStatus
from yiwang.common.errors import ValidationError
from yiwang.notify.models import Message
from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import AuditRecord


def _task(case, kind, department=None):
    tasks = CaseTask.objects.filter(case=case, kind=kind)
    if department is not None:
        tasks = tasks.filter(department=department)
    return tasks.get()


def test_full_lifecycle_with_two_parallel_departments(world):
    case = world.submitted()
    assert case.status == Status.RECEIVED
    assert re.fullmatch(rf"{world.item.implementation_code}\d{{8}}000001", case.number)
    assert case.applicant_name == "王芳"

    services.accept(case, world.acceptor)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.due_date is not None
    reviews = CaseTask.objects.filter(case=case, kind=TaskKind.REVIEW)
    assert {t.department_id for t in reviews} == {world.market.pk, world.health.pk}
    assert all(t.status == TaskStatus.OPEN for t in reviews)

    services.complete_review(_task(case, TaskKind.REVIEW, world.market), world.examiner,
                             approve=True, opinion="符合要求")
    case.refresh_from_db()
    assert case.status == Status.REVIEWING
    assert not CaseTask.objects.filter(case=case, kind=TaskKind.DECIDE).exists()  # not joined yet

    services.complete_review(_task(case, TaskKind.REVIEW, world.health), world.health_examiner,
                             approve=True)
    assert _task(case, TaskKind.DECIDE).status == TaskStatus.OPEN

    services.decide(case, world.decider, outcome="approved")
    services.certify(case, world.certifier)
    services.deliver(case, world.certifier, method="online")
    case.refresh_from_db()
    assert case.status == Status.DELIVERED and case.closed_at is not None
    assert [e.action for e in case.events.all()] == [
        "submit", "accept", "start_review", "reviewed", "reviewed", "decide", "certify", "deliver"]
    assert AuditRecord.objects.filter(subject_id=str(case.pk), kind__startswith="case.").count() == 8
    assert verify_chain().ok
    inbox = Message.objects.filter(user=world.user, channel="inbox")
    assert inbox.filter(subject="办件已受理").exists()
    assert inbox.filter(subject="办理结果已送达").exists()


def test_rejection_in_one_branch_blocks_approval_but_allows_denial(world):
    case = world.accepted()
    services.claim(_task(case, TaskKind.REVIEW, world.market), world.examiner)
    services.complete_review(_task(case, TaskKind.REVIEW, world.health), world.health_examiner,
                             approve=False, opinion="后厨排水不符合卫生要求")
    assert Message.objects.filter(user=world.examiner, subject="并联审查出现不同意意见").exists()
    services.complete_review(_task(case, TaskKind.REVIEW, world.market), world.examiner, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.decide(case, world.decider, outcome="approved")
    assert exc.value.code == "case.review_rejected"
    services.decide(case, world.decider, outcome="denied", reason="卫生条件不符合要求")
    case.refresh_from_db()
    assert case.status == Status.DENIED and case.outcome_reason == "卫生条件不符合要求"
