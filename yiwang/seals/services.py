"""The seal registry and its uses: 制发 (create_seal), 暂停 / 恢复 / 注销 (suspend_seal,
reactivate_seal, revoke_seal), 用印 (sign) and 验章 (verify), plus the published public keys.

A signature is a plain dict in the shape of GB/T 38540's SES_Signature: the to-be-signed part
(version, the seal reference, signer, time, algorithm, user id and the SM3 of the data's canonical
bytes) and the DER SM3withSM2 signature over ``signed_message`` of that part. Everything but the
signature value is signed, so the seal reference, the time and the signer cannot be changed
without breaking it."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yiwang.common.errors import Conflict, PayloadTooLarge, PermissionDenied, ValidationError
from yiwang.common.status import Transition, change_status
from yiwang.orgs.models import Department, Membership, Role
from yiwang.orgs.services import require_role
from yiwang.supervision import audit

from . import crypto
from .errors import SealStateError
from .models import Seal, SealEvent, SealKind, SealStatus, SealUse

SIGNATURE_VERSION = 1
# How the platform's own seal (platform_seal) names the signer: no person signs.
PLATFORM_SIGNER = "platform"
# The to-be-signed fields (TBS_Sign in GB/T 38540): every field of the structure but "signature".
SIGNED_FIELDS = ("version", "seal", "signer", "signed_at", "algorithm", "user_id", "data_hash")
SEAL_FIELDS = ("code", "name", "department", "department_uscc", "kind")
MAX_IMAGE_BYTES = 512 * 1024
PNG_HEAD = b"\x89PNG\r\n\x1a\n"
# How far a signing time may lie ahead of the verifier's clock before it is refused.
CLOCK_SKEW = dt.timedelta(minutes=5)
_PLAIN_TYPES = frozenset({str, int, bool, type(None)})


# --- canonical data --------------------------------------------------------------------------------


def canonical_bytes(data: dict) -> bytes:
    """The one byte form of ``data`` that is hashed and signed: JSON with sorted keys, no spaces,
    UTF-8 without escapes. Floats (and NaN) are refused, since their text differs between
    languages, and so is anything JSON would have to convert (dates, decimals, tuples): write them
    as strings first, so the verifier hashes exactly what was signed."""
    if not isinstance(data, dict):
        raise ValidationError("用印数据必须是 JSON 对象", code="seal.data_not_canonical")
    _check_canonical(data, "数据")
    return _json_bytes(data)


def _json_bytes(data: dict) -> bytes:
    """The canonical form of data already known to be canonical (checked, or built here)."""
    try:
        return json.dumps(data, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("用印数据含有无法以 UTF-8 表示的字符", code="seal.data_not_canonical") from exc


def _check_canonical(value, where: str) -> None:
    if isinstance(value, dict):
        bad_key = next((key for key in value if not isinstance(key, str)), None)
        if bad_key is not None:
            raise ValidationError(f"{where}的键 {bad_key!r} 不是字符串", code="seal.data_not_canonical")
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    elif isinstance(value, float):
        raise ValidationError(f"{where}是小数（{value!r}），签章数据不接受小数，请写成字符串",
                              code="seal.data_not_canonical")
    elif value is None or isinstance(value, str | int):
        return
    else:
        raise ValidationError(f"{where}的类型为 {type(value).__name__}，签章数据只接受字符串、整数、"
                              "布尔值、空值、列表和对象（日期请写成字符串）", code="seal.data_not_canonical")
    for key, item in children:
        if type(item) not in _PLAIN_TYPES:  # plain values pass without building their path
            _check_canonical(item, f"{where}.{key}" if isinstance(value, dict) else f"{where}[{key}]")


def signed_message(signature: dict) -> bytes:
    """The bytes the SM2 signature covers: the canonical form of the structure's signed fields.
    A verifier outside the platform rebuilds them the same way and checks with OpenSSL."""
    return canonical_bytes({field: signature[field] for field in SIGNED_FIELDS})


def _message(signature: dict) -> bytes:
    """``signed_message`` of a structure built by ``sign_many`` or passed by ``_parse``, whose
    fields are plain by construction or by check: the canonical check would only repeat."""
    return _json_bytes({field: signature[field] for field in SIGNED_FIELDS})


def _messages(base: dict, data_hashes: list[str]) -> list[bytes]:
    """``_message`` of ``{**base, "data_hash": h}`` for each ``h``, with ``base`` serialised once
    for a batch: the hash is 64 hex digits, which JSON writes as they are, and ``"data_hash":"``
    unescaped can only be the key, since a quote inside any string value is escaped. Saves a
    JSON serialisation per signature, a tenth of the time a batch spends outside SM2."""
    marker = "0" * 64
    key = b'"data_hash":"'
    head, tail = _message({**base, "data_hash": marker}).split(key + marker.encode("ascii") + b'"')
    return [b"".join((head, key, data_hash.encode("ascii"), b'"', tail)) for data_hash in data_hashes]


# --- the registry ----------------------------------------------------------------------------------


def check_image(image) -> bytes:
    """The seal image's bytes: a PNG (by content, not by name) of at most 512 KB."""
    image.seek(0)
    content = image.read(MAX_IMAGE_BYTES + 1)
    if len(content) > MAX_IMAGE_BYTES:
        raise PayloadTooLarge(f"印模图像超过 {MAX_IMAGE_BYTES // 1024} KB 的上限",
                              code="seal.image_too_large")
    if not content:
        raise ValidationError("印模图像为空", code="seal.image_empty")
    # A PNG starts with its 8-byte signature and then the IHDR chunk.
    if not (content.startswith(PNG_HEAD) and content[12:16] == b"IHDR"):
        raise ValidationError("印模图像必须是 PNG 图片", code="seal.image_type")
    return content


