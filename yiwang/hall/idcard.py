"""居民身份证读卡: what a card reader at a window or a terminal gives, checked before anyone
trusts it.

A real reader (GA 467 second-generation card readers) runs on the clerk's or the terminal's
computer; its driver sends the card's fields to the server, where an ``IdCardReader`` decodes
them (the setting ``IDCARD_READER`` / ``YIWANG_IDCARD_READER`` names the class). The simulator
takes the fields a development page posts and fills in what a card would carry beside them
(sex and birth date from the number, issuer, ten years of validity). Every reading goes through
``parse_reading``, which refuses a number with a bad check digit, fields that contradict the
number, and an expired card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from yiwang.common.errors import ValidationError
from yiwang.common.identifiers import mask_id, validate_resident_id

SEXES = ("男", "女")
MAX_TEXT = 100


@dataclass(frozen=True)
class IdCardReading:
    """The fields printed on (and stored in the chip of) a 居民身份证. ``valid_until`` None is
    长期 (cards issued at 46 and over do not expire)."""

    name: str
    id_number: str
    sex: str
    nation: str
    birth_date: dt.date
    address: str
    issuer: str
    valid_from: dt.date
    valid_until: dt.date | None

    @property
    def masked_id_number(self) -> str:
        return mask_id(self.id_number)


def _date(data: dict, key: str, label: str, *, required: bool = True) -> dt.date | None:
    value = data.get(key)
    if value in (None, "") or value == "长期":
        if required:
            raise ValidationError(f"读卡数据缺少{label}", code="idcard.incomplete")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).replace(".", "-"))
    except ValueError:
        raise ValidationError(f"读卡数据的{label}格式不正确", code="idcard.bad_date") from None


def _text(data: dict, key: str, label: str, *, required: bool = True) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        raise ValidationError(f"读卡数据缺少{label}", code="idcard.incomplete")
    if len(value) > MAX_TEXT:
        raise ValidationError(f"读卡数据的{label}过长", code="idcard.too_long")
    return value


def _number(raw: str) -> str:
    # GB 11643's check digit (ISO 7064 MOD 11-2) catches a misread chip or a forged card; it gets
    # its own code so the clerk is told to check the card itself, not to retype a number.
    raw = (raw or "").strip().upper()
    try:
        ric.validate(raw)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError("身份证号码校验位不正确，请核对证件或重新读卡",
                              code="idcard.bad_check_digit",
                              details={"value": mask_id(raw)}) from None
    except stdnum_errors.ValidationError:
        pass  # the general validator below says which rule failed
    return validate_resident_id(raw)


def parse_reading(data: dict, *, today: dt.date | None = None) -> IdCardReading:
    """An ``IdCardReading`` from a reader's fields, or ValidationError: ``idcard.bad_check_digit``,
    ``ric.*`` for other number faults, ``idcard.mismatch`` when the birth date or sex contradicts
    the number, ``idcard.expired`` / ``idcard.not_yet_valid`` for the validity period."""
    if not isinstance(data, dict):
        raise ValidationError("读卡数据应为对象", code="idcard.not_object")
    today = today or timezone.localdate()
    number = _number(str(data.get("id_number") or ""))
    born = ric.get_birth_date(number)
    sex = SEXES[(int(number[16]) + 1) % 2]
    birth_date = _date(data, "birth_date", "出生日期", required=False) or born
    if birth_date != born:
        raise ValidationError("读卡数据的出生日期与身份证号码不一致", code="idcard.mismatch")
    given_sex = _text(data, "sex", "性别", required=False) or sex
    if given_sex != sex:
        raise ValidationError("读卡数据的性别与身份证号码不一致", code="idcard.mismatch")
    valid_from = _date(data, "valid_from", "有效期起始日期")
    valid_until = _date(data, "valid_until", "有效期截止日期", required=False)
    if valid_from > today:
        raise ValidationError("该身份证尚未生效", code="idcard.not_yet_valid")
    if valid_until is not None and valid_until < today:
        raise ValidationError(f"该身份证已于{valid_until:%Y年%m月%d日}过期，请持有效证件办理",
                              code="idcard.expired")
    return IdCardReading(
        name=_text(data, "name", "姓名"), id_number=number, sex=sex,
        nation=_text(data, "nation", "民族", required=False) or "汉",
        birth_date=born, address=_text(data, "address", "住址", required=False),
        issuer=_text(data, "issuer", "签发机关", required=False), valid_from=valid_from,
        valid_until=valid_until)


class IdCardReader:
    """Decodes what one kind of reader sends. ``simulated`` tells the pages to offer the
    development form in place of a real card."""

    simulated = False

    def decode(self, payload: dict, *, today: dt.date | None = None) -> IdCardReading:
        raise NotImplementedError


class SimulatedIdCardReader(IdCardReader):
    """Development and tests: the page posts name and number (and may post any other field,
    e.g. an expired ``valid_until``); what is missing is filled in as a card issued five years
    ago for ten years would have it."""

    simulated = True

    def decode(self, payload: dict, *, today: dt.date | None = None) -> IdCardReading:
        if not isinstance(payload, dict):
            raise ValidationError("读卡数据应为对象", code="idcard.not_object")
        today = today or timezone.localdate()
        issued = today.replace(year=today.year - 5, day=min(today.day, 28))
        data = {"valid_from": issued.isoformat(),
                "valid_until": issued.replace(year=issued.year + 10).isoformat(),
                "issuer": "长春市公安局", "nation": "汉",
                **{k: v for k, v in payload.items() if v not in (None, "")}}
        return parse_reading(data, today=today)


class NoIdCardReader(IdCardReader):
    """Production until a real reader is configured: reading a card is refused, never faked."""

    def decode(self, payload: dict, *, today: dt.date | None = None) -> IdCardReading:
        raise ValidationError("本大厅尚未配置居民身份证读卡器，请联系大厅管理员",
                              code="idcard.no_reader")


def reader() -> IdCardReader:
    return import_string(settings.IDCARD_READER)()
