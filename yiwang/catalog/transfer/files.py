"""Reading an uploaded catalogue file: refuse what is too large or not what its name claims, then
turn CSV, XLSX or JSON into the same records, each with the place a person finds it by.

Everything here is about the file's structure (size, type, encoding, columns). Whether a record
makes a valid item is the importer's question.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings

from yiwang.common.errors import DomainError, PayloadTooLarge, ValidationError

from . import columns as cols

FORMATS = ("csv", "xlsx", "json")
ITEMS_SHEET = "事项"
MATERIALS_SHEET = "申请材料"

# Magic numbers of files people upload by mistake, so the refusal can say what the file is.
_MAGIC = [
    (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文档"), (b"MZ", "Windows 可执行程序"), (b"\x7fELF", "可执行程序"),
    (b"\x1f\x8b", "gzip 压缩包"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（.xls/.doc），请另存为 .xlsx"),
]
_ZIP = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# An .xlsx is a zip; refusing a small file that inflates to gigabytes protects the worker.
_MAX_INFLATION = 10


class UnsupportedFileType(DomainError):
    status = 415
    default_code = "import.unsupported_type"
    default_message = "不支持的文件类型，请上传 CSV、XLSX 或 JSON 文件"


@dataclass
class Problem:
    """One reason a file or a row is refused. ``line`` is the row number a spreadsheet shows
    (the header is row 1), or the array index in a JSON file; None for the file as a whole."""

    message: str
    line: int | None = None
    sheet: str | None = None
    field: str | None = None
    code: str = "import.invalid_row"
    where: str = "文件"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "sheet": self.sheet, "where": self.where, "field": self.field,
                "code": self.code, "message": self.message}


@dataclass
class Record:
    """One item as read from the file, in the JSON export's shape (``guide`` nested)."""

    line: int
    where: str
    data: Any
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, *, field: str | None = None,
                code: str = "import.invalid_row") -> Problem:
        return Problem(message, line=self.line, sheet=self.sheet, field=field, code=code,
                       where=self.where)


@dataclass
class ImportFile:
    format: str
    records: list[Record]
    # XLSX only: rows of the 申请材料 sheet, attached to items by 业务办理项编码.
    materials: list[Record] = field(default_factory=list)


def max_upload_bytes() -> int:
    return settings.CATALOG_IMPORT_MAX_BYTES


def check_size(size: int) -> None:
    """Refuse an oversized file before anything reads it."""
    limit = max_upload_bytes()
    if size > limit:
        raise PayloadTooLarge(
            f"导入文件不能超过{limit / 1024 / 1024:.0f} MB，本文件为{size / 1024 / 1024:.1f} MB",
            code="import.too_large", details={"size": size, "limit": limit})
    if size == 0:
        raise ValidationError("文件是空的", code="import.empty")


