"""Each database engine's own way to dump a consistent snapshot and to load it back.

- PostgreSQL: ``pg_dump --format=custom --snapshot=…`` inside a REPEATABLE READ transaction whose
  snapshot this module exported, so the row counts taken in that transaction are the dump's;
  ``pg_restore --single-transaction`` loads it.
- MariaDB/MySQL: ``mariadb-dump --single-transaction`` (``mysqldump`` where MariaDB's name is
  missing); the counts are read from the dump (``sqldump``); the ``mariadb``/``mysql`` client
  loads it.
- SQLite: Python's online-backup API copies the database page by page under one read lock; the
  counts are taken from the copy.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from yiwang.supervision.models import HEAD_PK, AuditHead

from .errors import BackupError, ServerVersionMismatch, ToolFailed, ToolMissing
from .sqldump import DumpContents

MIGRATIONS_TABLE = MigrationRecorder.Migration._meta.db_table
HEAD_TABLE = AuditHead._meta.db_table


@dataclass
class Snapshot:
    """What the dumped database held, read in the dump's own snapshot."""

    server_version: str
    dump_tool: str
    row_counts: dict[str, int]
    row_counts_method: str
    migrations: dict[str, list[str]]
    audit_head: dict


def require_tool(*names: str, package: str) -> str:
    """The path of the first of ``names`` on PATH, or ToolMissing naming the package to install."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissing(f"找不到 {' 或 '.join(names)}（PATH 中没有）；请安装 {package}，"
                      "并使其主版本不低于数据库服务器的版本")


def run_tool(command: list[str], *, env: dict | None = None, stdin=None) -> str:
    """Run a client tool; its own error text becomes the message of ToolFailed."""
    # The executable is a path ``require_tool`` found; the arguments come from settings.
    completed = subprocess.run(command, env=env, stdin=stdin, capture_output=True, text=True)  # noqa: S603
    if completed.returncode != 0:
        tool = Path(command[0]).name
        detail = (completed.stderr or completed.stdout).strip()
        raise ToolFailed(f"{tool} 失败（退出状态 {completed.returncode}）：{detail}")
    return completed.stdout


def major_minor(version: str) -> tuple[int, ...]:
    """(major, minor) of a version text such as "15.20 (Debian …)" or "10.11.19-MariaDB"."""
    numbers = re.search(r"(\d+)(?:\.(\d+))?", version)
    if numbers is None:
        return (0, 0)
    return int(numbers[1]), int(numbers[2] or 0)


def fresh_connection(alias: str):
    """A connection of its own to the database ``alias`` names, so the snapshot transaction and
    its isolation level are not mixed with the caller's session."""
    current = connections[alias]
    return current.__class__({**current.settings_dict}, alias)


