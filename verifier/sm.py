"""SM3 digests and SM3withSM2 signature checks (GB/T 32905, GB/T 32918) for the verifier, with
whatever the machine has: nothing here needs the platform.

- SM3: ``hashlib`` where Python's OpenSSL has it (OpenSSL 1.1.1 and later builds it in; about
  11 µs for a 450-byte audit record here), else tongsuopy (24 µs), else a plain-Python
  implementation (6.5 ms: some 150 records a second, but it runs anywhere).
- SM2: tongsuopy (the library the platform signs with) if it can be imported, else the
  ``openssl`` command (1.1.1 or later), told the GM/T 0009 default user id
  ``1234567812345678`` with ``-pkeyopt distid:``, which every platform signature uses.

Both backends see the same strict check of the DER signature first (a SEQUENCE of two positive
INTEGERs below the curve order, nothing after it), so they accept exactly the same signatures.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

USER_ID = "1234567812345678"
_SM2_ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123

try:  # optional: the verifier must run without it
    from tongsuopy.crypto import hashes as _ts_hashes
    from tongsuopy.crypto import serialization as _ts_serialization
    from tongsuopy.crypto.asymciphers import ec as _ts_ec
    from tongsuopy.crypto.exceptions import InternalError as _TsInternalError
    from tongsuopy.crypto.exceptions import InvalidSignature as _TsInvalidSignature
    from tongsuopy.crypto.exceptions import UnsupportedAlgorithm as _TsUnsupportedAlgorithm
except ImportError:
    _ts_ec = None


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of ``data`` as 64 lower-case hex digits."""
    return _sm3(data)


def verify_sm2(public_pem: str, message: bytes, der_signature: bytes) -> bool:
    """Whether ``der_signature`` is a valid SM3withSM2 signature of ``message`` by the SM2 public
    key ``public_pem`` (SubjectPublicKeyInfo PEM), Z computed with the default user id. A malformed
    signature is False; a PEM that is not an SM2 public key raises ValueError."""
    if not _strict_der(bytes(der_signature)):
        return False
    if _ts_ec is not None:
        return _verify_tongsuopy(public_pem, message, bytes(der_signature))
    return _verify_openssl(public_pem, message, bytes(der_signature))


def backend() -> str:
    """Which SM2 implementation ``verify_sm2`` uses here, for the verifier's report."""
    return "tongsuopy" if _ts_ec is not None else "openssl"


# --- SM3 -------------------------------------------------------------------------------------------


def _sm3_python(data: bytes) -> str:
    """SM3 as GB/T 32905-2016 defines it, for a Python whose OpenSSL lacks it."""
    mask = 0xFFFFFFFF

    def rotl(x: int, n: int) -> int:
        n %= 32
        return ((x << n) | (x >> (32 - n))) & mask

    state = [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600,
             0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E]
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + (len(data) * 8).to_bytes(8, "big")
    for offset in range(0, len(padded), 64):
        w = [int.from_bytes(padded[offset + 4 * i:offset + 4 * i + 4], "big") for i in range(16)]
        for j in range(16, 68):
            x = w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)
            w.append((x ^ rotl(x, 15) ^ rotl(x, 23)) ^ rotl(w[j - 13], 7) ^ w[j - 6])
        w1 = [w[j] ^ w[j + 4] for j in range(64)]
        a, b, c, d, e, f, g, h = state
        for j in range(64):
            t = 0x79CC4519 if j < 16 else 0x7A879D8A
            ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) & mask, 7)
            ss2 = ss1 ^ rotl(a, 12)
            if j < 16:
                ff, gg = a ^ b ^ c, e ^ f ^ g
            else:
                ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
            tt1 = (ff + d + ss2 + w1[j]) & mask
            tt2 = (gg + h + ss1 + w[j]) & mask
            a, b, c, d = tt1, a, rotl(b, 9), c
            e, f, g, h = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17), e, rotl(f, 19), g
        state = [x ^ y for x, y in zip(state, (a, b, c, d, e, f, g, h), strict=True)]
    return b"".join(x.to_bytes(4, "big") for x in state).hex()


