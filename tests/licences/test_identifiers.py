"""The GB/T 36904-style identifier and its ISO 7064 MOD 37,36 check character.

MOD 37,36 by hand, over the alphabet 0-9A-Z (value of a character = its index: 0-9 → 0-9,
A → 10 … Z → 35), M = 36: start with P = M / 2 = 18; for each character c,
    P = ((P or M) × 2 mod 37 + value(c)) mod 36
and the check character has the value (1 − (P or M) × 2 mod 37) mod 36.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.common.errors import ValidationError
from yiwang.licences import identifiers

USCC = "11220000013544357B"


def test_check_character_of_0_by_hand():
    # "0": P = (18×2 mod 37 + 0) mod 36 = 36 mod 36 = 0.
    # Check: (0 or 36) × 2 mod 37 = 72 mod 37 = 35; (1 − 35) mod 36 = −34 mod 36 = 2 → "2".
    assert identifiers.check_character("0") == "2"


def test_check_character_of_A9_by_hand():
    # "A" (10): P = (36 mod 37 + 10) mod 36 = 46 mod 36 = 10.
    # "9": P = (20 mod 37 + 9) mod 36 = 29.
    # Check: 29 × 2 mod 37 = 58 mod 37 = 21; (1 − 21) mod 36 = −20 mod 36 = 16 → "G".
    assert identifiers.check_character("A9") == "G"


def test_check_character_ignores_dots_and_case_by_hand():
    # "1.2.z" is checked as "12Z".
    # "1": P = (36 + 1) mod 36 = 1.  "2": P = (2 + 2) mod 36 = 4.
    # "Z" (35): P = (8 + 35) mod 36 = 43 mod 36 = 7.
    # Check: 7 × 2 mod 37 = 14; (1 − 14) mod 36 = −13 mod 36 = 23 → "N".
    assert identifiers.check_character("1.2.z") == "N"


def test_build_and_parse_round_trip():
    identifier = identifiers.build("spjyxkz", USCC, 42)
    body = f"1.2.156.3005.2.spjyxkz.{USCC}.000042.1"
    assert identifier == f"{body}.{identifiers.check_character(body)}"
    assert identifiers.parse(identifier) == identifiers.LicenceIdentifier("spjyxkz", USCC, 42, 1)


def test_wrong_check_character_names_the_expected_one():
    identifier = identifiers.build("spjyxkz", USCC, 1)
    expected = identifier[-1]
    wrong = "0" if expected != "0" else "1"
    with pytest.raises(ValidationError) as exc:
        identifiers.parse(identifier[:-1] + wrong)
    assert exc.value.code == "licence.bad_check"
    assert f"末位应为“{expected}”" in exc.value.message


@pytest.mark.parametrize("text", ["", "1.2.156.3005.2.spjyxkz", f"9.9.spjyxkz.{USCC}.000001.1.K",
                                  f"1.2.156.3005.2.SPJ.{USCC}.000001.1.K"])
def test_malformed_identifier_is_refused(text):
    with pytest.raises(ValidationError) as exc:
        identifiers.parse(text)
    assert exc.value.code == "licence.bad_format"


def test_build_refuses_a_bad_type_code_and_serial():
    with pytest.raises(ValidationError):
        identifiers.build("食品", USCC, 1)
    with pytest.raises(ValidationError):
        identifiers.build("spjyxkz", USCC, 1_000_000)


@given(serial=st.integers(1, 999_999), position=st.integers(0, 200),
       replacement=st.sampled_from(identifiers.ALPHABET + "abcdefxyz."))
def test_any_single_character_change_is_detected(serial, position, replacement):
    identifier = identifiers.build("spjyxkz", USCC, serial)
    position %= len(identifier)
    changed = identifier[:position] + replacement + identifier[position + 1:]
    if changed == identifier:
        return
    with pytest.raises(ValidationError):
        identifiers.parse(changed)
