"""The engines' client tools: a missing one is named with the package to install; a backup that
fails leaves no set behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from yiwang.backups import services
from yiwang.backups.engines import MySQLEngine, PostgreSQLEngine, major_minor, require_tool
from yiwang.backups.errors import ServerVersionMismatch, ToolMissing


@pytest.fixture
def empty_path(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))


def test_a_missing_tool_is_named_with_its_package(empty_path):
    with pytest.raises(ToolMissing) as missing:
        require_tool("mariadb-dump", "mysqldump", package="MariaDB 客户端（如 mariadb-client）")
    assert missing.value.code == "backup.tool_missing"
    assert "mariadb-dump 或 mysqldump" in missing.value.message
    assert "mariadb-client" in missing.value.message


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 用 Python 的备份 API，不用外部工具")
def test_sqlite_backs_up_without_tools_or_git(empty_path, transactional_db, tmp_path):
    written = services.create_backup(tmp_path / "sets")
    assert written.manifest.app_version == "unknown"
    assert services.verify_backup(written.path)[1] == []


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL 和 MariaDB 用各自的转储工具")
def test_a_backup_without_its_dump_tool_fails_and_leaves_no_set(empty_path, transactional_db,
                                                                  tmp_path):
    with pytest.raises(ToolMissing, match=r"pg_dump|mariadb-dump"):
        services.create_backup(tmp_path / "sets")
    assert list((tmp_path / "sets").iterdir()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore 的版本检查")
def test_postgresql_client_tools_older_than_the_server_or_the_set_are_refused(
        transactional_db, tmp_path, monkeypatch):
    written = services.create_backup(tmp_path / "sets")
    old = tmp_path / "old-tools"
    old.mkdir()
    for tool in ("pg_dump", "pg_restore"):
        (old / tool).write_text(f"#!/bin/sh\necho '{tool} (PostgreSQL) 9.6.24'\n")
        (old / tool).chmod(0o755)
    monkeypatch.setenv("PATH", str(old))
    with pytest.raises(ServerVersionMismatch, match="不能转储"):
        services.create_backup(tmp_path / "sets")
    assert list((tmp_path / "sets").iterdir()) == [written.path]
    with pytest.raises(ServerVersionMismatch, match="读不了"):
        services.restore_backup(written.path, force=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)", (15, 20)),
    ("10.11.19-MariaDB-0+deb12u1", (10, 11)),
    ("16", (16, 0)),
])
def test_versions_are_compared_by_their_leading_numbers(text, expected):
    assert major_minor(text) == expected


def test_postgresql_tools_connect_as_the_site_does_without_the_password_in_their_arguments():
    engine = PostgreSQLEngine("default")
    engine.settings = {"NAME": "yiwang", "HOST": "db.example.cn", "PORT": 5433, "USER": "yiwang",
                       "PASSWORD": "s3cret-value", "OPTIONS": {"sslmode": "verify-full"}}
    args, env = engine._client_args()
    assert args == ["--host=db.example.cn", "--port=5433", "--username=yiwang", "--no-password"]
    assert env["PGPASSWORD"] == "s3cret-value" and env["PGSSLMODE"] == "verify-full"
    assert not any("s3cret" in arg for arg in args)


def test_mariadb_tools_read_the_password_from_a_private_file_that_is_removed_afterwards():
    engine = MySQLEngine("default")
    engine.settings = {"NAME": "yiwang", "HOST": "db.example.cn", "USER": "yiwang",
                       "PASSWORD": 's3c#"\\t'}
    with engine._options_file() as argument:
        path = Path(argument.removeprefix("--defaults-extra-file="))
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.read_text().splitlines() == [
            "[client]", 'host="db.example.cn"', 'user="yiwang"', r'password="s3c#\"\\t"']
    assert not path.exists()
