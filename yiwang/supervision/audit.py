"""Append to the audit chain and verify it.

Each record carries the hash of its predecessor, so changing, removing or reordering any record
breaks every link after it; the head row remembers the last record, so cutting records off the
end is noticed too. Only ``record`` writes the log. Someone who rewrites a record and recomputes
every hash after it, the head's included, is caught by the signed checkpoints (``checkpoints``):
``verify_chain`` compares the chain with the stored ones, and the stand-alone verifier
(``python -m verifier audit``) with the published ones.

Times increase strictly along the chain (SM3 records; SHA-256 ones, written before the rule, only
never go backwards). ``record`` takes the time under the head lock and, should the clock not have
moved past the previous record's time (two appends within one tick of a coarse clock, or a clock
stepped back by NTP), uses that time plus one microsecond. Strictly, not merely non-decreasing,
so that time orders the records exactly as ``seq`` does: a verifier then treats any record not
later than its predecessor as out of place, and no record can be slipped in beside another of
the same time. The bump is at most the clock's step back, and every database keeps microseconds."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import (
    ALGORITHM_ORDER,
    GENESIS_HASH,
    HEAD_PK,
    AuditCheckpoint,
    AuditHead,
    AuditRecord,
    HashAlgorithm,
)
from .tasks import sign_audit_checkpoint

ONE_MICROSECOND = dt.timedelta(microseconds=1)

# Keeps a value inside what every database's JSON type stores exactly (MySQL: 64-bit integers).
_INT_RANGE = range(-(2**63), 2**63)
# Values that are plain JSON whatever they hold (an int may still be out of range).
_PLAIN = frozenset({str, bool, type(None)})


def record(kind: str, *, actor=None, subject=None, summary: str = "", data: dict | None = None,
           on_behalf: str = "", ip: str | None = None) -> AuditRecord:
    """Append one record. ``kind`` is a dotted code such as ``case.accepted``; ``actor`` a user or
    None for the system; ``subject`` the model instance acted on, or None; ``data`` a small dict of
    str, int, bool, None, lists and dicts (convert dates and decimals to str first).

    Runs in the caller's transaction, so a rolled-back change leaves no record; an append that
    fails fails that transaction too, since a change must not stand unaudited."""
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise TypeError(f"Audit data must be a dict, not {type(data).__name__}")
    _check_plain_json(data, "data")
    if subject is not None and subject.pk is None:
        raise ValueError("An audit subject must be saved before it is recorded.")
    # No savepoint of its own: inside the caller's transaction there is nothing to roll back to
    # that the caller would keep, and it saves two statements on every audited change.
    with transaction.atomic(savepoint=False):
        head = locked_head()
        # Taken under the head lock, and strictly after the previous record (module docstring).
        at = timezone.now()
        if head.last_at is not None and at <= head.last_at:
            at = head.last_at + ONE_MICROSECOND
        entry = AuditRecord(
            seq=head.last_seq + 1,
            at=at,
            kind=kind,
            actor_id=getattr(actor, "pk", None),
            actor_name=actor.get_username() if actor is not None else "",
            on_behalf=on_behalf,
            subject_type=subject._meta.label_lower if subject is not None else "",
            subject_id=str(subject.pk) if subject is not None else "",
            summary=summary,
            data=data,
            ip=ip,
            prev_hash=head.last_hash,
            hash_algorithm=HashAlgorithm.SM3,
        )
        entry.hash = entry.content_hash()
        entry.save()
        head.last_seq, head.last_hash, head.last_at = entry.seq, entry.hash, entry.at
        head.save(update_fields=["last_seq", "last_hash", "last_at"])
    if entry.seq % settings.AUDIT_CHECKPOINT_EVERY_RECORDS == 0:
        # Signing waits for a worker, outside the caller's transaction and after its commit;
        # here it costs a modulo, and a queued task row once every N records.
        transaction.on_commit(sign_audit_checkpoint.enqueue)
    return entry


def records_about(subject) -> list[dict]:
    """Every record whose subject is ``subject``, in chain order, each as the content its hash
    covers (``AuditRecord.canonical_content``) plus ``hash``: what an archive keeps of a case's
    audit trail, checkable against the chain without the database."""
    entries = AuditRecord.objects.filter(subject_type=subject._meta.label_lower,
                                         subject_id=str(subject.pk)).order_by("seq")
    return [{**json.loads(entry.canonical_content()), "hash": entry.hash} for entry in entries]


def locked_head() -> AuditHead:
    """The head row, locked until the caller's transaction ends: appends take turns here.
    ``post_migrate`` creates the row; should it be missing all the same, the first append
    creates it."""
    try:
        return AuditHead.objects.select_for_update().get(pk=HEAD_PK)
    except AuditHead.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=HEAD_PK)
    except IntegrityError:
        pass  # a concurrent first append created it; lock theirs
    return AuditHead.objects.select_for_update().get(pk=HEAD_PK)


def _check_plain_json(value, where: str) -> None:
    """Refuse what a database would not hand back unchanged (floats, dates, tuples, non-string
    keys): the record would then fail its own hash check."""
    if value is None or isinstance(value, str | bool):
        return
    if isinstance(value, int):
        if value not in _INT_RANGE:
            raise TypeError(f"Audit {where} holds an integer outside 64 bits: {value}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if type(item) not in _PLAIN:  # strings and the like pass without building their path
                _check_plain_json(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"Audit {where} has a non-string key: {key!r}")
            if type(item) not in _PLAIN:
                _check_plain_json(item, f"{where}[{key!r}]")
    else:
        raise TypeError(f"Audit {where} holds a {type(value).__name__}; convert it to str first")


@dataclass(frozen=True)
class ChainReport:
    """The outcome of ``verify_chain``.

    ``first_broken_seq`` is the first position at which the chain is not intact: the altered
    record, the first missing one, or the first one after the stored tail. ``first_broken_id`` is
    the stored record at which the break was found (for a gap, the record after it); None when
    records are missing at the end."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    first_broken_id: int | None = None
    reason: str = ""
    reason_code: str = ""


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    """Walk the whole chain in ``seq`` order, ``batch_size`` records at a time, and report the
    first break: a record whose content no longer matches its hash, a missing sequence number, a
    record not linked to its predecessor, a time not after its predecessor's, a return to an older
    hash algorithm, a record whose hash differs from a signed checkpoint at its ``seq`` (the tail
    rewritten with every hash recomputed), or a tail that disagrees with the head.

    The checkpoints' signatures are not checked here: the stand-alone verifier does that with
    the published public key, without trusting this database."""
    # Read before the walk: appends made while it runs are then beyond this head, not missing.
    start = _head_values()
    checked, last_seq, previous = 0, 0, None
    after = -1  # below every seq, so a stray record numbered 0 is walked too
    while True:
        # Keyset pages: memory holds one batch, and each query starts at an index lookup.
        batch = list(AuditRecord.objects.filter(seq__gt=after).order_by("seq")[:batch_size])
        anchored = dict(AuditCheckpoint.objects.filter(seq__gt=after, seq__lte=batch[-1].seq)
                        .values_list("seq", "head_hash")) if batch else {}
        for entry in batch:
            broken = _check_entry(entry, last_seq + 1, previous, start, anchored.get(entry.seq))
            if broken:
                return ChainReport(False, checked, *broken)
            checked += 1
            last_seq, previous = entry.seq, entry
        if len(batch) < batch_size:
            break
        after = last_seq
    if last_seq < start[0]:
        return ChainReport(False, checked, last_seq + 1, None,
                           f"链头登记共{start[0]}条记录，第{last_seq + 1}条起的记录缺失（链尾被截断）",
                           "audit.truncated")
    # Read again after the walk: every record seen was committed with its head update, so a
    # record beyond this head was written around ``record``.
    end_seq = _head_values()[0]
    if last_seq > end_seq:
        stray = AuditRecord.objects.filter(seq=end_seq + 1).values_list("pk", flat=True).first()
        return ChainReport(False, checked, end_seq + 1, stray,
                           f"第{end_seq + 1}条记录未登记在链头（链头只到第{end_seq}条）",
                           "audit.head_mismatch")
    return ChainReport(True, checked)


