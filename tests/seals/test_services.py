"""The seal registry, signing and verification through the services."""

import base64
import datetime as dt
import json

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.seals.conftest import png, png_bytes
from yiwang.common.errors import DomainError, PermissionDenied, ValidationError
from yiwang.seals import crypto, services
from yiwang.seals.errors import SealStateError
from yiwang.seals.models import Seal, SealEvent, SealStatus, SealUse
from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import AuditRecord

# --- 制发 -----------------------------------------------------------------------------------------


def test_a_new_seal_is_active_with_a_numbered_code_history_and_audit(world, seal):
    second = world.seal(name="审批专用章", kind="approval")

    assert seal.status == SealStatus.ACTIVE
    assert (seal.seal_code, second.seal_code) == (world.market.uscc + "01", world.market.uscc + "02")
    assert seal.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert seal.image.read().startswith(b"\x89PNG")
    assert list(seal.events.values_list("from_status", "to_status")) == [("", "active")]
    created = AuditRecord.objects.get(kind="seal.created", subject_id=str(seal.pk))
    assert created.data["seal_code"] == seal.seal_code


def test_only_a_department_admin_or_system_admin_makes_seals(world):
    with pytest.raises(PermissionDenied) as refused:
        world.seal(actor=world.certifier)
    assert refused.value.code == "permission.role_required"
    with pytest.raises(PermissionDenied):
        world.seal(actor=world.health_certifier)  # an admin, but of another department
    assert world.seal(actor=world.root).department == world.market


