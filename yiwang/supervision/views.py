"""电子监察 pages of the workbench: the data-sharing figures (数据共享监督) for supervisors.

The view parses the period and region, asks ``selectors.sharing_report`` (which checks the
supervisor's scope and calls ``exchange.metrics``) and renders; a bad period is the form's message
with 400, a region outside the supervisor's scope its message with 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.common.errors import DomainError

from . import selectors
from .forms import PeriodForm, default_period_data

PERIOD_FIELDS = ("year", "month", "start_date", "end_date")


@login_required
@require_GET
def sharing(request):
    try:
        scope = selectors.supervision_scope(request.user)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    data = request.GET.copy()
    if not any(data.get(name) for name in PERIOD_FIELDS):
        data.update(default_period_data())
    form = PeriodForm(data)
    context = {"form": form, "report": None}
    if not form.is_valid():
        context["regions"] = selectors.region_choices(scope)
        return render(request, "supervision/sharing.html", context, status=400)
    period = form.cleaned_data
    context.update(period=period, regions=selectors.region_choices(scope, period["region"]))
    try:
        context["report"] = selectors.sharing_report(request.user, period["start"], period["end"],
                                                     period["region"])
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "supervision/sharing.html", context, status=exc.status)
    return render(request, "supervision/sharing.html", context)
