"""Key files made on first use in development (never in the repo)."""

from __future__ import annotations

from pathlib import Path


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