@transaction.atomic
def create_seal(*, department: Department, name: str, kind: str, image, valid_from: dt.date,
                valid_until: dt.date, actor) -> Seal:
    """制发: a new active seal of ``department`` with a fresh SM2 key pair. The department's
    部门管理员 (or a system administrator) may do it."""
    require_role(actor, department, Role.DEPARTMENT_ADMIN)
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写印章名称", code="seal.name_required")
    if len(name) > Seal._meta.get_field("name").max_length:
        raise ValidationError("印章名称过长", code="seal.name_too_long")
    if name.startswith(department.name):
        raise ValidationError(f"印章名称不要重复部门名称：“{department.name}”已在印面上，"
                              "只填写如“电子证照专用章”", code="seal.name_repeats_department")
    if kind not in SealKind.values:
        raise ValidationError("印章类型不正确", code="seal.kind")
    if kind == SealKind.AUDIT and not actor.is_superuser:
        # Without YIWANG_PLATFORM_SEAL_CODE the one active seal of this kind is the platform's
        # (platform_seal): a department administrator must not be able to become it, or, by
        # making a second one, stop the platform signing.
        raise PermissionDenied(f"{SealKind.AUDIT.label}是平台印章，只能由系统管理员制发",
                               code="seal.platform_kind_reserved")
    if not (isinstance(valid_from, dt.date) and isinstance(valid_until, dt.date)):
        raise ValidationError("请填写有效期", code="seal.validity_required")
    if valid_until < valid_from:
        raise ValidationError("有效期至不能早于有效期起", code="seal.validity_order")
    if valid_until < _platform_time(timezone.now()).date():
        raise ValidationError("有效期已过，不能制发", code="seal.validity_past")
    content = check_image(image)
    public_pem, sealed_key = crypto.generate_key_pair()
    now = timezone.now()
    seal = Seal(department=department, department_name=department.name,
                department_uscc=department.uscc, name=name, kind=kind,
                public_key_pem=public_pem,
                encrypted_private_key=sealed_key, valid_from=valid_from, valid_until=valid_until,
                status=SealStatus.ACTIVE, status_changed_at=now, created_by=actor,
                seal_code=_next_seal_code(department))
    seal.image.save(f"{uuid.uuid4().hex}.png", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            seal.save()
    except IntegrityError as exc:
        # Two seals of one department made at the same moment drew the same serial.
        raise Conflict("印章编码已被同时制发的另一枚印章占用，请重试", code="seal.code_taken") from exc
    _record_event(seal, actor=actor, before="", reason="制发", at=now)
    audit.record("seal.created", actor=actor, subject=seal,
                 summary=f"制发{department.name}{name}（{seal.seal_code}）",
                 data={"seal_code": seal.seal_code, "kind": kind, "department_uscc": department.uscc,
                       "valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat(),
                       "public_key_sm3": crypto.sm3_hex(public_pem.encode("ascii"))})
    return seal


def _next_seal_code(department: Department) -> str:
    taken = Seal.objects.filter(department=department).values_list("seal_code", flat=True)
    serial = max((int(code[-2:]) for code in taken), default=0) + 1
    if serial > 99:
        raise Conflict(f"{department.name}的印章序号已用完（最多 99 枚）", code="seal.serial_exhausted")
    return f"{department.uscc}{serial:02d}"


# What each status change needs, leads to and is called.
TRANSITIONS = {
    "suspend": Transition(frozenset({SealStatus.ACTIVE}), SealStatus.SUSPENDED, "暂停使用",
                          "seal.suspended"),
    "reactivate": Transition(frozenset({SealStatus.SUSPENDED}), SealStatus.ACTIVE, "恢复使用",
                             "seal.reactivated"),
    "revoke": Transition(frozenset({SealStatus.ACTIVE, SealStatus.SUSPENDED}), SealStatus.REVOKED,
                         "注销", "seal.revoked"),
}


def suspend_seal(seal: Seal, *, actor, reason: str) -> Seal:
    """暂停使用: the seal signs nothing until reactivated; signatures made before stay valid."""
    return _change_status(seal, "suspend", actor=actor, reason=reason)


def reactivate_seal(seal: Seal, *, actor, reason: str) -> Seal:
    """恢复使用 of a suspended seal. A revoked seal is never reactivated."""
    return _change_status(seal, "reactivate", actor=actor, reason=reason)


def revoke_seal(seal: Seal, *, actor, reason: str) -> Seal:
    """注销: for good. Every signature of the seal, earlier ones included, then fails verification."""
    return _change_status(seal, "revoke", actor=actor, reason=reason)


@transaction.atomic
def _change_status(seal: Seal, action: str, *, actor, reason: str) -> Seal:
    transition = TRANSITIONS[action]
    require_role(actor, seal.department, Role.DEPARTMENT_ADMIN)
    now = timezone.now()
    # Locked, so a signature in progress finishes before the change and none starts after it.
    locked, before, reason = change_status(seal, transition, reason=reason, prefix="seal", noun="印章",
                                           error=SealStateError, status_changed_at=now)
    _record_event(locked, actor=actor, before=before, reason=reason, at=now)
    audit.record(transition.audit_kind, actor=actor, subject=locked,
                 summary=f"{transition.label}{locked}：{reason}",
                 data={"seal_code": locked.seal_code, "from": before, "to": transition.target,
                       "reason": reason})
    return locked


def _record_event(seal: Seal, *, actor, before: str, reason: str, at: dt.datetime) -> None:
    SealEvent.objects.create(seal=seal, at=at, actor=actor, actor_name=actor.get_username(),
                             from_status=before, to_status=seal.status, reason=reason)


# --- signing ---------------------------------------------------------------------------------------


def _require_certifier(actor, seal: Seal) -> None:
    """Separation of duties: stamping in a department's name takes a 制证员 of that department;
    a system administrator is not one by virtue of being an administrator."""
    if not (actor and actor.is_authenticated and actor.is_active and Membership.objects.filter(
            user=actor, department_id=seal.department_id, role=Role.CERTIFIER).exists()):
        raise PermissionDenied(f"您不是{seal.department_name}的制证员，不能使用该部门的印章",
                               code="permission.role_required")


def signer_id(actor) -> str:
    """How a signature names its signer: the staff member's internal number, never the log-in
    name, since a signature travels with the licence and its QR code to anyone. The use record
    (SealUse.actor) tells the platform who that is."""
    return f"staff:{actor.pk}"


def sign(seal: Seal, data: dict, *, actor, purpose: str) -> dict:
    """用印: sign ``data`` with ``seal``, record the use and audit it. Only a 制证员 of the seal's
    department may; a suspended, revoked, expired or not yet valid seal refuses. Returns the
    signature structure (see the module docstring), JSON-ready."""
    return sign_many(seal, [(data, purpose)], actor=actor)[0]


@transaction.atomic
def sign_many(seal: Seal, items: list[tuple[dict, str]], *, actor) -> list[dict]:
    """用印 of several documents at once, each ``(data, purpose)``: the same checks and records
    as ``sign`` (a SealUse row and an audit record for every signature), but the permission
    check, the seal's lock, the key's decryption and the turn at the audit chain are taken once
    for the batch. All or nothing: one refused item signs none."""
    _require_certifier(actor, seal)
    seal, structures, uses = _sign_batch(seal, items, signer=signer_id(actor), actor=actor)
    # One chain record for the batch that names every use: each signature stays as tamper-evident
    # as with a record apiece, and a batch pays for one record's hash and insert.
    count = f"{len(uses)}次" if len(uses) > 1 else ""
    others = "等" if any(use["purpose"] != uses[0]["purpose"] for use in uses) else ""
    audit.record("seal.signed", actor=actor, subject=seal,
                 summary=f"{actor.get_username()}以{seal}用印{count}：{uses[0]['purpose']}{others}",
                 data={"seal_code": seal.seal_code, "signed_at": structures[0]["signed_at"],
                       "uses": uses})
    return structures



def platform_seal() -> Seal:
    """The platform's own 平台存证专用章: the seal ``settings.PLATFORM_SEAL_CODE`` names, or, when
    the setting is empty, the one active seal of kind AUDIT (the demo gives the province's
    政务服务和数字化建设管理局 one). Raises SealStateError (seal.platform_missing) when there is
    none to use, naming what to do."""
    configured = settings.PLATFORM_SEAL_CODE
    seals = Seal.objects.defer("encrypted_private_key").filter(kind=SealKind.AUDIT)
    if configured:
        seal = seals.filter(seal_code=configured).first()
        if seal is None:
            raise SealStateError(f"YIWANG_PLATFORM_SEAL_CODE 指定的印章“{configured}”不存在或不是"
                                 f"{SealKind.AUDIT.label}", code="seal.platform_missing")
        return seal
    active = list(seals.filter(status=SealStatus.ACTIVE)[:2])
    if not active:
        raise SealStateError(f"平台没有启用中的{SealKind.AUDIT.label}：请为平台运营部门制发一枚"
                             f"（manage.py create_seal --kind {SealKind.AUDIT.value}）",
                             code="seal.platform_missing")
    if len(active) > 1:
        raise SealStateError(f"平台有多枚启用中的{SealKind.AUDIT.label}：请以 YIWANG_PLATFORM_SEAL_CODE "
                             "指定其中一枚的印章编码", code="seal.platform_missing")
    return active[0]


@transaction.atomic
def sign_as_platform(data: dict, *, purpose: str, seal: Seal | None = None) -> dict:
    """用印 by the platform itself, with nobody at the keyboard, of what the platform attests:
    the audit chain's checkpoints and archival packages, with ``seal`` (a caller that already
    named the seal in what it signs passes it) or ``platform_seal()``. Only a 平台存证专用章
    (SealKind.AUDIT) signs this way, so no licence or approval seal ever signs unattended; the
    same state and validity checks as ``sign``. The use is recorded (SealUse without an actor,
    signer ``platform``), but not in the audit chain: the checkpoint it signs is itself the
    record, and an audit record per checkpoint would leave every checkpoint a new record to
    anchor, so an idle chain would never rest; other callers record what they signed themselves
    (archive.formed)."""
    seal = platform_seal() if seal is None else seal
    if seal.kind != SealKind.AUDIT:
        raise SealStateError(f"印章“{seal.full_name}”不是{SealKind.AUDIT.label}，不能由平台自动用印",
                             code="seal.not_for_platform")
    return _sign_batch(seal, [(data, purpose)], signer=PLATFORM_SIGNER, actor=None)[1][0]


def _sign_batch(seal: Seal, items: list[tuple[dict, str]], *, signer: str,
                actor) -> tuple[Seal, list[dict], list[dict]]:
    """The locked seal, the signature structures of ``items`` and their recorded uses; the
    caller holds the transaction and has checked who may sign."""
    contents = [(canonical_bytes(data), _clean_purpose(purpose)) for data, purpose in items]
    # Locked against a concurrent suspension or revocation: none takes effect mid-signature.
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # the precision of signed_at
    _require_usable(seal, now)
    base = {
        "version": SIGNATURE_VERSION,
        "seal": {"code": seal.seal_code, "name": seal.name, "department": seal.department_name,
                 "department_uscc": seal.department_uscc, "kind": seal.kind},
        "signer": signer,
        "signed_at": now.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "algorithm": crypto.ALGORITHM,
        "user_id": crypto.USER_ID,
    }
    structures = [{**base, "data_hash": crypto.sm3_hex(content)} for content, _ in contents]
    signatures = crypto.sign_all(seal.encrypted_private_key, seal.public_key_pem,
                                 _messages(base, [structure["data_hash"] for structure in structures]))
    uses = []
    for structure, der, (_, purpose) in zip(structures, signatures, contents, strict=True):
        structure["signature"] = base64.b64encode(der).decode("ascii")
        uses.append({"purpose": purpose, "data_hash": structure["data_hash"],
                     "signature_id": crypto.sm3_hex(der)})
    _insert_uses(seal, actor, now, uses)
    return seal, structures, uses


def _insert_uses(seal: Seal, actor, signed_at: dt.datetime, uses: list[dict]) -> None:
    """The batch's SealUse rows in one parameterised INSERT run for each row: the rows
    ``bulk_create`` would write, without building a model instance and compiling SQL per row and
    field, which together cost a tenth of an SM2 signature. The time goes through the field's
    own conversion for the backend; the other values are plain strings and integers."""
    meta = SealUse._meta
    quote = connection.ops.quote_name
    names = ("seal", "actor", "actor_name", "purpose", "data_hash", "signature_id", "signed_at")
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    # Table and column names come from the model, values are parameters.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
    at = meta.get_field("signed_at").get_db_prep_save(signed_at, connection)
    actor_id, signer = (actor.pk, actor.get_username()) if actor is not None else (None, "平台")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(seal.pk, actor_id, signer, use["purpose"], use["data_hash"],
                                  use["signature_id"], at) for use in uses])


