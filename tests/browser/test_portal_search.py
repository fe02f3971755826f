"""A citizen searches for 社保 from the home page, opens the guide and reads the materials; the
same guide on a phone-sized screen. Items are published through the catalogue services and
indexed by the on-commit task, as in production."""

import pytest

from tests.factories import DepartmentFactory, RegionFactory, id_card_type
from tests.portal.factories import city, county, publish_item
from yiwang.catalog.models import Synonym

pytestmark = pytest.mark.usefixtures("search_index")

MATERIALS = [
    {"name": "居民身份证", "necessity": "required", "form": "electronic", "source": "government",
     "exemption_source": "licence:jmsfz", "acceptance_standard": "在有效期内"},
    {"name": "劳动合同", "necessity": "required", "form": "paper", "paper_copies": 1,
     "source": "applicant"},
    {"name": "社会保险登记表", "necessity": "tolerated", "form": "both", "paper_copies": 2,
     "source": "other", "blank_form_url": "/media/forms/shbxdjb.xlsx"},
]


@pytest.fixture
def social_insurance(transactional_db):
    Synonym.objects.create(term="社保", expansions="社会保险")
    id_card_type()
    province = RegionFactory()
    hrss = DepartmentFactory(name="吉林省人力资源和社会保障厅", code="15", region=province)
    police = DepartmentFactory(name="吉林省公安厅", code="11", region=province)
    publish_item(police, name="普通护照签发", aliases="护照办理", conditions="中国公民")
    return publish_item(hrss, item_type="20", name="社会保险登记", aliases="参保登记",
                        conditions="在本省就业的职工及其用人单位", fees=[], materials=MATERIALS)


def test_search_for_shebao_from_home_then_read_the_materials(page, social_insurance):
    page.goto("/")
    page.get_by_role("searchbox", name="搜索事项").fill("社保")
    page.get_by_role("button", name="搜索", exact=True).click()

    page.wait_for_url("**/search/?q=*")
    assert "找到 1 个与“社保”相关的事项" in page.get_by_role("status").inner_text()
    assert page.get_by_text("已同时搜索：社会保险").is_visible()
    assert page.locator(".hit mark").first.is_visible()
    assert page.get_by_text("普通护照签发").count() == 0

    page.get_by_role("link", name="社会保险登记").click()
    page.wait_for_url(f"**/items/{social_insurance.handling_code}/")
    assert page.get_by_role("heading", level=1).inner_text() == "社会保险登记"
    rows = page.locator("table.materials tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).locator("th").inner_text() for i in range(3)] == [
        "居民身份证", "劳动合同", "社会保险登记表"]
    assert "免提交" in rows.nth(0).inner_text()
    assert "容缺" in rows.nth(2).inner_text()
    assert rows.nth(2).get_by_role("link", name="空白表格").is_visible()
    assert page.get_by_role("region", name="收费标准").get_by_text("不收费").is_visible()
    assert page.get_by_role("button", name="打印").is_visible()


def test_mobile_guide_renders_on_a_375px_screen(browser, live_server, social_insurance):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": 375, "height": 812}, is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto("/m/search/?q=社保")
        phone.get_by_role("link", name="社会保险登记").click()
        phone.wait_for_url(f"**/m/items/{social_insurance.handling_code}/")
        assert phone.get_by_role("heading", level=1).inner_text() == "社会保险登记"
        materials = phone.locator(".m-materials > li")
        assert materials.count() == 3
        assert materials.nth(0).is_visible()
        assert "居民身份证" in materials.nth(0).inner_text()
        # Nothing is wider than the screen: no sideways scrolling on a phone.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_a_phrasing_finds_one_service_done_where_the_citizen_lives(page, transactional_db):
    """怎么开公司 finds 企业设立登记 through the administrators' phrase; the province's and the
    district's implementations are one result, shown as the district's once the citizen says
    where they live, with the other body one click away."""
    Synonym.objects.create(term="开公司", expansions="企业设立登记")
    province = RegionFactory()
    chaoyang = county(city(), code="220104", name="朝阳区")
    bodies = [DepartmentFactory(name="吉林省市场监督管理厅", code="18", region=province),
              DepartmentFactory(name="长春市朝阳区市场监督管理局", code="18", region=chaoyang)]
    items = [publish_item(body, basic_code="220118001000", name="企业设立登记") for body in bodies]

    page.goto("/search/?q=怎么开公司")
    assert "找到 1 个与“怎么开公司”相关的事项" in page.get_by_role("status").inner_text()
    assert page.get_by_text("已按词语搜索：开公司").is_visible()
    assert page.locator(".hit").get_by_text("吉林省市场监督管理厅").is_visible()

    page.get_by_label("所在地区").select_option("220104")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**near=220104**")
    hit = page.locator(".hit")
    assert hit.count() == 1
    assert hit.get_by_text("长春市朝阳区市场监督管理局").is_visible()
    assert hit.get_by_role("link", name="企业设立登记").get_attribute("href") == (
        f"/items/{items[1].handling_code}/")

    hit.get_by_role("link", name="另有 1 个地区可办理").click()
    page.wait_for_url(f"**/items/{items[1].handling_code}/implementations/")
    assert page.get_by_role("heading", level=1).inner_text() == "“企业设立登记”的实施机构"
    assert page.get_by_role("link", name="企业设立登记").count() == 3  # breadcrumb + 2 bodies
