"""Key material from the environment, key files made on first use in development (never in
the repo), and the strength test a production secret key must pass."""

from __future__ import annotations

import base64
import binascii
import math
import re
import zlib
from collections import Counter
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_KEY_ID = re.compile(r"[A-Za-z0-9-]{1,16}")
# The development default in settings: a production site that copied it signs sessions, password
# reset links and SMS-code hashes with a key everyone can read in the repository.
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50
# An upper bound of what the key holds: its characters' Shannon entropy times its length. Fifty
# random hex digits measure ≈ 185 bits, `secrets.token_urlsafe(64)` ≈ 400; "a1a1…" 80.
SECRET_KEY_MIN_BITS = 128
_PLACEHOLDERS = ("changeme", "change-me", "change_me", "replace", "secret", "password",
                 "example", "insecure", "placeholder", "dev-only", "xxxxx", "12345")


def secret_key_weakness(key: str) -> str | None:
    """Why ``key`` is unfit to be a production SECRET_KEY, or None: shorter than 50 characters,
    the development default, a placeholder word, too few bits (see SECRET_KEY_MIN_BITS) or a
    repeated pattern (zlib shrinks it by more than a tenth; random text does not shrink).
    Django's ``check --deploy`` (security.W009) only warns below 50 characters or 5 distinct
    ones; a production site refuses to start instead."""
    if key == DEV_SECRET_KEY:
        return "it is the development default published in the repository"
    lowered = key.lower()
    for word in _PLACEHOLDERS:
        if word in lowered:
            return f"it contains the placeholder text {word!r}"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
    bits = -sum(n * math.log2(n / len(key)) for n in Counter(key).values())
    if bits < SECRET_KEY_MIN_BITS:
        return f"it has too little variety (about {bits:.0f} bits, fewer than {SECRET_KEY_MIN_BITS})"
    if len(zlib.compress(key.encode(), 9)) < 0.9 * len(key.encode()):
        return "it repeats a pattern"
    return None


def ensure_rsa_key(path: Path) -> Path:
    """Write a new 2048-bit RSA private key (PKCS#8 PEM, mode 600) to ``path`` unless one is there."""
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        path.chmod(0o600)
    return path


def parse_personal_data_keys(current: str, old: str = "") -> tuple[str, dict[str, bytes]]:
    """The SM4 keys of personal data at rest from ``YIWANG_PII_KEY`` (``id:base64``, the key new
    values are encrypted under) and ``YIWANG_PII_OLD_KEYS`` (the same, comma-separated: keys that
    still decrypt until ``rotate_personal_data_key`` has re-encrypted everything). Returns the
    current key id and every key by id."""
    keys: dict[str, bytes] = {}
    current_id = ""
    for position, entry in enumerate([current, *old.split(",")]):
        entry = entry.strip()
        if not entry:
            continue
        key_id, colon, encoded = entry.partition(":")
        if not colon or not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured("A personal-data key reads <key id>:<base64 key>; the key id "
                                       "is 1–16 letters, digits or '-'.")
        key = _decode_key(encoded, 16, "YIWANG_PII_KEY / YIWANG_PII_OLD_KEYS")
        if key_id in keys and keys[key_id] != key:
            raise ImproperlyConfigured(f"Personal-data key id {key_id!r} names two keys.")
        keys[key_id] = key
        if position == 0:
            current_id = key_id
    return current_id, keys


def parse_index_keys(current: str, old: str = "") -> list[bytes]:
    """The SM3-HMAC keys of the blind index from ``YIWANG_PII_INDEX_KEY`` (base64, 32 bytes) and
    ``YIWANG_PII_OLD_INDEX_KEYS`` (comma-separated), the current one first: look-ups match any of
    them until the rotation command has re-indexed every row."""
    return [_decode_key(part.strip(), 32, "YIWANG_PII_INDEX_KEY / YIWANG_PII_OLD_INDEX_KEYS")
            for part in [current, *old.split(",")] if part.strip()]


def _decode_key(encoded: str, size: int, where: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != size:
        raise ImproperlyConfigured(f"{where}: each key must be {size} bytes in base64 "
                                   f"(openssl rand -base64 {size}).")
    return key
