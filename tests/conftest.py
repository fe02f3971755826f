import pytest

from yiwang.calendar import workdays
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


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """The working-day calendar caches day sets per process; a test's rows are rolled back at its
    end, which no service sees. Every test starts and ends with an empty cache."""
    workdays.invalidate()
    yield
    workdays.invalidate()