def detect_format(name: str, data: bytes) -> str:
    """The format named by the file's extension, confirmed by its content: a PNG renamed to
    .csv is refused for what it is, not parsed as text."""
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise UnsupportedFileType(
            f"不支持“.{extension}”文件，请上传 CSV、XLSX 或 JSON 文件" if extension
            else "文件没有扩展名，请上传 .csv、.xlsx 或 .json 文件",
            details={"extension": extension})
    head = data[:8192]
    found = next((what for magic, what in _MAGIC if head.startswith(magic)), None)
    is_zip = head.startswith(_ZIP)
    if extension == "xlsx":
        if not is_zip:
            raise UnsupportedFileType(
                f"文件扩展名为 .xlsx，但内容{'是' + found if found else '不是 Excel 工作簿'}")
        return extension
    if is_zip:
        found = "zip 压缩包或 Excel 工作簿"
    if found is None and b"\x00" in head and not head.startswith(_UTF16_BOMS):
        found = "二进制文件"
    if found:
        raise UnsupportedFileType(
            f"文件扩展名为 .{extension}，但内容是{found}，不是 {extension.upper()} 文本")
    return extension


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes) or GB18030, which covers the GBK files that
    Chinese Excel saves as "CSV"."""
    if data.startswith(_UTF16_BOMS):
        raise ValidationError("不支持 UTF-16 编码，请将文件另存为 UTF-8 或 GB18030（GBK）编码的 CSV",
                              code="import.encoding")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("无法识别文件编码，请以 UTF-8 或 GB18030（GBK）编码保存后再导入",
                          code="import.encoding")


def _header_keys(header: list[str], columns: list[tuple[str, str]], required: list[str],
                 what: str) -> list[str | None]:
    """Map header cells to field names; unknown, duplicate or missing columns refuse the file,
    because a misspelt header would otherwise drop a column's data without a word."""
    lookup = cols.header_lookup(columns)
    keys: list[str | None] = []
    unknown, duplicate = [], []
    for text in header:
        text = cols.cell_text(text).lstrip("\ufeff")
        if not text:
            keys.append(None)
            continue
        key = lookup.get(text)
        if key is None:
            unknown.append(text)
        elif key in keys:
            duplicate.append(text)
        keys.append(key)
    labels = dict(columns)
    missing = [labels[k] for k in required if k not in keys]
    if missing:
        raise ValidationError(f"{what}缺少必填列：{'、'.join(missing)}", code="import.missing_columns",
                              details={"missing": missing})
    if unknown:
        raise ValidationError(f"{what}有无法识别的列：{'、'.join(unknown)}", code="import.unknown_columns",
                              details={"unknown": unknown, "accepted": list(labels.values())})
    if duplicate:
        raise ValidationError(f"{what}的列重复：{'、'.join(duplicate)}", code="import.duplicate_columns",
                              details={"duplicate": duplicate})
    return keys


def _cells(keys: list[str | None], row) -> dict[str, str] | None:
    """A row's cells by field name, or None for a blank row (spreadsheets often end in some)."""
    cells = {key: cols.cell_text(value) for key, value in zip(keys, row, strict=False) if key}
    return cells if any(cells.values()) else None


def _item_from_cells(cells: dict[str, str], record: Record) -> dict[str, Any]:
    guide, cell_errors = cols.guide_from_cells(cells)
    record.problems.extend(record.problem(e.message, field=e.field, code="import.bad_cell")
                           for e in cell_errors)
    item: dict[str, Any] = {key: cells.get(key, "") for key in cols.ITEM_HEADERS
                            if key not in cols.EXPORT_ONLY and key != "department_uscc"}
    item["department"] = {"uscc": cells.get("department_uscc", "")}
    item["guide"] = guide
    return item


def _table_records(rows, *, what: str, sample: bool,
                   columns: list[tuple[str, str]], required: list[str]) -> list[tuple[int, dict]]:
    """(row number, cells) of the data rows below the header on row 1."""
    header = next(rows, None)
    if header is None or not any(cols.cell_text(v) for v in header):
        raise ValidationError(f"{what}第1行应为列标题", code="import.missing_columns")
    keys = _header_keys(list(header), columns, required, what)
    found = []
    for line, row in enumerate(rows, start=2):
        cells = _cells(keys, row)
        if cells is not None:
            found.append((line, cells))
            if sample:
                break
    return found


def _tabular_records(found, *, sheet: str | None, where) -> list[Record]:
    records = []
    for line, cells in found:
        record = Record(line=line, where=where(line), data=None, sheet=sheet)
        record.data = _item_from_cells(cells, record)
        records.append(record)
    return records


def read_csv(data: bytes, *, sample: bool = False) -> ImportFile:
    text = decode_text(data)
    rows = csv.reader(io.StringIO(text, newline=""))
    unescaped = (list(map(cols.csv_unescape, row)) for row in rows)
    try:
        found = _table_records(unescaped, what="CSV 文件", sample=sample,
                               columns=cols.item_columns(with_materials=True),
                               required=cols.REQUIRED_ITEM_COLUMNS)
    except csv.Error as exc:
        raise ValidationError(f"CSV 文件第{rows.line_num}行格式错误：{exc}", code="import.malformed_csv",
                              details={"line": rows.line_num}) from None
    return ImportFile("csv", _tabular_records(found, sheet=None, where=lambda n: f"第{n}行"))


def _broken_workbook() -> ValidationError:
    return ValidationError("Excel 文件已损坏或格式不正确，无法读取", code="import.malformed_xlsx")


