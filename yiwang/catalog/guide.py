"""The guide (办事指南) as plain data: one dict shape shared by the editor, the API, import/export
and the version diff, and the one place where guide content is validated."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from yiwang.accounts.models import AssuranceLevel
from yiwang.common.errors import ValidationError

from .formdef import validate_form_definition
from .models import (
    Audience,
    GuideFaq,
    GuideVersion,
    HandlingKind,
    Material,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    RetentionPeriod,
)

# Scalar guide fields in display order, with their Chinese names (the model's verbose_name).
TEXT_FIELDS = [
    "name", "aliases", "audience", "legal_basis", "conditions", "handling_kind",
    "location", "office_hours", "consult_phone", "supervise_phone", "result_name",
    "result_licence_type", "retention_period",
]
INT_FIELDS = ["legal_time_limit", "promised_time_limit", "visits", "online_depth", "min_assurance_level"]
BOOL_FIELDS = ["single_window", "commitment_allowed"]
JSON_FIELDS = ["process_steps", "fees", "channels", "form_definition"]
GUIDE_FIELDS = TEXT_FIELDS + INT_FIELDS + BOOL_FIELDS + JSON_FIELDS
# What the version diff compares, in the order it is shown.
DIFF_FIELDS = [*GUIDE_FIELDS, "materials", "faqs"]
MATERIAL_FIELDS = [
    "name", "necessity", "form", "paper_copies", "source", "source_note", "blank_form_url",
    "sample_url", "acceptance_standard", "exemption_source", "note",
]
FAQ_FIELDS = ["question", "answer"]
CHANNELS = {"pc": "电脑端", "mobile": "移动端", "hall": "实体大厅", "self_service": "自助终端",
            "mini_program": "小程序"}


def field_label(name: str) -> str:
    if name == "materials":
        return "申请材料"
    if name == "faqs":
        return "常见问题"
    return str(GuideVersion._meta.get_field(name).verbose_name)


def guide_to_dict(version: GuideVersion) -> dict[str, Any]:
    data = {name: getattr(version, name) for name in GUIDE_FIELDS}
    data["materials"] = [
        {name: getattr(m, name) for name in MATERIAL_FIELDS} for m in version.materials.all()
    ]
    data["faqs"] = [{name: getattr(f, name) for name in FAQ_FIELDS} for f in version.faqs.all()]
    return data


def _as_int(value: Any, label: str, errors: list[str], lo: int, hi: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.append(f"{label}应为整数")
        return lo
    if not lo <= number <= hi:
        errors.append(f"{label}应在{lo}到{hi}之间")
    return number


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on", "是", "y"}
    return bool(value)


def _choice(value: Any, choices, label: str, errors: list[str]) -> str:
    value = str(value if value is not None else "").strip()
    by_label = {str(c.label): c.value for c in choices}
    if value in by_label:
        return by_label[value]
    if value not in {c.value for c in choices}:
        errors.append(f"{label}“{value}”无效，可选：{'、'.join(by_label)}")
    return value


def _clean_materials(raw: Any, errors: list[str]) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        errors.append("申请材料应为列表")
        return []
    cleaned = []
    for index, item in enumerate(raw, start=1):
        where = f"第{index}项材料"
        if not isinstance(item, dict):
            errors.append(f"{where}应为对象")
            continue
        name = str(item.get("name", "")).strip()
        if not name:
            errors.append(f"{where}缺少材料名称")
        material = {
            "name": name,
            "necessity": _choice(item.get("necessity", Necessity.REQUIRED), Necessity,
                                 f"{where}的必要性", errors),
            "form": _choice(item.get("form", MaterialForm.ELECTRONIC), MaterialForm,
                            f"{where}的材料形式", errors),
            "paper_copies": _as_int(item.get("paper_copies", 0) or 0, f"{where}的纸质份数",
                                    errors, 0, 20),
            "source": _choice(item.get("source", MaterialSource.APPLICANT), MaterialSource,
                              f"{where}的来源渠道", errors),
        }
        for key in ("source_note", "blank_form_url", "sample_url", "acceptance_standard",
                    "exemption_source", "note"):
            material[key] = str(item.get(key) or "").strip()
        for key, value in material.items():
            limit = Material._meta.get_field(key).max_length
            if limit and isinstance(value, str) and len(value) > limit:
                label = Material._meta.get_field(key).verbose_name
                errors.append(f"{where}的{label}不能超过{limit}个字符")
        if material["form"] in (MaterialForm.PAPER, MaterialForm.BOTH) and not material["paper_copies"]:
            errors.append(f"{where}“{name}”需要纸质材料，纸质份数至少为1")
        cleaned.append(material)
    return cleaned


def _clean_faqs(raw: Any, errors: list[str]) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        errors.append("常见问题应为对象列表")
        return []
    cleaned = []
    for index, entry in enumerate(raw, start=1):
        faq = {name: str(entry.get(name) or "").strip() for name in FAQ_FIELDS}
        for name in FAQ_FIELDS:
            field = GuideFaq._meta.get_field(name)
            if not faq[name]:
                errors.append(f"第{index}条常见问题缺少{field.verbose_name}")
            elif len(faq[name]) > field.max_length:
                errors.append(f"第{index}条常见问题的{field.verbose_name}不能超过{field.max_length}个字符")
        cleaned.append(faq)
    return cleaned


def _clean_list_of_dicts(raw: Any, label: str, required: tuple[str, ...],
                         errors: list[str]) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        errors.append(f"{label}应为对象列表")
        return []
    for index, entry in enumerate(raw, start=1):
        for key in required:
            if not str(entry.get(key, "")).strip():
                errors.append(f"{label}第{index}项缺少“{key}”")
    return [{k: str(v).strip() for k, v in entry.items()} for entry in raw]


def clean_guide(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a whole guide; raise ValidationError listing every problem (code guide.invalid)."""
    errors: list[str] = []
    out: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        out[name] = str(data.get(name) or "").strip()
    out["audience"] = _choice(out["audience"] or Audience.PERSON, Audience, "服务对象", errors)
    out["handling_kind"] = _choice(out["handling_kind"] or HandlingKind.PROMISED, HandlingKind,
                                   "办件类型", errors)
    out["retention_period"] = _choice(out["retention_period"] or RetentionPeriod.YEARS_30,
                                      RetentionPeriod, "档案保管期限", errors)
    if not out["name"]:
        errors.append("请填写事项名称")
    for name in TEXT_FIELDS:
        limit = GuideVersion._meta.get_field(name).max_length
        if limit and len(out[name]) > limit:
            errors.append(f"{field_label(name)}不能超过{limit}个字符")
    out["legal_time_limit"] = _as_int(data.get("legal_time_limit") or 0, "法定办结时限", errors, 0, 3650)
    out["promised_time_limit"] = _as_int(data.get("promised_time_limit") or 0, "承诺办结时限",
                                         errors, 0, 3650)
    out["visits"] = _as_int(data.get("visits") or 0, "到办事现场次数", errors, 0, 9)
    out["online_depth"] = _as_int(data.get("online_depth") or OnlineDepth.ONLINE_ACCEPT,
                                  "网上办理深度", errors, 1, 7)
    out["min_assurance_level"] = _as_int(
        data.get("min_assurance_level") or AssuranceLevel.SELF_DECLARED, "申请人最低实名等级", errors,
        AssuranceLevel.SELF_DECLARED, AssuranceLevel.IN_PERSON)
    if out["legal_time_limit"] and out["promised_time_limit"] > out["legal_time_limit"]:
        errors.append("承诺办结时限不能超过法定办结时限")
    if out["handling_kind"] == HandlingKind.IMMEDIATE and out["promised_time_limit"]:
        errors.append("即办件的承诺办结时限应为0个工作日")
    if out["handling_kind"] == HandlingKind.PROMISED and not out["promised_time_limit"]:
        errors.append("承诺件须填写承诺办结时限")
    if out["visits"] == 0 and out["online_depth"] < OnlineDepth.ONLINE_HANDLE:
        errors.append("到现场次数为0（全程网办）的事项，网上办理深度至少为“网上办理”")
    for name in BOOL_FIELDS:
        out[name] = _as_bool(data.get(name, GuideVersion._meta.get_field(name).default))
    out["process_steps"] = _clean_list_of_dicts(data.get("process_steps"), "办理流程", ("name",), errors)
    out["fees"] = _clean_list_of_dicts(data.get("fees"), "收费标准", ("name", "amount"), errors)
    for index, fee in enumerate(out["fees"], start=1):
        try:
            if Decimal(fee.get("amount", "")) < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"收费标准第{index}项的金额应为非负数")
    channels = data.get("channels") or []
    if isinstance(channels, str):
        channels = [c.strip() for c in channels.replace("，", ",").split(",") if c.strip()]
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        errors.append(f"办理渠道“{'、'.join(map(str, unknown))}”无效，可选：{'、'.join(CHANNELS)}")
    out["channels"] = list(dict.fromkeys(channels))
    try:
        out["form_definition"] = validate_form_definition(data.get("form_definition"))
    except ValidationError as exc:
        errors.extend(exc.details["errors"] if exc.details else [exc.message])
    out["materials"] = _clean_materials(data.get("materials"), errors)
    out["faqs"] = _clean_faqs(data.get("faqs"), errors)
    if errors:
        raise ValidationError("办事指南填写有误：" + "；".join(errors), code="guide.invalid",
                              details={"errors": errors})
    return out