def _head_values() -> tuple[int, str]:
    head = AuditHead.objects.filter(pk=HEAD_PK).values_list("last_seq", "last_hash").first()
    return head or (0, GENESIS_HASH)


def _check_entry(entry: AuditRecord, expected_seq: int, previous: AuditRecord | None,
                 head: tuple[int, str], anchored_hash: str | None) -> tuple[int, int, str, str] | None:
    """(seq, id, reason, code) of the break at ``entry``, or None when it continues the chain
    after ``previous`` (None for the first record); ``anchored_hash`` is the head hash a
    checkpoint signed at this ``seq``, if any."""
    expected_prev = previous.hash if previous is not None else GENESIS_HASH
    if entry.seq > expected_seq:
        return (expected_seq, entry.pk, f"第{expected_seq}条记录缺失（其后现存的是第{entry.seq}条）",
                "audit.gap")
    if entry.seq < expected_seq:
        return (entry.seq, entry.pk, f"第{entry.seq}条记录不在链中（序号从1开始）", "audit.gap")
    if entry.hash_algorithm not in ALGORITHM_ORDER:
        return (entry.seq, entry.pk, f"第{entry.seq}条记录的哈希算法“{entry.hash_algorithm}”无法识别，"
                "记录已被改动", "audit.hash_mismatch")
    if entry.content_hash() != entry.hash:
        return (entry.seq, entry.pk, f"第{entry.seq}条记录的内容与其哈希值不符，记录已被改动",
                "audit.hash_mismatch")
    if entry.prev_hash != expected_prev:
        before = f"第{entry.seq - 1}条记录的哈希" if entry.seq > 1 else "链首值"
        return (entry.seq, entry.pk, f"第{entry.seq}条记录的前序哈希与{before}不符",
                "audit.link_broken")
    if previous is not None:
        if ALGORITHM_ORDER[entry.hash_algorithm] < ALGORITHM_ORDER[previous.hash_algorithm]:
            return (entry.seq, entry.pk, f"第{entry.seq}条记录使用{entry.get_hash_algorithm_display()}，"
                    f"早于前一条使用的{previous.get_hash_algorithm_display()}（算法不能回退）",
                    "audit.algorithm_downgrade")
        if entry.at < previous.at or (entry.at == previous.at
                                      and entry.hash_algorithm != HashAlgorithm.SHA256):
            return (entry.seq, entry.pk, f"第{entry.seq}条记录的时间（{_utc(entry.at)}）不晚于"
                    f"第{previous.seq}条（{_utc(previous.at)}），时间必须沿链递增",
                    "audit.time_not_increasing")
    if anchored_hash is not None and entry.hash != anchored_hash:
        return (entry.seq, entry.pk, f"第{entry.seq}条记录的哈希与该序号的签名检查点不符，"
                "其前的记录在签名后被改写", "audit.checkpoint_mismatch")
    if entry.seq == head[0] and entry.hash != head[1]:
        return (entry.seq, entry.pk, f"第{entry.seq}条记录的哈希与链头登记的不符，记录已被重写",
                "audit.head_mismatch")
    return None


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


EXPORT_FORMAT = "yiwang.audit.records/1"


def export_records(first_seq: int = 1, last_seq: int | None = None, *, batch_size: int = 2000):
    """The records from ``first_seq`` to ``last_seq`` (the head's by default), one dict each in
    seq order: ``seq``, ``hash_algorithm``, ``hash`` and ``content``, the hashed fields whose
    canonical JSON the hash covers (docs/audit-export.md). Read in keyset batches, so an export
    of any length holds one batch in memory. What the stand-alone verifier reads."""
    last_seq = _head_values()[0] if last_seq is None else last_seq
    after = first_seq - 1
    while after < last_seq:
        batch = list(AuditRecord.objects.filter(seq__gt=after, seq__lte=last_seq)
                     .order_by("seq")[:batch_size])
        for entry in batch:
            yield {"seq": entry.seq, "hash_algorithm": entry.hash_algorithm, "hash": entry.hash,
                   "content": entry.content()}
        if len(batch) < batch_size:
            return
        after = batch[-1].seq
