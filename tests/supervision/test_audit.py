import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.concurrency import in_threads
from tests.factories import RegionFactory, UserFactory
from yiwang.supervision import audit, checkpoints
from yiwang.supervision.audit import ChainReport, verify_chain
from yiwang.supervision.errors import AuditRecordImmutable
from yiwang.supervision.models import GENESIS_HASH, AuditHead, AuditRecord

from . import tampering
from .tampering import build_chain


class Rollback(Exception):
    """Raised at the end of a block to undo everything it wrote."""


def head() -> tuple[int, str] | None:
    return AuditHead.objects.values_list("last_seq", "last_hash").first()


def test_each_record_is_chained_to_the_one_before_and_the_head_names_the_last(db):
    first, second, third = build_chain(3)
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert head() == (3, third.hash)
    assert verify_chain() == ChainReport(ok=True, checked=3)


def test_an_empty_log_verifies(db):
    assert verify_chain() == ChainReport(ok=True, checked=0)


def test_record_keeps_the_subject_label_and_pk_and_a_snapshot_of_the_actor(db):
    clerk = UserFactory(username="clerk")
    region = RegionFactory()
    entry = audit.record("case.personal_data_viewed", actor=clerk, subject=region,
                         summary="查看申请人身份证号", on_behalf="长春某某有限公司", ip="10.0.0.7")
    entry.refresh_from_db()
    assert (entry.subject_type, entry.subject_id) == ("regions.region", str(region.pk))
    assert (entry.actor_id, entry.actor_name) == (clerk.pk, "clerk")
    assert (entry.on_behalf, entry.ip) == ("长春某某有限公司", "10.0.0.7")


def test_a_system_record_has_no_actor_or_subject(db):
    entry = audit.record("calendar.imported")
    assert (entry.actor_id, entry.actor_name, entry.subject_type, entry.subject_id) == (None, "", "", "")


def test_deleting_the_actor_leaves_the_record_and_the_chain_intact(db):
    clerk = UserFactory(username="clerk")
    clerk_id = clerk.pk
    entry = audit.record("case.accepted", actor=clerk)
    clerk.delete()
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_name) == (clerk_id, "clerk")
    assert verify_chain().ok


