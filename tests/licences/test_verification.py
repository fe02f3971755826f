"""Verification by identifier and by QR payload, through the service, the public page and the
API, and offline with the published keys: each bad input is rejected with its reason."""

import base64
import importlib
import json

import pytest
from django.apps import apps

from tests.factories import make_uscc
from yiwang.common.errors import NotFound, ValidationError
from yiwang.licences import services
from yiwang.licences.identifiers import check_character
from yiwang.licences.models import Licence
from yiwang.seals import crypto
from yiwang.seals import services as seals
from yiwang.seals.models import Seal


@pytest.fixture
def licence(sealed):
    return sealed.licence()


def _payload_fields(licence) -> dict:
    text = services.qr_payload(licence)
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def _encode(fields: dict) -> str:
    return base64.urlsafe_b64encode(seals.canonical_bytes(fields)).decode().rstrip("=")


def _wrong_check(identifier: str) -> str:
    return identifier[:-1] + ("0" if identifier[-1] != "0" else "1")


def test_a_valid_licence_verifies_by_identifier_and_by_payload(licence):
    for check in (services.verify_licence(licence.identifier),
                  services.verify_payload(services.qr_payload(licence))):
        assert (check.ok, check.code) == (True, "licence.valid")
        assert "证照真实有效" in check.reason


def test_tampered_data_is_detected(licence):
    Licence.objects.filter(pk=licence.pk).update(data={**licence.data, "shop_name": "别家饭店"})
    check = services.verify_licence(licence.identifier)
    assert (check.ok, check.code) == (False, "licence.tampered")
    assert "被改动过" in check.reason


def test_a_signature_by_a_revoked_seal_is_rejected(sealed, licence):
    seals.revoke_seal(Seal.objects.get(), actor=sealed.market_admin, reason="私钥泄露")
    for check in (services.verify_licence(licence.identifier),
                  services.verify_payload(services.qr_payload(licence))):
        assert (check.ok, check.code) == (False, "licence.seal_revoked")
        assert "私钥泄露" in check.reason


def test_an_expired_licence_is_rejected(licence, later):
    later(6 * 366)
    check = services.verify_licence(licence.identifier)
    assert (check.ok, check.code) == (False, "licence.expired")
    assert "到期" in check.reason


def test_a_revoked_and_a_suspended_licence_say_why(sealed, licence):
    services.suspend_licence(licence, actor=sealed.certifier, reason="停业整顿")
    check = services.verify_licence(licence.identifier)
    assert (check.code, "停业整顿" in check.reason) == ("licence.suspended", True)
    services.revoke_licence(licence, actor=sealed.certifier, reason="以欺骗手段取得")
    assert services.verify_licence(licence.identifier).code == "licence.revoked"


def test_a_wrong_check_character_is_refused(licence):
    with pytest.raises(ValidationError) as exc:
        services.verify_licence(_wrong_check(licence.identifier))
    assert exc.value.code == "licence.bad_check"
    assert licence.identifier[-1] in exc.value.message


def test_an_identifier_never_issued_is_not_found(licence):
    body = licence.identifier.rsplit(".", 1)[0].replace(".000001.", ".000099.")
    with pytest.raises(NotFound):
        services.verify_licence(f"{body}.{check_character(body)}")


def test_a_forged_payload_is_rejected(licence):
    fields = _payload_fields(licence)
    forged = _encode({**fields, "valid_until": "2099-12-31"})
    check = services.verify_payload(forged)
    assert (check.ok, check.code) == (False, "licence.payload_forged")
    other_sig = _encode({**fields, "sig": base64.b64encode(b"\x30\x06\x02\x01\x01\x02\x01\x01").decode()})
    assert services.verify_payload(other_sig).code == "licence.payload_forged"
    assert services.verify_payload(_encode({**fields, "seal": "X" * 20})).code == "licence.payload_forged"


# The last one is base64url of {"id":"x"}: JSON, but not the payload's fields.
@pytest.mark.parametrize("text", ["", "not base64!", "eyJpZCI6IngifQ"])
def test_an_unreadable_payload_is_refused(licence, text):
    with pytest.raises(ValidationError) as exc:
        services.verify_payload(text)
    assert exc.value.code == "licence.payload_malformed"


def test_the_qr_payload_verifies_offline_with_the_published_key(client, licence):
    keys = client.get("/.well-known/yiwang-seal-keys.json").json()["keys"]
    assert _offline_check(keys, services.qr_payload(licence))
    tampered = _encode({**_payload_fields(licence), "holder": "别人"})
    assert not _offline_check(keys, tampered)


# --- the page and the API ---------------------------------------------------------------------------


def test_verification_page_by_identifier_and_by_scanned_qr(client, licence):
    page = client.get("/licences/verify/", {"identifier": licence.identifier})
    assert page.status_code == 200 and "验证通过" in page.content.decode()
    scanned = client.get("/licences/verify/", {"payload": services.qr_payload(licence)})
    assert 'data-code="licence.valid"' in scanned.content.decode()
    assert client.get("/licences/verify/").status_code == 200


