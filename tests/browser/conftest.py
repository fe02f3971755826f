"""Real-browser tests: Playwright driving Debian's chromium (never a downloaded browser).

Without chromium the tests are skipped with the install hint; in CI (YIWANG_REQUIRE_BROWSER=1)
a missing browser fails instead.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.catalog.searchkit import isolated_search_index

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium_path() -> str | None:
    return os.environ.get("YIWANG_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


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
