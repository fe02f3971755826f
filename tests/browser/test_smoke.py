def test_home_page_shows_search_box(page):
    page.goto("/")
    assert page.title() == "首页 - 一网通办"
    assert page.get_by_role("searchbox").is_visible()
    page.get_by_role("button", name="大字模式").click()
    assert "large-font" in page.locator("html").get_attribute("class")
