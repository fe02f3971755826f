"""The columns of the tabular formats (CSV and XLSX): a fixed Chinese header for every field name,
and the conversion between a stored value and what a spreadsheet cell holds.

The headers are written out here rather than taken from the models' ``verbose_name`` so that
renaming a label in the editor never breaks files people already keep. On import either the
Chinese header or the field name itself is accepted (``事项名称`` or ``name``).

Cells hold text a person can read and type: choices as their Chinese label (必要, 承诺件; the
standard codes are accepted too), yes/no fields as 是/否, item type and level as the GB/T codes,
topics as slugs separated by commas, and the list-valued elements (办理流程, 收费标准, 办理渠道,
申请表单定义, 常见问题 and, in CSV, 申请材料) as JSON text in one cell.
"""

from __future__ import annotations

import json
from typing import Any

from yiwang.catalog.guide import BOOL_FIELDS, JSON_FIELDS, MATERIAL_FIELDS
from yiwang.catalog.models import (
    Audience,
    HandlingKind,
    MaterialForm,
    MaterialSource,
    Necessity,
    RetentionPeriod,
)

ITEM_HEADERS = {
    "handling_code": "业务办理项编码",
    "implementation_code": "实施编码",
    "basic_code": "基本编码",
    "item_type": "事项类型",
    "level": "行使层级",
    "department_uscc": "实施主体统一社会信用代码",
    "department_name": "实施主体名称",
    "topics": "人生事件/主题",
}
GUIDE_HEADERS = {
    "name": "事项名称",
    "aliases": "别名",
    "audience": "服务对象",
    "legal_basis": "设定依据",
    "conditions": "受理条件",
    "handling_kind": "办件类型",
    "location": "办理地点",
    "office_hours": "办理时间",
    "consult_phone": "咨询电话",
    "supervise_phone": "监督投诉电话",
    "result_name": "审批结果名称",
    "result_licence_type": "结果证照类型代码",
    "retention_period": "档案保管期限",
    "legal_time_limit": "法定办结时限（工作日）",
    "promised_time_limit": "承诺办结时限（工作日）",
    "visits": "到办事现场次数",
    "online_depth": "网上办理深度",
    "min_assurance_level": "申请人最低实名等级",
    "single_window": "进驻一窗受理",
    "commitment_allowed": "可承诺办理",
    "process_steps": "办理流程",
    "fees": "收费标准",
    "channels": "办理渠道",
    "form_definition": "申请表单定义",
    "faqs": "常见问题",
}
# Guide elements held as JSON text in one cell.
JSON_CELLS = {*JSON_FIELDS, "faqs"}
MATERIALS_HEADER = "申请材料"
MATERIAL_HEADERS = {
    "name": "材料名称",
    "necessity": "必要性",
    "form": "材料形式",
    "paper_copies": "纸质份数",
    "source": "来源渠道",
    "source_note": "来源说明",
    "blank_form_url": "空白表格",
    "sample_url": "示例样表",
    "acceptance_standard": "受理标准",
    "exemption_source": "免提交来源",
    "note": "备注",
}
# On the XLSX 申请材料 sheet each row names its item by 业务办理项编码 and its place by 序号.
MATERIAL_LINK_HEADERS = {"handling_code": "业务办理项编码", "order": "序号"}

# Written for people to read, ignored on import: the department is found by its USCC.
EXPORT_ONLY = {"department_name"}
REQUIRED_ITEM_COLUMNS = ["basic_code", "item_type", "level", "department_uscc", "name"]
REQUIRED_MATERIAL_COLUMNS = ["handling_code", "name"]

GUIDE_CHOICES = {"audience": Audience, "handling_kind": HandlingKind, "retention_period": RetentionPeriod}
MATERIAL_CHOICES = {"necessity": Necessity, "form": MaterialForm, "source": MaterialSource}
YES, NO = "是", "否"


def item_columns(*, with_materials: bool) -> list[tuple[str, str]]:
    """(field name, header) of the item table in file order; CSV carries materials as a column."""
    columns = [*ITEM_HEADERS.items(), *GUIDE_HEADERS.items()]
    if with_materials:
        columns.append(("materials", MATERIALS_HEADER))
    return columns


def material_columns() -> list[tuple[str, str]]:
    return [*MATERIAL_LINK_HEADERS.items(), *MATERIAL_HEADERS.items()]


def header_lookup(columns: list[tuple[str, str]]) -> dict[str, str]:
    """Header text → field name, accepting the Chinese header and the field name."""
    lookup = {header: key for key, header in columns}
    lookup.update({key: key for key, _ in columns})
    return lookup


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# A CSV cell that starts with one of these runs as a formula when the file is opened in a
# spreadsheet (CSV injection). Export prefixes such text with an apostrophe, which spreadsheets
# read as "literal text"; import removes exactly one leading apostrophe, so text round-trips.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_escape(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_unescape(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def to_json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


def guide_cells(guide: dict[str, Any]) -> dict[str, Any]:
    """A cleaned guide (``guide_to_dict``) as cell values by field name, materials excluded."""
    cells: dict[str, Any] = {}
    for key in GUIDE_HEADERS:
        value = guide[key]
        if key in GUIDE_CHOICES:
            value = _label(GUIDE_CHOICES[key], value)
        elif key in BOOL_FIELDS:
            value = YES if value else NO
        elif key in JSON_CELLS:
            value = to_json_text(value)
        cells[key] = value
    return cells


def material_cells(material: dict[str, Any]) -> dict[str, Any]:
    return {key: _label(MATERIAL_CHOICES[key], material[key]) if key in MATERIAL_CHOICES
            else material[key] for key in MATERIAL_FIELDS}


def cell_text(value: Any) -> str:
    """What a cell holds, as text. Spreadsheets store every number as a float, so 20.0 is 20."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class CellError(ValueError):
    """A cell that cannot be read at all (not valid JSON); ``field`` names the column."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _json_cell(key: str, header: str, text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f"（第{exc.colno}个字符）" if isinstance(exc, json.JSONDecodeError) else ""
        raise CellError(key, f"“{header}”不是有效的 JSON{where}") from None


def guide_from_cells(cells: dict[str, str]) -> tuple[dict[str, Any], list[CellError]]:
    """The raw guide dict that ``clean_guide`` validates, from the cells of one item row. Empty
    cells are left out so the guide's defaults apply (an empty 进驻一窗受理 keeps the default)."""
    guide: dict[str, Any] = {}
    problems: list[CellError] = []
    for key, header in [*GUIDE_HEADERS.items(), ("materials", MATERIALS_HEADER)]:
        text = cells.get(key, "")
        if text == "":
            continue
        if key == "channels" and not text.startswith("["):
            guide[key] = text  # "pc,mobile" is accepted as well as a JSON list
        elif key in JSON_CELLS or key == "materials":
            try:
                guide[key] = _json_cell(key, header, text)
            except CellError as exc:
                problems.append(exc)
        else:
            guide[key] = text
    return guide, problems


def material_from_cells(cells: dict[str, str]) -> dict[str, Any]:
    return {key: cells[key] for key in MATERIAL_HEADERS if cells.get(key, "") != ""}


def header_for(field: str | None) -> str:
    """The column a reported error points at, as the file's header names it."""
    if not field:
        return ""
    headers = {**ITEM_HEADERS, **GUIDE_HEADERS, "materials": MATERIALS_HEADER,
               **MATERIAL_LINK_HEADERS}
    return headers.get(field, field)
