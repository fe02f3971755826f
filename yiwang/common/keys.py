"""Key files made on first use in development (never in the repo), and the strength test a
production secret key must pass."""

from __future__ import annotations

import math
import zlib
from collections import Counter
from pathlib import Path

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