def test_a_record_hashes_the_same_after_the_database_hands_it_back(db, monkeypatch):
    # jsonb and MySQL JSON reorder keys, PostgreSQL inet compresses IPv6, and isoformat() would
    # drop zero microseconds: none of it may change the hash.
    moment = dt.datetime(2027, 3, 1, 8, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(audit.timezone, "now", lambda: moment)
    data = {"zeta": 1, "alpha": {"y": [3, "二", None], "b": True}, "材料": "身份证复印件 📎"}
    entry = audit.record("case.file_downloaded", summary="下载材料", data=data,
                         ip="2001:0db8:0000:0000:0000:0000:0000:0001")
    stored = AuditRecord.objects.get(pk=entry.pk)
    assert stored.at == moment and stored.data == data
    assert stored.content_hash() == stored.hash == entry.hash
    assert verify_chain().ok


@pytest.mark.parametrize("data", [
    {"amount": 1.5},
    {"when": dt.date(2027, 1, 1)},
    {"pair": (1, 2)},
    {1: "key is not a string"},
    {"nested": [{"big": 2**64}]},
    ["not", "a", "dict"],
])
def test_record_refuses_data_a_database_would_not_hand_back_unchanged(db, data):
    with pytest.raises(TypeError):
        audit.record("case.accepted", data=data)
    assert not AuditRecord.objects.exists()


def test_record_refuses_an_unsaved_subject(db):
    with pytest.raises(ValueError, match="saved"):
        audit.record("case.accepted", subject=RegionFactory.build())


def test_a_rolled_back_transaction_leaves_no_record_and_the_head_unchanged(db):
    kept = audit.record("case.accepted")
    with pytest.raises(Rollback), transaction.atomic():
        audit.record("case.rejected")
        raise Rollback
    assert list(AuditRecord.objects.values_list("kind", flat=True)) == ["case.accepted"]
    assert head() == (1, kept.hash)
    assert audit.record("case.rejected").seq == 2
    assert verify_chain().ok


def test_the_first_append_creates_a_missing_head(db):
    AuditHead.objects.all().delete()
    assert audit.record("case.accepted").seq == 1
    assert head()[0] == 1


def test_a_stored_record_cannot_be_changed_or_deleted(db):
    entry = audit.record("case.accepted", summary="受理")
    entry.summary = "不予受理"
    refused = [
        entry.save,
        lambda: entry.save(update_fields=["summary"]),
        entry.delete,
        lambda: AuditRecord.objects.filter(pk=entry.pk).update(summary="不予受理"),
        lambda: AuditRecord.objects.update(summary="不予受理"),
        lambda: AuditRecord.objects.all().delete(),
        lambda: AuditRecord.objects.bulk_update([entry], ["summary"]),
    ]
    for attempt in refused:
        # bulk_update fails inside its own atomic block, which dooms the enclosing transaction.
        with pytest.raises(AuditRecordImmutable) as error, transaction.atomic():
            attempt()
        assert error.value.code == "audit.immutable"
        assert error.value.message == "审计记录只能追加，不能修改或删除"
    assert AuditRecord.objects.get().summary == "受理"


def test_a_copy_with_the_pk_of_a_stored_record_is_inserted_never_updated(db):
    entry = audit.record("case.accepted", summary="受理")
    copy = AuditRecord.objects.get(pk=entry.pk)
    copy._state.adding = True
    copy.summary = "不予受理"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert AuditRecord.objects.get().summary == "受理"


def _stored_id(seq: int) -> int:
    return AuditRecord.objects.values_list("pk", flat=True).get(seq=seq)


def _forged_append() -> None:
    """A well-formed sixth record written around ``record``, so the head does not know it."""
    last = AuditRecord.objects.get(seq=5)
    forged = AuditRecord(seq=6, at=last.at + dt.timedelta(seconds=1), kind="case.accepted",
                         prev_hash=last.hash, data={}, hash_algorithm="sm3")
    forged.hash = forged.content_hash()
    forged.save()


def _stray_zero() -> None:
    stray = AuditRecord(seq=0, at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC), kind="x", prev_hash="", data={},
                        hash_algorithm="sm3")
    stray.hash = stray.content_hash()
    stray.save()


# (tampering on a chain of five, first broken seq, reason code, seq at which the reported record
#  is stored after the tampering, or None)
TAMPERING = {
    "field edited": (lambda: tampering.edit(3, summary="篡改"), 3, "audit.hash_mismatch", 3),
    "data edited": (lambda: tampering.edit(3, data={"n": 30}), 3, "audit.hash_mismatch", 3),
    "actor edited": (lambda: tampering.edit(2, actor_name="someone"), 2, "audit.hash_mismatch", 2),
    "address edited": (lambda: tampering.edit(4, ip="192.0.2.1"), 4, "audit.hash_mismatch", 4),
    "middle deleted": (lambda: tampering.delete(3), 3, "audit.gap", 4),
    "first deleted": (lambda: tampering.delete(1), 1, "audit.gap", 2),
    "reordered": (lambda: tampering.swap(2, 4), 2, "audit.hash_mismatch", 2),
    "tail truncated": (lambda: tampering.truncate(4), 4, "audit.truncated", None),
    "everything deleted": (lambda: tampering.truncate(1), 1, "audit.truncated", None),
    "rewritten with a new hash": (lambda: tampering.rehash(2, summary="改写"), 3, "audit.link_broken", 3),
    "last rewritten with a new hash": (lambda: tampering.rehash(5, summary="改写"), 5,
                                       "audit.head_mismatch", 5),
    "forged with a valid own hash": (lambda: tampering.rehash(3, prev_hash="f" * 64), 3,
                                     "audit.link_broken", 3),
    "first forged with a valid own hash": (lambda: tampering.rehash(1, prev_hash="f" * 64), 1,
                                           "audit.link_broken", 1),
    "appended around record": (_forged_append, 6, "audit.head_mismatch", 6),
    "stray record before the first": (_stray_zero, 0, "audit.gap", 0),
}