def test_verification_page_shows_each_reason(client, licence):
    wrong = client.get("/licences/verify/", {"identifier": _wrong_check(licence.identifier)})
    assert wrong.status_code == 400 and "校验位错误" in wrong.content.decode()
    forged = client.get("/licences/verify/", {"payload": _encode(
        {**_payload_fields(licence), "holder": "张三"})})
    assert forged.status_code == 200 and 'data-code="licence.payload_forged"' in forged.content.decode()
    garbage = client.get("/licences/verify/", {"payload": "%%%"})
    assert garbage.status_code == 400 and "二维码内容无法识别" in garbage.content.decode()


def test_api_verify_by_identifier(client, licence):
    answer = client.get("/api/licences/verify", {"identifier": licence.identifier})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["ok"], body["code"], body["issuer"]) == (True, "licence.valid", licence.issuer.name)
    assert licence.holder_id_number not in json.dumps(body, ensure_ascii=False)
    wrong = client.get("/api/licences/verify", {"identifier": _wrong_check(licence.identifier)})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "licence.bad_check")
    assert client.get("/api/licences/verify").status_code == 422


def test_api_verify_payload(client, licence):
    url = f"http://testserver/licences/verify/?payload={services.qr_payload(licence)}"
    answer = client.post("/api/licences/verify-payload", {"payload": url}, content_type="application/json")
    assert (answer.status_code, answer.json()["code"]) == (200, "licence.valid")
    forged = _encode({**_payload_fields(licence), "type": "公共场所卫生许可证"})
    answer = client.post("/api/licences/verify-payload", {"payload": forged},
                         content_type="application/json")
    assert (answer.status_code, answer.json()["ok"], answer.json()["code"]) == (
        200, False, "licence.payload_forged")
    bad = client.post("/api/licences/verify-payload", {"payload": "%%%"}, content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "licence.payload_malformed")


