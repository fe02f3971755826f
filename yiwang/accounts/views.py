"""Identity pages: log-in (with the staff second factor), registration, my account, companies
and their agents. Each view parses the form, calls one service and shows its message."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError, ValidationError
from yiwang.common.identifiers import mask_id, mask_phone
from yiwang.orgs.services import is_staff_member

from . import codes, second_factor, services
from .middleware import SECOND_FACTOR_URL, with_next
from .models import AgentAuthorization, Company, VerificationCode

ACTING_SESSION_KEY = "acting_company_id"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


def _fail(request, template: str, context: dict, exc: DomainError):
    context = {**context, "error": exc.message, "error_code": exc.code}
    return render(request, template, context, status=exc.status)


# --- log-in and log-out ----------------------------------------------------------------------


def login_view(request):
    context = {"next": safe_next(request, ""), "identifier": ""}
    if request.method == "POST":
        identifier = request.POST.get("username", "").strip()
        context["identifier"] = identifier
        user = authenticate(request, username=identifier, password=request.POST.get("password", ""))
        if user is None:
            context["error"] = "账号或密码不正确"
            return render(request, "accounts/login.html", context, status=400)
        login(request, user)
        if is_staff_member(user):
            return redirect(with_next(SECOND_FACTOR_URL, safe_next(request, "/workbench/")))
        return HttpResponseRedirect(safe_next(request, "/accounts/me/"))
    return render(request, "accounts/login.html", context)


@login_required
def second_factor_view(request):
    if second_factor.confirmed_device(request.user) is None:
        return redirect(with_next("/accounts/otp/setup/", safe_next(request, "/workbench/")))
    context = {"next": safe_next(request, "/workbench/")}
    if request.method == "POST":
        try:
            second_factor.verify(request, request.POST.get("token", ""))
        except DomainError as exc:
            return _fail(request, "accounts/otp_verify.html", context, exc)
        return HttpResponseRedirect(context["next"])
    return render(request, "accounts/otp_verify.html", context)


@login_required
def second_factor_setup(request):
    if second_factor.confirmed_device(request.user) is not None:
        return redirect(SECOND_FACTOR_URL)
    device = second_factor.pending_device(request.user)
    context = {"next": safe_next(request, "/workbench/"), "qr": second_factor.qr_data_uri(device),
               "secret": second_factor.secret_base32(device)}
    if request.method == "POST":
        try:
            second_factor.confirm_enrolment(request, request.POST.get("token", ""))
        except DomainError as exc:
            return _fail(request, "accounts/otp_setup.html", context, exc)
        messages.success(request, "动态口令绑定成功")
        return HttpResponseRedirect(context["next"])
    return render(request, "accounts/otp_setup.html", context)


@require_POST
def logout_view(request):
    logout(request)  # the user_logged_out signal ends every other session and token too
    messages.success(request, "您已退出登录，所有设备和应用上的登录均已结束")
    return HttpResponseRedirect(safe_next(request, "/"))


# --- registration ------------------------------------------------------------------------------


def register(request):
    fields = ("name", "id_number", "mobile")
    context = {f: request.POST.get(f, "") for f in fields}
    if request.method == "POST":
        try:
            citizen = services.register_citizen(
                **context, code=request.POST.get("code", ""),
                password=_confirmed_password(request), ip=client_ip(request))
        except DomainError as exc:
            return _fail(request, "accounts/register.html", context, exc)
        login(request, citizen.user, backend="yiwang.accounts.backends.IdentifierBackend")
        messages.success(request, f"注册成功，实名等级：{citizen.get_assurance_level_display()}")
        return redirect("accounts:me")
    return render(request, "accounts/register.html", context)


def _confirmed_password(request) -> str:
    password = request.POST.get("password", "")
    if password != request.POST.get("password2", ""):
        raise ValidationError("两次输入的密码不一致", code="password.mismatch")
    return password


@require_POST
def send_register_code(request):
    """htmx: send the SMS code and answer with a line of text for the form."""
    try:
        codes.send_code(request.POST.get("mobile", ""), VerificationCode.Purpose.REGISTER,
                        ip=client_ip(request))
    except DomainError as exc:
        return render(request, "accounts/_code_status.html", {"error": exc.message},
                      status=200 if request.htmx else exc.status)
    return render(request, "accounts/_code_status.html",
                  {"sent": mask_phone(request.POST.get("mobile", "").strip()),
                   "outbox": settings.DEV_OUTBOX_ENABLED})


# --- my account, companies, agents --------------------------------------------------------------


def current_actor(request) -> services.Actor:
    """The acting identity kept in the session, re-checked on every use (an authorisation may
    have been revoked or have expired since it was chosen)."""
    return services.act_as(request.user, request.session.get(ACTING_SESSION_KEY))


@login_required
def me(request):
    citizen = services.citizen_of(request.user)
    if citizen is None:
        return render(request, "accounts/me_staff.html", {})
    try:
        actor = current_actor(request)
    except DomainError as exc:
        request.session.pop(ACTING_SESSION_KEY, None)
        messages.warning(request, exc.message + "，已切换回个人身份")
        actor = services.act_as(request.user, None)
    return render(request, "accounts/me.html", {
        "citizen": citizen, "actor": actor, "masked_id": mask_id(citizen.id_number),
        "masked_mobile": mask_phone(citizen.mobile), "companies": services.companies_of(request.user),
    })


@login_required
@require_POST
def switch_identity(request):
    company_id = request.POST.get("company") or None
    try:
        actor = services.act_as(request.user, int(company_id) if company_id else None)
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "身份无效"))
        return redirect("accounts:me")
    if actor.company:
        request.session[ACTING_SESSION_KEY] = actor.company.pk
        messages.success(request, f"已切换为代表“{actor.company.name}”办理")
    else:
        request.session.pop(ACTING_SESSION_KEY, None)
        messages.success(request, "已切换为个人身份")
    return redirect("accounts:me")


@login_required
def company_register(request):
    context = {"uscc": request.POST.get("uscc", "")}
    if request.method == "POST":
        try:
            company = services.register_company(request.user, uscc=context["uscc"],
                                                ip=client_ip(request))
        except DomainError as exc:
            return _fail(request, "accounts/company_register.html", context, exc)
        messages.success(request, f"法人账号“{company.name}”注册成功")
        return redirect("accounts:company", pk=company.pk)
    return render(request, "accounts/company_register.html", context)


def _company_for(request, pk: int) -> tuple[Company, services.Actor]:
    company = get_object_or_404(Company, pk=pk)
    try:
        actor = services.act_as(request.user, company.pk)
    except DomainError:
        # Not the representative nor a current agent: do not even confirm the company exists.
        raise Http404 from None
    return company, actor


@login_required
def company_detail(request, pk: int):
    company, actor = _company_for(request, pk)
    status = 200
    if request.method == "POST":
        try:
            services.update_company_contact(actor, contact_phone=request.POST.get("contact_phone"),
                                            address=request.POST.get("address"),
                                            ip=client_ip(request))
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, "企业联系信息已更新")
            return redirect("accounts:company", pk=company.pk)
    authorizations = []
    if actor.is_legal_representative:
        authorizations = [{"a": a, "state": services.authorization_state(a),
                           "agent_id": mask_id(a.agent.id_number)}
                          for a in company.authorizations.select_related("agent")]
    return render(request, "accounts/company.html", {
        "company": company, "actor": actor, "authorizations": authorizations}, status=status)


@login_required
@require_POST
def agent_grant(request, pk: int):
    company, _actor = _company_for(request, pk)
    try:
        until = date.fromisoformat(request.POST.get("valid_until", ""))
    except ValueError:
        messages.error(request, "请填写正确的授权截止日期")
        return redirect("accounts:company", pk=company.pk)
    codes_text = request.POST.get("item_codes", "").replace("，", ",").replace("\n", ",")
    try:
        services.grant_agent(company, by=request.user,
                             agent_id_number=request.POST.get("agent_id_number", ""),
                             agent_name=request.POST.get("agent_name", ""), valid_until=until,
                             item_codes=[c for c in codes_text.split(",") if c.strip()],
                             ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "经办人授权已生效")
    return redirect("accounts:company", pk=company.pk)


@login_required
@require_POST
def agent_revoke(request, pk: int, authorization_id: int):
    company, _actor = _company_for(request, pk)
    authorization = get_object_or_404(AgentAuthorization, pk=authorization_id, company=company)
    try:
        services.revoke_agent(authorization, by=request.user, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "经办人授权已撤销")
    return redirect("accounts:company", pk=company.pk)