def _migrations(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _head(rows) -> dict:
    seq, digest = rows[0] if rows else (0, "")
    return {"seq": int(seq), "hash": digest}


def count_rows(cursor, quote, tables) -> dict[str, int]:
    """Rows per table; the names come from the database's own catalogue, quoted by its rules."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _sql_snapshot(cursor, quote, tables, *, server_version, dump_tool, method) -> Snapshot:
    """Counts, migrations and head read through ``cursor``, which must see the dump's snapshot."""
    counts = count_rows(cursor, quote, tables)
    migrations, head = {}, {"seq": 0, "hash": ""}
    if MIGRATIONS_TABLE in counts:
        cursor.execute(f"SELECT app, name FROM {quote(MIGRATIONS_TABLE)}")  # noqa: S608
        migrations = _migrations(cursor.fetchall())
    if HEAD_TABLE in counts:
        cursor.execute(f"SELECT last_seq, last_hash FROM {quote(HEAD_TABLE)} "  # noqa: S608
                       f"WHERE id = {HEAD_PK}")
        head = _head(cursor.fetchall())
    return Snapshot(server_version, dump_tool, counts, method, migrations, head)


class Engine:
    """Dump and load for one vendor; ``settings`` is the connection's settings_dict."""

    vendor = ""
    extension = ""
    compared_parts = 1  # leading parts of the server version that must not go down on restore

    def __init__(self, alias: str):
        self.alias = alias
        self.settings = connections[alias].settings_dict

    def server_version(self) -> str:
        raise NotImplementedError

    def dump(self, target: Path) -> Snapshot:
        raise NotImplementedError

    def load(self, source: Path) -> None:
        raise NotImplementedError

    def check_can_load(self, manifest) -> None:
        """Refuse, before anything is written, a set this site's tools or server cannot load:
        neither engine promises that a newer server's dump loads into an older one."""
        source, target = manifest.server_version, self.server_version()
        parts = self.compared_parts
        if major_minor(target)[:parts] < major_minor(source)[:parts]:
            raise ServerVersionMismatch(
                f"备份来自 {source} 版的数据库服务器，本机服务器是 {target}，版本较旧；"
                "请在不低于备份时版本的服务器上恢复")

    def drop_tables(self, tables: list[str]) -> None:
        raise NotImplementedError


class SQLiteEngine(Engine):
    vendor = "sqlite"
    extension = "sqlite3"

    def server_version(self) -> str:
        return sqlite3.sqlite_version

    def dump(self, target: Path) -> Snapshot:
        source = fresh_connection(self.alias)
        try:
            source.ensure_connection()
            copy = sqlite3.connect(target)
            try:
                source.connection.backup(copy)  # all pages in one step: one read lock, one snapshot
            finally:
                copy.close()
        finally:
            source.close()
        copy = sqlite3.connect(target)
        try:
            # A copy of a WAL database is in WAL mode too; back to a rollback journal, so reading
            # the set later leaves no -wal/-shm files beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            cursor = copy.cursor()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")
            tables = [row[0] for row in cursor.fetchall()]
            return _sql_snapshot(
                cursor, lambda name: '"' + name.replace('"', '""') + '"', tables,
                server_version=sqlite3.sqlite_version,
                dump_tool=f"sqlite3.Connection.backup (SQLite {sqlite3.sqlite_version})",
                method="在备份 API 写出的副本中计数，与副本是同一状态")
        finally:
            copy.close()

    def load(self, source: Path) -> None:
        # The online-backup API replaces the whole target database, whatever it held.
        copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        target = connections[self.alias]
        try:
            target.ensure_connection()
            copy.backup(target.connection)
        finally:
            copy.close()

    def drop_tables(self, tables: list[str]) -> None:
        pass  # load() replaces the database as a whole

    def check_can_load(self, manifest) -> None:
        pass  # SQLite 3 reads the files of every 3.x version


class PostgreSQLEngine(Engine):
    vendor = "postgresql"
    extension = "pgdump"

    # Connection OPTIONS that libpq also reads from the environment (PGSSLMODE, …), so the tools
    # connect the way the site does.
    LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "options")

    def _client_args(self) -> tuple[list[str], dict]:
        """Arguments and environment for pg_dump/pg_restore; the password goes in PGPASSWORD,
        never on a command line that ``ps`` shows."""
        args, env = [], {**os.environ}
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if self.settings.get(key):
                args.append(f"{option}={self.settings[key]}")
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = self.settings["PASSWORD"]
        for name in self.LIBPQ_OPTIONS:
            if name in self.settings.get("OPTIONS", {}):
                env[f"PG{name.upper()}"] = str(self.settings["OPTIONS"][name])
        return [*args, "--no-password"], env

    def server_version(self) -> str:
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]

    def _tool(self, name: str) -> tuple[str, str]:
        path = require_tool(name, package="PostgreSQL 客户端（如 postgresql-client）")
        return path, run_tool([path, "--version"]).strip()

    def dump(self, target: Path) -> Snapshot:
        pg_dump, tool_version = self._tool("pg_dump")
        session = fresh_connection(self.alias)
        try:
            with session.cursor() as cursor:
                cursor.execute("SHOW server_version")
                server = cursor.fetchone()[0]
                if major_minor(tool_version)[0] < major_minor(server)[0]:
                    raise ServerVersionMismatch(
                        f"{tool_version} 不能转储 {server} 版的服务器；请安装与服务器同一主版本的 "
                        "PostgreSQL 客户端")
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                args, env = self._client_args()
                run_tool([pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}",
                          *args, self.settings["NAME"]], env=env)
                tables = session.introspection.table_names(cursor)
                taken = _sql_snapshot(cursor, session.ops.quote_name, tables,
                                      server_version=server, dump_tool=tool_version,
                                      method="在导出给 pg_dump 的同一快照（pg_export_snapshot）中计数")
                cursor.execute("COMMIT")
                return taken
        finally:
            session.close()

    def check_can_load(self, manifest) -> None:
        _, tool_version = self._tool("pg_restore")
        # The custom format's version goes up with pg_dump's; an older pg_restore cannot read it.
        if major_minor(tool_version)[0] < major_minor(manifest.dump_tool)[0]:
            raise ServerVersionMismatch(
                f"备份由 {manifest.dump_tool} 写出，本机的 {tool_version} 读不了；"
                "请安装同一或更新主版本的 PostgreSQL 客户端")
        super().check_can_load(manifest)

    def load(self, source: Path) -> None:
        pg_restore, _ = self._tool("pg_restore")
        args, env = self._client_args()
        run_tool([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
                  "--single-transaction", f"--dbname={self.settings['NAME']}", *args, str(source)],
                 env=env)

    def drop_tables(self, tables: list[str]) -> None:
        quote = connections[self.alias].ops.quote_name
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(map(quote, tables))} CASCADE")


