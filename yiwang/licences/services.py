"""What happens to licences: 签发 at 制证 (issue_for_case) or 历史纸质证照入库 (import_licence), 送达
into the wallet (deliver_for_case), 暂停 / 恢复 / 注销 (suspend_licence, reinstate_licence,
revoke_licence), 验证 by identifier or by QR payload (verify_licence, verify_payload) and sharing
(create_share, revoke_share, open_share).

A licence carries two signatures of its issuing department's seal: ``signature`` over
``signed_content`` (everything the licence says), checked online, and ``qr_signature`` over the
few fields of ``qr_fields``, which the QR code carries with the signature so that anyone holding
the published public keys (/.well-known/yiwang-seal-keys.json) can check it offline."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import secrets
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from yiwang.accounts.models import Citizen, Company
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_id, mask_name, validate_resident_id, validate_uscc
from yiwang.common.status import Transition, change_status
from yiwang.notify.services import notify_user
from yiwang.orgs.services import require_role
from yiwang.seals import crypto
from yiwang.seals import services as seals
from yiwang.seals.models import Seal, SealKind, SealStatus
from yiwang.supervision import audit

from . import identifiers
from .errors import ShareLinkGone
from .models import HolderKind, Licence, LicenceEvent, LicenceStatus, LicenceType, ShareLink
from .selectors import STAFF_ROLES, wallet_licences

# Which seal stamps a licence: the licence seal where the department has one (GB/T 38540 kinds).
SEAL_PREFERENCE = (SealKind.LICENCE, SealKind.APPROVAL, SealKind.OFFICIAL)
PAYLOAD_FIELDS = ("id", "holder", "type", "valid_until", "seal", "signer", "signed_at", "sig")
QR_FIELDS = ("id", "holder", "type", "valid_until")
SHARE_DAYS_MAX = 30
# A seal failure and the licence code it means to the person verifying.
SEAL_FAILURES = {"seal.data_tampered": "licence.tampered", "seal.revoked": "licence.seal_revoked"}


# --- content ---------------------------------------------------------------------------------------


def signed_content(licence: Licence) -> dict:
    """Everything the licence says, in the form its seal signs. Rebuilt from the stored columns
    at every verification, so a changed column breaks the signature. The type's name and the
    issuer's name and USCC are the ones stored at signing (``type_name``, ``issuer_name``,
    ``issuer_uscc``), never read from the related rows, so renaming the type or the department,
    or a department's new USCC, breaks nothing; the paper licence number of an imported licence
    is signed too, and absent for the platform's own. (The type's code is part of the
    identifier, and the admin does not let it change.)"""
    content = {
        "identifier": licence.identifier,
        "type": licence.licence_type.code,
        "type_name": licence.type_name,
        "holder": {"kind": licence.holder_kind, "name": licence.holder_name,
                   "id_number": licence.holder_id_number},
        "issuer": {"name": licence.issuer_name, "uscc": licence.issuer_uscc},
        "data": licence.data,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
        "version": licence.version,
    }
    if licence.paper_number:
        content["paper_number"] = licence.paper_number
    return content


def public_holder(licence: Licence) -> str:
    """The holder as a public page or the QR code shows it: a company by name (public record), a
    person by masked name and ID number."""
    if licence.holder_kind == HolderKind.COMPANY:
        return licence.holder_name
    return f"{mask_name(licence.holder_name)}（{mask_id(licence.holder_id_number)}）"


def qr_fields(licence: Licence) -> dict:
    """What the QR code's compact signature covers; the type's name as signed (``type_name``)."""
    return {"id": licence.identifier, "holder": public_holder(licence),
            "type": licence.type_name,
            "valid_until": licence.valid_until.isoformat() if licence.valid_until else None}


def qr_payload(licence: Licence) -> str:
    """The compact signed payload of the QR code: base64url (no padding) of the canonical JSON of
    ``PAYLOAD_FIELDS``. The seal's names are not in it: the published key of ``seal``
    (seals.services.public_keys) carries the ones every signature of that seal was made with."""
    signature = licence.qr_signature
    payload = {**qr_fields(licence), "seal": signature["seal"]["code"], "signer": signature["signer"],
               "signed_at": signature["signed_at"], "sig": signature["signature"]}
    return base64.urlsafe_b64encode(seals.canonical_bytes(payload)).decode("ascii").rstrip("=")


def _plain(value):
    """A form value as signed data takes it: numbers with a fraction as text (see
    seals.canonical_bytes), lists item by item."""
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | dict):
        return value
    return str(value)


def add_years(start: dt.date, years: int) -> dt.date:
    """The last day of a validity of ``years`` years from ``start`` (29 February counts as the
    28th in a year without it)."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28)
    return end - dt.timedelta(days=1)


