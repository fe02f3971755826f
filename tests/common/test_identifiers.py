from datetime import date, timedelta

import pytest
from django.utils import timezone
from stdnum.cn import ric

from yiwang.common.errors import ValidationError
from yiwang.common.identifiers import mask_id, mask_phone, redact_text, validate_resident_id


def test_resident_id_checks_birth_date_and_check_digit():
    assert validate_resident_id("11010519491231002X") == "11010519491231002X"
    with pytest.raises(ValidationError) as exc:
        validate_resident_id("110105194912310021")
    assert exc.value.code == "ric.checksum"
    with pytest.raises(ValidationError) as exc:
        validate_resident_id("110105194913310021")
    assert exc.value.code == "ric.component"
    assert "1949" not in str(exc.value.details)


def test_masking():
    assert mask_id("22010219800101123X") == "2201**********123X"
    assert mask_phone("13812345678") == "138****5678"


def _resident_id(area: str, born: date) -> str:
    body = f"{area}{born:%Y%m%d}001"
    return body + ric.calc_check_digit(body + "0")


def test_a_birth_date_after_today_is_refused(settings):
    today = timezone.localdate()
    assert validate_resident_id(_resident_id("220104", today))  # born today: a newborn
    for born in (today + timedelta(days=1), date(2099, 1, 1)):
        with pytest.raises(ValidationError) as exc:
            validate_resident_id(_resident_id("220104", born))
        assert exc.value.code == "ric.birth_date_future"
        assert exc.value.message == "居民身份证号中的出生日期晚于今天，请核对"
        assert f"{born:%Y%m%d}" not in str(exc.value.details)  # masked


def test_a_birth_date_before_1900_is_refused():
    assert validate_resident_id(_resident_id("110105", date(1900, 1, 1)))
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(_resident_id("110105", date(1899, 12, 31)))
    assert exc.value.code == "ric.birth_date_too_early"
    assert "1900" in exc.value.message


def test_free_text_is_shown_with_its_numbers_masked():
    text = "身份证220104199001011234，电话13912345678，邮箱wang@example.cn，等了40分钟"
    assert redact_text(text) == \
        "身份证2201**********1234，电话139****5678，邮箱w***@example.cn，等了40分钟"


def test_every_long_number_in_free_text_is_masked_but_short_ones_stay():
    # a landline, a 15-digit ID, an ID ending in X; a year and a count stay as written
    assert redact_text("座机88886666，旧证220104900101123，新证22010419900101123x，2026年办了3次") == \
        "座机********，旧证2201*******1123，新证2201**********123x，2026年办了3次"
