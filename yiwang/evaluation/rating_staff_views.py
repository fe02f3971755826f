"""Workbench pages of part A: 差评原因 (kept by system and region administrators) and 监督查评
(recorded by supervisors). The second factor guards them (/workbench/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from yiwang.common.errors import DomainError, PermissionDenied
from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors

from .models import BadReviewReason
from .rating_views import form_context, form_values
from .services import ratings
from .services import reasons as reason_services

LIST_PAGE_SIZE = 20


def staff_page(view):
    return login_required(shows_domain_errors(view))


def _reason_action(request):
    action, pk = request.POST.get("action", ""), request.POST.get("reason", "")
    if action == "add":
        return reason_services.add(request.user, code=request.POST.get("code", ""),
                                   name=request.POST.get("name", "")), "已新增"
    if action == "rename":
        return reason_services.rename(request.user, pk, request.POST.get("name", "")), "已改名"
    if action in ("up", "down"):
        return reason_services.move(request.user, pk, action), "顺序已调整"
    if action in ("enable", "disable"):
        return reason_services.set_active(request.user, pk, action == "enable"), (
            "已启用" if action == "enable" else "已停用")
    raise PermissionDenied("未知操作", code="reason.bad_action")


@staff_page
def reasons(request):
    """差评原因维护: list, add, rename, move up/down, switch on/off."""
    reason_services.require_manager(request.user)
    context = {"reasons": BadReviewReason.objects.all(), "values": request.POST}
    if request.method == "POST":
        try:
            reason, done = _reason_action(request)
        except DomainError as exc:
            return render(request, "evaluation/staff/reasons.html", {**context, "error": exc},
                          status=exc.status)
        messages.success(request, f"差评原因“{reason.name}”{done}")
        return redirect("evaluation_staff:reasons")
    return render(request, "evaluation/staff/reasons.html", context)


def _inspection_target(request) -> dict:
    chosen = request.POST.get("target", "")
    kind, _, pk = chosen.partition(":")
    halls, departments = ratings.inspection_targets(request.user)
    if kind == "case":
        return {"case": ratings.inspected_case(request.user, request.POST.get("case_number", ""))}
    source = {"hall": halls, "department": departments}.get(kind)
    found = source.filter(pk=pk).first() if source is not None and pk.isdigit() and len(pk) < 19 else None
    if found is None:
        raise PermissionDenied("请选择您监督区划内的大厅、部门或办件", code="rating.inspection_target")
    return {kind: found}


@staff_page
def inspections(request):
    """监督查评: record a rating of a hall, department or case inspected, and list one's own."""
    if not ratings.may_inspect(request.user):
        raise PermissionDenied("只有监察员可以录入监督查评", code="permission.supervisor_required")
    halls, departments = ratings.inspection_targets(request.user)
    page = paginate(ratings.inspections_by(request.user), request.GET.get("page"), LIST_PAGE_SIZE)
    context = {"halls": halls[:200], "departments": departments[:200], "page": page,
               "target": request.POST.get("target", ""),
               "case_number": request.POST.get("case_number", "")}
    if request.method == "POST":
        values = form_values(request)
        try:
            ratings.rate_inspection(request.user, **_inspection_target(request), **values)
        except DomainError as exc:
            return render(request, "evaluation/staff/inspections.html",
                          {**context, **form_context(values=values), "error": exc}, status=exc.status)
        messages.success(request, "监督查评已录入")
        return redirect("evaluation_staff:inspections")
    return render(request, "evaluation/staff/inspections.html", {**context, **form_context()})
