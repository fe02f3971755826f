"""Which rating window and rectification deadline apply in a region: its own EvaluationPolicy,
else the nearest ancestor's, else the settings' defaults."""

from __future__ import annotations

from django.conf import settings

from ..models import EvaluationPolicy


def policy_for(region) -> tuple[int, int]:
    """(rating days, rectification working days) for ``region``."""
    if region is not None:
        codes = [code for code in (region.path or "").strip("/").split("/") if code]
        found = {p.region.code: p for p in EvaluationPolicy.objects.select_related("region")
                 .filter(region__code__in=codes)}
        for code in reversed(codes):
            if code in found:
                return found[code].rating_days, found[code].rectification_working_days
    return settings.EVALUATION_RATING_DAYS, settings.EVALUATION_RECTIFICATION_WORKING_DAYS


def rating_days(region) -> int:
    return policy_for(region)[0]


def rectification_working_days(region) -> int:
    return policy_for(region)[1]
