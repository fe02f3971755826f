"""个人信息加密存储: ID numbers, mobile numbers and addresses are stored encrypted with SM4-GCM
(GB/T 32907 in the GCM mode of RFC 8998), and found by a keyed SM3-HMAC blind index (GB/T 32905).

A stored value reads ``sm4gcm:<key id>:<base64url(nonce 12 | ciphertext | tag 16)>``. The key id
names which of ``settings.PERSONAL_DATA_KEYS`` encrypted it, so keys rotate: new values use
``PERSONAL_DATA_KEY_ID``, old ones decrypt under their own key until ``manage.py
rotate_personal_data_key`` has re-encrypted them. The associated data is the key id and the
column (``accounts.citizen.id_number``), so a ciphertext copied into another column does not
decrypt. A nonce is random per value (96 bits; at 2^32 values per key the collision chance stays
below 2^-32, and keys rotate long before).

The blind index is HMAC-SM3 of the normalised value under ``PERSONAL_DATA_INDEX_KEYS[0]``, a key
of its own, so a leaked index key reveals no plaintext and a leaked SM4 key cannot forge an index.
Look-ups compute it under every configured index key, so re-indexing after an index-key change
can run while the site serves. The index is deterministic on purpose (equal numbers give equal
digests, which is what makes look-ups and uniqueness work); it says nothing else about a value.

SM4 comes from tongsuopy (Tongsuo's binding, pinned in requirements.lock); HMAC-SM3 from Python's
``hmac`` over OpenSSL's SM3 where this Python has it (a C loop), else over Tongsuo's SM3.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable

from django.conf import settings
from tongsuopy.crypto import hashes
from tongsuopy.crypto.ciphers import Cipher, algorithms, modes
from tongsuopy.crypto.exceptions import InvalidTag

SCHEME = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16


class PersonalDataError(Exception):
    """A stored personal value that cannot be read: damaged or altered (``personal_data.tampered``),
    encrypted under a key this site does not hold (``personal_data.unknown_key``), or not a
    ciphertext at all (``personal_data.malformed``). A server-side fault, never shown to users;
    the message names the column, never the value."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def _normalise_id_number(value: str) -> str:
    # 居民身份证号 and USCC are compared in upper case: 2201…x and 2201…X are one number.
    return value.strip().upper()


def _normalise_mobile(value: str) -> str:
    return value.strip().replace(" ", "").replace("-", "")


def _normalise_contact(value: str) -> str:
    # A mobile number or an e-mail address, as a message was sent to it.
    return value.strip().lower()


NORMALISERS: dict[str, Callable[[str], str]] = {
    "id_number": _normalise_id_number,
    "mobile": _normalise_mobile,
    "contact": _normalise_contact,
}


def encrypt(plain: str, context: str, *, key_id: str | None = None) -> str:
    """SM4-GCM ciphertext of ``plain`` for column ``context`` under the current key (or
    ``key_id``)."""
    key_id = key_id or settings.PERSONAL_DATA_KEY_ID
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_key(key_id, context)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_associated_data(key_id, context))
    sealed = encryptor.update(plain.encode("utf-8")) + encryptor.finalize() + encryptor.tag
    return f"{SCHEME}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str, context: str) -> str:
    """The plaintext of a value stored in column ``context``; raises PersonalDataError rather
    than return anything that the tag does not vouch for."""
    key_id, raw = _parse(token, context)
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise PersonalDataError(f"{context}: 密文长度不正确", code="personal_data.malformed")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key(key_id, context)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_associated_data(key_id, context))
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise PersonalDataError(f"{context}: 密文校验失败（数据被篡改或不属于该字段）",
                                code="personal_data.tampered") from None
    return plain.decode("utf-8")


def key_id_of(token: str) -> str:
    """The id of the key a stored value is encrypted under ('' for an empty value)."""
    return _parse(token, "")[0] if token else ""


def is_ciphertext(value: str) -> bool:
    return value.startswith(SCHEME + ":")


def blind_index(value: str, normalise: str, *, key: bytes | None = None) -> str:
    """HMAC-SM3 (hex) of the normalised value under the current index key; '' for an empty
    value, so blank columns never share a digest with a real one."""
    value = NORMALISERS[normalise](value or "")
    if not value:
        return ""
    return _hmac_sm3(key or settings.PERSONAL_DATA_INDEX_KEYS[0], value.encode("utf-8"))


def index_candidates(value: str, normalise: str) -> list[str]:
    """The digests a stored row may carry for ``value``: under the current index key and under
    any old one a re-indexing has not yet replaced."""
    return list(dict.fromkeys(blind_index(value, normalise, key=key)
                              for key in settings.PERSONAL_DATA_INDEX_KEYS))


def _parse(token: str, context: str) -> tuple[str, bytes]:
    scheme, _, rest = token.partition(":")
    key_id, _, encoded = rest.partition(":")
    if scheme != SCHEME or not key_id or not encoded:
        raise PersonalDataError(f"{context}: 不是加密存储的值", code="personal_data.malformed")
    try:
        return key_id, base64.urlsafe_b64decode(encoded)
    except (binascii.Error, ValueError):
        raise PersonalDataError(f"{context}: 密文编码不正确", code="personal_data.malformed") from None


def _key(key_id: str, context: str) -> bytes:
    try:
        return settings.PERSONAL_DATA_KEYS[key_id]
    except KeyError:
        raise PersonalDataError(
            f"{context}: 密钥“{key_id}”未配置（YIWANG_PII_KEY / YIWANG_PII_OLD_KEYS）",
            code="personal_data.unknown_key") from None


def _associated_data(key_id: str, context: str) -> bytes:
    return f"{SCHEME}:{key_id}:{context}".encode()


def _hmac_sm3_tongsuo(key: bytes, message: bytes) -> str:
    # RFC 2104 over Tongsuo's SM3, for a Python whose OpenSSL lacks SM3.
    block = 64
    key = key.ljust(block, b"\0")

    def sm3(data: bytes) -> bytes:
        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize()

    inner = sm3(bytes(b ^ 0x36 for b in key) + message)
    return sm3(bytes(b ^ 0x5C for b in key) + inner).hex()


def _hmac_sm3_hashlib(key: bytes, message: bytes) -> str:
    return hmac.digest(key, message, "sm3").hex()


_hmac_sm3 = _hmac_sm3_hashlib if "sm3" in hashlib.algorithms_available else _hmac_sm3_tongsuo