def _clean_purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError("请填写用印用途", code="seal.purpose_required")
    if len(purpose) > SealUse._meta.get_field("purpose").max_length:
        raise ValidationError("用印用途过长", code="seal.purpose_too_long")
    return purpose


def _require_usable(seal: Seal, now: dt.datetime) -> None:
    if seal.status == SealStatus.REVOKED:
        raise SealStateError(f"印章“{seal.full_name}”已注销（{seal.status_reason}），不能用印",
                             code="seal.revoked")
    if seal.status == SealStatus.SUSPENDED:
        raise SealStateError(f"印章“{seal.full_name}”已暂停使用（{seal.status_reason}），不能用印",
                             code="seal.suspended")
    today = _platform_time(now).date()
    if today > seal.valid_until:
        raise SealStateError(f"印章“{seal.full_name}”已于 {seal.valid_until:%Y-%m-%d} 到期，不能用印",
                             code="seal.expired")
    if today < seal.valid_from:
        raise SealStateError(f"印章“{seal.full_name}”自 {seal.valid_from:%Y-%m-%d} 起才能使用",
                             code="seal.not_yet_valid")


# --- verification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify``: ``code`` is ``seal.valid`` or the first failed check, ``reason``
    says it in Chinese for the person looking at the document."""

    ok: bool
    code: str
    reason: str
    seal_code: str = ""


def verify(data: dict, signature: dict, *, at: dt.datetime | None = None) -> Verification:
    """验章: is ``signature`` a valid signature of ``data`` by a seal of this registry, judged at
    ``at`` (now by default)? Checks, in order: the structure; the data's hash; the seal is
    registered; the SM2 signature with the seal's public key; the seal was not revoked by ``at``;
    the signing time lies in the seal's validity and not after ``at``; the use was recorded.

    Revocation rejects every signature of the seal, those made before it too: a seal is revoked
    when its key can no longer be trusted (lost, leaked, the department dissolved), and whoever
    holds a leaked key can write any signing time. Suspension only stops new signatures, so earlier
    ones stay valid; a signature dated inside a suspension has no use record and fails as
    unrecorded, since ``sign`` refuses while the seal is suspended."""
    return verify_many([(data, signature)], at=at)[0]


def verify_many(pairs: list[tuple[dict, dict]], *, at: dt.datetime | None = None) -> list[Verification]:
    """``verify`` of each ``(data, signature)``, in order, with the use records and the seals of
    the whole batch read in two queries."""
    at = at or timezone.now()
    parsed = [_parse(signature) for _, signature in pairs]
    # (seal code, signing time, signature id) of each well-formed signature: its use record's key.
    keys = [None if isinstance(item, Verification) else (item[0], item[1], crypto.sm3_hex(item[2]))
            for item in parsed]
    codes = {key[0] for key in keys if key}
    # The batch's few seals once each, not a copy per signature; never the private key.
    seals = {seal.seal_code: seal for seal in Seal.objects.filter(seal_code__in=codes)
             .defer("encrypted_private_key")} if codes else {}
    recorded = _recorded({(seals[code].pk, signed_at, signature_id)
                          for code, signed_at, signature_id in filter(None, keys) if code in seals})
    results = []
    for (data, signature), item, key in zip(pairs, parsed, keys, strict=True):
        if key is None:
            results.append(item)
            continue
        seal_code, signed_at, der = item
        seal = seals.get(seal_code)
        known = seal is not None and (seal.pk, *key[1:]) in recorded
        seal, failure = _first_failure(data, signature, seal, known, signed_at, der, at)
        if failure:
            results.append(Verification(False, *failure, seal_code=seal_code))
            continue
        note = "（该印章现已暂停使用，暂停前的签章仍然有效）" if seal.status == SealStatus.SUSPENDED else ""
        # The department, never the signing staff member's account: the verdict is public.
        results.append(Verification(True, "seal.valid", f"签章有效：{seal.full_name}"
                                    f"于 {_local(signed_at)} 用印{note}", seal_code))
    return results


def _recorded(keys: set[tuple[int, dt.datetime, str]]) -> set[tuple[int, dt.datetime, str]]:
    """Which of ``keys`` (seal pk, signing time, signature id) have a use record: looked up in
    the unique index of exactly these columns, so the cost does not grow with the seal's uses."""
    if not keys:
        return set()
    seal_ids, times, signature_ids = (set(column) for column in zip(*keys, strict=True))
    found = SealUse.objects.filter(seal_id__in=seal_ids, signed_at__in=times,
                                   signature_id__in=signature_ids)
    return set(found.values_list("seal_id", "signed_at", "signature_id")) & keys


