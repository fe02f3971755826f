"""The search pages with the real engine (tantivy, character n-grams): 2-character queries,
synonyms, filters, bad input as a 400 page, and results that follow publication."""

import pytest

from tests.catalog.searchkit import BLANK_TEXTS, isolated_search_index
from tests.factories import DepartmentFactory
from yiwang.catalog.models import Synonym
from yiwang.catalog.search import search
from yiwang.catalog.search.engine import matching_ids
from yiwang.orgs.models import Department

from .factories import city, county, department_in, publish_item, republish, withdraw

SOCIAL_INSURANCE = {
    **BLANK_TEXTS,
    "name": "社会保险登记",
    "conditions": "在本省就业的职工及其用人单位",
    "materials": [{"name": "劳动合同", "necessity": "required", "form": "paper",
                   "paper_copies": 1, "source": "applicant"}],
}


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    yield from isolated_search_index(settings, tmp_path)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish with the on-commit reindex task run, as in production."""
    def run(department, **guide):
        with django_capture_on_commit_callbacks(execute=True):
            return publish_item(department, **guide)
    return run


@pytest.fixture
def social(department, publish):
    Synonym.objects.create(term="社保", expansions="社会保险")
    return publish(department, item_type="20", **SOCIAL_INSURANCE)


def test_two_character_query_finds_the_item_through_a_synonym(client, social, publish):
    passport = publish(DepartmentFactory(code="12"), **{**BLANK_TEXTS, "name": "普通护照签发"})
    html = client.get("/search/?q=社保").content.decode()
    assert "找到 <strong>1</strong> 个与“社保”相关的事项" in html
    assert "已同时搜索：社会保险" in html
    assert f'href="/items/{social.handling_code}/"><mark>社会保险</mark>登记</a>' in html
    assert passport.handling_code not in html
    assert f'href="/items/{passport.handling_code}/"' in client.get("/search/?q=护照").content.decode()


def test_filters_narrow_the_results(client, social, department):
    other = DepartmentFactory(code="12")
    base = "/search/?q=社保"
    assert social.handling_code in client.get(f"{base}&item_type=20").content.decode()
    assert "没有找到" in client.get(f"{base}&item_type=01").content.decode()
    assert social.handling_code in client.get(f"{base}&department={department.pk}").content.decode()
    assert "没有找到" in client.get(f"{base}&department={other.pk}").content.decode()
    assert social.handling_code in client.get(f"{base}&region=220000").content.decode()


@pytest.mark.parametrize("query, status, message", [
    ("q=", 400, "请输入要搜索的事项名称或关键词"),
    ("q=%20%20", 400, "请输入要搜索的事项名称或关键词"),
    ("q=" + "社" * 51, 400, "搜索关键词不能超过50个字"),
    ("q=社保&department=abc", 400, "部门编号“abc”无效"),
    ("q=社保&item_type=99", 400, "事项类型“99”无效"),
    ("q=社保&page=abc", 400, "页码和每页条数必须是整数"),
    ("q=社保&region=999999", 404, "区划代码“999999”不存在"),
])
def test_bad_input_is_a_page_with_the_reason_not_a_500(client, social, query, status, message):
    for prefix in ("/search/", "/m/search/"):
        response = client.get(f"{prefix}?{query}")
        assert response.status_code == status, prefix
        html = response.content.decode()
        assert message in html
        assert 'role="search"' in html


def test_results_follow_publication_and_withdrawal(client, social, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        republish(social, name="社会保险参保登记")
    html = client.get("/search/?q=参保").content.decode()
    assert f'href="/items/{social.handling_code}/"' in html

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(social)
    assert "没有找到与“社保”相关的事项" in client.get("/search/?q=社保").content.decode()


def test_mobile_search_lists_hits_linking_to_mobile_guides(client, social):
    html = client.get("/m/search/?q=社保").content.decode()
    assert f'href="/m/items/{social.handling_code}/"' in html
    assert "已同时搜索：社会保险" in html


def test_material_names_are_searchable_and_highlighted(client, social):
    html = client.get("/search/?q=劳动合同").content.decode()
    assert f'href="/items/{social.handling_code}/"' in html
    assert "<mark>劳动合同</mark>" in html


@pytest.fixture
def passport_everywhere(department, publish):
    """普通护照签发 implemented by the province, 长春市 and its 南关区 (one service)."""
    changchun = city()
    nanguan = county(changchun)
    return {body.region.code: publish(body, basic_code="220111001000",
                                      **{**BLANK_TEXTS, "name": "普通护照签发"})
            for body in (department, department_in(changchun, code="11", name="长春市公安局"),
                         department_in(nanguan, code="11", name="长春市公安局南关分局"))}


def test_one_service_is_one_result_implemented_for_the_users_region(client, passport_everywhere):
    for near, expected in (("220102", "220102"), ("220100", "220100"), ("220000", "220000")):
        html = client.get(f"/search/?q=护照&near={near}").content.decode()
        assert "找到 <strong>1</strong> 个与“护照”相关的事项" in html
        assert f'href="/items/{passport_everywhere[expected].handling_code}/"' in html
        assert "另有 2 个地区可办理" in html
    # The choice is remembered for the next search.
    html = client.get("/search/?q=护照").content.decode()
    assert f'href="/items/{passport_everywhere["220000"].handling_code}/"' in html
    assert '<option value="220000" selected>吉林省</option>' in html


def test_the_other_implementing_bodies_are_listed_one_click_away(client, passport_everywhere):
    html = client.get(
        f"/items/{passport_everywhere['220102'].handling_code}/implementations/").content.decode()
    assert "同一事项由以下 3 个机构实施" in html
    for item in passport_everywhere.values():
        assert f'href="/items/{item.handling_code}/"' in html
    assert html.index("吉林省公安厅") < html.index("长春市公安局") < html.index("长春市公安局南关分局")


def test_a_phrasing_finds_the_item_by_its_words_and_a_colloquial_phrase(client, department,
                                                                       publish):
    Synonym.objects.create(term="开公司", expansions="企业设立登记")
    founding = publish(DepartmentFactory(code="12"), **{**BLANK_TEXTS, "name": "企业设立登记"})
    passport = publish(department, **{**BLANK_TEXTS, "name": "普通护照签发"})
    html = client.get("/search/?q=怎么开公司").content.decode()
    assert f'href="/items/{founding.handling_code}/"' in html
    assert "已按词语搜索：开公司" in html
    html = client.get("/search/?q=网上办理护照签发").content.decode()
    assert f'href="/items/{passport.handling_code}/"' in html
    html = client.get("/search/?q=护照丢了补办").content.decode()
    assert f'href="/items/{passport.handling_code}/"' in html
    assert "部分匹配" in html


def test_services_are_counted_and_paged_as_one_result_each(department, publish,
                                                         passport_everywhere):
    for body in Department.objects.filter(code="11"):
        publish(body, basic_code="220111002000", **{**BLANK_TEXTS, "name": "普通护照加注"})
    first, second = (search("护照", page=n, page_size=1) for n in (1, 2))
    assert (first.total, first.pages, second.total) == (2, 2, 2)
    assert {first.hits[0].name, second.hits[0].name} == {"普通护照签发", "普通护照加注"}
    assert first.hits[0].other_count == second.hits[0].other_count == 2
    # Without the user's region a service shows its highest-level implementation.
    assert first.hits[0].region == second.hits[0].region == "吉林省"
    assert len(matching_ids("护照")) == 6
