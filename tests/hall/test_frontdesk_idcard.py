import datetime as dt

import pytest
from django.test import override_settings

from tests.accounts.factories import make_id_number
from yiwang.common.errors import ValidationError
from yiwang.hall import idcard

TODAY = dt.date(2026, 12, 7)
NUMBER = make_id_number(7, dt.date(1990, 5, 17))


def card(**overrides):
    return {"name": "李娜", "id_number": NUMBER, "valid_from": "2020-01-01",
            "valid_until": "2030-01-01", "address": "长春市朝阳区", **overrides}


def bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_a_good_card_gives_sex_and_birth_date_from_the_number():
    reading = idcard.parse_reading(card(), today=TODAY)
    assert (reading.name, reading.id_number, reading.birth_date) == ("李娜", NUMBER,
                                                                     dt.date(1990, 5, 17))
    assert reading.sex == ("男" if int(NUMBER[16]) % 2 else "女")
    assert reading.masked_id_number == NUMBER[:4] + "*" * 10 + NUMBER[-4:]


def test_a_bad_check_digit_is_its_own_error():
    with pytest.raises(ValidationError) as caught:
        idcard.parse_reading(card(id_number=bad_check_digit(NUMBER)), today=TODAY)
    assert caught.value.code == "idcard.bad_check_digit"
    assert "校验位" in caught.value.message


def test_an_expired_card_is_refused_and_a_long_term_card_is_not():
    with pytest.raises(ValidationError) as caught:
        idcard.parse_reading(card(valid_until="2026-12-06"), today=TODAY)
    assert caught.value.code == "idcard.expired"
    assert "2026年12月06日" in caught.value.message
    assert idcard.parse_reading(card(valid_until="长期"), today=TODAY).valid_until is None
    assert idcard.parse_reading(card(valid_until="2026-12-07"), today=TODAY).valid_until == TODAY


@pytest.mark.parametrize(("field", "value", "code"), [
    ("birth_date", "1990-05-18", "idcard.mismatch"),
    ("valid_from", "2027-01-01", "idcard.not_yet_valid"),
    ("name", "", "idcard.incomplete"),
    ("valid_from", "20-01", "idcard.bad_date"),
    ("id_number", "22010419900517", "ric.length"),
])
def test_readings_that_contradict_themselves_are_refused(field, value, code):
    with pytest.raises(ValidationError) as caught:
        idcard.parse_reading(card(**{field: value}), today=TODAY)
    assert caught.value.code == code


def test_the_simulator_fills_in_what_a_card_carries_and_still_checks_it():
    reader = idcard.reader()
    assert reader.simulated
    reading = reader.decode({"name": "李娜", "id_number": NUMBER}, today=TODAY)
    assert reading.valid_from < TODAY < reading.valid_until
    assert reading.issuer == "长春市公安局"
    with pytest.raises(ValidationError) as caught:
        reader.decode({"name": "李娜", "id_number": NUMBER, "valid_until": "2025-01-01"},
                      today=TODAY)
    assert caught.value.code == "idcard.expired"


@override_settings(IDCARD_READER="yiwang.hall.idcard.IdCardReader")
def test_the_setting_chooses_the_reader():
    assert type(idcard.reader()) is idcard.IdCardReader
    with pytest.raises(NotImplementedError):
        idcard.reader().decode({})
