"""SM3withSM2 as OpenSSL does it, both ways, and private keys sealed at rest."""

import base64
import hashlib
import subprocess

import pytest

from tests.seals.openssl_fixture import (
    DISTID,
    OPENSSL,
    OPENSSL_MESSAGE,
    OPENSSL_PUBLIC_KEY,
    OPENSSL_SIGNATURE,
    P256_PUBLIC_KEY,
    needs_openssl,
)
from yiwang.seals import crypto, services
from yiwang.seals.errors import SealKeyUnavailable
from yiwang.seals.models import Seal


def flipped(data: bytes, index: int = -1) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def openssl_verify(tmp_path, public_pem: str, message: bytes, signature: bytes) -> str:
    (tmp_path / "pub.pem").write_text(public_pem)
    (tmp_path / "msg.bin").write_bytes(message)
    (tmp_path / "sig.der").write_bytes(signature)
    result = subprocess.run(
        [OPENSSL, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-in", "msg.bin",
         "-sigfile", "sig.der", "-rawin", "-digest", "sm3", "-pkeyopt", DISTID],
        cwd=tmp_path, capture_output=True, text=True)
    return result.stdout + result.stderr


@needs_openssl
def test_openssl_verifies_a_signature_made_by_the_service(tmp_path, seal, world, licence_data):
    signature = services.sign(seal, licence_data, actor=world.certifier, purpose="核发食品经营许可证")
    message, der = services.signed_message(signature), base64.b64decode(signature["signature"])

    assert "Signature Verified Successfully" in openssl_verify(tmp_path, seal.public_key_pem, message, der)
    assert "Signature Verification Failure" in openssl_verify(
        tmp_path, seal.public_key_pem, flipped(message), der)
    assert "Signature Verified Successfully" not in openssl_verify(
        tmp_path, seal.public_key_pem, message, flipped(der, 10))


@needs_openssl
def test_a_signature_made_by_openssl_verifies_here(tmp_path):
    run = lambda *args: subprocess.run([OPENSSL, *args], cwd=tmp_path, check=True,  # noqa: E731
                                       capture_output=True)
    run("genpkey", "-algorithm", "SM2", "-out", "key.pem")
    run("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem")
    message = "吉林省市场监督管理局 食品经营许可证 JY12201040000001".encode()
    (tmp_path / "msg.bin").write_bytes(message)
    run("pkeyutl", "-sign", "-inkey", "key.pem", "-in", "msg.bin", "-out", "sig.der", "-rawin",
        "-digest", "sm3", "-pkeyopt", DISTID)
    public_pem, der = (tmp_path / "pub.pem").read_text(), (tmp_path / "sig.der").read_bytes()

    assert crypto.verify_with_public_key(public_pem, message, der)
    assert not crypto.verify_with_public_key(public_pem, flipped(message), der)
    assert not crypto.verify_with_public_key(public_pem, message, flipped(der, 10))


def test_a_stored_openssl_signature_verifies_with_the_default_user_id():
    assert crypto.verify_with_public_key(OPENSSL_PUBLIC_KEY, OPENSSL_MESSAGE, OPENSSL_SIGNATURE)
    assert not crypto.verify_with_public_key(OPENSSL_PUBLIC_KEY, OPENSSL_MESSAGE + b" ",
                                             OPENSSL_SIGNATURE)


def test_two_signatures_of_the_same_message_differ(db):
    public_pem, sealed = crypto.generate_key_pair()
    first, second = (crypto.sign(sealed, public_pem, b"same message") for _ in range(2))

    assert first != second  # a random nonce: a repeated one would give away the private key
    assert all(crypto.verify_with_public_key(public_pem, b"same message", s) for s in (first, second))


@pytest.mark.parametrize("garbage", [b"", b"\x30\x00", b"not a signature at all",
                                     b"\x30\x06\x02\x01\x00\x02\x01\x01"])
def test_malformed_signatures_are_rejected_not_raised(garbage):
    assert not crypto.verify_with_public_key(OPENSSL_PUBLIC_KEY, OPENSSL_MESSAGE, garbage)


def test_a_key_that_is_not_sm2_is_refused():
    with pytest.raises(ValueError, match="SM2"):
        crypto.verify_with_public_key(P256_PUBLIC_KEY, OPENSSL_MESSAGE, OPENSSL_SIGNATURE)


@pytest.mark.parametrize("implementation", ["sm3_hex", "_sm3_tongsuo", "_sm3_hashlib"])
def test_sm3_matches_the_standard_test_vectors(implementation):
    if implementation == "_sm3_hashlib" and "sm3" not in hashlib.algorithms_available:
        pytest.skip("Python's OpenSSL has no SM3; sm3_hex uses Tongsuo's")
    sm3 = getattr(crypto, implementation)
    # GB/T 32905-2016, examples 1 and 2
    assert sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_the_private_key_is_stored_encrypted(seal):
    stored = bytes(Seal.objects.get(pk=seal.pk).encrypted_private_key)

    assert b"PRIVATE KEY" not in stored
    assert stored[1:5].hex() == crypto.key_id()
    assert len(stored) > 100


def test_another_settings_key_fails_clearly(seal, world, settings, licence_data):
    settings.SEAL_KEY_ENCRYPTION_KEY = bytes(32)

    with pytest.raises(SealKeyUnavailable) as refused:
        services.sign(seal, licence_data, actor=world.certifier, purpose="核发")
    assert refused.value.status == 503
    assert "另一把密钥" in refused.value.message and crypto.key_id() in refused.value.message


def test_a_key_copied_onto_another_seal_does_not_decrypt(world, seal, licence_data):
    other = world.seal(name="审批专用章", kind="approval")
    Seal.objects.filter(pk=other.pk).update(encrypted_private_key=seal.encrypted_private_key)
    other.refresh_from_db()

    with pytest.raises(SealKeyUnavailable, match="不属于该印章"):
        services.sign(other, licence_data, actor=world.certifier, purpose="核发")
