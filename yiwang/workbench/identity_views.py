"""Staff pages of the identity capability: 现场核验 at the counter, the log-in audit, and staff
roles for department and region administrators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.accounts import selectors as account_selectors
from yiwang.accounts import services as accounts
from yiwang.accounts.models import AuthEvent, Citizen
from yiwang.common.errors import DomainError
from yiwang.common.identifiers import mask_id, mask_phone
from yiwang.common.pagination import paginate
from yiwang.orgs.models import Department, Membership, Role
from yiwang.orgs.services import administered_departments

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


@any_staff_required
def staff_roles(request):
    """人员与角色: department administrators, and region administrators for every department of
    their region, give and take department roles."""
    departments = administered_departments(request.user).select_related("region").order_by(
        "region__code", "code")
    if not departments.exists():
        raise PermissionDenied("只有部门管理员和区域管理员可以管理人员角色")
    status = 200
    if request.method == "POST":
        try:
            department = departments.get(pk=request.POST.get("department") or 0)
            membership = accounts.grant_staff_role(
                request.user, username=request.POST.get("username", ""), department=department,
                role=request.POST.get("role", ""), ip=request.META.get("REMOTE_ADDR"))
        except Department.DoesNotExist:
            messages.error(request, "请选择您管理的部门")
            status = 400
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, f"已授予 {membership.user.get_username()} "
                                      f"{membership.department.name}的{membership.get_role_display()}角色")
            return redirect("workbench:staff")
    chosen = request.GET.get("department")
    shown = departments.filter(pk=chosen) if chosen and chosen.isdigit() else departments
    memberships = (Membership.objects.filter(department__in=shown).select_related("user", "department")
                   .order_by("department__name", "user__username", "role"))
    try:
        page = paginate(memberships, request.GET.get("page") or 1, 50)
    except DomainError as exc:  # a page number that is none (pagination.out_of_range)
        messages.error(request, exc.message)
        page, status = None, exc.status
    return render(request, "workbench/staff_roles.html", {
        "departments": departments, "page": page, "roles": Role.choices, "chosen": chosen or ""},
        status=status)


@any_staff_required
@require_POST
def staff_role_revoke(request, pk: int):
    membership = Membership.objects.filter(
        pk=pk, department__in=administered_departments(request.user)).select_related(
        "user", "department").first()
    if membership is None:
        raise Http404
    try:
        accounts.revoke_staff_role(request.user, membership, ip=request.META.get("REMOTE_ADDR"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已取消 {membership.user.get_username()} 的"
                                  f"{membership.get_role_display()}角色")
    return redirect("workbench:staff")