def _sm3_tongsuopy(data: bytes) -> str:
    digest = _ts_hashes.Hash(_ts_hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _sm3_hashlib(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


if "sm3" in hashlib.algorithms_available:
    _sm3 = _sm3_hashlib
elif _ts_ec is not None:
    _sm3 = _sm3_tongsuopy
else:
    _sm3 = _sm3_python


# --- SM2 -------------------------------------------------------------------------------------------


def _strict_der(der: bytes) -> bool:
    """Whether ``der`` is exactly ``SEQUENCE { INTEGER r, INTEGER s }`` in DER with r and s in
    [1, n-1]: the form OpenSSL and tongsuopy write. Checked here so that both backends refuse
    the same odd encodings."""
    if len(der) < 8 or der[0] != 0x30 or der[1] >= 0x80 or der[1] != len(der) - 2:
        return False
    position = 2
    for _ in range(2):
        if position + 2 > len(der) or der[position] != 0x02:
            return False
        length = der[position + 1]
        value = der[position + 2:position + 2 + length]
        if length == 0 or length >= 0x80 or len(value) != length:
            return False
        if value[0] & 0x80 or (length > 1 and value[0] == 0 and not value[1] & 0x80):
            return False  # negative, or not the shortest form
        if not 0 < int.from_bytes(value, "big") < _SM2_ORDER:
            return False
        position += 2 + length
    return position == len(der)


def _verify_tongsuopy(public_pem: str, message: bytes, der: bytes) -> bool:
    # tongsuopy computes Z with the GM/T 0009 default id (it cannot be told another), the id the
    # platform signs with; the tests prove it against OpenSSL's distid.
    public = _tongsuopy_key(public_pem)
    try:
        public.verify(der, message, _ts_ec.ECDSA(_ts_hashes.SM3()))
    except (_TsInvalidSignature, _TsInternalError):
        return False
    return True


@functools.lru_cache(maxsize=16)
def _tongsuopy_key(public_pem: str):
    try:
        key = _ts_serialization.load_pem_public_key(public_pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, _TsUnsupportedAlgorithm) as exc:
        raise ValueError("不是 SM2 公钥（PEM）") from exc
    if not isinstance(key, _ts_ec.EllipticCurvePublicKey) or key.curve.name != "SM2":
        raise ValueError("不是 SM2 公钥")
    return key


def _openssl() -> str:
    path = shutil.which("openssl")
    if path is None:
        raise RuntimeError("验证 SM2 签名需要 tongsuopy 或 openssl 命令（1.1.1 及以上），两者都没有找到")
    return path


def _verify_openssl(public_pem: str, message: bytes, der: bytes) -> bool:
    with tempfile.TemporaryDirectory(prefix="yiwang-verify-") as folder:
        work = Path(folder)
        (work / "pub.pem").write_text(public_pem, encoding="ascii")
        _check_openssl_key(public_pem, work / "pub.pem")
        (work / "msg.bin").write_bytes(message)
        (work / "sig.der").write_bytes(der)
        # A fixed argument list, no shell; the inputs are files in a private temporary folder.
        result = subprocess.run(  # noqa: S603
            [_openssl(), "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
             "-digest", "sm3", "-pkeyopt", f"distid:{USER_ID}", "-in", "msg.bin",
             "-sigfile", "sig.der"],
            cwd=work, capture_output=True, text=True, check=False)
    return result.returncode == 0 and "Signature Verified Successfully" in result.stdout


_checked_keys: set[str] = set()


def _check_openssl_key(public_pem: str, path: Path) -> None:
    """Refuse a key that is not on the SM2 curve, as the tongsuopy path does, once per key."""
    if public_pem in _checked_keys:
        return
    command = [_openssl(), "pkey", "-pubin", "-in", str(path), "-noout", "-text"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ValueError("不是 SM2 公钥（PEM）")
    if "ASN1 OID: SM2" not in result.stdout:
        raise ValueError("不是 SM2 公钥")
    _checked_keys.add(public_pem)
