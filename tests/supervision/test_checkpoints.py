"""Signed checkpoints of the audit chain: when they are due, what they sign, with which seal."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.concurrency import in_threads
from tests.factories import UserFactory, staff
from tests.seals.conftest import png
from verifier import sm
from yiwang.orgs.models import Role
from yiwang.seals import services as seals
from yiwang.seals.errors import SealStateError
from yiwang.seals.models import SealKind, SealUse
from yiwang.supervision import audit, checkpoints
from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import AuditCheckpoint, AuditHead, AuditRecord
from yiwang.supervision.tasks import sign_audit_checkpoint

from .tampering import build_chain


def head() -> tuple[int, str]:
    return AuditHead.objects.values_list("last_seq", "last_hash").get()


def test_a_checkpoint_signs_the_head_and_verifies_with_the_seal_and_openssls_rules(db, platform_seal):
    build_chain(3)
    checkpoint = checkpoints.create_checkpoint()
    assert (checkpoint.seq, checkpoint.head_hash) == head()
    data = checkpoint.data()
    assert data == {"type": "yiwang.audit.checkpoint", "version": 1, "seq": checkpoint.seq,
                    "head_hash": checkpoint.head_hash,
                    "at": checkpoint.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
                    "previous": None}
    signature = checkpoint.signature
    assert (signature["seal"]["code"], signature["signer"]) == (platform_seal.seal_code, "platform")
    # The platform's own 验章, the use record included ...
    assert seals.verify(data, signature).code == "seal.valid"
    use = SealUse.objects.get(data_hash=checkpoint.digest)
    assert (use.actor, use.actor_name, use.purpose) == (None, "平台", f"审计链检查点 #{checkpoint.seq}")
    # ... and the stand-alone verifier's SM2, with nothing but the public key.
    assert sm.verify_sm2(platform_seal.public_key_pem, seals.signed_message(signature),
                         base64.b64decode(signature["signature"]))
    # Not an audit record of its own: an idle chain then has nothing new to anchor.
    assert AuditRecord.objects.count() == checkpoint.seq


def test_each_checkpoint_names_the_one_before(db, platform_seal):
    build_chain(2)
    first = checkpoints.create_checkpoint()
    build_chain(2)
    second = checkpoints.create_checkpoint(force=True)
    assert second.data()["previous"] == {"seq": first.seq, "digest": first.digest}
    assert first.digest == sm.sm3_hex(seals.canonical_bytes(first.data()))
    assert second.at >= first.at


def test_nothing_is_signed_when_nothing_was_appended(db, platform_seal):
    build_chain(1)
    assert checkpoints.create_checkpoint() is not None
    assert checkpoints.create_checkpoint() is None
    assert checkpoints.create_checkpoint(force=True) is None
    assert AuditCheckpoint.objects.count() == 1


def test_an_empty_chain_needs_no_checkpoint_and_no_seal(db):
    assert checkpoints.create_checkpoint(force=True) is None


@pytest.mark.parametrize(("appended", "minutes", "due"), [
    (2, 0, False), (3, 0, True), (1, 9, False), (1, 10, True), (0, 60, False),
])
def test_a_checkpoint_is_due_after_n_records_or_m_minutes(db, platform_seal, settings, appended, minutes,
                                                          due):
    settings.AUDIT_CHECKPOINT_EVERY_RECORDS, settings.AUDIT_CHECKPOINT_EVERY_MINUTES = 3, 10
    build_chain(1)
    first = checkpoints.create_checkpoint()
    build_chain(appended)
    later = first.at + dt.timedelta(minutes=minutes)
    made = checkpoints.create_checkpoint(now=later)
    assert (made is not None) == due


def test_without_a_platform_seal_signing_is_refused_clearly(db):
    build_chain(1)
    with pytest.raises(SealStateError) as error:
        checkpoints.create_checkpoint()
    assert error.value.code == "seal.platform_missing"
    assert "没有启用中的平台存证专用章" in error.value.message
    assert not AuditCheckpoint.objects.exists()
    with pytest.raises(CommandError, match="平台存证专用章"):
        call_command("audit_checkpoint")


def test_two_audit_seals_need_the_setting_to_choose(db, platform_seal, platform_department, settings):
    admin = UserFactory(username="second_admin", is_superuser=True)
    today = timezone.localdate()
    other = seals.create_seal(department=platform_department, name="备用平台存证专用章", kind=SealKind.AUDIT,
                              image=png(), valid_from=today, valid_until=today + dt.timedelta(days=30),
                              actor=admin)
    with pytest.raises(SealStateError, match="多枚"):
        seals.platform_seal()
    settings.PLATFORM_SEAL_CODE = other.seal_code
    assert checkpoints.create_checkpoint().signature["seal"]["code"] == other.seal_code
    settings.PLATFORM_SEAL_CODE = "NOSUCHSEAL01"
    with pytest.raises(SealStateError, match="NOSUCHSEAL01"):
        seals.platform_seal()


def test_only_an_audit_seal_signs_unattended(db, platform_department):
    admin = staff(platform_department, Role.DEPARTMENT_ADMIN, username="licence_admin")
    today = timezone.localdate()
    licence_seal = seals.create_seal(department=platform_department, name="电子证照专用章",
                                     kind=SealKind.LICENCE, image=png(), valid_from=today,
                                     valid_until=today + dt.timedelta(days=30), actor=admin)
    with pytest.raises(SealStateError) as error:
        seals.sign_as_platform({"a": 1}, seal=licence_seal, purpose="试图无人值守用印")
    assert error.value.code == "seal.not_for_platform"
    assert not SealUse.objects.exists()


def test_a_suspended_platform_seal_signs_nothing(db, platform_seal, platform_department):
    admin = staff(platform_department, Role.DEPARTMENT_ADMIN, username="suspender")
    seals.suspend_seal(platform_seal, actor=admin, reason="密钥轮换")
    with pytest.raises(SealStateError):
        checkpoints.create_checkpoint(force=True)
    assert not AuditCheckpoint.objects.exists()


def test_the_command_and_the_task_sign_when_due(db, platform_seal):
    build_chain(2)
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert f"已签署检查点：第 {head()[0]} 条记录" in out.getvalue()
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "无需签署" in out.getvalue()
    build_chain(1)
    result = sign_audit_checkpoint.enqueue()  # the immediate backend in tests
    assert result.return_value is None  # not due yet: one record, no time passed
    call_command("audit_checkpoint", "--force", stdout=StringIO())
    assert AuditCheckpoint.objects.count() == 2


def test_the_nth_record_gets_its_checkpoint_signed_once_the_records_commit(
        db, platform_seal, settings, django_capture_on_commit_callbacks):
    settings.AUDIT_CHECKPOINT_EVERY_RECORDS = 4
    with django_capture_on_commit_callbacks(execute=True):
        build_chain(6)  # with the seal's own record, seq 4 queues the task
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.head_hash) == head()  # signed after the commit: all 7


def test_export_writes_canonical_content_that_rehashes(db, platform_seal, tmp_path):
    build_chain(3)
    checkpoints.create_checkpoint()
    out = StringIO()
    call_command("export_audit", "--from", "2", "--to", "3", f"--checkpoints={tmp_path / 'c.json'}",
                 stdout=out, stderr=StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["seq"] for line in lines] == [2, 3]
    for line in lines:
        stored = AuditRecord.objects.get(seq=line["seq"])
        assert line["hash"] == stored.hash == sm.sm3_hex(stored.canonical_content())
        assert line["content"] == stored.content() and line["hash_algorithm"] == "sm3"
    document = json.loads((tmp_path / "c.json").read_text())
    assert document["format"] == "yiwang.audit.checkpoints/1"
    assert [entry["data"]["seq"] for entry in document["checkpoints"]] == [4]


@pytest.mark.parametrize("args", [["--from", "0"], ["--from", "5", "--to", "4"]])
def test_export_refuses_a_wrong_range(db, args):
    with pytest.raises(CommandError, match="序号范围不正确"):
        call_command("export_audit", *args, stdout=StringIO())


@pytest.mark.skipif(connection.vendor == "sqlite", reason="threads need a shared database (see test_audit)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_and_appends_leave_one_chain_of_checkpoints(platform_seal):
    def work(worker: int) -> None:
        for n in range(5):
            if worker % 2:
                checkpoints.create_checkpoint(force=True)
            else:
                audit.record("case.accepted", summary=f"窗口{worker}受理第{n}件")

    _, failures = in_threads(6, work)
    assert failures == []
    made = list(AuditCheckpoint.objects.order_by("seq"))
    assert made and made[0].previous_seq is None
    for earlier, later in itertools.pairwise(made):
        assert (later.previous_seq, later.previous_digest) == (earlier.seq, earlier.digest)
        assert later.at >= earlier.at
    for checkpoint in made:
        assert AuditRecord.objects.get(seq=checkpoint.seq).hash == checkpoint.head_hash
        assert seals.verify(checkpoint.data(), checkpoint.signature).ok
    assert verify_chain().ok
