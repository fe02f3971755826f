import pytest

from tests.catalog.searchkit import isolated_search_index, published_item
from yiwang.catalog.models import Synonym


@pytest.fixture(autouse=True)
def _isolated_index(settings, tmp_path):
    yield from isolated_search_index(settings, tmp_path)


@pytest.fixture
def items(django_capture_on_commit_callbacks, department, editor, reviewer):
    Synonym.objects.create(term="社保", expansions="社会保险")
    return [
        published_item(django_capture_on_commit_callbacks, department, editor, reviewer,
                       name="社会保险登记", conditions="用人单位<应当>自成立之日起三十日内办理"),
        published_item(django_capture_on_commit_callbacks, department, editor, reviewer,
                       name="社保卡补领", item_type="20"),
    ]


def test_search_returns_hits_total_and_expanded_terms(client, items):
    response = client.get("/api/search", {"q": "社保"})
    assert response.status_code == 200
    body = response.json()
    assert (body["query"], body["total"], body["page"], body["pages"]) == ("社保", 2, 1, 1)
    assert body["expanded_terms"] == ["社会保险"]
    by_name = {hit["name"]: hit for hit in body["hits"]}
    assert set(by_name) == {"社会保险登记", "社保卡补领"}
    hit = by_name["社会保险登记"]
    assert hit["handling_code"] == items[0].handling_code
    assert hit["name_html"] == "<mark>社会保险</mark>登记"
    assert (hit["item_type"], hit["item_type_name"]) == ("01", "行政许可")
    assert (hit["department"], hit["region_code"]) == ("吉林省公安厅", "220000")
    # Text around the marks is escaped: the page renders snippet_html as HTML.
    assert hit["snippet_html"] == "受理条件：用人单位&lt;应当&gt;自成立之日起三十日内办理"


def test_search_filters_and_paginates(client, items):
    body = client.get("/api/search", {"q": "社保", "item_type": "20"}).json()
    assert [h["name"] for h in body["hits"]] == ["社保卡补领"]
    body = client.get("/api/search", {"q": "社保", "page_size": 1, "page": 2}).json()
    assert (body["total"], body["pages"], len(body["hits"])) == (2, 2, 1)
    body = client.get("/api/search", {"q": "社保", "region": "220000",
                                      "department": items[0].department_id}).json()
    assert body["total"] == 2


def test_search_answers_without_database_queries(client, items, django_assert_num_queries):
    client.get("/api/search", {"q": "社保"})  # loads the synonym table once
    with django_assert_num_queries(0):
        response = client.get("/api/search", {"q": "社保", "item_type": "01"})
    assert response.json()["total"] == 1


@pytest.mark.parametrize("params, status, code", [
    ({}, 400, "search.empty_query"),
    ({"q": "  "}, 400, "search.empty_query"),
    ({"q": "社" * 51}, 400, "search.query_too_long"),
    ({"q": "社保", "region": "999999"}, 404, "region.not_found"),
    ({"q": "社保", "item_type": "99"}, 400, "item.type_invalid"),
    ({"q": "社保", "department": 424242}, 404, "department.not_found"),
    ({"q": "社保", "department": "abc"}, 422, "request.invalid"),
    ({"q": "社保", "page": -1}, 400, "pagination.out_of_range"),
    ({"q": "社保", "page_size": 1000}, 400, "pagination.out_of_range"),
    ({"q": "社保", "page": "abc"}, 422, "request.invalid"),
    ({"q": "社保", "page": 10**6}, 400, "search.page_too_deep"),
])
def test_bad_input_gets_a_4xx_with_a_stable_code(client, db, params, status, code):
    response = client.get("/api/search", params)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_search_is_documented_in_openapi(client, db):
    schema = client.get("/api/openapi.json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert parameters == {"q", "region", "near", "department", "item_type", "page", "page_size"}