@pytest.mark.parametrize(("image", "code"), [
    (png("印模.png", b"GIF89a" + b"\x00" * 40), "seal.image_type"),
    (png("印模.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), "seal.image_type"),
    (png("印模.png", b""), "seal.image_empty"),
    (png("印模.png", png_bytes() + b"\x00" * (512 * 1024)), "seal.image_too_large"),
])
def test_the_seal_image_must_be_a_png_of_at_most_512_kb(world, image, code):
    with pytest.raises(DomainError) as refused:
        world.seal(image=image)
    assert refused.value.code == code
    assert not Seal.objects.exists()


def test_seal_fields_are_checked(world):
    today = timezone.localdate()
    cases = [({"name": " "}, "seal.name_required"), ({"kind": "personal"}, "seal.kind"),
             ({"valid_from": today, "valid_until": today - dt.timedelta(days=1)}, "seal.validity_order"),
             ({"valid_from": today - dt.timedelta(days=9), "valid_until": today - dt.timedelta(days=2)},
              "seal.validity_past"),
             ({"name": "吉林省市场监督管理局电子证照专用章"}, "seal.name_repeats_department")]
    for overrides, code in cases:
        with pytest.raises(ValidationError) as refused:
            world.seal(**overrides)
        assert refused.value.code == code


# --- status ---------------------------------------------------------------------------------------


def test_suspend_reactivate_and_revoke_keep_history(world, seal):
    services.suspend_seal(seal, actor=world.admin, reason="部门机构调整")
    services.reactivate_seal(seal, actor=world.admin, reason="调整完成")
    seal = services.revoke_seal(seal, actor=world.admin, reason="印章密钥介质遗失")

    assert (seal.status, seal.status_reason) == (SealStatus.REVOKED, "印章密钥介质遗失")
    assert list(SealEvent.objects.filter(seal=seal).values_list("to_status", flat=True)) == [
        "active", "suspended", "active", "revoked"]
    assert list(AuditRecord.objects.filter(subject_id=str(seal.pk)).values_list("kind", flat=True)) == [
        "seal.created", "seal.suspended", "seal.reactivated", "seal.revoked"]


def test_status_changes_the_current_status_does_not_allow_are_refused(world, seal):
    with pytest.raises(SealStateError, match="不能恢复使用"):
        services.reactivate_seal(seal, actor=world.admin, reason="误操作")
    services.revoke_seal(seal, actor=world.admin, reason="撤销机构")
    for change in (services.suspend_seal, services.reactivate_seal, services.revoke_seal):
        with pytest.raises(SealStateError) as refused:
            change(seal, actor=world.admin, reason="再试一次")
        assert refused.value.code == "seal.illegal_transition"


def test_status_changes_need_a_reason_and_the_department_admin(world, seal):
    with pytest.raises(ValidationError, match="原因"):
        services.suspend_seal(seal, actor=world.admin, reason="  ")
    for outsider in (world.certifier, world.health_certifier):
        with pytest.raises(PermissionDenied):
            services.revoke_seal(seal, actor=outsider, reason="越权注销")
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.ACTIVE


# --- 用印 -----------------------------------------------------------------------------------------


def test_a_certifier_signs_and_the_signature_verifies(world, seal, licence_data):
    signature = services.sign(seal, licence_data, actor=world.certifier, purpose="核发食品经营许可证")

    assert signature["seal"] == {"code": seal.seal_code, "name": seal.name,
                                 "department": "吉林省市场监督管理局",
                                 "department_uscc": world.market.uscc, "kind": "licence"}
    assert (signature["version"], signature["algorithm"], signature["user_id"]) == (
        1, "SM3withSM2", "1234567812345678")
    assert signature["signer"] == f"staff:{world.certifier.pk}"  # not the log-in name
    assert signature["signed_at"].endswith("Z")
    assert signature["data_hash"] == crypto.sm3_hex(services.canonical_bytes(licence_data))
    assert json.loads(json.dumps(signature)) == signature  # plain JSON
    result = services.verify(licence_data, signature)
    assert (result.ok, result.code, result.seal_code) == (True, "seal.valid", seal.seal_code)


def test_the_signature_covers_the_seal_reference_time_and_signer(world, seal, licence_data):
    signature = services.sign(seal, licence_data, actor=world.certifier, purpose="核发")
    message = json.loads(services.signed_message(signature))

    assert message["seal"]["code"] == seal.seal_code
    assert message["signed_at"] == signature["signed_at"]
    assert message["data_hash"] == signature["data_hash"]
    assert "signature" not in message


def test_every_signature_is_recorded_and_audited(world, seal, licence_data):
    signatures = [services.sign(seal, {**licence_data, "n": n}, actor=world.certifier,
                                purpose=f"核发第{n}张") for n in range(3)]

    uses = list(SealUse.objects.filter(seal=seal).order_by("signed_at", "pk"))
    audited = list(AuditRecord.objects.filter(kind="seal.signed").order_by("seq"))
    assert [u.purpose for u in uses] == ["核发第0张", "核发第1张", "核发第2张"]
    assert [use["signature_id"] for a in audited for use in a.data["uses"]] == [
        u.signature_id for u in uses]
    assert [u.data_hash for u in uses] == [s["data_hash"] for s in signatures]
    assert audited[0].actor_name == "certifier" and audited[0].subject_id == str(seal.pk)
    assert verify_chain().ok
    assert "PRIVATE" not in json.dumps([a.data for a in audited])


@pytest.mark.parametrize("who", ["health_certifier", "examiner", "admin", "root"])
def test_only_a_certifier_of_the_seal_department_signs_not_even_a_system_admin(world, seal, licence_data,
                                                                              who):
    with pytest.raises(PermissionDenied) as refused:
        services.sign(seal, licence_data, actor=getattr(world, who), purpose="核发")
    assert refused.value.code == "permission.role_required"
    assert not SealUse.objects.exists()


@pytest.mark.parametrize(("change", "code"), [(services.suspend_seal, "seal.suspended"),
                                              (services.revoke_seal, "seal.revoked")])
def test_a_suspended_or_revoked_seal_refuses_to_sign(world, seal, licence_data, change, code):
    change(seal, actor=world.admin, reason="暂停或注销")

    with pytest.raises(SealStateError) as refused:
        services.sign(seal, licence_data, actor=world.certifier, purpose="核发")
    assert refused.value.code == code and refused.value.status == 409


def test_a_seal_outside_its_validity_refuses_to_sign(world, licence_data):
    today = timezone.localdate()
    expired = world.seal(valid_from=today - dt.timedelta(days=400), valid_until=today)
    Seal.objects.filter(pk=expired.pk).update(valid_until=today - dt.timedelta(days=1))
    expired.refresh_from_db()
    future = world.seal(valid_from=today + dt.timedelta(days=1))

    for seal, code in ((expired, "seal.expired"), (future, "seal.not_yet_valid")):
        with pytest.raises(SealStateError) as refused:
            services.sign(seal, licence_data, actor=world.certifier, purpose="核发")
        assert refused.value.code == code


def test_a_purpose_is_required(world, seal, licence_data):
    with pytest.raises(ValidationError) as refused:
        services.sign(seal, licence_data, actor=world.certifier, purpose=" ")
    assert refused.value.code == "seal.purpose_required"


# --- canonical bytes --------------------------------------------------------------------------------


def test_canonical_bytes_are_sorted_compact_utf8():
    assert services.canonical_bytes({"b": 1, "a": ["证", None, True]}) == (
        '{"a":["证",null,true],"b":1}'.encode())


@pytest.mark.parametrize("value", [1.5, float("nan"), dt.date(2026, 9, 29), (1, 2), b"bytes", {1: "a"}])
def test_canonical_bytes_refuse_what_does_not_serialise_one_way(value):
    with pytest.raises(ValidationError) as refused:
        services.canonical_bytes({"value": value})
    assert refused.value.code == "seal.data_not_canonical"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


@given(st.dictionaries(st.text(max_size=8), JSON, max_size=6))
def test_canonical_bytes_do_not_depend_on_key_order_and_round_trip(data):
    reordered = dict(reversed(list(data.items())))
    encoded = services.canonical_bytes(data)

    assert services.canonical_bytes(reordered) == encoded
    assert json.loads(encoded) == data


# --- 验章 -----------------------------------------------------------------------------------------


@pytest.fixture
def signed(world, seal, licence_data):
    return services.sign(seal, licence_data, actor=world.certifier, purpose="核发食品经营许可证")


def test_tampered_data_is_rejected(licence_data, signed):
    result = services.verify({**licence_data, "holder": "另一家公司"}, signed)

    assert (result.ok, result.code) == (False, "seal.data_tampered")
    assert "改动" in result.reason


@pytest.mark.parametrize("change", [
    lambda s: {**s, "signature": base64.b64encode(base64.b64decode(s["signature"])[:-1] + b"\x00").decode()},
    lambda s: {**s, "signer": "impostor"},
    lambda s: {**s, "signed_at": "2026-01-01T00:00:00.000Z"},
    lambda s: {**s, "seal": {**s["seal"], "name": "另一枚印章"}},
])
def test_a_forged_or_altered_signature_is_rejected(licence_data, signed, change):
    result = services.verify(licence_data, change(signed))

    assert (result.ok, result.code) == (False, "seal.bad_signature")


def test_a_signature_claimed_for_another_seal_is_rejected(world, licence_data, signed):
    other = world.seal(name="审批专用章", kind="approval")

    another = services.verify(licence_data, {**signed, "seal": {**signed["seal"], "code": other.seal_code}})
    unknown = services.verify(licence_data, {**signed, "seal": {**signed["seal"], "code": "X" * 20}})
    assert (another.ok, another.code) == (False, "seal.bad_signature")
    assert (unknown.ok, unknown.code) == (False, "seal.unknown")


def test_a_signature_of_a_seal_revoked_after_signing_is_rejected(world, seal, licence_data, signed):
    before_revocation = timezone.now()
    services.revoke_seal(seal, actor=world.admin, reason="私钥泄露")

    result = services.verify(licence_data, signed)
    assert (result.ok, result.code) == (False, "seal.revoked")
    assert "私钥泄露" in result.reason
    assert services.verify(licence_data, signed, at=before_revocation).ok


def test_a_signature_made_before_a_suspension_stays_valid(world, seal, licence_data, signed):
    services.suspend_seal(seal, actor=world.admin, reason="机构调整")

    result = services.verify(licence_data, signed)
    assert result.ok and "暂停" in result.reason


def test_a_signature_with_the_seal_key_but_no_use_record_is_rejected(seal, licence_data, signed):
    # What someone holding a leaked key would make: cryptographically right, never recorded.
    forged = {**signed, "signer": "holder-of-a-leaked-key"}
    der = crypto.sign(seal.encrypted_private_key, seal.public_key_pem, services.signed_message(forged))
    forged["signature"] = base64.b64encode(der).decode()

    result = services.verify(licence_data, forged)
    assert (result.ok, result.code) == (False, "seal.unrecorded")


def test_the_signing_time_must_lie_in_the_validity_and_not_ahead(world, seal, licence_data, signed):
    Seal.objects.filter(pk=seal.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert services.verify(licence_data, signed).code == "seal.expired"
    Seal.objects.filter(pk=seal.pk).update(valid_from=timezone.localdate() + dt.timedelta(days=1),
                                           valid_until=timezone.localdate() + dt.timedelta(days=9))
    assert services.verify(licence_data, signed).code == "seal.not_yet_valid"
    Seal.objects.filter(pk=seal.pk).update(valid_from=timezone.localdate() - dt.timedelta(days=9))
    assert services.verify(licence_data, signed, at=timezone.now() - dt.timedelta(hours=1)).code == (
        "seal.signed_in_future")


@pytest.mark.parametrize("change", [
    lambda s: "not a dict",
    lambda s: {k: v for k, v in s.items() if k != "data_hash"},
    lambda s: {**s, "extra": "unsigned"},
    lambda s: {**s, "version": 2},
    lambda s: {**s, "version": True},
    lambda s: {**s, "algorithm": "SHA256withECDSA"},
    lambda s: {**s, "user_id": "31323334"},
    lambda s: {**s, "signed_at": "yesterday"},
    lambda s: {**s, "signed_at": "2026-09-29T10:00:00"},
    lambda s: {**s, "signature": "不是base64"},
    lambda s: {**s, "data_hash": "ABC"},
    lambda s: {**s, "seal": {"code": s["seal"]["code"]}},
])
def test_a_malformed_structure_is_rejected_with_a_reason(licence_data, signed, change):
    result = services.verify(licence_data, change(signed))

    assert (result.ok, result.code) == (False, "seal.malformed")
    assert result.reason.startswith("签章格式不正确")


def test_data_that_cannot_be_canonical_is_reported(signed):
    assert services.verify({"area": 12.5}, signed).code == "seal.data_not_canonical"


def test_public_keys_list_every_seal_with_status_and_never_a_private_key(world, seal):
    services.revoke_seal(world.seal(name="旧章", kind="official"), actor=world.admin, reason="换章")

    keys = services.public_keys()
    assert [(k["seal_code"], k["status"]) for k in keys] == [(seal.seal_code, "active"),
                                                            (world.market.uscc + "02", "revoked")]
    assert keys[0]["public_key_pem"] == seal.public_key_pem
    assert keys[0]["valid_until"] == seal.valid_until.isoformat()
    assert "PRIVATE" not in json.dumps(keys) and "encrypted_private_key" not in keys[0]


# --- a renamed department, a new USCC ------------------------------------------------------------


def test_a_seal_keeps_the_department_name_and_uscc_it_was_made_with(world, seal, licence_data):
    made_with, code_made_with = world.market.name, world.market.uscc
    before = services.sign(seal, licence_data, actor=world.certifier, purpose="签发证照")
    world.market.name = "吉林省市场监督管理厅"
    world.market.uscc = "11220000MB0000002Y"
    world.market.save()
    seal = Seal.objects.get(pk=seal.pk)

    after = services.sign(seal, licence_data, actor=world.certifier, purpose="签发证照")

    assert (seal.department_name, seal.department_uscc) == (made_with, code_made_with)
    assert before["seal"] == after["seal"]
    assert after["seal"]["department"] == made_with
    assert after["seal"]["department_uscc"] == code_made_with != world.market.uscc
    for signature in (before, after):
        assert services.verify(licence_data, signature).ok
    (key,) = services.public_keys()
    assert (key["department"], key["department_uscc"]) == (made_with, code_made_with)
    assert {"code": key["seal_code"], **{f: key[f] for f in ("name", "department",
                                                             "department_uscc", "kind")}
            } == after["seal"]


def test_a_valid_signature_names_the_seal_once_and_never_the_signers_account(world, seal):
    signature = services.sign(seal, {"a": 1}, actor=world.certifier, purpose="签发证照")
    check = services.verify({"a": 1}, signature)
    assert check.reason.startswith("签章有效：吉林省市场监督管理局电子证照专用章于 ")
    assert "certifier" not in check.reason


def test_a_seal_named_before_the_rule_keeps_its_name_without_repeating_the_department(world, seal):
    Seal.objects.filter(pk=seal.pk).update(name="吉林省市场监督管理局电子证照专用章")
    seal.refresh_from_db()
    assert (seal.short_name, seal.full_name) == ("电子证照专用章", "吉林省市场监督管理局电子证照专用章")
