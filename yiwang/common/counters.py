"""Gap-free per-prefix counters for human-facing numbers (办件编号, 12345 工单编号)."""

from __future__ import annotations

from django.db import connection


def next_value(model, prefix: str) -> int:
    """The next value of the counter ``prefix`` in ``model`` (a table with a unique ``prefix`` and
    an integer ``value``), inside the caller's transaction.

    The counter row is created or incremented by one upsert, which takes the row's exclusive lock
    at once and holds it until commit, so two callers never read the same value and a rolled-back
    one gives its number back. An UPDATE-then-INSERT would race on the first number of a prefix,
    and on MariaDB the losers of that race deadlock: each holds the shared lock of the
    duplicate-key check and waits for the others' to turn it into an exclusive one."""
    table = connection.ops.quote_name(model._meta.db_table)
    upsert = {  # SQLite has ON CONFLICT since 3.24, RETURNING only since 3.35: read it back
        "mysql": "ON DUPLICATE KEY UPDATE value = value + 1",
    }.get(connection.vendor, f"ON CONFLICT (prefix) DO UPDATE SET value = {table}.value + 1")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (prefix, value) VALUES (%s, 1) {upsert}",  # noqa: S608
                       [prefix])
        cursor.execute(f"SELECT value FROM {table} WHERE prefix = %s", [prefix])  # noqa: S608
        return cursor.fetchone()[0]
