"""The verifier's SM3 and SM2 helpers agree with the platform's and with OpenSSL, on every backend."""

import hashlib
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.seals.openssl_fixture import (
    OPENSSL,
    OPENSSL_MESSAGE,
    OPENSSL_PUBLIC_KEY,
    OPENSSL_SIGNATURE,
    P256_PUBLIC_KEY,
    needs_openssl,
)
from verifier import sm
from yiwang.seals import crypto

BACKENDS = ["tongsuopy", pytest.param("openssl", marks=needs_openssl)]


@pytest.fixture(params=BACKENDS)
def sm2_backend(request, monkeypatch):
    if request.param == "openssl":
        monkeypatch.setattr(sm, "_ts_ec", None)
    assert sm.backend() == request.param
    return request.param


def flipped(data: bytes, index: int = -1) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


# --- SM3 -------------------------------------------------------------------------------------------

# GB/T 32905-2016 appendix A: "abc" and "abcd" sixteen times.
STANDARD_VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize("implementation", [sm._sm3_hashlib, sm._sm3_tongsuopy, sm._sm3_python])
@pytest.mark.parametrize(("data", "digest"), STANDARD_VECTORS)
def test_every_sm3_implementation_gives_the_standard_vectors(implementation, data, digest):
    assert implementation(data) == digest


@given(st.binary(max_size=300))
def test_plain_python_sm3_agrees_with_openssl_at_every_length(data):
    assert sm._sm3_python(data) == hashlib.new("sm3", data).hexdigest() == crypto.sm3_hex(data)


# --- SM2 -------------------------------------------------------------------------------------------


def test_a_signature_openssl_made_verifies(sm2_backend):
    assert sm.verify_sm2(OPENSSL_PUBLIC_KEY, OPENSSL_MESSAGE, OPENSSL_SIGNATURE)
    assert not sm.verify_sm2(OPENSSL_PUBLIC_KEY, OPENSSL_MESSAGE + b" ", OPENSSL_SIGNATURE)
    assert not sm.verify_sm2(OPENSSL_PUBLIC_KEY, OPENSSL_MESSAGE, flipped(OPENSSL_SIGNATURE, 10))


def test_a_signature_the_platform_made_verifies(sm2_backend, settings):
    public_pem, sealed = crypto.generate_key_pair()
    message = "吉林省政务服务和数字化建设管理局 审计检查点".encode()
    der = crypto.sign(sealed, public_pem, message)

    assert sm.verify_sm2(public_pem, message, der)
    assert not sm.verify_sm2(public_pem, flipped(message), der)
    assert not sm.verify_sm2(OPENSSL_PUBLIC_KEY, message, der)  # another key


@pytest.mark.parametrize("garbage", [
    b"", b"\x30\x00", b"not a signature at all",
    b"\x30\x06\x02\x01\x00\x02\x01\x01",  # r = 0
    b"\x30\x06\x02\x01\x01\x02\x01\xff",  # s negative
    b"\x30\x07\x02\x02\x00\x01\x02\x01\x01",  # r not in its shortest form
    OPENSSL_SIGNATURE + b"\x00",  # a byte after the sequence
    OPENSSL_SIGNATURE[:3] + b"\x1f" + OPENSSL_SIGNATURE[4:],  # r's length one short
], ids=["empty", "empty-sequence", "text", "r-zero", "s-negative", "r-padded", "trailing", "r-length"])
def test_malformed_signatures_are_false_on_every_backend(sm2_backend, garbage):
    assert not sm.verify_sm2(OPENSSL_PUBLIC_KEY, OPENSSL_MESSAGE, garbage)


@pytest.mark.parametrize("pem", [P256_PUBLIC_KEY, "not a key"])
def test_a_key_that_is_not_sm2_is_refused_on_every_backend(sm2_backend, pem):
    with pytest.raises(ValueError, match="SM2"):
        sm.verify_sm2(pem, OPENSSL_MESSAGE, OPENSSL_SIGNATURE)


@needs_openssl
def test_the_openssl_command_agrees_on_a_signature_it_made(tmp_path, monkeypatch):
    monkeypatch.setattr(sm, "_ts_ec", None)
    run = lambda *args: subprocess.run([OPENSSL, *args], cwd=tmp_path, check=True,  # noqa: E731
                                       capture_output=True)
    run("genpkey", "-algorithm", "SM2", "-out", "key.pem")
    run("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem")
    (tmp_path / "msg.bin").write_bytes(b"checkpoint")
    run("pkeyutl", "-sign", "-inkey", "key.pem", "-in", "msg.bin", "-out", "sig.der", "-rawin",
        "-digest", "sm3", "-pkeyopt", "distid:1234567812345678")
    public_pem, der = (tmp_path / "pub.pem").read_text(), (tmp_path / "sig.der").read_bytes()

    assert sm.verify_sm2(public_pem, b"checkpoint", der)
    assert not sm.verify_sm2(public_pem, b"checkpoinT", der)
