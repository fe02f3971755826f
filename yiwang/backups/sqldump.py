"""Read the rows out of a ``mariadb-dump`` / ``mysqldump`` file.

MariaDB cannot hand its consistent snapshot to another session (PostgreSQL can: pg_export_snapshot),
so the row counts, the migration state and the audit head of a MariaDB set are read from the dump
itself: they are then exactly what ``--single-transaction`` saw. The dump is written with
``--complete-insert --hex-blob``: ``INSERT INTO `t` (`c`, …) VALUES (…),(…);``, rows on one line or
(MariaDB 10.11) one row per line, strings in single quotes with backslash escapes. A string never
holds a raw line break (it is written ``\n``), so every line ends outside a string."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

_CREATE = re.compile(r"CREATE TABLE `((?:[^`]|``)+)`")
_INSERT = re.compile(r"INSERT INTO `((?:[^`]|``)+)` \(([^)]*)\) VALUES ")
# A string literal, written as an unrolled loop: runs of plain characters are matched at once.
_STRING = re.compile(r"'[^'\\]*(?:\\.[^'\\]*)*'", re.S)
# A string literal, a run of other value characters, or one piece of punctuation.
_TOKEN = re.compile(_STRING.pattern + r"|[^,()';\s][^,()';]*|[(),;]", re.S)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def _name(quoted: str) -> str:
    return quoted.replace("``", "`")


def _literal(piece: str):
    """A value as Python: str, int, None, or the token's text for anything else (decimals, hex)."""
    if piece.startswith("'"):
        body = piece[1:-1]
        if "\\" not in body:
            return body
        return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), body, flags=re.S)
    if piece == "NULL":
        return None
    try:
        return int(piece)
    except ValueError:
        return piece


def _rows(values: str) -> Iterable[tuple]:
    """The rows of (a line of) one INSERT's VALUES part, as tuples of values."""
    row = []
    for match in _TOKEN.finditer(values):
        piece = match[0]
        if piece == "(":
            row = []
        elif piece == ")":
            yield tuple(row)
        elif piece not in ",;":
            row.append(_literal(piece))


def _count_rows(values: str) -> int:
    """Rows in (a line of) one INSERT's VALUES part: with the strings taken out, each row is the
    only bracket left (values are numbers, NULL, hex literals or strings)."""
    return _STRING.sub("", values).count("(")


class DumpContents:
    """The tables of a dump file with their row counts, and the rows of a few tables."""

    def __init__(self, path: Path, *, keep: Iterable[str] = ()):
        keep = set(keep)
        self.counts: Counter[str] = Counter()
        self.columns: dict[str, list[str]] = {}
        self.kept: dict[str, list[tuple]] = {name: [] for name in keep}
        with path.open(encoding="utf-8") as dump:
            table = None  # the table of the INSERT statement the current line continues
            for line in dump:
                if table is None:
                    if line.startswith("CREATE TABLE"):
                        self.counts[_name(_CREATE.match(line)[1])] += 0
                        continue
                    insert = _INSERT.match(line)
                    if insert is None:
                        continue
                    table, values = _name(insert[1]), line[insert.end():]
                    if table in keep:
                        self.columns[table] = [_name(c.strip().strip("`"))
                                               for c in insert[2].split(",")]
                else:
                    values = line
                if table in keep:
                    rows = list(_rows(values))
                    self.kept[table].extend(rows)
                    self.counts[table] += len(rows)
                else:
                    self.counts[table] += _count_rows(values)
                if line.rstrip().endswith(";"):
                    table = None

    def rows(self, table: str, columns: list[str]) -> list[tuple]:
        if not self.kept[table]:
            return []
        positions = [self.columns[table].index(column) for column in columns]
        return [tuple(row[p] for p in positions) for row in self.kept[table]]
