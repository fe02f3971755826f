"""The review flow that every versioned definition shares — guide versions (办事指南) and 一件事
versions: draft → submitted → approved by someone who did not write it (四眼原则) → published,
sent back to draft with a reason, superseded by the next published version, withdrawn.

A ``ReviewFlow`` says how one kind of version is locked, which department's catalogue roles
decide and how its history is written; the steps and their rules are the same for every kind.
Each step runs in the caller's transaction (the services that call them are atomic)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.orgs.models import Role
from yiwang.orgs.services import require_role

from .models import VersionEvent, VersionStatus
from .selectors import AUTHORING_ACTIONS

Action = VersionEvent.Action


def authors_of(version) -> set[int]:
    """Users who wrote a version's content: its creator and everyone who edited it."""
    ids = set(version.events.filter(action__in=AUTHORING_ACTIONS).values_list("actor_id", flat=True))
    if version.created_by_id:
        ids.add(version.created_by_id)
    ids.discard(None)
    return ids


@dataclass(frozen=True)
class ReviewFlow:
    lock: Callable  # version -> the same version, locked for the transaction
    department_of: Callable  # version -> the department whose editors and reviewers act
    record: Callable  # (version, action, actor, comment) -> the history entry
    code: str  # the error codes' prefix: "guide", "bundle"

    def expect(self, version, *statuses: str, doing: str) -> None:
        if version.status not in statuses:
            raise Conflict(f"该版本当前状态为“{version.get_status_display()}”，不能{doing}",
                           code=f"{self.code}.illegal_transition", details={"status": version.status})

    def _move(self, version, status: str, action: str, actor, comment: str):
        version.status = status
        version.save(update_fields=["status", "updated_at"])
        self.record(version, action, actor, comment)
        return version

    def submit(self, version, *, actor, comment: str = ""):
        version = self.lock(version)
        require_role(actor, self.department_of(version), Role.CATALOG_EDITOR)
        self.expect(version, VersionStatus.DRAFT, doing="提交审核")
        return self._move(version, VersionStatus.SUBMITTED, Action.SUBMITTED, actor, comment)

    def approve(self, version, *, actor, comment: str = ""):
        version = self.lock(version)
        require_role(actor, self.department_of(version), Role.CATALOG_REVIEWER)
        self.expect(version, VersionStatus.SUBMITTED, doing="审核")
        if actor.pk in authors_of(version):
            # Four-eyes rule: nobody approves content they wrote themselves.
            raise PermissionDenied("不能审核自己起草或修改的版本", code=f"{self.code}.self_review")
        return self._move(version, VersionStatus.APPROVED, Action.APPROVED, actor, comment)

    def reject(self, version, *, actor, comment: str):
        version = self.lock(version)
        require_role(actor, self.department_of(version), Role.CATALOG_REVIEWER)
        self.expect(version, VersionStatus.SUBMITTED, VersionStatus.APPROVED, doing="退回")
        if not (comment or "").strip():
            raise ValidationError("退回修改时请说明原因", code=f"{self.code}.reason_required")
        return self._move(version, VersionStatus.DRAFT, Action.REJECTED, actor, comment)

    def publish(self, version, *, actor, comment: str = "", lock_owner: Callable,
                check: Callable | None = None):
        """Make an approved version its owner's public one (``lock_owner(version)``: the item or
        bundle, locked); the version it replaces becomes history. ``check`` may refuse."""
        version = self.lock(version)
        require_role(actor, self.department_of(version), Role.CATALOG_REVIEWER)
        self.expect(version, VersionStatus.APPROVED, doing="发布")
        if check is not None:
            check(version)
        owner = lock_owner(version)
        previous = owner.published_version
        if previous is not None:
            # Release the one-to-one slot before pointing it at the new version.
            owner.published_version = None
            owner.save(update_fields=["published_version"])
            self._move(previous, VersionStatus.SUPERSEDED, Action.SUPERSEDED, actor,
                       f"被第{version.number}版替代")
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
        self._move(version, VersionStatus.PUBLISHED, Action.PUBLISHED, actor, comment)
        owner.published_version = version
        owner.save(update_fields=["published_version"])
        return version

    def withdraw(self, owner, department, *, actor, reason: str, what: str, doing: str):
        """Take the locked ``owner``'s published version off the public site."""
        require_role(actor, department, Role.CATALOG_REVIEWER)
        if not (reason or "").strip():
            raise ValidationError(f"{doing}{what}时请说明原因", code=f"{self.code}.reason_required")
        version = owner.published_version
        if version is None:
            raise Conflict(f"该{what}没有已发布的版本，无需{doing}", code=f"{self.code}.not_published")
        owner.published_version = None
        owner.save(update_fields=["published_version"])
        return self._move(version, VersionStatus.WITHDRAWN, Action.WITHDRAWN, actor, reason)
