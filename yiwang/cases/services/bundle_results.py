"""一件事的合并结果: when the last case of a bundle application reaches a final state, the
applicant gets one notice that lists every item's outcome, its licence and how the result is
handed over. Kept apart from ``bundles`` because ``_base.move`` calls it on every final move."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from yiwang.notify.services import notify_user

from ..models import FINAL_STATUSES, BundleApplication, Case, Status


@dataclass(frozen=True)
class ItemResult:
    """One line of the combined result."""

    case: Case
    licence: object | None
    handover: str

    @property
    def outcome(self) -> str:
        return self.case.get_status_display()

    @property
    def licence_url(self) -> str:
        return reverse("licences:licence", args=[self.licence.pk]) if self.licence else ""

    def line(self) -> str:
        text = f"{self.case.version.name}（办件编号{self.case.number}）：{self.outcome}"
        if self.case.outcome_reason:
            text += f"，理由：{self.case.outcome_reason}"
        if self.licence is not None:
            text += f"；电子证照：{self.licence.identifier}（{self.licence_url}）"
        if self.handover:
            text += f"；{self.handover}"
        return text


def _handover(case: Case) -> str:
    if case.status == Status.CERTIFIED:
        return "结果已制作，等待送达或领取"
    if case.status != Status.DELIVERED:
        return ""
    event = case.events.filter(action="deliver").order_by("-at").first()
    method = (event.data or {}).get("method", "") if event else ""
    return f"结果已{method}" if method else "结果已送达"


def item_results(cases) -> list[ItemResult]:
    """Outcome, licence (if one was issued) and hand-over of each case."""
    # Upward import (licences builds on cases): the notice reads which licence each case
    # produced, which no signal sent by cases could return.
    from yiwang.licences.models import Licence

    licences = {licence.case_id: licence for licence in Licence.objects.filter(
        case__in=[c.pk for c in cases])}
    return [ItemResult(case=c, licence=licences.get(c.pk), handover=_handover(c)) for c in cases]


def conclude_if_finished(case: Case) -> bool:
    """Called in the transaction that moved ``case`` to a final state. Locks the application,
    so of two cases finishing at once only the later sends the notice, and only once."""
    application = (BundleApplication.objects.select_for_update()
                   .select_related("version", "applicant").get(pk=case.bundle_application_id))
    if application.result_sent_at is not None:
        return False
    cases = list(application.cases.select_related("version").order_by("pk"))
    if any(c.status not in FINAL_STATUSES for c in cases):
        return False
    application.result_sent_at = timezone.now()
    application.save(update_fields=["result_sent_at"])
    lines = "\n".join(f"{i}. {r.line()}" for i, r in enumerate(item_results(cases), start=1))
    link = reverse("portal:bundle-application", args=[application.pk])
    notify_user(application.applicant, f"一件事“{application.version.name}”已全部办结",
                f"您申请的一件事“{application.version.name}”各事项均已办结：\n{lines}\n"
                f"详情见 {link}")
    return True