def _first_failure(data, signature: dict, seal: Seal | None, recorded: bool,
                   signed_at: dt.datetime, der: bytes,
                   at: dt.datetime) -> tuple[Seal | None, tuple[str, str] | None]:
    """The seal and the (code, reason) of the first failed check, or None when all pass."""
    try:
        content = canonical_bytes(data)
    except ValidationError as exc:
        return None, ("seal.data_not_canonical", exc.message)
    if crypto.sm3_hex(content) != signature["data_hash"]:
        return None, ("seal.data_tampered", "数据与签章时的摘要不符，数据在用印后被改动过")
    if seal is None:
        return None, ("seal.unknown", f"印章“{signature['seal']['code']}”不在本平台的印章登记中")
    if not crypto.verify_with_public_key(seal.public_key_pem, _message(signature), der):
        return seal, ("seal.bad_signature", "签名值与印章公钥不符：签章是伪造的，"
                      "或其中的印章、时间、签章人等信息被改动过")
    if seal.status == SealStatus.REVOKED and seal.status_changed_at <= at:
        return seal, ("seal.revoked", f"印章“{seal.full_name}”已于 {_local(seal.status_changed_at)} 注销"
                      f"（{seal.status_reason}），其签章一律不再有效")
    signed_on = _platform_time(signed_at).date()
    if signed_on > seal.valid_until:
        return seal, ("seal.expired", f"用印时间 {_local(signed_at)} 已超出印章有效期"
                      f"（至 {seal.valid_until:%Y-%m-%d}）")
    if signed_on < seal.valid_from:
        return seal, ("seal.not_yet_valid", f"用印时间 {_local(signed_at)} 早于印章有效期"
                      f"（自 {seal.valid_from:%Y-%m-%d} 起）")
    if signed_at > at + CLOCK_SKEW:
        return seal, ("seal.signed_in_future", f"用印时间 {_local(signed_at)} 晚于验证时间")
    if not recorded:
        return seal, ("seal.unrecorded", "签名值正确，但本平台没有这次用印的记录："
                      "签章不是经本平台用印生成的，印章私钥可能已经泄露")
    return seal, None


