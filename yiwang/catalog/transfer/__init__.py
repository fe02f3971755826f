"""Import and export of the catalogue (事项目录导入导出) as CSV, XLSX and JSON.

Formats (an export imports back unchanged):

- JSON: an array of items, each ``{"handling_code", "implementation_code", "basic_code",
  "item_type", "level", "department": {"uscc", "name"}, "region", "topics": [slug…], "version",
  "published_at", "guide": {every guide field, "materials": [{every material field}], "faqs": [{"question",
  "answer"}]}}``, values
  as stored (codes, not labels). ``region``, ``version``, ``published_at`` and the department's
  name are for the reader; the import ignores them.
- CSV (UTF-8 with BOM; UTF-8 and GB18030/GBK are read): one row per item, the columns of
  ``columns.item_columns(with_materials=True)`` with Chinese headers. List-valued elements
  (办理流程, 收费标准, 办理渠道, 申请表单定义, 常见问题, 申请材料) are JSON text in their cell.
- XLSX: a sheet 事项 with the same columns except 申请材料, and a sheet 申请材料 with one row per
  material, naming its item by 业务办理项编码 and its place by 序号.

Import rules: the header must be on row 1; 基本编码, 事项类型, 行使层级, 实施主体统一社会信用代码 and
事项名称 are required columns, unknown columns are refused. 业务办理项编码 and 实施编码 may be left
empty (the suffix defaults to 01); when given they must agree with the other codes. Errors name
the row as a spreadsheet shows it (header = row 1) or, in JSON, the array index. Any error and
nothing is written. Imported items are drafts; a superuser may import them as published.
"""

from .exporter import (
    CONTENT_TYPES,
    check_can_export,
    check_format,
    export_catalog,
    export_filename,
    item_to_dict,
)
from .files import ImportFile, Problem, UnsupportedFileType, max_upload_bytes, read_import_file
from .importer import (
    ImportRejected,
    can_import,
    create_job,
    get_job,
    is_finished,
    percent_done,
    run_import,
    run_queued_import,
    start_import,
    validate,
    write,
)

__all__ = [
    "CONTENT_TYPES",
    "ImportFile",
    "ImportRejected",
    "Problem",
    "UnsupportedFileType",
    "can_import",
    "check_can_export",
    "check_format",
    "create_job",
    "export_catalog",
    "export_filename",
    "get_job",
    "is_finished",
    "item_to_dict",
    "max_upload_bytes",
    "percent_done",
    "read_import_file",
    "run_import",
    "run_queued_import",
    "start_import",
    "validate",
    "write",
]
