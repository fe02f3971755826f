import datetime as dt
import hashlib
import ipaddress
import json

from django.db import models

from .errors import AuditRecordImmutable

GENESIS_HASH = "0" * 64
HEAD_PK = 1  # AuditHead is a single row


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
    the next ``seq`` and chains it to its predecessor: ``hash`` is SHA-256 over the canonical form
    of every other field, ``prev_hash`` included.

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
        """Every field but ``hash`` in one fixed serialisation. Values are normalised the way the
        databases hand them back (time in UTC with microseconds, IPv6 compressed, JSON keys
        sorted, as PostgreSQL jsonb and MySQL reorder them), so a record hashes the same before it
        is written and after it is read from SQLite, PostgreSQL or MariaDB."""
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
        return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical_content()).hexdigest()


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

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash}"