_HEX64 = re.compile(r"[0-9a-f]{64}")


def _parse(signature) -> tuple[str, dt.datetime, bytes] | Verification:
    """(seal code, signing time, DER signature) of a well-formed structure, or the failure."""

    def malformed(why: str, code: str = "") -> Verification:
        return Verification(False, "seal.malformed", f"签章格式不正确：{why}", code)

    if not isinstance(signature, dict):
        return malformed("不是签章结构")
    if set(signature) != {*SIGNED_FIELDS, "signature"}:
        return malformed("字段不全或含有未知字段")
    seal = signature["seal"]
    if not (isinstance(seal, dict) and set(seal) == set(SEAL_FIELDS)
            and all(isinstance(seal[field], str) for field in SEAL_FIELDS)):
        return malformed("印章信息不完整")
    code = seal["code"]
    if type(signature["version"]) is not int or signature["version"] != SIGNATURE_VERSION:
        return malformed(f"不支持的版本 {signature['version']!r}", code)
    if signature["algorithm"] != crypto.ALGORITHM or signature["user_id"] != crypto.USER_ID:
        return malformed(f"只支持 {crypto.ALGORITHM}，用户标识 {crypto.USER_ID}", code)
    if not (isinstance(signature["signer"], str) and signature["signer"]):
        return malformed("缺少签章人", code)
    if not (isinstance(signature["data_hash"], str) and _HEX64.fullmatch(signature["data_hash"])):
        return malformed("数据摘要不是 SM3 十六进制值", code)
    try:
        signed_at = dt.datetime.fromisoformat(signature["signed_at"])
    except (TypeError, ValueError):
        return malformed("用印时间格式错误", code)
    if signed_at.tzinfo is None:
        return malformed("用印时间缺少时区", code)
    try:
        der = base64.b64decode(signature["signature"], validate=True)
    except (TypeError, ValueError, binascii.Error):
        return malformed("签名值不是 Base64", code)
    if not der:
        return malformed("签名值为空", code)
    return code, signed_at, der


