"""Staff pages of the licences a department issued (证照管理): the list and a licence's page with
the 暂停 / 恢复 / 注销 forms. Only the issuing department's 制证员 and 部门管理员 find a licence
(``licences.selectors``: another department's licence does not exist for them); each change is one
service call, and a refusal comes back as its message with its status code."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError
from yiwang.common.identifiers import mask_id
from yiwang.common.pagination import paginate
from yiwang.licences import rendering, selectors, services

from .case_forms import error_text
from .licence_forms import LicenceFilterForm, ReasonForm
from .views import _found, staff_who

# URL action -> the service that makes the change.
LICENCE_ACTIONS = {
    "suspend": services.suspend_licence,
    "reinstate": services.reinstate_licence,
    "revoke": services.revoke_licence,
}


# A 制证员 or 部门管理员 somewhere.
licence_staff_required = staff_who(selectors.manages_licences, "您不是任何部门的制证员或部门管理员")


@licence_staff_required
def licence_list(request):
    form = LicenceFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "workbench/licences/list.html", {"form": form, "page": None}, status=400)
    page = paginate(selectors.staff_licences(request.user, form.cleaned_data["q"]),
                    form.cleaned_data["page"] or 1)
    for licence in page.items:
        licence.masked_id = mask_id(licence.holder_id_number)
    return render(request, "workbench/licences/list.html", {"form": form, "page": page})


def _render_licence(request, pk: int, *, status: int = 200):
    licence = _found(selectors.staff_licence, request.user, pk)
    # The forms offered follow the service's own table of which status each change starts from.
    actions = [(name, transition.label) for name, transition in services.TRANSITIONS.items()
               if licence.status in transition.sources]
    return render(request, "workbench/licences/detail.html", {
        **rendering.card(licence, base_url=request.build_absolute_uri("/").rstrip("/")),
        "actions": actions, "events": licence.events.select_related("actor"),
    }, status=status)


@licence_staff_required
def licence_detail(request, pk: int):
    return _render_licence(request, pk)


@licence_staff_required
@require_POST
def licence_action(request, pk: int, action: str):
    licence = _found(selectors.staff_licence, request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return _render_licence(request, pk, status=400)
    try:
        changed = LICENCE_ACTIONS[action](licence, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_licence(request, pk, status=exc.status)
    messages.success(request, f"证照 {changed.identifier} 已{services.TRANSITIONS[action].label}")
    return redirect("workbench:licence-detail", pk=pk)
