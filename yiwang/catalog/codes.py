"""Service-item codes of GB/T 39554.1-2020, built and checked as pure functions.

- 基本编码 (basic code), 12 digits: area/level class (2) + item type (2) + 主项 (5: department
  code 2 + sequence 3) + 子项 (3, "000" for an item without sub-items).
  The area/level class is "00" for items set by national law and the two-digit province code for
  items set locally.
- 实施编码 (implementation code), 31 chars: implementing organisation's USCC (18) + level (1)
  + basic code (12).
- 业务办理项编码 (handling code), 33 chars: implementation code + 2 digits.

Every ``parse_*`` raises ``ValidationError`` whose ``code`` names the rule that failed and whose
message says exactly where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yiwang.common.errors import ValidationError
from yiwang.common.identifiers import validate_uscc

from .models import ItemLevel, ItemType

ITEM_TYPES = {choice.value for choice in ItemType}
LEVELS = {choice.value for choice in ItemLevel}


@dataclass(frozen=True)
class BasicCode:
    area_class: str
    item_type: str
    department_code: str
    sequence: str
    sub_item: str

    def __str__(self) -> str:
        return (f"{self.area_class}{self.item_type}{self.department_code}{self.sequence}"
                f"{self.sub_item}")


@dataclass(frozen=True)
class ImplementationCode:
    uscc: str
    level: str
    basic: BasicCode

    def __str__(self) -> str:
        return f"{self.uscc}{self.level}{self.basic}"


@dataclass(frozen=True)
class HandlingCode:
    implementation: ImplementationCode
    suffix: str

    def __str__(self) -> str:
        return f"{self.implementation}{self.suffix}"


def _digits(value: str, length: int, what: str, code: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(rf"[0-9]{{{length}}}", value):
        raise ValidationError(f"{what}应为{length}位数字，实际为“{value}”", code=code)
    return value


def parse_basic_code(value: str) -> BasicCode:
    value = (value or "").strip()
    if len(value) != 12:
        raise ValidationError(f"基本编码应为12位，实际为{len(value)}位", code="item_code.basic_length",
                              details={"value": value})
    bad = next((i for i, ch in enumerate(value) if not ch.isdigit() or not ch.isascii()), None)
    if bad is not None:
        raise ValidationError(f"基本编码第{bad + 1}位“{value[bad]}”不是数字",
                              code="item_code.basic_format", details={"value": value})
    item_type = value[2:4]
    if item_type not in ITEM_TYPES:
        raise ValidationError(
            f"基本编码第3-4位事项类型“{item_type}”无效，应为01-10或20",
            code="item_code.item_type", details={"value": value},
        )
    return BasicCode(value[0:2], item_type, value[4:6], value[6:9], value[9:12])


def parse_implementation_code(value: str) -> ImplementationCode:
    value = (value or "").strip()
    if len(value) != 31:
        raise ValidationError(f"实施编码应为31位，实际为{len(value)}位",
                              code="item_code.implementation_length", details={"value": value})
    try:
        uscc = validate_uscc(value[:18])
    except ValidationError as exc:
        raise ValidationError(f"实施编码前18位不是有效的统一社会信用代码：{exc.message}",
                              code="item_code.uscc", details={"value": value}) from exc
    level = value[18]
    if level not in LEVELS:
        raise ValidationError(f"实施编码第19位行使层级“{level}”无效，应为1-6",
                              code="item_code.level", details={"value": value})
    return ImplementationCode(uscc, level, parse_basic_code(value[19:]))


def parse_handling_code(value: str) -> HandlingCode:
    value = (value or "").strip()
    if len(value) != 33:
        raise ValidationError(f"业务办理项编码应为33位，实际为{len(value)}位",
                              code="item_code.handling_length", details={"value": value})
    implementation = parse_implementation_code(value[:31])
    suffix = _digits(value[31:], 2, "业务办理项编码末2位", "item_code.handling_suffix")
    return HandlingCode(implementation, suffix)


def build_basic_code(*, area_class: str, item_type: str, department_code: str, sequence: int,
                     sub_item: int = 0) -> BasicCode:
    _digits(area_class, 2, "区划层级分类", "item_code.area_class")
    if item_type not in ITEM_TYPES:
        raise ValidationError(f"事项类型“{item_type}”无效", code="item_code.item_type")
    _digits(department_code, 2, "部门编码", "item_code.department_code")
    if not 1 <= sequence <= 999:
        raise ValidationError("主项顺序号应在001-999之间", code="item_code.sequence")
    if not 0 <= sub_item <= 999:
        raise ValidationError("子项编号应在000-999之间", code="item_code.sub_item")
    return BasicCode(area_class, item_type, department_code, f"{sequence:03d}", f"{sub_item:03d}")


def build_handling_code(*, uscc: str, level: str, basic: BasicCode, suffix: int = 1) -> HandlingCode:
    if level not in LEVELS:
        raise ValidationError(f"行使层级“{level}”无效，应为1-6", code="item_code.level")
    if not 0 <= suffix <= 99:
        raise ValidationError("业务办理项序号应在00-99之间", code="item_code.handling_suffix")
    return HandlingCode(ImplementationCode(validate_uscc(uscc), level, basic), f"{suffix:02d}")
