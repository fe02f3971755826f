from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from hypothesis import settings

from yiwang.calendar import workdays
from yiwang.catalog.search import rebuild, store, synonyms
from yiwang.orgs.models import Role

from . import demodata
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


# --- the demo (tests/demodata.py) -------------------------------------------------------------

DEMO_KEY = pytest.StashKey["demodata.DemoTransaction"]()


@pytest.hookimpl(trylast=True)  # after pytest-django has sorted the tests by database use
def pytest_collection_modifyitems(items):
    demodata.keep_demo_tests_together(items)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if demodata.uses_demo(item) and (nextitem is None or not demodata.uses_demo(nextitem)):
        opened = item.config.stash.get(DEMO_KEY, None)
        if opened is not None:
            opened.close()


@pytest.fixture(scope="session")
def demo_transaction(request, django_db_setup, django_db_blocker):
    opened = request.config.stash[DEMO_KEY] = demodata.DemoTransaction(django_db_blocker)
    opened.open()
    yield opened
    opened.close()


@pytest.fixture
def demo(demo_transaction, db):
    """The data of ``manage.py load_demo`` (loaded once per run, rolled back after the last test
    that uses it); returns what the command printed."""
    if demo_transaction.closed:
        pytest.fail("演示数据已回滚：使用 demo 的测试应连续运行（见 tests/demodata.py）")
    return demo_transaction.output


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (``load_demo``) and its search index, for one module; rolled back after it."""
    with (django_db_blocker.unblock(),
          override_settings(SEARCH_INDEX_DIR=tmp_path_factory.mktemp("demo-catalogue"))):
        store.reset()
        synonyms.clear_cache()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
            rebuild()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            store.reset()
            synonyms.clear_cache()
