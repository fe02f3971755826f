"""Why a backup, a check of a set or a restore stopped (each with a stable code)."""

from yiwang.common.errors import Conflict, DomainError


class BackupError(DomainError):
    """A backup or restore that cannot go on: a tool missing, a server it cannot serve."""

    default_code = "backup.failed"
    default_message = "备份或恢复失败"


class ToolMissing(BackupError):
    default_code = "backup.tool_missing"


class ToolFailed(BackupError):
    default_code = "backup.tool_failed"


class ServerVersionMismatch(BackupError):
    default_code = "backup.server_version"


class CorruptSet(BackupError):
    """The set does not match its own manifest: nothing of it is restored."""

    default_code = "backup.corrupted"
    default_message = "备份集已损坏或被改动，拒绝恢复"


class TargetNotEmpty(Conflict):
    default_code = "backup.target_not_empty"


class IncompatibleSet(BackupError):
    """The set was made for another engine or by a later version of the code."""

    default_code = "backup.incompatible"
