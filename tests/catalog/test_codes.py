import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_uscc
from yiwang.catalog import codes
from yiwang.catalog.models import ItemLevel, ItemType
from yiwang.common.errors import ValidationError

USCC = make_uscc(1)


def test_basic_code_parts():
    basic = codes.parse_basic_code("220111001000")
    assert (basic.area_class, basic.item_type, basic.department_code, basic.sequence,
            basic.sub_item) == ("22", "01", "11", "001", "000")


@pytest.mark.parametrize("value, code, fragment", [
    ("22011100100", "item_code.basic_length", "应为12位，实际为11位"),
    ("22011100100A", "item_code.basic_format", "第12位“A”不是数字"),
    ("22991100100０", "item_code.basic_format", "第12位"),
    ("221111001000", "item_code.item_type", "事项类型“11”无效"),
])
def test_bad_basic_code_says_exactly_why(value, code, fragment):
    with pytest.raises(ValidationError) as exc:
        codes.parse_basic_code(value)
    assert exc.value.code == code
    assert fragment in exc.value.message


def test_implementation_code_checks_uscc_check_digit():
    good = f"{USCC}3220111001000"
    assert codes.parse_implementation_code(good).uscc == USCC
    broken = ("0" if USCC[-1] != "0" else "1").join([USCC[:-1], ""]) + "3220111001000"
    with pytest.raises(ValidationError) as exc:
        codes.parse_implementation_code(broken)
    assert exc.value.code == "item_code.uscc"
    assert "校验位" in exc.value.message


def test_implementation_code_rejects_unknown_level():
    with pytest.raises(ValidationError) as exc:
        codes.parse_implementation_code(f"{USCC}7220111001000")
    assert exc.value.code == "item_code.level"


def test_handling_code_is_implementation_code_plus_two_digits():
    handling = codes.parse_handling_code(f"{USCC}322011100100001")
    assert handling.suffix == "01"
    with pytest.raises(ValidationError) as exc:
        codes.parse_handling_code(f"{USCC}32201110010000X")
    assert exc.value.code == "item_code.handling_suffix"


@given(
    area=st.from_regex(r"[0-9]{2}", fullmatch=True),
    item_type=st.sampled_from(ItemType.values),
    dept=st.from_regex(r"[0-9]{2}", fullmatch=True),
    seq=st.integers(1, 999),
    sub=st.integers(0, 999),
    level=st.sampled_from(ItemLevel.values),
    suffix=st.integers(0, 99),
)
def test_built_codes_parse_back_to_their_parts(area, item_type, dept, seq, sub, level, suffix):
    basic = codes.build_basic_code(area_class=area, item_type=item_type, department_code=dept,
                                   sequence=seq, sub_item=sub)
    handling = codes.build_handling_code(uscc=USCC, level=level, basic=basic, suffix=suffix)
    assert len(str(basic)) == 12 and len(str(handling.implementation)) == 31
    assert len(str(handling)) == 33
    assert codes.parse_handling_code(str(handling)) == handling


def test_non_ascii_digits_are_not_digits():
    # "٠" (Arabic-Indic zero) matches \d in Python regexes; codes must be ASCII.
    with pytest.raises(ValidationError) as exc:
        codes.build_basic_code(area_class="00", item_type="01", department_code="0٠", sequence=1)
    assert exc.value.code == "item_code.department_code"