class MySQLEngine(Engine):
    vendor = "mysql"
    extension = "sql"
    compared_parts = 2  # MariaDB changes its dump's SQL between minor versions (10.6 → 10.11)

    @contextlib.contextmanager
    def _options_file(self) -> Iterator[str]:
        """The client's connection options in a private file, so the password is never in a
        command line that ``ps`` shows."""
        lines = ["[client]"]
        for option, key in (("host", "HOST"), ("port", "PORT"), ("user", "USER"),
                            ("password", "PASSWORD")):
            if self.settings.get(key):
                # Quoted, so a "#" or ";" in a password is not read as the start of a comment.
                value = str(self.settings[key]).replace("\\", "\\\\").replace('"', '\\"')
                lines.append(f'{option}="{value}"')
        # Created readable by its owner only (mkstemp).
        with tempfile.NamedTemporaryFile("w", suffix=".cnf", prefix="yiwang-backup-") as options:
            options.write("\n".join(lines) + "\n")
            options.flush()
            yield f"--defaults-extra-file={options.name}"

    def server_version(self) -> str:
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            return cursor.fetchone()[0]

    def check_can_load(self, manifest) -> None:
        self._client()
        source, target = manifest.server_version, self.server_version()
        if ("mariadb" in target.lower()) != ("mariadb" in source.lower()):
            raise ServerVersionMismatch(
                f"备份来自 {source}，本机服务器是 {target}：MariaDB 与 MySQL 的转储不能互相恢复")
        super().check_can_load(manifest)

    def _client(self) -> str:
        return require_tool("mariadb", "mysql", package="MariaDB 客户端（如 mariadb-client）")

    def dump(self, target: Path) -> Snapshot:
        dump_tool = require_tool("mariadb-dump", "mysqldump",
                                 package="MariaDB 客户端（如 mariadb-client）")
        tool_version = run_tool([dump_tool, "--version"]).strip()
        server = self.server_version()
        with self._options_file() as options:
            run_tool([dump_tool, options, "--single-transaction", "--routines", "--triggers",
                      "--complete-insert", "--hex-blob", "--default-character-set=utf8mb4",
                      "--no-tablespaces", f"--result-file={target}", self.settings["NAME"]])
        contents = DumpContents(target, keep=(MIGRATIONS_TABLE, HEAD_TABLE))
        head = [row for row in contents.rows(HEAD_TABLE, ["id", "last_seq", "last_hash"])
                if row[0] == HEAD_PK] if HEAD_TABLE in contents.counts else []
        return Snapshot(
            server_version=server, dump_tool=tool_version,
            row_counts=dict(sorted(contents.counts.items())),
            row_counts_method="从转储文件本身读出（--single-transaction 的同一快照）",
            migrations=_migrations(contents.rows(MIGRATIONS_TABLE, ["app", "name"]))
            if MIGRATIONS_TABLE in contents.counts else {},
            audit_head=_head([row[1:] for row in head]))

    def load(self, source: Path) -> None:
        client = self._client()
        with self._options_file() as options, source.open("rb") as dump:
            run_tool([client, options, "--default-character-set=utf8mb4", self.settings["NAME"]],
                     stdin=dump)

    def drop_tables(self, tables: list[str]) -> None:
        quote = connections[self.alias].ops.quote_name
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
            try:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(map(quote, tables))}")
            finally:
                cursor.execute("SET FOREIGN_KEY_CHECKS = 1")


ENGINES = {engine.vendor: engine for engine in (SQLiteEngine, PostgreSQLEngine, MySQLEngine)}


def engine_for(alias: str) -> Engine:
    vendor = connections[alias].vendor
    if vendor not in ENGINES:
        raise BackupError(f"不支持备份 {vendor} 数据库（支持 SQLite、PostgreSQL、MariaDB/MySQL）",
                          code="backup.unsupported_engine")
    return ENGINES[vendor](alias)
