import pytest

from yiwang.common.errors import ValidationError
from yiwang.common.identifiers import mask_id, mask_phone, validate_resident_id


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
