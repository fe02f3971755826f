"""统一出件 pages of the 出件窗口: what waits at the clerk's hall, finding a result by pick-up code or
the applicant's ID number (sent in a POST body, never in a URL that logs keep), and the hand-over.
The clerk works at the 出件窗口 they are signed in to; the services check every step again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from yiwang.common.errors import DomainError
from yiwang.common.identifiers import mask_name
from yiwang.common.pagination import paginate

from ..services import pickup as pickups

TEMPLATE_LIST = "hall/pickup/list.html"
TEMPLATE_HAND_OVER = "hall/pickup/hand_over.html"


def _row(pickup) -> dict:
    case = pickup.case
    return {"pickup": pickup, "case": case, "item": case.version.name,
            "applicant": mask_name(case.applicant_name)}


def _not_signed_in(request):
    return render(request, TEMPLATE_LIST, {"error": "您没有签入出件窗口，请先在大厅首页签入出件窗口"},
                  status=403)


@login_required
@require_http_methods(["GET", "POST"])
def pickup_list(request):
    window = pickups.signed_in_pickup_window(request.user)
    if window is None:
        return _not_signed_in(request)
    context, status = {"window": window, "hall": window.hall}, 200
    try:
        pickups.require_hall_clerk(request.user, window.hall)
        page = paginate(pickups.waiting(window.hall), request.GET.get("page") or 1)
        context["page"], context["rows"] = page, [_row(p) for p in page.items]
        if request.method == "POST":
            context["query"] = {"code": request.POST.get("code", "").strip()}
            found = pickups.find(request.user, window.hall, code=request.POST.get("code", ""),
                                 id_number=request.POST.get("id_number", ""))
            context["found"] = [_row(p) for p in found]
    except DomainError as exc:
        context["error"], status = exc.message, exc.status
    return render(request, TEMPLATE_LIST, context, status=status)


def _contents(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@login_required
@require_http_methods(["GET", "POST"])
def hand_over(request, pk: int):
    window = pickups.signed_in_pickup_window(request.user)
    if window is None:
        return _not_signed_in(request)
    try:
        pickup = pickups.pickup_of(request.user, window.hall, pk)
    except DomainError as exc:
        return render(request, TEMPLATE_LIST, {"error": exc.message, "window": window},
                      status=exc.status)
    context, status = {"window": window, "row": _row(pickup),
                       "contents": "\n".join(pickup.contents)}, 200
    if request.method == "POST":
        proof = request.POST.get("proof")
        context.update(contents=request.POST.get("contents", ""), proof=proof,
                       recipient_name=request.POST.get("recipient_name", ""))
        try:
            pickups.hand_over(
                request.user, window, pickup, recipient_name=request.POST.get("recipient_name", ""),
                id_number=request.POST.get("id_number") if proof == "id_number" else None,
                code=request.POST.get("code") if proof == "code" else None,
                contents=_contents(request.POST.get("contents", "")))
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
        else:
            messages.success(request, f"办件{pickup.case.number}的办理结果已交付，送达已记录")
            return redirect("hall:pickup")
    return render(request, TEMPLATE_HAND_OVER, context, status=status)


urlpatterns = [
    path("pickup/", pickup_list, name="pickup"),
    path("pickup/<int:pk>/", hand_over, name="pickup-hand-over"),
]