def write_guide(version: GuideVersion, cleaned: dict[str, Any]) -> None:
    """Store cleaned guide data on ``version`` and replace its materials and FAQs."""
    for name in GUIDE_FIELDS:
        setattr(version, name, cleaned[name])
    version.save()
    version.materials.all().delete()
    Material.objects.bulk_create(
        Material(version=version, order=i, **m) for i, m in enumerate(cleaned["materials"], 1)
    )
    version.faqs.all().delete()
    GuideFaq.objects.bulk_create(
        GuideFaq(version=version, order=i, **f) for i, f in enumerate(cleaned["faqs"], 1)
    )


def diff_guides(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list]:
    """Fields whose value differs, as {field: [old, new]}; materials compare as a whole list."""
    return {
        name: [old.get(name), new.get(name)]
        for name in DIFF_FIELDS
        if old.get(name) != new.get(name)
    }


def diff_materials(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Compare two material lists row by row, for the version diff.

    Rows pair up by material name, because the name is what a reader recognises across versions
    and a reordered list is not a changed one; a renamed material therefore shows as one removed
    and one added row. Materials of the same name pair up in order. The result lists the new
    version's rows in their order, then the removed rows in their old order, each as
    ``{"status": "added" | "removed" | "changed" | "unchanged", "name", "old_position",
    "new_position", "old", "new", "fields": {field: [old, new]}}`` (positions from 1).
    """
    unmatched: dict[str, list[int]] = {}
    for index, row in enumerate(old):
        unmatched.setdefault(row.get("name", ""), []).append(index)
    result = []
    for new_index, row in enumerate(new):
        candidates = unmatched.get(row.get("name", ""))
        if not candidates:
            result.append({"status": "added", "name": row.get("name", ""), "old_position": None,
                           "new_position": new_index + 1, "old": None, "new": row, "fields": {}})
            continue
        old_index = candidates.pop(0)
        before = old[old_index]
        fields = {name: [before.get(name), row.get(name)] for name in MATERIAL_FIELDS
                  if before.get(name) != row.get(name)}
        result.append({"status": "changed" if fields else "unchanged", "name": row.get("name", ""),
                       "old_position": old_index + 1, "new_position": new_index + 1,
                       "old": before, "new": row, "fields": fields})
    removed = sorted(i for indexes in unmatched.values() for i in indexes)
    result.extend({"status": "removed", "name": old[i].get("name", ""), "old_position": i + 1,
                   "new_position": None, "old": old[i], "new": None, "fields": {}}
                  for i in removed)
    return result


def compare_guides(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list]:
    """The version diff shown to staff: changed guide elements with their Chinese names, in
    display order, and the materials compared row by row (``diff_materials``)."""
    return {
        "fields": [{"field": name, "label": field_label(name), "old": before, "new": after}
                   for name, (before, after) in diff_guides(old, new).items()
                   if name != "materials"],
        "materials": diff_materials(old.get("materials") or [], new.get("materials") or []),
    }
