"""The case state machine (GB/T states, DESIGN.md): which action may leave which state for which.
Services ask ``check`` before they change anything; nothing else decides what is legal."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import CaseStateError
from .models import DECIDED_STATUSES, Status

RESUME = "resume"  # the state the case had before a correction or special procedure
OUTCOME = "outcome"  # one of DECIDED_STATUSES, chosen by the decider


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str


def _t(label: str, sources, target: str) -> Transition:
    return Transition(label, frozenset(sources), target)


_HANDLING = (Status.ACCEPTED, Status.REVIEWING)
TRANSITIONS: dict[str, Transition] = {
    "submit": _t("提交申请", [Status.DRAFT], Status.RECEIVED),
    "accept": _t("受理", [Status.RECEIVED], Status.ACCEPTED),
    "not_accept": _t("不予受理", [Status.RECEIVED], Status.NOT_ACCEPTED),
    "request_correction": _t("一次性告知补正", [Status.RECEIVED, *_HANDLING], Status.CORRECTING),
    "resubmit": _t("提交补正材料", [Status.CORRECTING], RESUME),
    "start_review": _t("开始审查", [Status.ACCEPTED], Status.REVIEWING),
    "start_special": _t("启动特别程序", _HANDLING, Status.SPECIAL),
    "end_special": _t("结束特别程序", [Status.SPECIAL], RESUME),
    "decide": _t("作出决定", _HANDLING, OUTCOME),
    "certify": _t("制证", [Status.APPROVED, Status.APPROVED_TOLERATED], Status.CERTIFIED),
    "deliver": _t("送达", [Status.CERTIFIED], Status.DELIVERED),
    "withdraw": _t("撤回申请", [Status.RECEIVED, Status.CORRECTING, Status.SPECIAL, *_HANDLING],
                   Status.WITHDRAWN),
    "revoke": _t("撤销", [Status.RECEIVED, Status.CORRECTING, Status.SPECIAL, *_HANDLING,
                        *DECIDED_STATUSES, Status.CERTIFIED, Status.DELIVERED], Status.REVOKED),
}


def check(action: str, status: str) -> Transition:
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise CaseStateError(
            f"该办件当前状态为{Status(status).label}，不能{transition.label}",
            details={"action": action, "status": status,
                     "allowed_from": sorted(transition.sources)})
    return transition


def allowed_actions(status: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if status in t.sources]
