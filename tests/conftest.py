import pytest
from hypothesis import settings

from yiwang.calendar import workdays
from yiwang.orgs.models import Role

from .clients import VerifiedClient
from .factories import DepartmentFactory, RegionFactory, staff

# Hypothesis's per-example deadline is a timed assertion: on a loaded machine it fails correct
# code. Speed is measured in bench/, never asserted in tests.
settings.register_profile("yiwang", deadline=None)
settings.load_profile("yiwang")


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
