"""Real-browser tests: Playwright driving Debian's chromium (never a downloaded browser).

Without chromium the tests are skipped with the install hint; in CI (YIWANG_REQUIRE_BROWSER=1)
a missing browser fails instead.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil

import pytest
from django.utils import timezone

from tests import demodata
from tests.catalog.searchkit import isolated_search_index

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium_path() -> str | None:
    return os.environ.get("YIWANG_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")


@pytest.hookimpl(trylast=True)  # after pytest-django has sorted the tests by database use
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    demodata.keep_demo_tests_together(items, demodata.DEMO_SITE_FIXTURE)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = "未找到 chromium，跳过浏览器测试。安装方法：sudo apt-get install chromium"
        if os.environ.get("YIWANG_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this test process knows what it is doing.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def close_browser_contexts(request):
    """Every browser context a test opened is closed at its end. One left open keeps its
    kept-alive connections, and the live server's request threads serving them, after the server
    has stopped; when they end they close a database connection the server no longer shares
    (SQLite: "DatabaseWrapper objects created in a thread can only be used in that same thread")."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture
def search_index(settings, tmp_path):
    """An empty search index of the test's own, which the on-commit reindex task fills."""
    yield from isolated_search_index(settings, tmp_path)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# --- the demo site: one committed load of ``manage.py load_demo`` per run (tests/demodata.py) ---

DESKTOP = {"width": 1280, "height": 900}
DEMO_SITE_KEY = pytest.StashKey[contextlib.ExitStack]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """The demo site is closed (server stopped, tables emptied) after the last test using it."""
    yield
    uses = demodata.uses_demo
    if uses(item, demodata.DEMO_SITE_FIXTURE) and (
            nextitem is None or not uses(nextitem, demodata.DEMO_SITE_FIXTURE)):
        site = item.config.stash.get(DEMO_SITE_KEY, None)
        if site is not None:
            site.close()


@pytest.fixture(scope="session")
def demo_database(request, django_db_setup, django_db_blocker):
    with demodata.database_for(request.session, django_db_blocker):
        yield


@pytest.fixture(scope="session")
def demo_site(request, demo_database, django_db_blocker, browser, tmp_path_factory):
    """The live server on the committed demo, shared by every browser test that uses it (they run
    one after the other); database access from the test is allowed meanwhile."""
    site = request.config.stash[DEMO_SITE_KEY] = contextlib.ExitStack()
    with site:
        yield site.enter_context(demodata.live_site(django_db_blocker,
                                                    tmp_path_factory.mktemp("demo-index")))


@pytest.fixture
def visitor(browser, demo_site):
    """Opens a page in a new browser context (its own cookies: one per person) on the demo site;
    ``close_browser_contexts`` closes them at the end of the test, before the site may stop."""

    def open_page():
        page = browser.new_context(base_url=demo_site.url, locale="zh-CN", viewport=DESKTOP).new_page()
        page.set_default_timeout(10_000)
        return page

    return open_page


# --- the demo hall open whenever the hall tests run ----------------------------------------------

DEMO_HALL = "长春市政务服务中心"
ALL_DAY = (datetime.time.min, datetime.time.max)


@pytest.fixture(scope="module")
def hall_open_today(demo_site):
    """长春市政务服务中心 of the demo, open today all day long, whatever the real date and hour: today
    is made a working day of the hall's region through the working-day calendar (an override, so a
    public holiday or a weekend is a 调休上班日 too) and every kind of day gets one opening period
    over the whole day. Both are put back afterwards, so the demo stays as it was for the tests
    after. A module's tests share it (the demo is committed, not rolled back per test)."""
    from yiwang.calendar import services as calendar
    from yiwang.calendar.models import CalendarDay
    from yiwang.calendar.models import DayKind as CalendarKind
    from yiwang.hall.models import DayKind, OpeningPeriod
    from yiwang.orgs.models import ServiceHall

    hall = ServiceHall.objects.select_related("region").get(name=DEMO_HALL)
    today = timezone.localdate()
    kept_day = CalendarDay.objects.filter(date=today, region=hall.region).first()
    kept_periods = list(OpeningPeriod.objects.filter(hall=hall).values("day_kind", "start", "end"))
    calendar.set_day(actor=None, date=today, kind=CalendarKind.WORKDAY, region=hall.region,
                     note="浏览器测试：大厅今天办公")
    OpeningPeriod.objects.filter(hall=hall).delete()
    OpeningPeriod.objects.bulk_create(OpeningPeriod(hall=hall, day_kind=kind, start=ALL_DAY[0],
                                                    end=ALL_DAY[1]) for kind in DayKind.values)
    yield hall
    OpeningPeriod.objects.filter(hall=hall).delete()
    OpeningPeriod.objects.bulk_create(OpeningPeriod(hall=hall, **row) for row in kept_periods)
    if kept_day is None:
        calendar.remove_day(actor=None, day=CalendarDay.objects.get(date=today, region=hall.region))
    else:
        calendar.set_day(actor=None, date=today, kind=kept_day.kind, name=kept_day.name,
                         region=hall.region, note=kept_day.note)
