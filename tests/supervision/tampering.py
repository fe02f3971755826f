"""What someone with write access to the database could do to the log. Each helper goes around
the model's guards with a plain QuerySet, as raw SQL would, and leaves the head row alone."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.supervision import audit
from yiwang.supervision.models import AuditRecord

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


def delete(*seqs: int) -> None:
    raw().filter(seq__in=seqs).delete()


def truncate(from_seq: int) -> None:
    raw().filter(seq__gte=from_seq).delete()


def swap(first: int, second: int) -> None:
    """Exchange the positions of two records (seq is unique, so one waits at a parking seq)."""
    raw().filter(seq=first).update(seq=PARKED_SEQ)
    raw().filter(seq=second).update(seq=first)
    raw().filter(seq=PARKED_SEQ).update(seq=second)
