"""Every change of identity state: registration, real-name verification, companies and their
agents, acting for a company, the log-in audit and single log-out. Pages, the API and the OIDC
provider call these; none of them repeats a check."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from oauth2_provider.models import get_access_token_model, get_id_token_model, get_refresh_token_model

from yiwang.common.errors import Conflict, NotFound, PermissionDenied, TooManyRequests, ValidationError
from yiwang.common.identifiers import mask_id, mask_phone, validate_resident_id, validate_uscc
from yiwang.common.ratelimit import over_limit
from yiwang.notify.services import send_sms
from yiwang.orgs.models import Department, Membership, Role
from yiwang.orgs.services import administered_departments, departments_for

from . import codes
from .models import (
    AgentAuthorization,
    AssuranceLevel,
    AuthEvent,
    Citizen,
    Company,
    UserSession,
    VerificationCode,
)
from .registry import PersonCheck, enterprise_registry, population_registry

User = get_user_model()
Kind = AuthEvent.Kind
NAME_MAX = 50


# --- audit -----------------------------------------------------------------------------------


def mask_identifier(identifier: str) -> str:
    """A log-in name as the audit keeps it: ID and mobile numbers masked, staff names kept."""
    identifier = (identifier or "").strip()[:64]
    if len(identifier) == 18:
        return mask_id(identifier)
    if len(identifier) == 11 and identifier.isdigit():
        return mask_phone(identifier)
    return identifier


def record_event(kind: str, *, user=None, company: Company | None = None, identifier: str = "",
                 ip: str | None = None, user_agent: str = "", detail: str = "") -> AuthEvent:
    if user is not None and not user.is_authenticated:
        user = None
    return AuthEvent.objects.create(kind=kind, user=user, company=company,
                                    identifier=mask_identifier(identifier), ip=ip or None,
                                    user_agent=(user_agent or "")[:200], detail=detail[:300])


# --- citizens -------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写姓名", code="citizen.name_required")
    if len(name) > NAME_MAX or any(ch.isdigit() for ch in name):
        raise ValidationError("姓名格式不正确", code="citizen.name_invalid")
    return name


def _check_password(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError("密码不符合要求：" + "；".join(exc.messages), code="password.weak",
                              details={"reasons": exc.messages}) from exc


def _registry_level(id_number: str, name: str) -> int:
    answer = population_registry().check(id_number, name)
    if answer == PersonCheck.MISMATCH:
        raise ValidationError("姓名与居民身份证号不一致，请核对后重试", code="citizen.name_mismatch")
    if answer == PersonCheck.DECEASED:
        raise ValidationError("该居民身份证号对应的户籍已注销", code="citizen.record_cancelled")
    return (AssuranceLevel.REGISTRY_VERIFIED if answer == PersonCheck.MATCH
            else AssuranceLevel.SELF_DECLARED)


def register_citizen(*, name: str, id_number: str, mobile: str, code: str, password: str,
                     ip: str | None = None) -> Citizen:
    """自然人注册: name + 居民身份证号 + a mobile number proven by an SMS code + a password.

    The population registry decides the level: a match gives L2, a number it does not know L1
    (self-declared), a number known under another name is refused.

    Registration must not be an oracle over the population registry and the accounts, so the
    checks run in this order:

    1. the shape of every field and the password rules (no one's data is consulted);
    2. the throttle: attempts per client address and per ID number in an hour
       (``REGISTRATION_ATTEMPTS_PER_ADDRESS``, ``REGISTRATION_ATTEMPTS_PER_ID_NUMBER``), 429;
    3. the SMS code, used up by this attempt whatever follows: a missing, wrong or expired code
       answers the same whatever the name, ID or mobile number;
    4. an ID or a mobile number that already has an account: one answer for both
       (``citizen.already_registered``, which also covers a concurrent registration). The
       code proved the mobile number, so its holder learns nothing new about it; an ID number
       registered under another mobile number means someone else may be using it, so that
       account's own mobile gets a notice (at most one an hour). Learning that an ID number
       has an account thus costs a fresh code on a phone the asker holds, counts towards the
       per-ID limit and tells the holder;
    5. the population registry (a name that does not match, a cancelled record), then the
       account is made.
    """
    name = _clean_name(name)
    id_number = validate_resident_id((id_number or "").strip().upper())
    mobile = codes.clean_mobile(mobile)
    _check_password(password, User(first_name=name, username=id_number))
    _throttle_registration(id_number, ip)
    codes.consume_code(mobile, VerificationCode.Purpose.REGISTER, code)
    holder = Citizen.objects.filter(id_number=id_number).first()
    if holder is not None or Citizen.objects.filter(mobile=mobile).exists():
        if holder is not None and holder.mobile != mobile:
            _tell_holder_of_registration_attempt(holder)
        raise _already_registered()
    level = _registry_level(id_number, name)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=_new_username(), password=password,
                                            first_name=name)
            citizen = Citizen.objects.create(
                user=user, name=name, id_number=id_number, mobile=mobile, assurance_level=level,
                verified_at=timezone.now() if level > AssuranceLevel.SELF_DECLARED else None)
            record_event(Kind.REGISTERED, user=user, identifier=id_number, ip=ip,
                         detail=citizen.get_assurance_level_display())
    except IntegrityError as exc:  # a concurrent registration of the same number won the race
        raise _already_registered() from exc
    return citizen


def _already_registered() -> Conflict:
    return Conflict("该居民身份证号或手机号已注册账号，请直接登录；如非本人注册，请到政务服务大厅窗口核实",
                    code="citizen.already_registered")


def _throttle_registration(id_number: str, ip: str | None) -> None:
    # The ID number enters the cache key only as an HMAC: cache stores may be shared and dumped.
    digest = hmac.new(settings.SECRET_KEY.encode(), id_number.encode(), hashlib.sha256).hexdigest()
    counters = ((f"accounts:register:ip:{ip or 'unknown'}", settings.REGISTRATION_ATTEMPTS_PER_ADDRESS),
                (f"accounts:register:id:{digest[:32]}", settings.REGISTRATION_ATTEMPTS_PER_ID_NUMBER))
    if any(over_limit(key, limit=limit, window=3600) for key, limit in counters):
        raise TooManyRequests("注册尝试过于频繁，请一小时后再试", code="citizen.register_rate_limited")


def _tell_holder_of_registration_attempt(holder: Citizen) -> None:
    if over_limit(f"accounts:register:notice:{holder.pk}", limit=1, window=3600):
        return
    send_sms(holder.mobile, "【一网通办】有人正尝试使用您的居民身份证号注册新账号，您的账号不受影响。"
                            "如非本人操作，请留意个人信息安全；如需帮助，请到政务服务大厅窗口。",
             user=holder.user)


def _new_username() -> str:
    # Citizens log in with their ID or mobile number; the username is an opaque handle so that
    # nothing personal ends up in logs, URLs or OIDC subject identifiers.
    return "p" + secrets.token_hex(8)


def citizen_of(user) -> Citizen | None:
    if not user or not user.is_authenticated:
        return None
    try:
        return user.citizen
    except Citizen.DoesNotExist:
        return None


def find_citizen_by_id_number(id_number: str, *, clerk) -> Citizen:
    """A window clerk (窗口人员) looks up the person standing at the counter by the full number."""
    require_window_clerk(clerk)
    id_number = validate_resident_id((id_number or "").strip().upper())
    try:
        return Citizen.objects.select_related("user").get(id_number=id_number)
    except Citizen.DoesNotExist:
        raise NotFound("没有以该居民身份证号注册的用户", code="citizen.not_found") from None


def require_window_clerk(clerk) -> None:
    if not departments_for(clerk, Role.WINDOW_CLERK).exists():
        raise PermissionDenied("只有窗口人员可以现场核验身份", code="permission.role_required")


@transaction.atomic
def verify_in_person(citizen: Citizen, *, clerk, ip: str | None = None) -> Citizen:
    """窗口现场核验: the clerk has seen the person and the card; the account becomes L3."""
    require_window_clerk(clerk)
    if Citizen.objects.get(pk=citizen.pk).assurance_level == AssuranceLevel.IN_PERSON:
        raise Conflict("该用户已完成现场核验", code="citizen.already_in_person")
    return raise_to_in_person(citizen, clerk=clerk, ip=ip)


@transaction.atomic
def raise_to_in_person(citizen: Citizen, *, clerk, ip: str | None = None) -> Citizen:
    """L3 for a person whose card a clerk has just read at a counter. The caller has checked the
    clerk's right to serve there (a department's 窗口人员, or a hall clerk signed in to a window);
    an account already at L3 is left as it is."""
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if citizen.assurance_level == AssuranceLevel.IN_PERSON:
        return citizen
    citizen.assurance_level = AssuranceLevel.IN_PERSON
    citizen.verified_at, citizen.verified_by = timezone.now(), clerk
    citizen.save(update_fields=["assurance_level", "verified_at", "verified_by"])
    record_event(Kind.IN_PERSON_VERIFIED, user=citizen.user, ip=ip,
                 detail=f"核验人 {clerk.get_username()}")
    return citizen


def register_in_person(*, name: str, id_number: str, mobile: str, clerk,
                       ip: str | None = None) -> Citizen:
    """窗口现场注册: a person without an account, whose card a clerk has read at a counter, gets
    one at L3 with the mobile number they give; no password is set (they set one later through
    the SMS password reset). The population registry still refuses a number known under another
    name or cancelled. The caller has checked the clerk, as for ``raise_to_in_person``."""
    name = _clean_name(name)
    id_number = validate_resident_id((id_number or "").strip().upper())
    mobile = codes.clean_mobile(mobile)
    if Citizen.objects.filter(id_number=id_number).exists():
        raise Conflict("该居民身份证号已注册账号", code="citizen.already_registered")
    if Citizen.objects.filter(mobile=mobile).exists():
        raise Conflict("该手机号已被其他账号使用，请换一个手机号", code="citizen.mobile_taken")
    _registry_level(id_number, name)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=_new_username(), password=None,
                                            first_name=name)
            citizen = Citizen.objects.create(
                user=user, name=name, id_number=id_number, mobile=mobile,
                assurance_level=AssuranceLevel.IN_PERSON, verified_at=timezone.now(),
                verified_by=clerk)
            record_event(Kind.REGISTERED, user=user, identifier=id_number, ip=ip,
                         detail=f"窗口现场注册，核验人 {clerk.get_username()}")
    except IntegrityError as exc:
        raise _already_registered() from exc
    return citizen


def require_assurance(user, level: int, *, purpose: str = "办理该事项") -> Citizen:
    """Items name a minimum real-name level; anything below it is refused with what to do."""
    citizen = citizen_of(user)
    if citizen is None:
        raise PermissionDenied(f"{purpose}需要以实名注册的个人账号登录", code="assurance.no_citizen")
    if citizen.assurance_level < level:
        raise PermissionDenied(
            f"{purpose}需要实名等级{AssuranceLevel(level).label}，您当前为"
            f"{citizen.get_assurance_level_display()}",
            code="assurance.too_low", details={"required": level,
                                               "current": citizen.assurance_level})
    return citizen


# --- companies and agents --------------------------------------------------------------------


@transaction.atomic
def register_company(user, *, uscc: str, ip: str | None = None) -> Company:
    """法人注册: the legal representative, logged in with a verified personal account, registers
    the company; the enterprise registry must name them as its legal representative."""
    citizen = citizen_of(user)
    if citizen is None or citizen.assurance_level < AssuranceLevel.REGISTRY_VERIFIED:
        raise PermissionDenied("法人注册需要法定代表人以L2及以上实名等级的个人账号操作",
                               code="company.assurance_too_low")
    uscc = validate_uscc((uscc or "").strip().upper())
    if Company.objects.filter(uscc=uscc).exists():
        raise Conflict("该统一社会信用代码已注册法人账号", code="company.registered")
    facts = enterprise_registry().lookup(uscc)
    if facts is None:
        raise NotFound("市场主体登记信息中没有该统一社会信用代码", code="company.not_in_registry")
    if not facts.active:
        raise ValidationError("该市场主体已注销，不能注册", code="company.deregistered")
    if (facts.legal_representative_id != citizen.id_number
            or facts.legal_representative_name != citizen.name):
        raise PermissionDenied("您不是登记信息中的法定代表人，不能注册该法人账号",
                               code="company.not_legal_representative")
    company = Company.objects.create(uscc=uscc, name=facts.name, legal_representative=citizen)
    record_event(Kind.COMPANY_REGISTERED, user=user, company=company, ip=ip)
    return company


def _require_legal_representative(user, company: Company) -> Citizen:
    citizen = citizen_of(user)
    if citizen is None or company.legal_representative_id != citizen.pk:
        raise PermissionDenied("只有法定代表人可以管理经办人", code="company.not_legal_representative")
    return citizen


def _clean_item_codes(item_codes) -> list[str]:
    cleaned = sorted({str(c).strip() for c in item_codes or [] if str(c).strip()})
    bad = [c for c in cleaned if len(c) != 12 or not c.isalnum()]
    if bad:
        raise ValidationError(f"事项基本编码应为12位：{'、'.join(bad)}", code="agent.item_code_invalid")
    return cleaned


@transaction.atomic
def grant_agent(company: Company, *, by, agent_id_number: str, agent_name: str,
                valid_until: date, item_codes=(), ip: str | None = None) -> AgentAuthorization:
    """授权经办人: the legal representative names a registered person, a scope and an end date."""
    _require_legal_representative(by, company)
    number = validate_resident_id((agent_id_number or "").strip().upper())
    agent = Citizen.objects.filter(id_number=number).first()
    if agent is None or agent.name != (agent_name or "").strip():
        raise NotFound("没有找到姓名与身份证号一致的注册用户，请经办人先注册个人账号",
                       code="agent.not_registered")
    today = timezone.localdate()
    if valid_until < today:
        raise ValidationError("授权截止日期不能早于今天", code="agent.until_in_past")
    if (valid_until - today).days > 366 * 3:
        raise ValidationError("单次授权最长三年", code="agent.until_too_far")
    if agent.pk == company.legal_representative_id:
        raise ValidationError("法定代表人无需授权", code="agent.is_legal_representative")
    authorization = AgentAuthorization.objects.create(
        company=company, agent=agent, item_codes=_clean_item_codes(item_codes), valid_from=today,
        valid_until=valid_until, granted_by=by)
    record_event(Kind.AGENT_GRANTED, user=by, company=company, ip=ip,
                 detail=f"经办人 {mask_id(agent.id_number)}，至 {valid_until:%Y-%m-%d}")
    return authorization


@transaction.atomic
def revoke_agent(authorization: AgentAuthorization, *, by, ip: str | None = None) -> None:
    authorization = AgentAuthorization.objects.select_for_update().get(pk=authorization.pk)
    _require_legal_representative(by, authorization.company)
    if authorization.revoked_at:
        raise Conflict("该授权已撤销", code="agent.already_revoked")
    authorization.revoked_at, authorization.revoked_by = timezone.now(), by
    authorization.save(update_fields=["revoked_at", "revoked_by"])
    record_event(Kind.AGENT_REVOKED, user=by, company=authorization.company, ip=ip,
                 detail=f"经办人 {mask_id(authorization.agent.id_number)}")


def authorization_state(authorization: AgentAuthorization, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if authorization.revoked_at:
        return "revoked"
    if authorization.valid_until < today:
        return "expired"
    if authorization.valid_from > today:
        return "pending"
    return "active"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a person, and the company they act for (if any). Every action taken for a
    company records both (the agent and the company)."""

    user: object
    citizen: Citizen
    company: Company | None = None
    authorization: AgentAuthorization | None = None

    @property
    def is_legal_representative(self) -> bool:
        return self.company is not None and self.authorization is None


