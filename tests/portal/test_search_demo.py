"""Citizens' phrasings find their item on the demo catalogue (``load_demo``), with the real
engine: a representative handful of bench/search_phrasings.tsv, whose full list and hit rate
bench/search.py reports. The demo is loaded once for the module and rolled back at the end."""


import pytest

from yiwang.catalog.search import search

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("phrasing, item", [
    ("怎么开公司", "企业设立登记"),
    ("网上办理营业执照", "企业设立登记"),
    ("孩子上学", "义务教育阶段新生入学登记"),
    ("我要办身份证", "居民身份证首次申领"),
    ("社保卡丢了怎么补办", "社会保障卡申领"),
    ("生孩子报销", "生育津贴支付"),
    ("开饭店要办什么证", "食品经营许可"),
    ("失业金怎么领", "失业保险金申领"),
])
def test_a_citizens_phrasing_finds_its_item_in_the_first_five(demo_catalogue, db, phrasing, item):
    assert item in [hit.name for hit in search(phrasing, page_size=5).hits]


def test_the_search_page_shows_one_result_per_service_for_the_citizens_district(
        demo_catalogue, client):
    html = client.get("/search/?q=怎么开公司&near=220104").content.decode()
    assert "已按词语搜索：开公司" in html
    assert html.count("<mark>企业设立登记</mark></a>") == 1
    assert "长春市朝阳区市场监督管理局" in html
    assert "另有 3 个地区可办理" in html
