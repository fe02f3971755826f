import pytest

from tests.factories import DepartmentFactory, UserFactory, make_uscc, staff
from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.orgs.models import Role
from yiwang.orgs.services import create_department, departments_for, has_role, require_role


def test_create_department_validates_uscc(province):
    dept = create_department(name=" 吉林省医疗保障局 ", uscc=make_uscc(7).lower(), code="31",
                             region=province)
    assert dept.name == "吉林省医疗保障局"
    assert dept.uscc == make_uscc(7).upper()


@pytest.mark.parametrize("uscc, code", [
    ("123", "uscc.length"),
    (make_uscc(7)[:-1] + ("0" if make_uscc(7)[-1] != "0" else "1"), "uscc.checksum"),
])
def test_bad_uscc_rejected_with_reason(province, uscc, code):
    with pytest.raises(ValidationError) as exc:
        create_department(name="某局", uscc=uscc, code="31", region=province)
    assert exc.value.code == code


def test_department_code_and_uscc_unique(department, province):
    with pytest.raises(Conflict) as exc:
        create_department(name="另一个局", uscc=department.uscc, code="31", region=province)
    assert exc.value.code == "department.duplicate_uscc"
    with pytest.raises(Conflict) as exc:
        create_department(name="另一个局", uscc=make_uscc(99), code=department.code,
                          region=province)
    assert exc.value.code == "department.duplicate_code"
    with pytest.raises(ValidationError):
        create_department(name="另一个局", uscc=make_uscc(98), code="1", region=province)


def test_roles_are_per_department(department):
    other = DepartmentFactory(code="12")
    editor = staff(department, Role.CATALOG_EDITOR)
    assert has_role(editor, department, Role.CATALOG_EDITOR)
    assert not has_role(editor, department, Role.CATALOG_REVIEWER)
    assert not has_role(editor, other, Role.CATALOG_EDITOR)
    with pytest.raises(PermissionDenied) as exc:
        require_role(editor, other, Role.CATALOG_EDITOR)
    assert other.name in exc.value.message
    assert list(departments_for(editor, Role.CATALOG_EDITOR)) == [department]


def test_inactive_users_and_superusers(department):
    editor = staff(department, Role.CATALOG_EDITOR)
    editor.is_active = False
    assert not has_role(editor, department, Role.CATALOG_EDITOR)
    admin = UserFactory(is_superuser=True)
    assert has_role(admin, department, Role.CATALOG_REVIEWER)
