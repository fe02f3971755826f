"""Staff pages of the identity capability: 现场核验 at the counter and the log-in audit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from yiwang.accounts import selectors as account_selectors
from yiwang.accounts import services as accounts
from yiwang.accounts.models import AuthEvent, Citizen
from yiwang.common.errors import DomainError
from yiwang.common.identifiers import mask_id, mask_phone
from yiwang.common.pagination import paginate

from .views import any_staff_required


def _refuse(exc: DomainError):
    raise PermissionDenied(exc.message) from exc


@any_staff_required
def identity_verify(request):
    """The clerk types the number on the card in front of them; the page shows the account
    masked, and one button records that the person was seen in person (L3). The number travels
    in a POST body, never in a URL that logs would keep."""
    context, status = {}, 200
    try:
        accounts.require_window_clerk(request.user)
        if "citizen" in request.POST:
            citizen = Citizen.objects.get(pk=request.POST["citizen"])
            accounts.verify_in_person(citizen, clerk=request.user,
                                      ip=request.META.get("REMOTE_ADDR"))
            messages.success(request, f"{citizen.name}（{mask_id(citizen.id_number)}）已完成现场核验，"
                                      "实名等级为 L3")
            return redirect("workbench:identity-verify")
        if request.POST.get("id_number"):
            citizen = accounts.find_citizen_by_id_number(request.POST["id_number"],
                                                         clerk=request.user)
            context.update(citizen=citizen, masked_id=mask_id(citizen.id_number),
                           masked_mobile=mask_phone(citizen.mobile))
    except (Citizen.DoesNotExist, ValueError):
        context["error"], status = "用户不存在", 404
    except DomainError as exc:
        if exc.status == 403:
            _refuse(exc)
        context["error"], status = exc.message, exc.status
    return render(request, "workbench/identity_verify.html", context, status=status)


@any_staff_required
def auth_events(request):
    try:
        events = account_selectors.visible_auth_events(request.user)
    except DomainError as exc:
        _refuse(exc)
    kind = request.GET.get("kind", "")
    if kind not in AuthEvent.Kind.values:
        kind = ""
    events = account_selectors.filter_auth_events(
        events, kind=kind, identifier=request.GET.get("q", "").strip())
    try:
        page = paginate(events, request.GET.get("page") or 1, 50)
    except DomainError as exc:
        return render(request, "workbench/auth_events.html", {"error": exc.message}, status=400)
    return render(request, "workbench/auth_events.html", {
        "page": page, "kinds": AuthEvent.Kind.choices, "kind": kind,
        "q": request.GET.get("q", "")})