@pytest.mark.parametrize("batch_size", [2000, 2])
@pytest.mark.parametrize("case", TAMPERING.values(), ids=TAMPERING.keys())
def test_verify_reports_the_first_broken_record(db, case, batch_size):
    tamper, broken_seq, code, reported_seq = case
    build_chain(5)
    tamper()
    reported_id = _stored_id(reported_seq) if reported_seq is not None else None
    report = verify_chain(batch_size=batch_size)
    assert (report.ok, report.first_broken_seq, report.reason_code) == (False, broken_seq, code)
    assert report.first_broken_id == reported_id
    assert f"第{broken_seq}条" in report.reason


def test_verify_reads_one_batch_at_a_time(db, django_assert_num_queries):
    build_chain(5)
    # The head before and after the walk, and pages of two, each with the checkpoints in its
    # range: [1, 2], [3, 4], [5].
    with django_assert_num_queries(8):
        assert verify_chain(batch_size=2) == ChainReport(ok=True, checked=5)


OPERATIONS = ["edit", "edit_data", "delete", "truncate", "rehash", "forge_link", "swap"]


def _tamper(operation: str, position: int, length: int, other: int) -> tuple[int, str]:
    """Apply one tampering and return where and how verify_chain must report it."""
    is_last = position == length
    match operation:
        case "edit":
            tampering.edit(position, summary="篡改")
            return position, "audit.hash_mismatch"
        case "edit_data":
            tampering.edit(position, data={"n": -position})
            return position, "audit.hash_mismatch"
        case "delete":
            tampering.delete(position)
            return position, "audit.truncated" if is_last else "audit.gap"
        case "truncate":
            tampering.truncate(position)
            return position, "audit.truncated"
        case "rehash":
            tampering.rehash(position, summary="改写")
            return (position, "audit.head_mismatch") if is_last else (position + 1, "audit.link_broken")
        case "forge_link":
            tampering.rehash(position, prev_hash="e" * 64)
            return position, "audit.link_broken"
        case "swap":
            tampering.swap(position, other)
            return min(position, other), "audit.hash_mismatch"
    raise AssertionError(operation)


@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_tampering_is_reported_where_the_chain_first_breaks(db, data):
    length = data.draw(st.integers(min_value=1, max_value=30), label="length")
    operation = data.draw(st.sampled_from(OPERATIONS if length > 1 else OPERATIONS[:-1]), label="operation")
    position = data.draw(st.integers(min_value=1, max_value=length), label="position")
    other = data.draw(st.integers(min_value=1, max_value=length).filter(lambda n: n != position)
                      if operation == "swap" else st.just(0), label="other")
    batch_size = data.draw(st.integers(min_value=1, max_value=8), label="batch_size")
    # Each example builds its chain in a savepoint and rolls it back, so examples start empty.
    with pytest.raises(Rollback), transaction.atomic():
        build_chain(length)
        assert verify_chain(batch_size=batch_size).ok
        expected = _tamper(operation, position, length, other)
        report = verify_chain(batch_size=batch_size)
        assert not report.ok
        assert (report.first_broken_seq, report.reason_code) == expected
        raise Rollback


ENGINE = settings.DATABASES["default"]["ENGINE"]


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_its_head_back():
    audit.record("case.accepted")
    call_command("flush", interactive=False, verbosity=0)
    assert head() == (0, GENESIS_HASH)


@pytest.mark.skipif(ENGINE.endswith("sqlite3"),
                    reason="the in-memory SQLite test database is shared through SQLite's shared "
                           "cache, whose table locks fail at once ('database table is locked') "
                           "instead of waiting; on a database file writers take turns through "
                           "BEGIN IMMEDIATE")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("head_exists", [
    pytest.param(True, id="head from post_migrate"),
    pytest.param(False, id="head missing", marks=pytest.mark.skipif(
        ENGINE.endswith("mysql"), reason="InnoDB ends concurrent first inserts of one key in a "
                                         "deadlock; post_migrate keeps the head there instead")),
])
def test_concurrent_appends_form_one_unbroken_chain(head_exists):
    if head_exists:
        assert head() == (0, GENESIS_HASH)
    else:
        AuditHead.objects.all().delete()
    workers, appends = 8, 10

    def append(worker: int) -> None:
        for n in range(appends):
            audit.record("case.accepted", summary=f"窗口{worker}受理第{n}件")

    _, failures = in_threads(workers, append)
    assert failures == []
    assert list(AuditRecord.objects.values_list("seq", flat=True)) == list(range(1, 81))
    assert verify_chain(batch_size=16) == ChainReport(ok=True, checked=80)


