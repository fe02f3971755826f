"""The online application form (一表申请) that a guide defines: a list of field definitions, and
the validation of data submitted against it. Case handling uses ``validate_submission``.

A field: ``{"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": true,
"max_length": 50, "options": [...], "pattern": "...", "prefill": "applicant.name"}``.

``prefill`` is the field's meaning for pre-filling (预填, ``cases.services.prefilling``): one of
``PREFILL_KEYS``, or ``""`` for a field never pre-filled. Without it the field's name decides
(``NAME_KEYS``), so the common names (``applicant_name``, ``id_number``, ``uscc``…) need nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from yiwang.common.errors import DomainError, ValidationError
from yiwang.common.identifiers import validate_resident_id, validate_uscc

FIELD_TYPES = {
    "text": "单行文本",
    "textarea": "多行文本",
    "number": "数字",
    "date": "日期",
    "select": "单选",
    "checkbox": "勾选",
    "id_number": "居民身份证号",
    "uscc": "统一社会信用代码",
    "phone": "手机号码",
    "email": "电子邮箱",
}
# What the platform may know of an applicant, by semantic key. ``applicant.*`` is the company
# when the case is applied for one, the person otherwise.
PREFILL_KEYS = {
    "applicant.name": "申请人名称",
    "applicant.address": "申请人地址",
    "person.name": "经办人姓名",
    "person.id_number": "经办人居民身份证号",
    "person.mobile": "经办人手机号码",
    "person.address": "个人地址",
    "company.name": "单位名称",
    "company.uscc": "统一社会信用代码",
    "company.legal_representative": "法定代表人",
    "company.address": "单位住所",
}
# The key a field without a declared ``prefill`` has, by its name.
NAME_KEYS = {
    "applicant_name": "applicant.name", "address": "applicant.address",
    "contact_name": "person.name", "id_number": "person.id_number",
    "phone": "person.mobile", "mobile": "person.mobile", "contact_phone": "person.mobile",
    "company_name": "company.name", "uscc": "company.uscc",
    "legal_representative": "company.legal_representative",
    "registered_address": "company.address", "company_address": "company.address",
}
# Names the case pages post beside the form's own fields (the form travels with every material
# action, see portal.case_views.WITH_FORM): a field of one of these names would be overwritten.
RESERVED_NAMES = frozenset({"action", "commitment", "commitment_text", "company", "consent", "file",
                            "key", "licence", "material", "record", "registry_consent", "with_form"})
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_PHONE = re.compile(r"1[3-9][0-9]{9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def validate_form_definition(definition: Any) -> list[dict]:
    """Return the normalised definition or raise ValidationError listing every bad field."""
    if definition in (None, ""):
        return []
    if not isinstance(definition, list):
        raise ValidationError("表单定义应为字段列表", code="form_definition.not_list")
    errors: list[str] = []
    seen: set[str] = set()
    result = []
    for index, field in enumerate(definition, start=1):
        where = f"第{index}个字段"
        if not isinstance(field, dict):
            errors.append(f"{where}应为对象")
            continue
        name = str(field.get("name", ""))
        label = str(field.get("label", "")).strip()
        kind = field.get("type", "text")
        if not _NAME.fullmatch(name):
            errors.append(f"{where}的标识“{name}”应以小写字母开头，仅含小写字母、数字和下划线")
        elif name in RESERVED_NAMES:
            errors.append(f"{where}的标识“{name}”为系统保留字，请换一个")
        elif name in seen:
            errors.append(f"{where}的标识“{name}”重复")
        seen.add(name)
        if not label:
            errors.append(f"{where}缺少显示名称")
        if kind not in FIELD_TYPES:
            errors.append(f"{where}的类型“{kind}”无效")
        options = field.get("options") or []
        if kind == "select" and (not isinstance(options, list) or not options):
            errors.append(f"{where}为单选，必须提供选项")
        pattern = field.get("pattern") or ""
        if pattern:
            try:
                re.compile(pattern)
            except re.error:
                errors.append(f"{where}的校验规则不是有效的正则表达式")
        prefill = field.get("prefill")
        if prefill not in (None, "") and prefill not in PREFILL_KEYS:
            errors.append(f"{where}的预填来源“{prefill}”无效")
        max_length = field.get("max_length")
        if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
            errors.append(f"{where}的最大长度应为正整数")
        result.append({
            "name": name, "label": label, "type": kind, "required": bool(field.get("required")),
            **({"options": [str(o) for o in options]} if kind == "select" else {}),
            **({"pattern": pattern} if pattern else {}),
            **({"max_length": max_length} if max_length else {}),
            **({"help": str(field["help"])} if field.get("help") else {}),
            **({"prefill": prefill} if prefill is not None else {}),
        })
    if errors:
        raise ValidationError("；".join(errors), code="form_definition.invalid",
                              details={"errors": errors})
    return result


def prefill_key(field: dict) -> str | None:
    """The semantic key of ``field`` for pre-filling, or None."""
    if "prefill" in field:
        return field["prefill"] or None
    return NAME_KEYS.get(field["name"])


def _clean_value(field: dict, raw: Any) -> Any:
    kind = field["type"]
    if kind == "checkbox":
        return raw in (True, "true", "on", "1", 1)
    text = str(raw).strip()
    if "max_length" in field and len(text) > field["max_length"]:
        raise ValueError(f"不能超过{field['max_length']}个字符")
    if field.get("pattern") and not re.fullmatch(field["pattern"], text):
        raise ValueError("格式不正确")
    if kind == "number":
        try:
            return str(Decimal(text))
        except InvalidOperation:
            raise ValueError("应为数字") from None
    if kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("应为日期，格式如 2026-01-31") from None
    if kind == "select" and text not in field["options"]:
        raise ValueError("不是可选的值")
    if kind == "phone" and not _PHONE.fullmatch(text):
        raise ValueError("应为11位手机号码")
    if kind == "email" and not _EMAIL.fullmatch(text):
        raise ValueError("不是有效的电子邮箱")
    if kind in ("id_number", "uscc"):
        try:
            return (validate_resident_id if kind == "id_number" else validate_uscc)(text)
        except DomainError as exc:
            raise ValueError(exc.message) from None
    return text


def validate_submission(definition: list[dict], data: dict[str, Any]) -> dict[str, Any]:
    """Check ``data`` against the form; list every problem at once (一次性告知)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in definition:
        raw = data.get(field["name"])
        if raw in (None, "", []) and field["type"] != "checkbox":
            if field["required"]:
                errors[field["name"]] = f"请填写{field['label']}"
            continue
        try:
            cleaned[field["name"]] = _clean_value(field, raw)
        except ValueError as exc:
            errors[field["name"]] = f"{field['label']}{exc}"
    if errors:
        raise ValidationError("申请表填写有误：" + "；".join(errors.values()),
                              code="form.invalid", details={"fields": errors})
    return cleaned