def _open_workbook(data: bytes):
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        inflated = sum(info.file_size for info in archive.infolist())
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError("Excel 文件已损坏，无法打开", code="import.malformed_xlsx") from None
    if "xl/workbook.xml" not in names:
        raise UnsupportedFileType("文件内容不是 Excel 工作簿（.xlsx）")
    if inflated > _MAX_INFLATION * max_upload_bytes():
        raise PayloadTooLarge("Excel 文件解压后过大", code="import.too_large")
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors) for a broken workbook
        raise _broken_workbook() from None


def _sheet_rows(sheet):
    # Files from other programs often carry wrong dimensions; read what is really there.
    sheet.reset_dimensions()
    return sheet.iter_rows(min_row=1, values_only=True)


def _sheet_row(sheet: str, line: int) -> str:
    return f"“{sheet}”表第{line}行"


def read_xlsx(data: bytes, *, sample: bool = False) -> ImportFile:
    workbook = _open_workbook(data)
    try:
        names = workbook.sheetnames
        if ITEMS_SHEET in names:
            items_sheet = workbook[ITEMS_SHEET]
        elif len(names) == 1:
            items_sheet = workbook[names[0]]
        else:
            raise ValidationError(f"工作簿中没有名为“{ITEMS_SHEET}”的工作表",
                                  code="import.missing_sheet")
        sheet_name = items_sheet.title
        try:
            found = _table_records(_sheet_rows(items_sheet), what=f"“{sheet_name}”表",
                                   sample=sample,
                                   columns=cols.item_columns(with_materials=False),
                                   required=cols.REQUIRED_ITEM_COLUMNS)
            material_rows = []
            if MATERIALS_SHEET in names:
                material_rows = _table_records(
                    _sheet_rows(workbook[MATERIALS_SHEET]), what=f"“{MATERIALS_SHEET}”表",
                    sample=sample, columns=cols.material_columns(),
                    required=cols.REQUIRED_MATERIAL_COLUMNS)
        except DomainError:
            raise
        except Exception:  # a sheet whose XML is broken only fails when its rows are read
            raise _broken_workbook() from None
    finally:
        workbook.close()
    records = _tabular_records(found, sheet=sheet_name, where=lambda n: _sheet_row(sheet_name, n))
    materials = [Record(line=n, where=_sheet_row(MATERIALS_SHEET, n), data=cells,
                        sheet=MATERIALS_SHEET) for n, cells in material_rows]
    return ImportFile("xlsx", records, materials)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _no_constant(text: str):
    raise ValueError(text)


def read_json(data: bytes, *, sample: bool = False) -> ImportFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("JSON 文件应为 UTF-8 编码", code="import.encoding") from None
    try:
        items = json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列，{exc.msg}",
                              code="import.malformed_json",
                              details={"line": exc.lineno, "column": exc.colno}) from None
    except RecursionError:
        raise ValidationError("JSON 嵌套层次过深", code="import.malformed_json") from None
    except ValueError:
        raise ValidationError("JSON 中有超出范围的数值（如 1e400、NaN 或过长的整数）",
                              code="import.malformed_json") from None
    if not isinstance(items, list):
        raise ValidationError("JSON 文件的最外层应为事项数组（[...]）", code="import.not_list")
    records = []
    for index, entry in enumerate(items[:1] if sample else items):
        record = Record(line=index, where=f"下标 {index}", data=entry)
        if not isinstance(entry, dict):
            record.problems.append(record.problem("每个事项应为 JSON 对象", code="import.not_object"))
        records.append(record)
    return ImportFile("json", records)


_READERS = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json}


def read_import_file(name: str, data: bytes, *, sample: bool = False) -> ImportFile:
    """Parse a whole file, or with ``sample`` only as far as its first record (the check made
    while the upload request waits). Raises a DomainError for a file that cannot be imported at
    all: too large, wrong type, undecodable, missing columns, not a list, no items."""
    check_size(len(data))
    file_format = detect_format(name, data)
    parsed = _READERS[file_format](data, sample=sample)
    if not parsed.records:
        raise ValidationError("文件中没有事项数据", code="import.empty")
    return parsed
