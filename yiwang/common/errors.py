"""Domain errors with stable machine codes and Chinese messages.

Services raise these; the API maps them to HTTP statuses with
``{"code": ..., "message": ..., "details": ...}`` and pages show ``message`` in the form.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base for every error a user can cause. ``status`` is the HTTP status the API answers."""

    status = 400
    default_code = "invalid"
    default_message = "请求无效"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 details: Any = None) -> None:
        self.code = code or self.default_code
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ValidationError(DomainError):
    status = 400
    default_code = "invalid"
    default_message = "输入数据不符合要求"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"
    default_message = "请求的对象不存在"


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"
    default_message = "您无权执行此操作"


class Conflict(DomainError):
    """The request is well-formed but clashes with the current state (duplicate, wrong state)."""

    status = 409
    default_code = "conflict"
    default_message = "与当前状态冲突"


class PayloadTooLarge(DomainError):
    status = 413
    default_code = "payload_too_large"
    default_message = "上传内容过大"


class TooManyRequests(DomainError):
    """Rate limits: too many codes, attempts or queries in a short time."""

    status = 429
    default_code = "rate_limited"
    default_message = "操作过于频繁，请稍后再试"
