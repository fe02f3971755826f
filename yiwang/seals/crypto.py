"""SM2 signatures (GB/T 32918, SM3withSM2), SM3 digests, and private keys sealed at rest. The only
module that touches the SM2 library; a decrypted private key never leaves a function here.

The library is tongsuopy (pinned in requirements.lock), the Tongsuo project's cffi binding of
Tongsuo, the OpenSSL fork that carries the Chinese algorithms, with ``cryptography``'s hazmat API.
Measured on this machine at about 3,900 signatures and 4,500 verifications a second against
``openssl speed sm2``'s 4,200 and 4,550; the nonce comes from Tongsuo's random generator (two
signatures of one message differ, tested). Pure-Python SM2 packages are some 20× slower, and some
derive the nonce deterministically by default.

Its binding cannot set the SM2 distinguishing id (it exposes no ``EVP_PKEY_CTX_set1_id``); Tongsuo
then computes Z with the GM/T 0009 default id ``1234567812345678``, which is the only id our
signatures use. The tests prove it both ways against ``openssl pkeyutl … -pkeyopt
distid:1234567812345678`` and with a signature OpenSSL made, so an upgrade that changed the default
would fail them. Calling the host's libcrypto through cffi would let us name the id, but would tie
the service to whatever OpenSSL each machine ships, for the same bytes.

A private key is stored as ``01 | key id (4) | nonce (12) | AES-256-GCM(PKCS#8 DER)``, with the
seal's public key PEM as associated data, so a key copied onto another seal's row does not
decrypt. AES-GCM comes from ``cryptography``, so keys at rest do not depend on the SM2 library.
Error reports hide the local variables of the functions that hold a decrypted key.
"""

from __future__ import annotations

import functools
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.exceptions import InternalError, InvalidSignature, UnsupportedAlgorithm

from .errors import SealKeyUnavailable

ALGORITHM = "SM3withSM2"
USER_ID = "1234567812345678"  # GM/T 0009 default, the id DESIGN.md names for every seal
_SM2_ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
_FORMAT = b"\x01"
_NONCE_BYTES = 12
_KEY_ID_BYTES = 4


def _sm3_tongsuo(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _sm3_hashlib(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


# The same digest either way; hashlib's (where Python's OpenSSL has SM3) skips a cffi round trip
# and is some five times faster, which shows when every verification hashes three times.
sm3_hex = _sm3_hashlib if "sm3" in hashlib.algorithms_available else _sm3_tongsuo


def key_id(kek: bytes | None = None) -> str:
    """A short public tag of a key-encryption key (the settings' one by default), stored with each
    sealed key so that a wrong key is told apart from a damaged record."""
    kek = settings.SEAL_KEY_ENCRYPTION_KEY if kek is None else kek
    return hashlib.sha256(b"yiwang seal key id\x00" + kek).digest()[:_KEY_ID_BYTES].hex()


@sensitive_variables()
def generate_key_pair() -> tuple[str, bytes]:
    """A new SM2 key pair: (public key as SubjectPublicKeyInfo PEM, sealed private key)."""
    private = ec.generate_private_key(ec.SM2())
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    plain = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    kek = settings.SEAL_KEY_ENCRYPTION_KEY
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(kek).encrypt(nonce, plain, public_pem.encode("ascii"))
    return public_pem, _FORMAT + bytes.fromhex(key_id(kek)) + nonce + sealed


def sign(sealed_key: bytes, public_pem: str, message: bytes) -> bytes:
    """SM3withSM2 signature (DER) of ``message`` with the sealed private key that belongs to
    ``public_pem``. Raises SealKeyUnavailable when the key cannot be decrypted."""
    return sign_all(sealed_key, public_pem, [message])[0]


@sensitive_variables()
def sign_all(sealed_key: bytes, public_pem: str, messages: list[bytes]) -> list[bytes]:
    """The signatures of ``messages``, in order, with the key decrypted once for all of them."""
    private = serialization.load_der_private_key(_unseal(bytes(sealed_key), public_pem), None)
    algorithm = ec.ECDSA(hashes.SM3())
    return [private.sign(message, algorithm) for message in messages]


def verify_with_public_key(pem: str | bytes, message: bytes, der_sig: bytes) -> bool:
    """Whether ``der_sig`` is a valid SM3withSM2 signature of ``message`` by the SM2 public key
    ``pem`` (SubjectPublicKeyInfo), Z computed with the default user id. Anything but a strict DER
    SEQUENCE of two integers in [1, n-1] is a bad signature; a PEM that is not an SM2 public key
    raises ValueError."""
    public = _public_key(pem if isinstance(pem, str) else pem.decode("ascii"))
    try:
        r, s = decode_dss_signature(bytes(der_sig))
    except ValueError:
        return False
    if not (0 < r < _SM2_ORDER and 0 < s < _SM2_ORDER):
        return False
    try:
        public.verify(bytes(der_sig), message, ec.ECDSA(hashes.SM3()))
    except (InvalidSignature, InternalError):
        return False
    return True


@functools.lru_cache(maxsize=1024)
def _public_key(pem: str):
    # Public keys are public: caching the parsed ones costs nothing in secrecy and saves a parse
    # per verification.
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, UnsupportedAlgorithm) as exc:
        raise ValueError("Not an SM2 public key (PEM)") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "SM2":
        raise ValueError("Not an SM2 public key")
    return key


@sensitive_variables()
def _unseal(sealed: bytes, public_pem: str) -> bytes:
    header = len(_FORMAT) + _KEY_ID_BYTES
    if len(sealed) <= header + _NONCE_BYTES or not sealed.startswith(_FORMAT):
        raise SealKeyUnavailable("印章私钥记录已损坏（格式无法识别），无法用印，请联系系统管理员")
    stored_id, current_id = sealed[1:header].hex(), key_id()
    if stored_id != current_id:
        raise SealKeyUnavailable(
            f"印章私钥由另一把密钥加密（密钥标识 {stored_id}），与当前配置的 YIWANG_SEAL_KEY"
            f"（标识 {current_id}）不符，无法解密，请联系系统管理员",
            details={"key_id": stored_id, "configured_key_id": current_id})
    nonce, ciphertext = sealed[header:header + _NONCE_BYTES], sealed[header + _NONCE_BYTES:]
    try:
        return AESGCM(settings.SEAL_KEY_ENCRYPTION_KEY).decrypt(nonce, ciphertext,
                                                                public_pem.encode("ascii"))
    except InvalidTag as exc:
        raise SealKeyUnavailable("印章私钥记录已损坏或不属于该印章，无法解密，请联系系统管理员") from exc