# --- issuing and delivery --------------------------------------------------------------------------


def pick_seal(department) -> Seal:
    """The department's seal for licences: the first usable one by ``SEAL_PREFERENCE``."""
    today = timezone.localdate()
    usable = {seal.kind: seal for seal in Seal.objects.filter(
        department=department, status=SealStatus.ACTIVE, kind__in=SEAL_PREFERENCE,
        valid_from__lte=today, valid_until__gte=today).order_by("-seal_code")}
    for kind in SEAL_PREFERENCE:
        if kind in usable:
            return usable[kind]
    raise Conflict("该部门没有可用的电子印章，无法制证", code="licence.no_seal",
                   details={"department": department.name})


@transaction.atomic
def issue_for_case(case, *, actor) -> Licence | None:
    """签发 at 制证: the licence of an approved case whose item results in an active licence type,
    its fields taken by name from the application form, sealed by the case's department. None
    when the item's result is not a licence of this platform."""
    code = case.version.result_licence_type
    licence_type = LicenceType.objects.filter(code=code, active=True).first() if code else None
    if licence_type is None:
        return None
    valid_from = timezone.localdate()
    return _issue(
        licence_type, case.department, actor=actor, case=case, holder=_holder_of(case),
        data={f["name"]: _plain(case.form_data.get(f["name"])) for f in licence_type.fields},
        valid_from=valid_from,
        valid_until=add_years(valid_from, licence_type.validity_years)
        if licence_type.validity_years else None,
        purpose=f"签发{licence_type.name}（办件 {case.number}）", context={"case": case.number})


@transaction.atomic
def import_licence(licence_type: LicenceType, *, issuer, actor, paper_number: str, holder_kind: str,
                   holder_name: str, holder_id_number: str, valid_from: dt.date,
                   valid_until: dt.date | None, data: dict) -> Licence:
    """历史纸质证照入库: a paper licence ``issuer`` gave out before the platform, issued again as an
    e-licence sealed by ``issuer`` (``actor`` must be its 制证员, the seal checks) and delivered at
    once, into the wallet of the holder's account where one matches the ID number or USCC (and
    the name matches that account's). ``paper_number`` (原证书编号) is required and enters once
    per licence type and issuer (ValidationError licence.paper_number_taken)."""
    paper_number = _paper_number(licence_type, issuer, paper_number)
    holder = _imported_holder(holder_kind, holder_name, holder_id_number)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError("有效期至不能早于有效期起", code="licence.validity_order")
    values = {}
    for field in licence_type.fields:
        value = _plain(data.get(field["name"]))
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationError(f"请填写“{field['label']}”", code="licence.field_required",
                                  details={"field": field["name"]})
        values[field["name"]] = value.strip() if isinstance(value, str) else value
    licence = _issue(licence_type, issuer, actor=actor, holder=holder, data=values,
                     valid_from=valid_from, valid_until=valid_until, paper_number=paper_number,
                     purpose=f"历史纸质{licence_type.name}入库",
                     context={"imported": True, "paper_number": paper_number})
    _deliver(licence, actor=actor)
    return licence


def _paper_number(licence_type: LicenceType, issuer, number: str) -> str:
    """The paper licence number of an import, once per type and issuer. The unique constraint
    ``uniq_licence_paper_number`` settles a concurrent import of the same number."""
    number = (number or "").strip()
    if not number:
        raise ValidationError("请填写原证书编号", code="licence.paper_number_required")
    if len(number) > Licence._meta.get_field("paper_number").max_length:
        raise ValidationError("原证书编号过长", code="licence.paper_number_too_long")
    taken = _imported_as(licence_type, issuer, number)
    if taken:
        raise _paper_number_taken(number, taken)
    return number


