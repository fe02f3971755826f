"""Validators for national identifiers, built on python-stdnum.

统一社会信用代码 (USCC, GB 32100-2015) and 居民身份证号 (GB 11643-1999). Each function returns the
compact form or raises ``ValidationError`` whose code says which rule failed. The masks show
such numbers (and free text containing them) to people who may not read them whole.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from .errors import ValidationError

_STDNUM_REASONS = {
    stdnum_errors.InvalidLength: ("length", "长度应为18位"),
    stdnum_errors.InvalidFormat: ("format", "格式不正确"),
    stdnum_errors.InvalidChecksum: ("checksum", "校验位不正确"),
    stdnum_errors.InvalidComponent: ("component", "包含无效的组成部分"),
}


def _reason(exc: stdnum_errors.ValidationError) -> tuple[str, str]:
    for cls, reason in _STDNUM_REASONS.items():
        if isinstance(exc, cls):
            return reason
    return ("invalid", "无效")


def validate_uscc(value: str) -> str:
    """Return the compact USCC or raise ``ValidationError(code="uscc.<rule>")``."""
    try:
        return uscc.validate(value)
    except stdnum_errors.ValidationError as exc:
        code, text = _reason(exc)
        raise ValidationError(
            f"统一社会信用代码“{value}”{text}", code=f"uscc.{code}", details={"value": value}
        ) from exc


# No one alive was born before this day; python-stdnum checks only that the date exists.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def validate_resident_id(value: str) -> str:
    """Return the compact 居民身份证号 or raise ``ValidationError(code="ric.<rule>")``.

    Besides python-stdnum's length, check digit, date and area checks, the birth date (出生日期码)
    must not lie after today (China time) nor before 1900: ``ric.birth_date_future`` and
    ``ric.birth_date_too_early``."""
    try:
        number = ric.validate(value)
    except stdnum_errors.ValidationError as exc:
        code, text = _reason(exc)
        raise ValidationError(
            f"居民身份证号{text}", code=f"ric.{code}", details={"value": mask_id(value)}
        ) from exc
    born = ric.get_birth_date(number)
    if born > timezone.localdate():
        raise ValidationError("居民身份证号中的出生日期晚于今天，请核对",
                              code="ric.birth_date_future", details={"value": mask_id(number)})
    if born < EARLIEST_BIRTH_DATE:
        raise ValidationError("居民身份证号中的出生日期早于1900年，请核对",
                              code="ric.birth_date_too_early", details={"value": mask_id(number)})
    return number


def mask_id(value: str) -> str:
    """2201**********1234: keep the area prefix and the last four characters."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """王* / 张*伟 / 欧**娜: the first character, and the last one of names of three or more, so
    a public answer confirms a match without spelling out who applied."""
    value = (value or "").strip()
    if len(value) <= 1:
        return "*" * len(value)
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


# In free text: any run of seven or more digits (an ID number, a mobile or landline, a bank card;
# an ID may end in X) and e-mail addresses.
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{7,}[0-9Xx]?(?![0-9Xx])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def redact_text(text: str) -> str:
    """Free text (a rating, a question, a complaint) as others may read it: long numbers masked
    (an 11-digit one as a phone, others as an ID) and e-mail addresses cut to their first letter.
    Names cannot be told from other words and stay as written."""
    def number(match: re.Match) -> str:
        value = match.group()
        return mask_phone(value) if len(value) == 11 else mask_id(value)
    text = _LONG_NUMBER.sub(number, text)
    return _EMAIL.sub(lambda m: m.group()[0] + "***@" + m.group().split("@", 1)[1], text)
