"""Identity API: SMS codes and citizen registration for the mobile and terminal channels, and
the signed-in user's identity. Errors are ``{code, message, details}`` like everywhere."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from ninja.security import django_auth

from yiwang.common.errors import NotFound
from yiwang.common.identifiers import mask_id, mask_phone
from yiwang.common.schemas import error_responses

from . import codes, services
from .models import VerificationCode

router = Router(tags=["统一身份认证"])


class CodeIn(Schema):
    mobile: str
    purpose: VerificationCode.Purpose = VerificationCode.Purpose.REGISTER


class CodeOut(Schema):
    mobile: str
    expires_in: int


class RegisterIn(Schema):
    name: str
    id_number: str
    mobile: str
    code: str
    password: str


class CompanyOut(Schema):
    id: int
    uscc: str
    name: str
    role: str
    valid_until: date | None


class IdentityOut(Schema):
    identity_type: str
    name: str
    id_number: str
    mobile: str
    assurance_level: int
    assurance_level_name: str
    companies: list[CompanyOut]


def _identity(citizen) -> dict:
    return {
        "identity_type": "natural_person", "name": citizen.name,
        "id_number": mask_id(citizen.id_number), "mobile": mask_phone(citizen.mobile),
        "assurance_level": citizen.assurance_level,
        "assurance_level_name": citizen.get_assurance_level_display(),
        "companies": [{"id": c.pk, "uscc": c.uscc, "name": c.name,
                       "role": "legal_representative" if a is None else "agent",
                       "valid_until": a.valid_until if a else None}
                      for c, a in services.companies_of(citizen.user)],
    }


@router.post("/verification-codes", response={202: CodeOut, **error_responses(429)}, summary="发送短信验证码")
def send_code(request, payload: CodeIn):
    record = codes.send_code(payload.mobile, payload.purpose, ip=request.META.get("REMOTE_ADDR"))
    return 202, {"mobile": mask_phone(record.mobile),
                 "expires_in": int(codes.CODE_LIFETIME.total_seconds())}


@router.post("/citizens", response={201: IdentityOut, **error_responses(429)}, summary="自然人注册")
def register(request, payload: RegisterIn):
    citizen = services.register_citizen(**payload.dict(), ip=request.META.get("REMOTE_ADDR"))
    return 201, _identity(citizen)


@router.get("/me", response=IdentityOut, auth=django_auth, summary="当前登录的自然人身份（已脱敏）")
def me(request):
    citizen = services.citizen_of(request.user)
    if citizen is None:
        raise NotFound("当前账号不是自然人用户", code="citizen.not_found")
    return _identity(citizen)
