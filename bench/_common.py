"""What the benchmark scripts share: the production settings they run the site with, and running
one phase of a script in a child process of its own."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(workdir: Path) -> dict[str, str]:
    """The settings of a production site (no debug query log), with the OIDC signing key made
    under ``workdir`` and notifications queued to Django's DummyBackend, never delivered. The
    caller adds the database, var/ and whatever its own run needs."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from yiwang.common.keys import ensure_rsa_key

    return {
        "DJANGO_SETTINGS_MODULE": "yiwang.settings",
        "YIWANG_DEBUG": "0",
        # A fresh strong key each run: production refuses weak ones (yiwang.common.keys).
        "YIWANG_SECRET_KEY": secrets.token_urlsafe(64),
        "YIWANG_ALLOWED_HOSTS": "127.0.0.1,localhost", "YIWANG_SSL_REDIRECT": "0",
        "YIWANG_OIDC_KEY_FILE": str(ensure_rsa_key(workdir / "oidc-signing-key.pem")),
        "YIWANG_SEAL_KEY": "YmVuY2gtb25seS1zZWFsLWtleS1ub3QtYS1zZWNyZXQ=",
        "YIWANG_PII_KEY": "bench:YmVuY2gtb25seS1waWktaw==",
        "YIWANG_PII_INDEX_KEY": "YmVuY2gtb25seS1ibGluZC1pbmRleC1rZXktMzJieXQ=",
        "YIWANG_LOG_LEVEL": "WARNING",
        "YIWANG_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    }


def setup_production_site(workdir: Path, *, database_url: str = "", **env: str) -> None:
    """Set up Django in this process as a production site (``production_env``), migrated: on
    ``database_url``, by default a fresh SQLite database under ``workdir``."""
    os.environ.update({
        **production_env(workdir),
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "YIWANG_VAR_DIR": str(workdir / "var"),
        "YIWANG_MEDIA_ROOT": str(workdir / "media"),
        **env,
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_phase(script: str, env: dict, *args: str) -> dict:
    """Run ``script`` with ``args`` (``--phase <name> …``) under ``env`` and return the dict it
    printed on its ``RESULT`` line; a failed phase stops the benchmark with its output."""
    completed = subprocess.run([sys.executable, script, *args], env=env, capture_output=True,
                               text=True, check=False)
    if completed.returncode:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"phase {args[1]} failed")
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


@contextlib.contextmanager
def temporary_workdir(prefix: str, *, keep: bool):
    """A new temporary directory for one benchmark run, removed afterwards unless ``keep``."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
    finally:
        if keep:
            print(f"工作目录：{workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def pg_admin(*statements: str) -> None:
    """Run statements on the PostgreSQL server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
