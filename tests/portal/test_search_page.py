"""The search page against the search interface (catalog.search.search), with a stand-in engine:
what the page sends to the engine and how it shows what comes back. With the real engine (bad
input, synonyms, publication): test_search_engine.py and the browser test."""

import pytest

from tests.factories import DepartmentFactory, UserFactory, staff
from yiwang.accounts.models import Citizen
from yiwang.catalog import search as catalog_search
from yiwang.catalog.search import Hit, SearchResults, SearchUnavailable
from yiwang.common.errors import ValidationError
from yiwang.common.pagination import parse_page_args
from yiwang.orgs.models import Role

from .factories import city, county, department_in


class FakeEngine:
    def __init__(self, hits=(), total=None, expanded=(), error=None, **results):
        self.calls = []
        self.hits = list(hits)
        self.total = len(self.hits) if total is None else total
        self.expanded = list(expanded)
        self.error = error
        self.results = results  # further SearchResults fields: match, words, region_empty, …

    def __call__(self, query, **filters):
        self.calls.append({"query": query, **filters})
        if self.error:
            raise self.error
        page, page_size = parse_page_args(filters["page"], filters["page_size"])
        return SearchResults(query=query, total=self.total, page=page, page_size=page_size,
                             hits=self.hits, expanded_terms=self.expanded, **self.results)


def hit(code="1" * 33, other_count=0):
    return Hit(handling_code=code, name="社会保险登记", department="吉林省人力资源和社会保障厅",
               region="吉林省", item_type="20", snippet_html="办理<mark>社保</mark>登记",
               score=1.0, item_type_name="公共服务", name_html="<mark>社会保险</mark>登记",
               other_count=other_count)


@pytest.fixture
def engine(monkeypatch):
    def install(**kwargs):
        fake = FakeEngine(**kwargs)
        monkeypatch.setattr(catalog_search, "search", fake)
        return fake
    return install


def test_search_shows_highlighted_hits_count_and_synonyms(client, db, engine):
    engine(hits=[hit()], expanded=["社会保险"])
    response = client.get("/search/?q=社保")
    html = response.content.decode()
    assert response.status_code == 200
    assert "找到 <strong>1</strong> 个与“社保”相关的事项" in html
    assert "办理<mark>社保</mark>登记" in html
    assert f'href="/items/{"1" * 33}/"><mark>社会保险</mark>登记</a>' in html
    assert "已同时搜索：社会保险" in html
    assert "公共服务" in html and "吉林省人力资源和社会保障厅" in html


def test_search_passes_the_query_and_filters_to_the_engine_as_given(client, department, engine):
    fake = engine(hits=[hit()])
    client.get(f"/search/?q=社保&region=220000&department={department.pk}&item_type=20&page=2")
    assert fake.calls == [{"query": "社保", "region": "220000", "department": str(department.pk),
                           "item_type": "20", "near": None, "page": "2", "page_size": 10}]


def test_search_filters_offer_regions_departments_and_types_and_keep_the_choice(
        client, department, engine):
    engine()
    other = DepartmentFactory(code="12", name="吉林省民政厅")
    html = client.get(f"/search/?q=婚姻&department={other.pk}&item_type=01").content.decode()
    assert '<label for="f-region">区划</label>' in html
    assert '<option value="220000">吉林省</option>' in html
    assert f'<option value="{other.pk}" selected>吉林省民政厅</option>' in html
    assert f'<option value="{department.pk}">吉林省公安厅</option>' in html
    assert '<option value="01" selected>行政许可</option>' in html


def test_search_pagination_keeps_query_and_filters(client, db, engine):
    engine(hits=[hit(code=f"{n:033d}") for n in range(10)], total=25)
    html = client.get("/search/?q=社保&region=220000").content.decode()
    assert "第 1 / 3 页" in html
    assert 'href="?q=%E7%A4%BE%E4%BF%9D&amp;region=220000&amp;page=2"' in html


def test_search_without_hits_shows_suggestions(client, db, engine):
    engine()
    html = client.get("/search/?q=火星移民").content.decode()
    assert "没有找到与“火星移民”相关的事项" in html
    assert "建议您" in html and 'href="/topics/"' in html


def test_search_page_without_a_query_shows_the_form_and_does_not_search(client, db, engine):
    fake = engine()
    response = client.get("/search/")
    assert response.status_code == 200
    assert fake.calls == []
    assert "请输入事项名称或关键词" in response.content.decode()