def _imported_as(licence_type: LicenceType, issuer, number: str, *, latest: bool = False) -> str | None:
    """The identifier of the licence already imported with paper number ``number``, if any.
    ``latest`` reads the newest committed row, not the transaction's snapshot: a locking read
    does so on MariaDB's REPEATABLE READ, where a plain one would miss a row committed by a
    concurrent import after this transaction's first read (SQLite ignores the lock and needs
    none: it has one writer at a time)."""
    licences = Licence.objects.filter(licence_type=licence_type, issuer=issuer, paper_number=number)
    if latest:
        licences = licences.select_for_update()
    return licences.values_list("identifier", flat=True).first()


def _paper_number_taken(number: str, identifier: str) -> ValidationError:
    return ValidationError(f"原证书编号“{number}”已入库（证照标识 {identifier}），不能重复导入",
                           code="licence.paper_number_taken",
                           details={"paper_number": number, "identifier": identifier})


def _imported_holder(kind: str, name: str, id_number: str) -> dict:
    """The holder columns of an imported licence, linked to the account of that ID number or
    USCC when the platform has one, whose real name (company name) must then be the row's: a
    licence never lands in the wallet of someone the paper record does not name. The message
    shows only the row's own name, never the account's, and masks a person's ID number."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写持证主体名称", code="licence.holder_name_required")
    if len(name) > Licence._meta.get_field("holder_name").max_length:
        raise ValidationError("持证主体名称过长", code="licence.holder_name_too_long")
    if kind not in HolderKind.values:
        raise ValidationError("持证主体类别应为 person（自然人）或 company（法人）",
                              code="licence.holder_kind")
    person = kind == HolderKind.PERSON
    raw = (id_number or "").strip()
    try:
        number = (validate_resident_id if person else validate_uscc)(raw)
    except ValidationError as exc:
        # The USCC check quotes the value, and a company row may hold a person's ID number.
        message = exc.message.replace(raw, mask_id(raw)) if raw else exc.message
        raise ValidationError(f"持证人证件号码不正确：{message}", code=exc.code,
                              details={**exc.details, "value": mask_id(raw)}) from exc
    holder = {"holder_kind": kind, "holder_name": name, "holder_id_number": number}
    if person:
        citizen = Citizen.objects.select_related("user").filter(id_number=number).first()
        if citizen is not None and not _same_name(citizen.name, name):
            raise ValidationError(f"持证人姓名“{name}”与身份证号对应的实名用户不符",
                                  code="licence.holder_name_mismatch",
                                  details={"id_number": mask_id(number)})
        return {**holder, "holder_user": citizen.user if citizen else None}
    company = Company.objects.filter(uscc=number).first()
    if company is not None and not _same_name(company.name, name):
        raise ValidationError(f"持证单位名称“{name}”与统一社会信用代码对应的单位名称不符",
                              code="licence.holder_name_mismatch", details={"uscc": number})
    return {**holder, "holder_company": company}


def _same_name(registered: str, written: str) -> bool:
    """Names compared as a clerk would: full-width and half-width forms alike (（） and ()), and
    spaces ignored."""

    def plain(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").split())

    return plain(registered) == plain(written)


def _issue(licence_type: LicenceType, department, *, actor, holder: dict, data: dict,
           valid_from: dt.date, valid_until: dt.date | None, purpose: str, context: dict,
           case=None, paper_number: str | None = None) -> Licence:
    """Number, seal and save one licence and record its 签发."""
    seal = pick_seal(department)
    # The type's row serialises the serials: two licences certified at once never share one.
    LicenceType.objects.select_for_update().get(pk=licence_type.pk)
    taken = Licence.objects.filter(licence_type=licence_type, issuer=department).aggregate(
        last=Max("serial"))["last"] or 0
    now = timezone.now()
    licence = Licence(
        licence_type=licence_type, serial=taken + 1, issuer=department, case=case,
        type_name=licence_type.name, issuer_name=department.name, issuer_uscc=department.uscc,
        paper_number=paper_number,
        identifier=identifiers.build(licence_type.code, department.uscc, taken + 1),
        data=data, valid_from=valid_from, valid_until=valid_until, issued_at=now, **holder)
    licence.signature, licence.qr_signature = seals.sign_many(
        seal, [(signed_content(licence), purpose), (qr_fields(licence), f"{purpose}二维码")], actor=actor)
    try:
        with transaction.atomic():
            licence.save()
    except IntegrityError as exc:
        # Which unique constraint refused the row is asked of the data, not read from the
        # database's error text (it differs between SQLite, PostgreSQL and MariaDB): a concurrent
        # import of the same paper number passed ``_paper_number``'s check before the other one
        # committed, and its row is there now (the savepoint above rolled back only this insert,
        # so the query runs). Otherwise the case already has its licence, or a serial was drawn
        # twice despite the lock.
        taken = paper_number and _imported_as(licence_type, department, paper_number, latest=True)
        if taken:
            raise _paper_number_taken(paper_number, taken) from exc
        raise Conflict("证照编号冲突，请重试制证", code="licence.identifier_taken") from exc
    _record(licence, "签发", actor=actor, before="", reason=purpose, at=now)
    audit.record("licence.issued", actor=actor, subject=licence,
                 summary=f"签发{licence_type.name} {licence.identifier}",
                 data={"identifier": licence.identifier, **context, "seal_code": seal.seal_code})
    return licence


def _holder_of(case) -> dict:
    if case.company_id:
        return {"holder_kind": HolderKind.COMPANY, "holder_name": case.company.name,
                "holder_id_number": case.company.uscc, "holder_company": case.company}
    return {"holder_kind": HolderKind.PERSON, "holder_name": case.applicant_name,
            "holder_id_number": case.applicant_id_number, "holder_user": case.applicant}


def holder_account(licence: Licence):
    """The account that receives the holder's notices: the person, or the company's legal
    representative."""
    if licence.holder_company_id:
        return licence.holder_company.legal_representative.user
    return licence.holder_user


@transaction.atomic
def deliver_for_case(case, *, actor) -> Licence | None:
    """送达: the case's licence enters the holder's wallet and the holder is told."""
    licence = Licence.objects.select_for_update().filter(case=case, delivered_at__isnull=True).first()
    if licence is None:
        return None
    _deliver(licence, actor=actor)
    return licence


def _deliver(licence: Licence, *, actor) -> None:
    licence.delivered_at = timezone.now()
    licence.save(update_fields=["delivered_at"])
    _record(licence, "送达", actor=actor, before=licence.status, reason="", at=licence.delivered_at)
    account = holder_account(licence)
    # An imported licence may belong to someone without an account yet: nobody to tell.
    if account is not None:
        notify_user(account, "电子证照已送达",
                    f"您的{licence.type_name}（证照标识 {licence.identifier}）已送达，"
                    "可在“我的证照”中查看、下载和分享。")


# --- status ----------------------------------------------------------------------------------------

# action -> (allowed from, to, label, audit kind)
TRANSITIONS = {
    "suspend": Transition(frozenset({LicenceStatus.VALID}), LicenceStatus.SUSPENDED, "暂停",
                          "licence.suspended"),
    "reinstate": Transition(frozenset({LicenceStatus.SUSPENDED}), LicenceStatus.VALID, "恢复",
                            "licence.reinstated"),
    "revoke": Transition(frozenset({LicenceStatus.VALID, LicenceStatus.SUSPENDED}),
                         LicenceStatus.REVOKED, "注销", "licence.revoked"),
}


def suspend_licence(licence: Licence, *, actor, reason: str) -> Licence:
    return _change_status(licence, "suspend", actor=actor, reason=reason)


def reinstate_licence(licence: Licence, *, actor, reason: str) -> Licence:
    return _change_status(licence, "reinstate", actor=actor, reason=reason)


def revoke_licence(licence: Licence, *, actor, reason: str) -> Licence:
    """注销, for good: verification reports it with the reason."""
    return _change_status(licence, "revoke", actor=actor, reason=reason)


@transaction.atomic
def _change_status(licence: Licence, action: str, *, actor, reason: str) -> Licence:
    transition = TRANSITIONS[action]
    require_role(actor, licence.issuer, *STAFF_ROLES)
    locked, before, reason = change_status(licence, transition, reason=reason, prefix="licence",
                                           noun="证照")
    _record(locked, transition.label, actor=actor, before=before, reason=reason, at=timezone.now())
    audit.record(transition.audit_kind, actor=actor, subject=locked,
                 summary=f"{transition.label}证照 {locked.identifier}：{reason}",
                 data={"identifier": locked.identifier, "from": before, "to": transition.target,
                       "reason": reason})
    return locked


def _record(licence: Licence, action: str, *, actor, before: str, reason: str, at: dt.datetime) -> None:
    LicenceEvent.objects.create(licence=licence, at=at, action=action, actor=actor,
                                from_status=before, to_status=licence.status, reason=reason)


# --- verification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LicenceCheck:
    """The verdict on a licence: ``code`` is ``licence.valid`` or the first failed check, and
    ``reason`` says it in Chinese."""

    ok: bool
    code: str
    reason: str
    licence: Licence | None


def verify_licence(identifier: str) -> LicenceCheck:
    """验证 by identifier. A malformed identifier or a wrong check character is refused
    (ValidationError), an unknown one is NotFound; otherwise the verdict: the seal's signature
    over the stored content, then the status, then the validity."""
    parsed = identifiers.parse(identifier)
    licence = _find(str(parsed))
    if licence is None:
        raise NotFound(f"本平台没有签发过标识为 {parsed} 的证照", code="licence.unknown")
    return judge(licence)


def _find(identifier: str) -> Licence | None:
    return (Licence.objects.select_related("licence_type", "issuer")
            .filter(identifier=identifier).first())


def judge(licence: Licence) -> LicenceCheck:
    check = seals.verify(signed_content(licence), licence.signature)
    if not check.ok:
        code = SEAL_FAILURES.get(check.code, "licence.signature_invalid")
        prefix = "证照内容与签章不符，证照在签发后被改动过" if code == "licence.tampered" else "证照签章无效"
        return LicenceCheck(False, code, f"{prefix}：{check.reason}", licence)
    if licence.status == LicenceStatus.REVOKED:
        return LicenceCheck(False, "licence.revoked", f"该证照已注销：{licence.status_reason}", licence)
    if licence.status == LicenceStatus.SUSPENDED:
        return LicenceCheck(False, "licence.suspended", f"该证照已暂停使用：{licence.status_reason}", licence)
    if licence.expired:
        return LicenceCheck(False, "licence.expired",
                            f"该证照已于 {licence.valid_until:%Y-%m-%d} 到期，不再有效", licence)
    until = f"有效期至 {licence.valid_until:%Y-%m-%d}" if licence.valid_until else "长期有效"
    return LicenceCheck(True, "licence.valid", f"证照真实有效（{until}）。{check.reason}", licence)


def decode_payload(text: str) -> dict:
    """The fields of a QR payload, given as scanned: the verification URL it is printed as, or
    the bare payload. Refused (licence.payload_malformed) when it is neither."""
    text = (text or "").strip()
    if "?" in text:
        text = (parse_qs(urlsplit(text).query).get("payload") or [""])[0]
    malformed = ValidationError("二维码内容无法识别：不是本平台电子证照的二维码",
                                code="licence.payload_malformed")
    try:
        payload = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise malformed from exc
    if not (isinstance(payload, dict) and set(payload) == set(PAYLOAD_FIELDS)
            and all(isinstance(payload[f], str) for f in PAYLOAD_FIELDS if f != "valid_until")
            and isinstance(payload["valid_until"], str | None)):
        raise malformed
    return payload


def verify_payload(text: str) -> LicenceCheck:
    """验证 by QR payload: the compact signature first, exactly as an offline verifier checks it
    with the published key (the seal's name and USCC as on the seal, never the department's
    current ones), then the licence itself as ``verify_licence`` does."""
    payload = decode_payload(text)
    seal = Seal.objects.filter(seal_code=payload["seal"]).first()
    licence = _find(payload["id"])
    if seal is None or licence is None:
        return _forged(licence, "二维码中的印章或证照不在本平台的登记中")
    data = {field: payload[field] for field in QR_FIELDS}
    structure = {
        "version": seals.SIGNATURE_VERSION,
        "seal": {"code": seal.seal_code, "name": seal.name, "department": seal.department_name,
                 "department_uscc": seal.department_uscc, "kind": seal.kind},
        "signer": payload["signer"], "signed_at": payload["signed_at"], "algorithm": crypto.ALGORITHM,
        "user_id": crypto.USER_ID, "data_hash": crypto.sm3_hex(seals.canonical_bytes(data)),
        "signature": payload["sig"],
    }
    check = seals.verify(data, structure)
    if check.code == "seal.revoked":
        return LicenceCheck(False, "licence.seal_revoked", f"二维码签章无效：{check.reason}", licence)
    if not check.ok:
        return _forged(licence, check.reason)
    return judge(licence)


def _forged(licence: Licence | None, why: str) -> LicenceCheck:
    return LicenceCheck(False, "licence.payload_forged", f"二维码内容是伪造的或被改动过：{why}", licence)


# --- sharing ---------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_share(licence: Licence, *, user, days: int, note: str = "") -> tuple[ShareLink, str]:
    """A share link valid for ``days`` days (1 to 30), and its token, shown this once."""
    if not wallet_licences(user).filter(pk=licence.pk).exists():
        raise PermissionDenied("只有持证人可以分享该证照", code="licence.not_holder")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= SHARE_DAYS_MAX:
        raise ValidationError(f"分享有效期应为 1 至 {SHARE_DAYS_MAX} 天", code="licence.share_days")
    if licence.status != LicenceStatus.VALID or licence.expired:
        raise Conflict(f"该证照{licence.status_label}，不能分享", code="licence.not_shareable")
    note = (note or "").strip()
    if len(note) > ShareLink._meta.get_field("note").max_length:
        raise ValidationError("分享对象过长", code="licence.share_note_too_long")
    token = secrets.token_urlsafe(24)
    share = ShareLink.objects.create(licence=licence, token_hash=_token_hash(token), note=note,
                                     expires_at=timezone.now() + dt.timedelta(days=days), created_by=user)
    audit.record("licence.shared", actor=user, subject=licence,
                 summary=f"分享证照 {licence.identifier}，{days} 天内有效",
                 data={"identifier": licence.identifier, "share": share.pk, "days": days})
    return share, token


@transaction.atomic
def revoke_share(share: ShareLink, *, user) -> ShareLink:
    """撤销分享: the link stops opening at once."""
    if not wallet_licences(user).filter(pk=share.licence_id).exists():
        raise PermissionDenied("只有持证人可以撤销分享", code="licence.not_holder")
    share = ShareLink.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit.record("licence.share_revoked", actor=user, subject=share.licence,
                     summary=f"撤销证照 {share.licence.identifier} 的分享",
                     data={"identifier": share.licence.identifier, "share": share.pk})
    return share


def open_share(token: str) -> ShareLink:
    """The share link of ``token`` while it opens: unknown (404), revoked or expired (410)."""
    share = (ShareLink.objects.select_related("licence__licence_type", "licence__issuer")
             .filter(token_hash=_token_hash(token or "")).first())
    if share is None:
        raise NotFound("分享链接不存在，请核对链接是否完整", code="licence.share_unknown")
    if share.revoked_at is not None:
        raise ShareLinkGone("该分享链接已被持证人撤销", code="licence.share_revoked")
    if share.expires_at <= timezone.now():
        raise ShareLinkGone(f"该分享链接已于 {timezone.localtime(share.expires_at):%Y-%m-%d %H:%M} 失效",
                            code="licence.share_expired")
    return share