def test_published_keys(client, sealed):
    answer = client.get("/.well-known/yiwang-seal-keys.json")
    assert answer.status_code == 200 and answer["Access-Control-Allow-Origin"] == "*"
    (key,) = answer.json()["keys"]
    assert key["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert "private" not in json.dumps(key).lower()


# --- a renamed department ---------------------------------------------------------------------------


def _offline_check(keys: list[dict], text: str) -> bool:
    """What a verifier outside the platform does, with the published keys and the payload alone."""
    fields = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    key = next(k for k in keys if k["seal_code"] == fields["seal"])
    data = {name: fields[name] for name in ("id", "holder", "type", "valid_until")}
    structure = {"version": 1, "seal": {"code": key["seal_code"], "name": key["name"],
                                        "department": key["department"],
                                        "department_uscc": key["department_uscc"], "kind": key["kind"]},
                 "signer": fields["signer"], "signed_at": fields["signed_at"],
                 "algorithm": key["algorithm"], "user_id": key["user_id"],
                 "data_hash": crypto.sm3_hex(seals.canonical_bytes(data))}
    return crypto.verify_with_public_key(key["public_key_pem"], seals.signed_message(structure),
                                         base64.b64decode(fields["sig"]))


def _rename(department, name: str) -> None:
    department.name = name
    department.save()


def test_a_licence_issued_before_the_department_was_renamed_still_verifies(client, sealed, licence):
    signed_with = sealed.market.name
    _rename(sealed.market, "吉林省市场监督管理厅")
    licence = Licence.objects.get(pk=licence.pk)
    text = services.qr_payload(licence)

    for check in (services.verify_licence(licence.identifier), services.verify_payload(text)):
        assert (check.ok, check.code) == (True, "licence.valid"), check.reason
    page = client.get("/licences/verify/", {"payload": text}).content.decode()
    assert 'data-code="licence.valid"' in page
    # The issuer is shown as the licence names it, not by the department's new name.
    assert f"<dd>{signed_with}</dd>" in page and "吉林省市场监督管理厅" not in page
    answer = client.get("/api/licences/verify", {"identifier": licence.identifier}).json()
    assert answer["issuer"] == signed_with
    keys = client.get("/.well-known/yiwang-seal-keys.json").json()["keys"]
    # The published key names the department as the seal does, as it was at 制发.
    assert [key["department"] for key in keys] == [signed_with]
    assert _offline_check(keys, text)
    assert licence.issuer_name == signed_with


def test_a_forged_payload_still_fails_after_the_rename(client, sealed, licence):
    _rename(sealed.market, "吉林省市场监督管理厅")
    forged = _encode({**_payload_fields(licence), "valid_until": "2099-12-31"})
    check = services.verify_payload(forged)
    assert (check.ok, check.code) == (False, "licence.payload_forged")
    assert not _offline_check(client.get("/.well-known/yiwang-seal-keys.json").json()["keys"], forged)


def test_a_licence_issued_after_the_rename_carries_the_new_issuer_name_and_verifies(client, sealed):
    old = sealed.market.name
    _rename(sealed.market, "吉林省市场监督管理厅")
    licence = sealed.licence()
    assert licence.issuer_name == "吉林省市场监督管理厅"
    # The seal still shows the name it was made with; a new name takes a new seal.
    assert licence.qr_signature["seal"]["department"] == old
    assert services.verify_payload(services.qr_payload(licence)).ok
    assert _offline_check(client.get("/.well-known/yiwang-seal-keys.json").json()["keys"],
                          services.qr_payload(licence))


def test_a_changed_issuer_name_is_detected_as_tampering(licence):
    Licence.objects.filter(pk=licence.pk).update(issuer_name="别的机关")
    assert services.verify_licence(licence.identifier).code == "licence.tampered"


# --- the type's name and the issuer's USCC as signed ---------------------------------------------


def _pages(client, sealed, licence) -> dict[str, str]:
    """Every page that names the licence: verification, the wallet and the workbench."""
    text = services.qr_payload(licence)
    pages = {"verify": client.get("/licences/verify/", {"payload": text}).content.decode()}
    client.force_login(sealed.user)
    pages["wallet"] = client.get("/licences/mine/").content.decode()
    pages["licence"] = client.get(f"/licences/mine/{licence.pk}/").content.decode()
    client.force_login(sealed.certifier)
    pages["workbench list"] = client.get("/workbench/licences/").content.decode()
    pages["workbench licence"] = client.get(f"/workbench/licences/{licence.pk}/").content.decode()
    return pages


def test_a_licence_issued_before_its_type_was_renamed_still_verifies_and_keeps_its_name(
        client, sealed, licence):
    signed_with = sealed.licence_type.name
    sealed.licence_type.name = "食品经营许可证（新版）"
    sealed.licence_type.save()
    licence = Licence.objects.get(pk=licence.pk)
    text = services.qr_payload(licence)

    assert licence.type_name == signed_with and _payload_fields(licence)["type"] == signed_with
    for check in (services.verify_licence(licence.identifier), services.verify_payload(text)):
        assert (check.ok, check.code) == (True, "licence.valid"), check.reason
    assert _offline_check(client.get("/.well-known/yiwang-seal-keys.json").json()["keys"], text)
    answer = client.get("/api/licences/verify", {"identifier": licence.identifier}).json()
    assert (answer["code"], answer["licence_type"]) == ("licence.valid", signed_with)
    pages = _pages(client, sealed, licence)
    assert 'data-code="licence.valid"' in pages["verify"]
    for name, page in pages.items():
        assert signed_with in page and "新版" not in page, name


def test_a_licence_issued_after_the_type_was_renamed_carries_the_new_name(sealed):
    sealed.licence_type.name = "食品经营许可证（新版）"
    sealed.licence_type.save()
    licence = sealed.licence()
    assert licence.type_name == "食品经营许可证（新版）"
    assert services.verify_payload(services.qr_payload(licence)).ok


def test_a_licence_issued_before_the_department_got_a_new_uscc_still_verifies(client, sealed, licence):
    signed_with = sealed.market.uscc
    sealed.market.uscc = make_uscc(999_999)
    sealed.market.save()
    licence = Licence.objects.get(pk=licence.pk)
    text = services.qr_payload(licence)

    assert licence.issuer_uscc == signed_with
    assert services.signed_content(licence)["issuer"]["uscc"] == signed_with
    for check in (services.verify_licence(licence.identifier), services.verify_payload(text)):
        assert (check.ok, check.code) == (True, "licence.valid"), check.reason
    assert _offline_check(client.get("/.well-known/yiwang-seal-keys.json").json()["keys"], text)
    assert client.get("/api/licences/verify", {"identifier": licence.identifier}).json()["ok"]


@pytest.mark.parametrize(("column", "value"), [("type_name", "餐饮服务许可证"),
                                               ("issuer_uscc", make_uscc(999_999))])
def test_a_changed_type_name_or_issuer_uscc_is_detected_as_tampering(licence, column, value):
    printed = services.qr_payload(licence)
    Licence.objects.filter(pk=licence.pk).update(**{column: value})
    for check in (services.verify_licence(licence.identifier), services.verify_payload(printed)):
        assert (check.ok, check.code) == (False, "licence.tampered")


def test_the_data_migration_fills_the_names_and_usccs_as_signed(sealed, licence):
    fill = importlib.import_module("yiwang.licences.migrations.0004_fill_licence_type_name_issuer_uscc")
    Licence.objects.update(type_name="", issuer_uscc="")
    fill.fill(apps, None)
    licence.refresh_from_db()
    assert (licence.type_name, licence.issuer_uscc) == (sealed.licence_type.name, sealed.market.uscc)
    assert services.verify_licence(licence.identifier).ok
