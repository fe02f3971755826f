import datetime as dt
import hashlib
import ipaddress
import json

from django.db import models

from yiwang.seals.crypto import sm3_hex

from .errors import AuditRecordImmutable

GENESIS_HASH = "0" * 64
HEAD_PK = 1  # AuditHead is a single row


class HashAlgorithm(models.TextChoices):
    """The digest a record is chained with. SHA-256 until SM3 (GB/T 32905) replaced it; the
    order of the choices is the order of adoption, so a chain may move forward and never back."""

    SHA256 = "sha256", "SHA-256"
    SM3 = "sm3", "SM3"


ALGORITHM_ORDER = {algorithm: rank for rank, algorithm in enumerate(HashAlgorithm.values)}
_DIGESTS = {HashAlgorithm.SHA256: lambda content: hashlib.sha256(content).hexdigest(),
            HashAlgorithm.SM3: sm3_hex}


class AuditRecordQuerySet(models.QuerySet):
    """Refuses bulk changes, so no code path of the application rewrites the log. This guards
    against mistakes, not against someone with database access: the hash chain catches those."""

    def update(self, **kwargs):
        raise AuditRecordImmutable()

    update.alters_data = True

    def delete(self):
        raise AuditRecordImmutable()

    delete.alters_data = True
    delete.queryset_only = True


class AuditRecord(models.Model):
    """审计记录: one event in the append-only log. Written only by ``audit.record``, which gives it
    the next ``seq`` and chains it to its predecessor: ``hash`` is the digest named by
    ``hash_algorithm`` (SM3 for new records, SHA-256 for those written before) over the canonical
    form of every other field, ``prev_hash`` included.

    The actor is a snapshot (``actor_id`` and ``actor_name``), not a foreign key, so deleting or
    renaming a user never touches an audit row."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("记录时间")
    kind = models.CharField("事件类型", max_length=64, help_text="如 case.accepted")
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    on_behalf = models.CharField("代表", max_length=255, blank=True, help_text="经办人所代表的企业等")
    subject_type = models.CharField("对象类型", max_length=100, blank=True, help_text="如 cases.case")
    subject_id = models.CharField("对象编号", max_length=64, blank=True)
    summary = models.TextField("摘要", blank=True)
    data = models.JSONField("详细数据", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField("前序哈希", max_length=64)
    hash = models.CharField("哈希值", max_length=64, unique=True)
    # No default: ``record`` names the algorithm it uses; the migration that added the field
    # gave the rows already there the one they were hashed with.
    hash_algorithm = models.CharField("哈希算法", max_length=8, choices=HashAlgorithm.choices)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx"),
            models.Index(fields=["actor_id"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.summary}".strip()

    def save(self, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditRecordImmutable()
        # Never an UPDATE, even for an instance built with the pk of an existing row.
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordImmutable()

    def canonical_content(self) -> bytes:
        """Every field but ``hash`` in one fixed serialisation: ``content`` as compact JSON with
        sorted keys, UTF-8 unescaped (docs/audit-export.md specifies it for outside verifiers)."""
        return json.dumps(self.content(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode()

    def content(self) -> dict:
        """The hashed fields as plain JSON values. Values are normalised the way the databases
        hand them back (time in UTC with microseconds, IPv6 compressed; JSON keys are sorted when
        serialised, as PostgreSQL jsonb and MySQL reorder them), so a record hashes the same
        before it is written and after it is read from SQLite, PostgreSQL or MariaDB.

        The algorithm is part of an SM3 record's content, so it cannot be relabelled without
        breaking the hash; a SHA-256 record keeps the content it was hashed with."""
        content = {
            "seq": self.seq,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "kind": self.kind,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "on_behalf": self.on_behalf,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "summary": self.summary,
            "data": self.data,
            "ip": _canonical_ip(self.ip),
            "prev_hash": self.prev_hash,
        }
        if self.hash_algorithm != HashAlgorithm.SHA256:
            content["hash_algorithm"] = self.hash_algorithm
        return content

    def content_hash(self) -> str:
        """The digest of the canonical content by the record's algorithm; "" for an algorithm
        this code does not know (a tampered column), which then matches no stored hash."""
        digest = _DIGESTS.get(self.hash_algorithm)
        return digest(self.canonical_content()) if digest else ""


def _canonical_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return value  # a tampered column: verify_chain then reports a hash mismatch, not a crash


class AuditHead(models.Model):
    """审计链头: the single row (pk 1) naming the last record. ``audit.record`` locks it to give
    out sequence numbers one writer at a time, and ``verify_chain`` compares the stored tail with
    it, so records cut off the end are noticed."""

    last_seq = models.PositiveBigIntegerField("最后序号", default=0)
    last_hash = models.CharField("最后哈希", max_length=64, default=GENESIS_HASH)
    last_at = models.DateTimeField("最后记录时间", null=True, blank=True)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash}"


CHECKPOINT_TYPE = "yiwang.audit.checkpoint"
CHECKPOINT_VERSION = 1


class AuditCheckpoint(models.Model):
    """审计链检查点: the platform's signed statement that at ``at`` the chain held ``seq``
    records ending in ``head_hash``. Signed with the platform's 平台存证专用章 and published, so
    anyone holding an export can prove that records up to ``seq`` were not rewritten since, even
    by someone who recomputed every hash after them: the rewritten chain no longer ends in the
    signed hash, and only the seal's private key could sign another.

    Each checkpoint names the previous one (its ``seq`` and ``digest``, the SM3 of its signed
    data), so the published checkpoints form a chain of their own and one left out is noticed.
    ``signature`` is the seal's signature structure (seals.services) over ``data()``."""

    seq = models.PositiveBigIntegerField("链上序号", unique=True,
                                         help_text="检查点时审计链最后一条记录的序号")
    head_hash = models.CharField("链头哈希", max_length=64)
    at = models.DateTimeField("检查点时间")
    previous_seq = models.PositiveBigIntegerField("前一检查点序号", null=True, blank=True)
    previous_digest = models.CharField("前一检查点摘要", max_length=64, blank=True)
    digest = models.CharField("摘要（SM3）", max_length=64, help_text="签名数据规范形式的 SM3 摘要")
    signature = models.JSONField("签章")

    class Meta:
        verbose_name = "审计链检查点"
        verbose_name_plural = "审计链检查点"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"检查点 #{self.seq} {self.head_hash[:16]}…"

    def data(self) -> dict:
        """What the seal signs (docs/audit-export.md): the checkpoint's own fields as JSON."""
        previous = ({"seq": self.previous_seq, "digest": self.previous_digest}
                    if self.previous_seq is not None else None)
        return {"type": CHECKPOINT_TYPE, "version": CHECKPOINT_VERSION, "seq": self.seq,
                "head_hash": self.head_hash,
                "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
                "previous": previous}
