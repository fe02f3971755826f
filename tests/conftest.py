import pytest

from yiwang.orgs.models import Role

from .clients import VerifiedClient
from .factories import DepartmentFactory, RegionFactory, staff


@pytest.fixture
def province(db):
    return RegionFactory()


@pytest.fixture
def department(province):
    return DepartmentFactory(name="吉林省公安厅", code="11", region=province)


@pytest.fixture
def editor(department):
    return staff(department, Role.CATALOG_EDITOR, username="editor")


@pytest.fixture
def reviewer(department):
    return staff(department, Role.CATALOG_REVIEWER, username="reviewer")



@pytest.fixture
def client():
    return VerifiedClient()
