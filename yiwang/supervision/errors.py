"""Errors of the audit log."""

from yiwang.common.errors import Conflict


class AuditRecordImmutable(Conflict):
    default_code = "audit.immutable"
    default_message = "审计记录只能追加，不能修改或删除"
