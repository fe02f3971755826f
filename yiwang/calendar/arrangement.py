"""Reading a year's holiday arrangement (国务院办公厅关于某年部分节假日安排的通知) as a table.

The table is CSV with one row per day that differs from the weekday rule::

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-06,workday,春节

Headers may also be Chinese (日期, 类型, 名称, 备注); without a header row the columns are taken in
that order. ``kind`` is ``holiday`` / 法定节假日 / 休 or ``workday`` / 调休上班日 / 班. Dates are
written 2027-01-01, 2027/1/1 or 2027年1月1日. Blank lines and lines starting with ``#`` are skipped,
so the notice's number can be kept in the file. UTF-8 (with or without BOM) and GB18030 (what
spreadsheet programs write on Chinese systems) are both read.

Parsing is pure: it returns the rows or raises one ValidationError listing every bad row with its
line number, so that an import is all-or-nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from yiwang.common.errors import ValidationError

from .models import DayKind
from .workdays import MAX_YEAR, MIN_YEAR

MAX_ROWS = 400
MAX_NAME = 64

_KINDS = {
    "holiday": DayKind.HOLIDAY, "法定节假日": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY, "休": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "调休上班日": DayKind.WORKDAY, "调休上班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY, "班": DayKind.WORKDAY,
}
_HEADERS = {
    "date": "date", "日期": "date",
    "kind": "kind", "类型": "kind",
    "name": "name", "名称": "name", "节日": "name", "节日名称": "name",
    "note": "note", "备注": "note",
}
_DATE_FORMATS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)


@dataclass(frozen=True)
class ArrangementRow:
    line: int
    date: dt.date
    kind: str
    name: str
    note: str = ""


@dataclass(frozen=True)
class Arrangement:
    year: int
    rows: tuple[ArrangementRow, ...]


def decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("文件编码无法识别，请保存为 UTF-8 或 GB18030 编码的 CSV",
                          code="calendar.import_encoding")


def parse_date(text: str) -> dt.date | None:
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def parse_kind(text: str) -> str | None:
    return _KINDS.get(text.strip().lower())


def parse_arrangement(content: bytes | str, *, year: int | None = None) -> Arrangement:
    """The rows of one year's arrangement. Every row must fall in ``year`` (if given, else in
    the year of the first valid date). Raises ValidationError(code="calendar.import_invalid")
    with ``details`` = [{"line", "reason"}, …] for all bad rows at once."""
    reader = csv.reader(io.StringIO(decode(content)))
    columns = ("date", "kind", "name", "note")
    errors: list[dict] = []
    rows: list[ArrangementRow] = []
    seen: dict[dt.date, int] = {}
    first_row = True
    for cells in reader:
        line = reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first_row:
            first_row = False
            if cells[0].lower() in _HEADERS:
                columns = tuple(_HEADERS.get(c.lower(), "") for c in cells)
                missing = [c for c in ("date", "kind") if c not in columns]
                if missing:
                    errors.append({"line": line, "reason": "表头缺少“日期”或“类型”列"})
                    break
                continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append({"line": line, "reason": f"一个年度安排表最多{MAX_ROWS}行"})
            break
        values = {col: cells[i] for i, col in enumerate(columns) if col and i < len(cells)}
        row, reasons = _row(line, values, year=year)
        if row is not None and year is None:
            year = row.date.year
        if row is not None and row.date in seen:
            reasons.append(f"日期{row.date:%Y-%m-%d}与第{seen[row.date]}行重复")
        if reasons:
            errors.extend({"line": line, "reason": r} for r in reasons)
            continue
        assert row is not None
        seen[row.date] = line
        rows.append(row)
    if errors:
        raise ValidationError(f"放假安排表有{len(errors)}处错误，未导入任何数据",
                              code="calendar.import_invalid", details=errors)
    if not rows or year is None:
        raise ValidationError("放假安排表中没有任何日期", code="calendar.import_empty")
    return Arrangement(year=year, rows=tuple(rows))


def _row(line: int, values: dict[str, str], *, year: int | None) -> tuple[ArrangementRow | None, list[str]]:
    reasons = []
    raw_date, raw_kind = values.get("date", ""), values.get("kind", "")
    name, note = values.get("name", ""), values.get("note", "")
    date = parse_date(raw_date)
    if date is None:
        reasons.append(f"日期“{raw_date}”无法识别，应写作 YYYY-MM-DD，如 2027-01-01" if raw_date
                       else "缺少日期")
    elif not MIN_YEAR <= date.year <= MAX_YEAR:
        reasons.append(f"日期须在{MIN_YEAR}年至{MAX_YEAR}年之间")
        date = None
    elif year is not None and date.year != year:
        reasons.append(f"日期{date:%Y-%m-%d}不在{year}年，一个表只能导入一个年度的安排")
    kind = parse_kind(raw_kind)
    if kind is None:
        reasons.append(f"类型“{raw_kind}”无效，应为“法定节假日”（holiday）或“调休上班日”（workday）"
                       if raw_kind else "缺少类型")
    elif kind == DayKind.WORKDAY and date is not None and date.weekday() < 5:
        reasons.append(f"{date:%Y-%m-%d}是工作日（星期{'一二三四五'[date.weekday()]}），"
                       "调休上班日应为星期六或星期日")
    if len(name) > MAX_NAME:
        reasons.append(f"节日名称不能超过{MAX_NAME}个字")
    if reasons:
        return (ArrangementRow(line, date, kind or "", name, note) if date is not None else None), reasons
    return ArrangementRow(line, date, kind, name, note), []