def companies_of(user) -> list[tuple[Company, AgentAuthorization | None]]:
    """Companies the user may act for today: as legal representative (no authorisation needed)
    or through an active authorisation."""
    citizen = citizen_of(user)
    if citizen is None:
        return []
    today = timezone.localdate()
    own = [(c, None) for c in Company.objects.filter(legal_representative=citizen)]
    granted = [(a.company, a) for a in AgentAuthorization.objects.filter(
        agent=citizen, revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today)
        .select_related("company")]
    return own + granted


def act_as(user, company_id: int | None, *, item_code: str | None = None) -> Actor:
    """The actor for ``user`` acting personally or for ``company_id``; refused when the user may
    not act for that company (for that item) today."""
    citizen = citizen_of(user)
    if citizen is None:
        raise PermissionDenied("请以个人账号登录", code="assurance.no_citizen")
    if company_id is None:
        return Actor(user=user, citizen=citizen)
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        raise NotFound("法人账号不存在", code="company.not_found")
    if company.legal_representative_id == citizen.pk:
        return Actor(user=user, citizen=citizen, company=company)
    authorizations = list(AgentAuthorization.objects.filter(company=company, agent=citizen))
    if not authorizations:
        raise PermissionDenied(f"您未获{company.name}授权", code="agent.not_authorized")
    states = {a.pk: authorization_state(a) for a in authorizations}
    usable = [a for a in authorizations if states[a.pk] == "active"]
    if not usable:
        if "expired" in states.values():
            raise PermissionDenied(f"您对{company.name}的经办授权已过期", code="agent.expired")
        raise PermissionDenied(f"您对{company.name}的经办授权已撤销", code="agent.revoked")
    if item_code is not None:
        usable = [a for a in usable if not a.item_codes or item_code in a.item_codes]
        if not usable:
            raise PermissionDenied("该事项不在您的经办授权范围内", code="agent.out_of_scope")
    return Actor(user=user, citizen=citizen, company=company, authorization=usable[0])