def _local(moment: dt.datetime) -> str:
    return f"{_platform_time(moment):%Y-%m-%d %H:%M:%S}"


def _platform_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` in the platform's zone (settings.TIME_ZONE), in which seal validity dates are
    meant, whoever looks; also cheaper than the request's active zone, once per verification."""
    return moment.astimezone(timezone.get_default_timezone())


# --- published keys --------------------------------------------------------------------------------


def public_keys() -> list[dict]:
    """Every registered seal's public key with its status and validity, revoked ones included
    (a verifier must learn that they are revoked), for publication at a well-known URL.

    ``seal_code``, ``name``, ``department``, ``department_uscc`` and ``kind`` are exactly the
    ``seal`` part of every signature the seal makes (``department`` and ``department_uscc`` are
    the name and code on the seal, fixed at 制发, not the department's current ones), so an
    offline verifier rebuilds the signed structure from a QR payload and this entry alone."""
    return [
        {"seal_code": seal.seal_code, "name": seal.name, "kind": seal.kind,
         "department": seal.department_name, "department_uscc": seal.department_uscc,
         "public_key_pem": seal.public_key_pem, "algorithm": crypto.ALGORITHM,
         "user_id": crypto.USER_ID, "status": seal.status,
         "valid_from": seal.valid_from.isoformat(), "valid_until": seal.valid_until.isoformat()}
        for seal in Seal.objects.defer("encrypted_private_key")
        .order_by("seal_code")
    ]
