"""Catalogue export: every published item with its published guide, as CSV, XLSX or JSON.

Items are read in chunks with their materials, FAQs and topics prefetched, so the number of queries
does not grow with the catalogue, and written straight to a binary stream.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.db.models import Prefetch
from django.utils import timezone

from yiwang.catalog import selectors
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import Material, ServiceItem
from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.orgs.models import Department

from . import columns as cols
from .files import FORMATS, ITEMS_SHEET, MATERIALS_SHEET

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
CHUNK = 1000


def check_can_export(user) -> None:
    """Staff export: a superuser or anyone holding a role in a department."""
    if not (user.is_authenticated and user.is_active
            and (user.is_superuser or user.memberships.exists())):
        raise PermissionDenied("只有工作人员可以导出事项目录", code="export.staff_only")


def check_format(file_format: str) -> str:
    file_format = (file_format or "").strip().lower()
    if file_format not in FORMATS:
        raise ValidationError(f"导出格式“{file_format}”无效，可选：csv、xlsx、json",
                              code="export.unsupported_format")
    return file_format


def export_filename(file_format: str, department: Department | None = None) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    scope = f"-{department.uscc}" if department else ""
    return f"catalog{scope}-{stamp}.{file_format}"


def _items(department: Department | None) -> Iterator[ServiceItem]:
    items = selectors.published_items()
    if department is not None:
        items = items.filter(department=department)
    return (items.prefetch_related(
        "topics",
        Prefetch("published_version__materials", queryset=Material.objects.order_by("order", "id")),
        "published_version__faqs",
    ).order_by("handling_code").iterator(chunk_size=CHUNK))


def item_to_dict(item: ServiceItem) -> dict[str, Any]:
    """One item in the JSON export's shape, which the import reads back."""
    version = item.published_version
    return {
        "handling_code": item.handling_code,
        "implementation_code": item.implementation_code,
        "basic_code": item.basic_code,
        "item_type": item.item_type,
        "level": item.level,
        "department": {"uscc": item.department.uscc, "name": item.department.name},
        "region": {"code": item.region.code, "name": item.region.full_name},
        "topics": sorted(t.slug for t in item.topics.all()),
        "version": version.number,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "guide": guide_to_dict(version),
    }


def _item_cells(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **{key: data[key] for key in ("handling_code", "implementation_code", "basic_code",
                                      "item_type", "level")},
        "department_uscc": data["department"]["uscc"],
        "department_name": data["department"]["name"],
        "topics": ",".join(data["topics"]),
        **cols.guide_cells(data["guide"]),
    }


def write_json(out: BinaryIO, items: Iterator[ServiceItem]) -> None:
    out.write(b"[")
    for index, item in enumerate(items):
        out.write(b",\n" if index else b"\n")
        out.write(json.dumps(item_to_dict(item), ensure_ascii=False).encode())
    out.write(b"\n]\n")


def write_csv(out: BinaryIO, items: Iterator[ServiceItem]) -> None:
    # The BOM makes Excel open the UTF-8 file as UTF-8 instead of the system code page.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    columns = cols.item_columns(with_materials=True)
    writer = csv.writer(text)
    writer.writerow([header for _, header in columns])
    for item in items:
        data = item_to_dict(item)
        cells = {**_item_cells(data), "materials": cols.to_json_text(data["guide"]["materials"])}
        writer.writerow([cols.csv_escape(cells[key]) for key, _ in columns])
    text.flush()
    text.detach()


def _xlsx_row(sheet, values: list[Any]) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    row = []
    for value in values:
        if isinstance(value, str):
            # XML cannot carry control characters (a vertical tab pasted from Word); drop them.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):
                # openpyxl would write this as a formula; it is text and must stay text.
                value = WriteOnlyCell(sheet, value=value)
                value.data_type = "s"
        row.append(value)
    return row


def write_xlsx(out: BinaryIO, items: Iterator[ServiceItem]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    item_sheet = workbook.create_sheet(ITEMS_SHEET)
    material_sheet = workbook.create_sheet(MATERIALS_SHEET)
    item_columns = cols.item_columns(with_materials=False)
    material_columns = cols.material_columns()
    item_sheet.append([header for _, header in item_columns])
    material_sheet.append([header for _, header in material_columns])
    for item in items:
        data = item_to_dict(item)
        cells = _item_cells(data)
        item_sheet.append(_xlsx_row(item_sheet, [cells[key] for key, _ in item_columns]))
        for order, material in enumerate(data["guide"]["materials"], start=1):
            row = {"handling_code": data["handling_code"], "order": order,
                   **cols.material_cells(material)}
            material_sheet.append(_xlsx_row(material_sheet,
                                            [row[key] for key, _ in material_columns]))
    workbook.save(out)


_WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}


def export_catalog(out: BinaryIO, file_format: str, *, department: Department | None = None
                   ) -> None:
    """Write the published catalogue (optionally one department's) to ``out``."""
    _WRITERS[check_format(file_format)](out, _items(department))
