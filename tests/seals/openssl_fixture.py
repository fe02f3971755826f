"""An SM2 key and signature made once with OpenSSL, shared by the seal and verifier tests."""

import base64
import shutil

import pytest

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")
DISTID = "distid:1234567812345678"

# Made once with OpenSSL 3.0: genpkey -algorithm SM2, then pkeyutl -sign -rawin -digest sm3
# -pkeyopt distid:1234567812345678 over MESSAGE. Proves the user id without openssl at hand.
OPENSSL_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEjHiTxMexZtwE4ZIckGMZBYyz7s9w
XaB2X06weWZU8EfHzqtAlzPZ8aO2oZfXGoYOiuqF04qleg9nttORWqMtbw==
-----END PUBLIC KEY-----
"""
OPENSSL_MESSAGE = b'{"data_hash":"fixture","seal":"openssl"}'
OPENSSL_SIGNATURE = base64.b64decode(
    "MEUCIB8CWEGz/ZqluHk0ad01quv8aa5arMZ90XwdO8d7I7SeAiEA9dLXJZiEoXorxHOPaT8yvRxoGshlRJeaMORZwimC5JA=")
P256_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEPfbpkNYsG1HhA8NHZmU0ggju6ys
HpCdcz+kql+KFW6uolvvbDhFPN3E9o62FMY3t+TCiPwl5fIX3jbrJ7KuYw==
-----END PUBLIC KEY-----
"""
