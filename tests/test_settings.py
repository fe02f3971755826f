import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "q7Vt2LmX9pR4sW8nZ1cK6bH3jD5fG0aYeU-oI_TrQwEzNvBxMs"  # 50 varied characters, test only


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YIWANG_")}
    clean.update(env)
    return subprocess.run([sys.executable, "-c", "import yiwang.settings as s; "
                           "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"],
                          cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings()
    assert result.returncode != 0
    assert "YIWANG_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(("key", "reason"), [
    ("dev-only-insecure-key-never-use-in-production", "development default"),
    ("changeme", "placeholder text 'changeme'"),
    ("CHANGE_ME-" + STRONG_KEY, "placeholder text 'change_me'"),
    (STRONG_KEY[:40], "40 characters, fewer than 50"),
    ("ab" * 40, "too little variety"),
    ("kZ3!pQ9@" * 8, "repeats a pattern"),
])
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, key, reason):
    result = _import_settings(**_production_env(tmp_path, YIWANG_SECRET_KEY=key))
    assert result.returncode != 0
    assert "YIWANG_SECRET_KEY is too weak for production" in result.stderr
    assert reason in result.stderr


def test_development_accepts_any_secret_key():
    result = _import_settings(YIWANG_DEBUG="1", YIWANG_SECRET_KEY="changeme")
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_settings(YIWANG_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "YIWANG_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_the_oidc_signing_key():
    result = _import_settings(YIWANG_SECRET_KEY=STRONG_KEY, YIWANG_ALLOWED_HOSTS="gov.example.cn")
    assert result.returncode != 0
    assert "YIWANG_OIDC_KEY_FILE" in result.stderr


def _production_env(tmp_path, **env):
    key = tmp_path / "oidc.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n")
    return {"YIWANG_SECRET_KEY": STRONG_KEY, "YIWANG_ALLOWED_HOSTS": "gov.example.cn",
            "YIWANG_OIDC_KEY_FILE": str(key), "YIWANG_SEAL_KEY": base64.b64encode(b"k" * 32).decode(),
            "YIWANG_PII_KEY": "k1:" + base64.b64encode(b"p" * 16).decode(),
            "YIWANG_PII_INDEX_KEY": base64.b64encode(b"i" * 32).decode(), **env}


def test_production_refuses_to_start_without_the_seal_key(tmp_path):
    env = _production_env(tmp_path)
    del env["YIWANG_SEAL_KEY"]
    result = _import_settings(**env)
    assert result.returncode != 0
    assert "YIWANG_SEAL_KEY must hold the seal key-encryption key" in result.stderr


def test_a_seal_key_that_is_not_32_bytes_of_base64_is_refused(tmp_path):
    result = _import_settings(**_production_env(tmp_path, YIWANG_SEAL_KEY="too-short"))
    assert result.returncode != 0
    assert "YIWANG_SEAL_KEY must be 32 bytes in base64" in result.stderr


def test_production_refuses_to_start_without_the_personal_data_keys(tmp_path):
    for name in ("YIWANG_PII_KEY", "YIWANG_PII_INDEX_KEY"):
        env = _production_env(tmp_path)
        del env[name]
        result = _import_settings(**env)
        assert result.returncode != 0
        assert "YIWANG_PII_KEY (id:base64 of 16 bytes) and YIWANG_PII_INDEX_KEY" in result.stderr


@pytest.mark.parametrize(("name", "value", "message"), [
    ("YIWANG_PII_KEY", "k1:" + base64.b64encode(b"p" * 32).decode(), "must be 16 bytes in base64"),
    ("YIWANG_PII_KEY", base64.b64encode(b"p" * 16).decode(), "reads <key id>:<base64 key>"),
    ("YIWANG_PII_KEY", "k 1:" + base64.b64encode(b"p" * 16).decode(), "key id is 1–16 letters"),
    ("YIWANG_PII_OLD_KEYS", "k1:" + base64.b64encode(b"q" * 16).decode(), "names two keys"),
    ("YIWANG_PII_INDEX_KEY", base64.b64encode(b"i" * 16).decode(), "must be 32 bytes in base64"),
])
def test_malformed_personal_data_keys_are_refused(tmp_path, name, value, message):
    result = _import_settings(**_production_env(tmp_path, **{name: value}))
    assert result.returncode != 0 and message in result.stderr


def test_old_personal_data_keys_still_decrypt_and_old_index_keys_still_match(tmp_path):
    old, old_index = base64.b64encode(b"o" * 16).decode(), base64.b64encode(b"j" * 32).decode()
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIWANG_")}
    env.update(_production_env(tmp_path, YIWANG_PII_OLD_KEYS=f"k0:{old}",
                               YIWANG_PII_OLD_INDEX_KEYS=old_index))
    result = subprocess.run([sys.executable, "-c", "import yiwang.settings as s; "
                             "print(s.PERSONAL_DATA_KEY_ID, sorted(s.PERSONAL_DATA_KEYS), "
                             "len(s.PERSONAL_DATA_INDEX_KEYS))"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "k1 ['k0', 'k1'] 2", result.stderr


def test_production_refuses_the_simulated_card_reader_and_reads_no_card_by_default(tmp_path):
    refused = _import_settings(**_production_env(
        tmp_path, YIWANG_IDCARD_READER="yiwang.hall.idcard.SimulatedIdCardReader"))
    assert refused.returncode != 0 and "simulated card reader" in refused.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIWANG_")}
    env.update(_production_env(tmp_path))
    result = subprocess.run([sys.executable, "-c", "import yiwang.settings as s; "
                             "print(s.IDCARD_READER)"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "yiwang.hall.idcard.NoIdCardReader", result.stderr


def test_production_uses_secure_cookies(tmp_path):
    result = _import_settings(**_production_env(tmp_path))
    assert result.stdout.split() == ["True", "True", "False"]


def test_pages_send_csp_header(client, db):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_models_and_migrations_agree(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