@pytest.mark.parametrize("error, status", [
    (ValidationError("请输入要搜索的事项名称或关键词", code="search.empty_query"), 400),
    (SearchUnavailable(), 503),
])
def test_engine_errors_are_shown_with_their_status_and_the_search_box(client, db, engine,
                                                                      error, status):
    engine(error=error)
    response = client.get("/search/?q=")
    assert response.status_code == status
    html = response.content.decode()
    assert error.message in html and error.code in html
    assert 'role="search"' in html


def test_mobile_search_links_to_mobile_guides(client, db, engine):
    engine(hits=[hit()], expanded=["社会保险"])
    html = client.get("/m/search/?q=社保").content.decode()
    assert f'href="/m/items/{"1" * 33}/"><span class="m-list-name"><mark>社会保险</mark>登记' in html
    assert "办理<mark>社保</mark>登记" in html
    assert "已同时搜索：社会保险" in html


def test_search_page_query_budget_excluding_the_engine(client, department, engine,
                                                       django_assert_num_queries):
    engine(hits=[hit()])
    for n in range(5):
        DepartmentFactory(code=f"{20 + n}")
    # departments (and their regions) for the filter selects, or the regions alone on the mobile
    # page; the published 一件事 the query names
    with django_assert_num_queries(2):
        assert client.get("/search/?q=社保").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/m/search/?q=社保").status_code == 200


def test_partial_matches_are_called_partial(client, db, engine):
    engine(hits=[hit()], match="partial", words=["孩子", "上学"])
    for prefix in ("/search/", "/m/search/"):
        html = client.get(f"{prefix}?q=孩子上学").content.decode()
        assert "没有同时包含“孩子”、“上学”的事项，以下是<strong>部分匹配</strong>的结果" in html


def test_words_searched_for_a_phrasing_are_shown(client, db, engine):
    engine(hits=[hit()], match="words", words=["开公司"])
    html = client.get("/search/?q=怎么开公司").content.decode()
    assert "已按词语搜索：开公司" in html
    assert "部分匹配" not in html


def test_an_empty_region_says_so_and_shows_its_parents_items(client, db, engine):
    engine(hits=[hit()], region_empty="吉林省长春市朝阳区", region_used="吉林省长春市")
    html = client.get("/search/?q=护照&region=220104").content.decode()
    assert ("吉林省长春市朝阳区暂无与“护照”相关的事项，以下是上级区划<strong>吉林省长春市</strong>的事项"
            in html)


def test_other_implementing_bodies_are_one_click_away(client, db, engine):
    engine(hits=[hit(other_count=3)], total=1)
    for prefix in ("/search/", "/m/search/"):
        html = client.get(f"{prefix}?q=社保").content.decode()
        assert f'href="/items/{"1" * 33}/implementations/">另有 3 个地区可办理</a>' in html


@pytest.fixture
def chaoyang(db):
    return county(city(), code="220104", name="朝阳区")


def test_the_users_region_is_chosen_on_the_page_and_remembered(client, chaoyang, engine):
    fake = engine()
    client.get("/search/?q=护照&near=220104")
    client.get("/m/search/?q=护照")
    html = client.get("/search/?q=护照").content.decode()
    assert [call["near"] for call in fake.calls] == ["220104"] * 3
    assert '<option value="220104" selected>吉林省长春市朝阳区</option>' in html
    client.get("/search/?q=护照&near=")  # 不指定
    client.get("/search/?q=护照")
    assert [call["near"] for call in fake.calls[3:]] == [None, None]


def test_the_users_region_defaults_to_the_citizens_household_region(client, chaoyang, engine):
    fake = engine()
    user = UserFactory(username="zhangwei")
    user.save()  # the password set after creation, which the session's auth hash follows
    Citizen.objects.create(user=user, name="张伟", id_number="220104198603122137",
                           mobile="13800000000")
    client.force_login(user)
    client.get("/search/?q=护照")
    assert fake.calls[-1]["near"] == "220104"
    client.get("/search/?q=护照&near=220100")  # changed on the page
    client.get("/search/?q=护照")
    assert fake.calls[-1]["near"] == "220100"


def test_a_staff_members_region_is_their_departments(client, chaoyang, engine):
    fake = engine()
    client.force_login(staff(department_in(chaoyang, code="11"), Role.ACCEPTOR))
    client.get("/search/?q=护照")
    assert fake.calls[-1]["near"] == "220104"


def test_an_unknown_region_is_a_404_page_not_a_500(client, db, engine):
    response = client.get("/search/?q=护照&near=999999")
    assert response.status_code == 404
    assert "区划代码“999999”不存在" in response.content.decode()