# --- SM3, old SHA-256 records, times -----------------------------------------------------------------


def test_new_records_are_hashed_with_sm3_over_content_that_names_the_algorithm(db):
    entry = audit.record("case.accepted", summary="受理")
    stored = AuditRecord.objects.get(pk=entry.pk)
    assert stored.hash_algorithm == "sm3"
    assert b'"hash_algorithm":"sm3"' in stored.canonical_content()
    assert stored.hash == hashlib.new("sm3", stored.canonical_content()).hexdigest()


def test_a_chain_of_old_sha256_records_continued_in_sm3_verifies(db):
    moment = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    first = tampering.legacy_record(1, moment, GENESIS_HASH)
    # Two old records may share a time: the rule for them was only "never backwards".
    second = tampering.legacy_record(2, moment, first.hash)
    third = audit.record("case.accepted")
    assert (third.hash_algorithm, third.prev_hash) == ("sm3", second.hash)
    assert verify_chain() == ChainReport(ok=True, checked=3)


def test_an_sm3_record_relabelled_as_sha256_and_rehashed_is_reported(db):
    build_chain(3)
    tampering.rehash(2, hash_algorithm="sha256")  # hashes over content without the algorithm
    report = verify_chain()
    assert (report.ok, report.first_broken_seq, report.reason_code) == (False, 2, "audit.algorithm_downgrade")


def test_an_unknown_algorithm_is_reported_not_raised(db):
    build_chain(2)
    tampering.edit(2, hash_algorithm="md5")
    report = verify_chain()
    assert (report.first_broken_seq, report.reason_code) == (2, "audit.hash_mismatch")
    assert "md5" in report.reason


def test_times_increase_strictly_even_when_the_clock_stands_still_or_steps_back(db, monkeypatch):
    moment = dt.datetime(2027, 3, 1, 8, 30, tzinfo=dt.UTC)
    clock = iter([moment, moment, moment - dt.timedelta(seconds=5), moment + dt.timedelta(seconds=1)])
    monkeypatch.setattr(audit.timezone, "now", lambda: next(clock))
    times = [audit.record("case.accepted").at for _ in range(4)]
    step = dt.timedelta(microseconds=1)
    assert times == [moment, moment + step, moment + 2 * step, moment + dt.timedelta(seconds=1)]
    assert list(AuditRecord.objects.values_list("at", flat=True)) == times
    assert verify_chain().ok


@pytest.mark.parametrize("shift", [dt.timedelta(0), dt.timedelta(seconds=-1)], ids=["same time", "earlier"])
def test_a_record_whose_time_is_not_after_its_predecessor_is_reported(db, shift):
    build_chain(3)
    second = AuditRecord.objects.get(seq=2)
    tampering.rehash(3, at=second.at + shift)  # a consistent own hash, so only the time tells
    report = verify_chain()
    assert (report.ok, report.first_broken_seq, report.reason_code) == (False, 3, "audit.time_not_increasing")
    assert "不晚于第2条" in report.reason


def test_a_tail_rewritten_with_every_hash_recomputed_is_caught_by_a_stored_checkpoint(db, platform_seal):
    build_chain(5)
    anchored = checkpoints.create_checkpoint(force=True).seq  # 5 records and the seal's own
    build_chain(2)
    assert verify_chain().ok
    tampering.rewrite_tail(2, summary="改写")
    report = verify_chain()
    assert (report.ok, report.first_broken_seq, report.reason_code) == (False, anchored,
                                                                        "audit.checkpoint_mismatch")


def test_every_nth_record_queues_a_checkpoint_after_commit(db, settings, django_capture_on_commit_callbacks,
                                                           monkeypatch):
    settings.AUDIT_CHECKPOINT_EVERY_RECORDS = 3
    queued = []
    task = SimpleNamespace(enqueue=lambda: queued.append(AuditHead.objects.get().last_seq))
    monkeypatch.setattr(audit, "sign_audit_checkpoint", task)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        build_chain(7)
    assert len(callbacks) == 2 and queued == [7, 7]  # after seq 3 and 6, run once the records commit
