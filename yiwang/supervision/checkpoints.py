"""审计链检查点: the platform signs the chain's head now and then and publishes what it signed.

A checkpoint is due when ``settings.AUDIT_CHECKPOINT_EVERY_RECORDS`` records have been appended
since the last one (``audit.record`` then queues the task) or when
``settings.AUDIT_CHECKPOINT_EVERY_MINUTES`` have passed and the chain has grown (the sweep:
``manage.py audit_checkpoint`` from cron, or the ``sign_audit_checkpoint`` task). The seal is the
platform's 平台存证专用章 (``seals.services.platform_seal``).

The published document (``published``) and the signed data are specified in
docs/audit-export.md, for verifiers that share no code with the platform."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.common.errors import ValidationError
from yiwang.seals import services as seals

from .audit import locked_head
from .models import AuditCheckpoint

PUBLISHED_FORMAT = "yiwang.audit.checkpoints/1"
DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000
_MAX_SEQ = 2**63 - 1  # what every database's big integer holds


def create_checkpoint(*, force: bool = False, now: dt.datetime | None = None) -> AuditCheckpoint | None:
    """Sign a checkpoint at the chain's current head if one is due (``force``: whenever the
    chain has grown since the last). None when there is nothing to sign. Raises SealStateError
    when the platform has no usable seal."""
    try:
        return _create(force=force, now=now or timezone.now())
    except IntegrityError:
        # Two sweeps anchored the same head at once; the other one's checkpoint stands. Only
        # possible where the head row was missing, since the head lock otherwise orders them.
        return None


@transaction.atomic
def _create(*, force: bool, now: dt.datetime) -> AuditCheckpoint | None:
    # The head lock first, before any other read: checkpoints are then made one at a time, each
    # sees the one before it (also under MySQL's repeatable read, whose snapshot starts at the
    # first plain read), and none can name a predecessor another one names too. Appends wait
    # for the signature, about a millisecond once every N records.
    head = locked_head()
    latest = AuditCheckpoint.objects.order_by("-seq").first()
    if not _due(head.last_seq, latest, now, force):
        return None
    seal = seals.platform_seal()
    checkpoint = AuditCheckpoint(
        seq=head.last_seq, head_hash=head.last_hash,
        # Never before the record it anchors, whose time may run a few microseconds ahead.
        at=max(now, head.last_at) if head.last_at else now,
        previous_seq=latest.seq if latest else None, previous_digest=latest.digest if latest else "")
    checkpoint.signature = seals.sign_as_platform(checkpoint.data(), seal=seal,
                                                  purpose=f"审计链检查点 #{checkpoint.seq}")
    checkpoint.digest = checkpoint.signature["data_hash"]
    checkpoint.save()
    return checkpoint


def _due(head_seq: int, latest: AuditCheckpoint | None, now: dt.datetime, force: bool) -> bool:
    if head_seq == 0 or (latest is not None and head_seq <= latest.seq):
        return False  # nothing new to anchor
    if force or latest is None:
        return True
    return (head_seq - latest.seq >= settings.AUDIT_CHECKPOINT_EVERY_RECORDS
            or now - latest.at >= dt.timedelta(minutes=settings.AUDIT_CHECKPOINT_EVERY_MINUTES))


# --- publication -----------------------------------------------------------------------------------


def parse_page(after, limit) -> tuple[int, int]:
    """``after`` (a chain seq, 0 for the beginning) and ``limit`` from a query string, checked:
    ValidationError (audit.checkpoints_page) for anything but integers in range."""
    try:
        after_n = int(after or 0)
        limit_n = int(limit or DEFAULT_PAGE_SIZE)
    except (TypeError, ValueError) as exc:
        raise ValidationError("after 和 limit 必须是整数", code="audit.checkpoints_page") from exc
    if not (0 <= after_n <= _MAX_SEQ and 1 <= limit_n <= MAX_PAGE_SIZE):
        raise ValidationError(f"after 为 0 到 {_MAX_SEQ} 的序号，limit 为 1 到 {MAX_PAGE_SIZE}",
                              code="audit.checkpoints_page")
    return after_n, limit_n


def published(*, after: int = 0, limit: int | None = DEFAULT_PAGE_SIZE) -> dict:
    """The checkpoints after chain seq ``after``, oldest first, at most ``limit`` (None: all):
    the JSON document of /audit/checkpoints.json. ``next_after`` is the ``after`` of the
    following page, None on the last page (keyset paging, so a page stays the same while
    checkpoints are added)."""
    rows = AuditCheckpoint.objects.filter(seq__gt=after).order_by("seq")
    rows = list(rows if limit is None else rows[:limit + 1])
    more = limit is not None and len(rows) > limit
    rows = rows[:limit]
    return {
        "format": PUBLISHED_FORMAT,
        "after": after,
        "next_after": rows[-1].seq if more else None,
        "checkpoints": [{"data": row.data(), "signature": row.signature} for row in rows],
    }


def recent(count: int) -> list[AuditCheckpoint]:
    """The ``count`` latest checkpoints, newest first."""
    return list(AuditCheckpoint.objects.order_by("-seq")[:count])


def public_key_pem() -> str:
    """The PEM public key of the seal that signs checkpoints now (SealStateError if none)."""
    return seals.platform_seal().public_key_pem


def signing_seal_name() -> str:
    """印章全称 and code of the seal that signs checkpoints now (SealStateError if none)."""
    seal = seals.platform_seal()
    return f"{seal.full_name}（{seal.seal_code}）"
