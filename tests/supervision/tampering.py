"""What someone with write access to the database could do to the log. Each helper goes around
the model's guards with a plain QuerySet, as raw SQL would, and leaves the head row alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db.models import QuerySet

from yiwang.supervision import audit
from yiwang.supervision.models import HEAD_PK, AuditHead, AuditRecord

# Above any seq a test writes, below the 64-bit limit of every database.
PARKED_SEQ = 10**12


def raw() -> QuerySet:
    return QuerySet(AuditRecord)


def build_chain(length: int) -> list[AuditRecord]:
    return [audit.record("case.accepted", summary=f"受理第{n}件", data={"n": n, "tags": ["a", n]})
            for n in range(1, length + 1)]


def edit(seq: int, **changes) -> None:
    """Change fields and leave the hash as it was."""
    raw().filter(seq=seq).update(**changes)


def rehash(seq: int, **changes) -> None:
    """Change fields and give the record a hash that matches its new content."""
    entry = AuditRecord.objects.get(seq=seq)
    for name, value in changes.items():
        setattr(entry, name, value)
    raw().filter(seq=seq).update(**changes, hash=entry.content_hash())


def rewrite_tail(seq: int, **changes) -> None:
    """What a careful forger does: change record ``seq``, then recompute every later record's link
    and hash and the head's, so that the chain on its own verifies again."""
    previous_hash = None
    for entry in AuditRecord.objects.filter(seq__gte=seq).order_by("seq"):
        if previous_hash is None:
            for name, value in changes.items():
                setattr(entry, name, value)
        else:
            entry.prev_hash = previous_hash
        entry.hash = entry.content_hash()
        raw().filter(pk=entry.pk).update(**changes if entry.seq == seq else {},
                                         prev_hash=entry.prev_hash, hash=entry.hash)
        previous_hash = entry.hash
    AuditHead.objects.filter(pk=HEAD_PK).update(last_hash=previous_hash)


def delete(*seqs: int) -> None:
    raw().filter(seq__in=seqs).delete()


def truncate(from_seq: int) -> None:
    raw().filter(seq__gte=from_seq).delete()


def swap(first: int, second: int) -> None:
    """Exchange the positions of two records (seq is unique, so one waits at a parking seq)."""
    raw().filter(seq=first).update(seq=PARKED_SEQ)
    raw().filter(seq=second).update(seq=first)
    raw().filter(seq=PARKED_SEQ).update(seq=second)


def legacy_record(seq: int, at: dt.datetime, prev_hash: str) -> AuditRecord:
    """A record as the code before SM3 wrote it: SHA-256 over content without the algorithm."""
    entry = AuditRecord(seq=seq, at=at, kind="case.accepted", summary=f"旧记录{seq}", data={"n": seq},
                        prev_hash=prev_hash, hash_algorithm="sha256")
    content = json.dumps({"seq": seq, "at": at.isoformat(timespec="microseconds"), "kind": "case.accepted",
                          "actor_id": None, "actor_name": "", "on_behalf": "", "subject_type": "",
                          "subject_id": "", "summary": f"旧记录{seq}", "data": {"n": seq}, "ip": None,
                          "prev_hash": prev_hash}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    entry.hash = hashlib.sha256(content.encode()).hexdigest()
    assert entry.content_hash() == entry.hash  # the old content, byte for byte
    entry.save()
    AuditHead.objects.filter(pk=1).update(last_seq=seq, last_hash=entry.hash, last_at=at)
    return entry
