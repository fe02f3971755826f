import pytest

from tests.catalog.test_services import publish
from tests.factories import guide_data
from yiwang.catalog import services


@pytest.fixture
def published(department, editor, reviewer):
    item = services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(), actor=editor)
    publish(item, editor, reviewer)
    return item


def test_item_detail_renders_published_guide(client, published):
    response = client.get(f"/api/catalog/items/{published.handling_code}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "居民身份证换领"
    assert [m["name"] for m in body["guide"]["materials"]] == ["原居民身份证", "户口簿"]
    assert body["version"] == 1


@pytest.mark.parametrize("code, status, error", [
    ("abc", 400, "item_code.length"),
    ("X" * 33, 400, "item_code.uscc"),
])
def test_malformed_codes_get_400_with_code(client, db, code, status, error):
    response = client.get(f"/api/catalog/items/{code}")
    assert response.status_code == status
    assert response.json()["code"] == error
    assert response.json()["message"]


def test_withdrawn_item_is_404_with_reason(client, published, reviewer):
    services.withdraw_item(published, actor=reviewer, reason="暂停办理")
    response = client.get(f"/api/catalog/items/{published.handling_code}")
    assert response.status_code == 404
    assert response.json()["code"] == "item.withdrawn"
    listing = client.get("/api/catalog/items").json()
    assert listing["total"] == 0


def test_list_filters_and_paginates(client, published):
    assert client.get("/api/catalog/items?item_type=01").json()["total"] == 1
    assert client.get("/api/catalog/items?item_type=20").json()["total"] == 0
    bad = client.get("/api/catalog/items?item_type=99")
    assert (bad.status_code, bad.json()["code"]) == (400, "item.type_invalid")
    bad_page = client.get("/api/catalog/items?page_size=1000")
    assert (bad_page.status_code, bad_page.json()["code"]) == (400, "pagination.out_of_range")
    not_int = client.get("/api/catalog/items?page=abc")
    assert (not_int.status_code, not_int.json()["code"]) == (422, "request.invalid")