@transaction.atomic
def update_company_contact(actor: Actor, *, contact_phone: str, address: str,
                           ip: str | None = None) -> Company:
    """企业信息维护, done by the legal representative or an agent; the audit names both."""
    if actor.company is None:
        raise PermissionDenied("请先切换到企业身份", code="agent.no_company")
    company = Company.objects.select_for_update().get(pk=actor.company.pk)
    phone, address = (contact_phone or "").strip(), (address or "").strip()
    if len(phone) > 40 or (phone and not phone.replace("-", "").isdigit()):
        raise ValidationError("联系电话格式不正确", code="company.phone_invalid")
    if len(address) > 200:
        raise ValidationError("住所不能超过200个字", code="company.address_too_long")
    company.contact_phone, company.address = phone, address
    company.save(update_fields=["contact_phone", "address"])
    record_event(Kind.ACTED_FOR_COMPANY, user=actor.user, company=company, ip=ip,
                 detail="修改企业联系信息" + ("（法定代表人）" if actor.is_legal_representative
                                           else f"（经办人授权 #{actor.authorization.pk}）"))
    return company


# --- sessions and single log-out -------------------------------------------------------------


def remember_session(user, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def end_every_session(user) -> int:
    """单点登出: end every session of ``user`` on every device and revoke every OAuth/OIDC token
    issued to them, so relying parties lose access at their next check. Returns the number of
    sessions ended."""
    store: type[SessionBase] = import_string(settings.SESSION_ENGINE + ".SessionStore")
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    for refresh in get_refresh_token_model().objects.filter(user=user, revoked__isnull=True):
        refresh.revoke()
    get_access_token_model().objects.filter(user=user).delete()
    get_id_token_model().objects.filter(user=user).delete()
    return len(keys)


# --- staff roles ---------------------------------------------------------------------------------


def _managed_department(actor, department: Department) -> Department:
    if not administered_departments(actor).filter(pk=department.pk).exists():
        raise PermissionDenied(f"您不是{department.name}的部门管理员或所在区域的区域管理员",
                               code="permission.role_required")
    return department


@transaction.atomic
def grant_staff_role(actor, *, username: str, department: Department, role: str,
                     ip: str | None = None) -> Membership:
    """授予角色: a department administrator (or the region administrator above) gives a staff
    account one of the department roles."""
    _managed_department(actor, department)
    if role not in Role.values:
        raise ValidationError(f"角色“{role}”无效", code="role.invalid")
    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None or citizen_of(user) is not None:
        raise NotFound("没有该用户名的工作人员账号", code="staff.not_found")
    membership, created = Membership.objects.get_or_create(user=user, department=department,
                                                           role=role)
    if not created:
        raise Conflict(f"{username}已是{department.name}的{Role(role).label}", code="role.already_held")
    record_event(Kind.ROLE_GRANTED, user=actor, ip=ip,
                 detail=f"{user.get_username()}：{department.name} {Role(role).label}")
    return membership


@transaction.atomic
def revoke_staff_role(actor, membership: Membership, *, ip: str | None = None) -> None:
    _managed_department(actor, membership.department)
    if membership.user_id == actor.pk and membership.role == Role.DEPARTMENT_ADMIN:
        raise ValidationError("不能取消自己的部门管理员角色", code="role.self_revoke")
    membership.delete()
    record_event(Kind.ROLE_REVOKED, user=actor, ip=ip,
                 detail=f"{membership.user.get_username()}：{membership.department.name} "
                        f"{membership.get_role_display()}")
