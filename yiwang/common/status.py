"""Status changes with a reason, the shape shared by the registries (印章, 电子证照): 暂停, 恢复,
注销 and the like, each allowed from some statuses only, each needing a reason, each made on the
locked row so that it cannot interleave with a use of the object. The caller checks the
permission first and writes its own history and audit record after."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from .errors import Conflict, ValidationError

REASON_MAX = 200


@dataclass(frozen=True)
class Transition:
    """From which ``sources`` a change leads to ``target``; ``label`` names it in messages
    (暂停使用) and ``audit_kind`` is the code of its audit record."""

    sources: frozenset[str]
    target: str
    label: str
    audit_kind: str


def change_status(instance: models.Model, transition: Transition, *, reason: str, prefix: str,
                  noun: str, error: type[Conflict] = Conflict,
                  **fields) -> tuple[models.Model, str, str]:
    """Apply ``transition`` to the row of ``instance`` (which has ``status`` and ``status_reason``),
    locked until the caller's transaction ends, also setting ``fields``. Returns the locked row,
    its status before and the cleaned reason. Refuses an empty or overlong reason
    (``<prefix>.reason_required``, ``<prefix>.reason_too_long``) and a change the current status
    does not allow (``error`` with ``<prefix>.illegal_transition``, naming the ``noun``)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"请填写{transition.label}的原因", code=f"{prefix}.reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"原因不能超过 {REASON_MAX} 字", code=f"{prefix}.reason_too_long")
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    if locked.status not in transition.sources:
        raise error(f"该{noun}{locked.get_status_display()}，不能{transition.label}",
                    code=f"{prefix}.illegal_transition")
    before = locked.status
    locked.status, locked.status_reason = transition.target, reason
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "status_reason", *fields])
    return locked, before, reason
