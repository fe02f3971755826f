"""Keyboard use, visible focus, contrast, large-font mode and narrow screens on the portal, in a
real browser."""

import pytest

from tests.factories import DepartmentFactory, RegionFactory, id_card_type
from tests.portal.factories import publish_item

pytestmark = pytest.mark.usefixtures("search_index")

# WCAG 2.x contrast ratio of an element's text against the first opaque background behind it.
CONTRAST_JS = """
(el) => {
  const rgba = (s) => s.match(/[\\d.]+/g).map(Number);
  const lum = (colour) => {
    const c = rgba(colour).slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = el, background = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const c = getComputedStyle(node).backgroundColor;
    if ((rgba(c)[3] ?? 1) > 0) { background = c; break; }
  }
  const a = lum(getComputedStyle(el).color), b = lum(background);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


@pytest.fixture
def item(transactional_db):
    department = DepartmentFactory(name="吉林省公安厅", code="11", region=RegionFactory())
    id_card_type()  # so the guide shows its 免提交 badge, whose contrast is checked
    return publish_item(department)


def test_skip_link_is_the_first_tab_stop_and_focus_is_visible(page, item):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_large_font_mode_scales_text_and_is_remembered(page, item):
    page.goto(f"/items/{item.handling_code}/")
    size = "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    before = page.evaluate(size)
    page.get_by_role("button", name="大字模式").click()
    assert page.evaluate(size) == pytest.approx(before * 1.25)
    assert page.get_by_role("button", name="大字模式").get_attribute("aria-pressed") == "true"
    page.goto("/")
    assert "large-font" in page.locator("html").get_attribute("class")


@pytest.mark.parametrize("selector", [
    "main p", "main a", ".muted", ".top-nav a", ".hero h1", ".hero .hot-words a",
    ".site-footer p", ".stats dd",
])
def test_text_contrast_meets_wcag_aa(page, item, selector):
    page.goto("/")
    element = page.locator(selector).first
    assert element.evaluate(CONTRAST_JS) >= 4.5


@pytest.mark.parametrize("selector", [".badge", ".necessity-required", ".necessity-tolerated",
                                      ".badge-ok", ".facts th", "td", ".cell-note"])
def test_guide_contrast_meets_wcag_aa(page, item, selector):
    page.goto(f"/items/{item.handling_code}/")
    assert page.locator(selector).first.evaluate(CONTRAST_JS) >= 4.5


@pytest.mark.parametrize("path", ["/", "/topics/", "/departments/", "/regions/", "/search/",
                                  "ITEM", "ITEM/print/", "/m/", "/m/items/CODE/"])
def test_pages_fit_a_360px_screen_without_sideways_scrolling(browser, live_server, item, path):
    path = path.replace("ITEM", f"/items/{item.handling_code}").replace("CODE", item.handling_code)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    narrow = context.new_page()
    try:
        narrow.goto(path)
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
