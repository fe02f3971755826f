"""Staff catalogue API (/api/staff/catalog): every endpoint, its happy path and its refusals."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.clients import VerifiedClient
from tests.factories import TopicFactory, guide_data, staff
from tests.workbench.conftest import *  # noqa: F403 - the two-department world's fixtures
from tests.workbench.conftest import make_item
from yiwang.catalog import services
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.orgs.models import Role

API = "/api/staff/catalog"


@pytest.fixture
def api(client):
    """A JSON client signed in as the given user."""

    class Api:
        def as_user(self, user):
            client.force_login(user)
            return self

        def get(self, path, **params):
            return client.get(API + path, params)

        def post(self, path, body=None):
            return client.post(API + path, body or {}, content_type="application/json")

        def put(self, path, body):
            return client.put(API + path, body, content_type="application/json")

    return Api()


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def latest(item):
    return item.versions.order_by("-number").first()


def new_item_body(department, **overrides):
    return {"department_id": department.pk, "item_type": "01", "level": "2",
            "guide": guide_data(), **overrides}


# --- reading -------------------------------------------------------------------------------


def test_unauthenticated_call_gets_401(client, db):
    response = client.get(API + "/items")
    assert error(response) == (401, "auth.required")
    assert response.json()["message"] == "请先登录"


def test_list_shows_my_departments_items_with_latest_status(api, draft_item, published_item,
                                                            other_department, other_editor,
                                                            editor):
    make_item(other_department, other_editor, name="婚姻登记")
    body = api.as_user(editor).get("/items").json()
    assert body["total"] == 1
    (row,) = body["items"]
    assert (row["id"], row["name"], row["latest_status"], row["published_version_id"]) == (
        published_item.pk, "居民身份证换领", "published", latest(published_item).pk)


def test_list_filters_and_rejects_bad_filters(api, department, author):
    make_item(department, author, name="出生登记")
    make_item(department, author, name="户口迁移")
    client = api.as_user(author)
    assert [i["name"] for i in client.get("/items", q="迁移").json()["items"]] == ["户口迁移"]
    assert client.get("/items", status="draft", item_type="01").json()["total"] == 2
    assert client.get("/items", status="published").json()["total"] == 0
    assert error(client.get("/items", status="bogus")) == (400, "version.status_invalid")
    assert error(client.get("/items", item_type="99")) == (400, "item.type_invalid")
    assert error(client.get("/items", page_size=1000)) == (400, "pagination.out_of_range")
    assert error(client.get("/items", page="x")) == (422, "request.invalid")


def test_get_item_has_every_version(api, published_item, editor):
    client = api.as_user(editor)
    client.post(f"/items/{published_item.pk}/revision")
    body = client.get(f"/items/{published_item.pk}").json()
    assert [(v["number"], v["status"]) for v in body["versions"]] == [(2, "draft"),
                                                                      (1, "published")]
    assert body["versions"][1]["guide"]["materials"][0]["name"] == "原居民身份证"
    assert body["latest_status"] == "draft"


def test_get_version(api, draft_item, editor):
    version = latest(draft_item)
    body = api.as_user(editor).get(f"/versions/{version.pk}").json()
    assert (body["id"], body["status"], body["created_by"]) == (version.pk, "draft", "author")
    assert body["guide"]["fees"] == [{"name": "工本费", "amount": "20.00",
                                      "basis": "发改价格〔2003〕2322号"}]


@pytest.mark.parametrize("path", ["/items/{item}", "/versions/{version}",
                                  "/items/{item}/history", "/items/{item}/diff?a={version}&b={version}"])
def test_another_departments_item_is_not_found(api, draft_item, other_editor, path):
    url = path.format(item=draft_item.pk, version=latest(draft_item).pk)
    response = api.as_user(other_editor).get(url)
    assert response.status_code == 404
    assert response.json()["code"] in ("item.not_found", "version.not_found")


# --- creating and editing ------------------------------------------------------------------


def test_create_item_answers_201_with_the_draft(api, department, author):
    topic = TopicFactory()
    response = api.as_user(author).post("/items", new_item_body(department, topics=["birth"]))
    assert response.status_code == 201
    body = response.json()
    item = ServiceItem.objects.get()
    assert (body["id"], body["basic_code"], body["topics"]) == (item.pk, "220111001000",
                                                                 [topic.slug])
    assert [(v["number"], v["status"], v["created_by"]) for v in body["versions"]] == [
        (1, "draft", "author")]


def test_create_in_another_department_is_refused(api, department, other_editor):
    response = api.as_user(other_editor).post("/items", new_item_body(department))
    assert error(response) == (403, "permission.role_required")
    assert not ServiceItem.objects.exists()


def test_create_in_unknown_department_is_404(api, author):
    response = api.as_user(author).post("/items", {"department_id": 999999, "item_type": "01",
                                                   "level": "2", "guide": guide_data()})
    assert error(response) == (404, "department.not_found")


def test_create_with_invalid_guide_lists_every_error(api, department, author):
    bad = guide_data(name="", legal_time_limit=5, promised_time_limit=9)
    response = api.as_user(author).post("/items", new_item_body(department, guide=bad))
    assert error(response) == (400, "guide.invalid")
    assert response.json()["details"]["errors"] == ["请填写事项名称", "承诺办结时限不能超过法定办结时限"]
    assert not ServiceItem.objects.exists()


def test_create_with_duplicate_code_is_409(api, draft_item, department, author):
    response = api.as_user(author).post(
        "/items", new_item_body(department, basic_code=draft_item.basic_code))
    assert error(response) == (409, "item_code.duplicate")
    assert response.json()["details"] == {"code": draft_item.handling_code}


@pytest.mark.parametrize("overrides, code", [
    ({"basic_code": "2201110010"}, "item_code.basic_length"),
    ({"basic_code": "2201AB001000"}, "item_code.basic_format"),
    ({"basic_code": "229911001000", "item_type": "01"}, "item_code.item_type"),
    ({"basic_code": "220199001000"}, "item_code.department_mismatch"),
    ({"level": "9"}, "item_code.level"),
    ({"item_type": "42"}, "item_code.item_type"),
    ({"topics": ["no-such-topic"]}, "topic.unknown"),
])
def test_create_with_malformed_input_is_400_with_the_rule(api, department, author, overrides,
                                                          code):
    response = api.as_user(author).post("/items", new_item_body(department, **overrides))
    assert error(response) == (400, code)
    assert response.json()["message"]


def test_create_without_a_guide_is_422(api, department, author):
    response = api.as_user(author).post("/items", {"department_id": department.pk,
                                                   "item_type": "01", "level": "2"})
    assert error(response) == (422, "request.invalid")


def test_update_draft_saves_and_records_the_change(api, draft_item, editor):
    version = latest(draft_item)
    response = api.as_user(editor).put(f"/versions/{version.pk}",
                                       {"guide": guide_data(visits=2, result_name="居民身份证（换领）")})
    assert response.status_code == 200
    assert response.json()["guide"]["visits"] == 2
    history = api.get(f"/items/{draft_item.pk}/history").json()
    assert history[-1]["action"] == "edited"
    assert history[-1]["changes"] == {"visits": [1, 2],
                                      "result_name": ["居民身份证", "居民身份证（换领）"]}


def test_update_with_invalid_guide_is_400_and_saves_nothing(api, draft_item, editor):
    version = latest(draft_item)
    response = api.as_user(editor).put(f"/versions/{version.pk}",
                                       {"guide": guide_data(channels=["fax"])})
    assert error(response) == (400, "guide.invalid")
    assert response.json()["details"]["errors"] == [
        "办理渠道“fax”无效，可选：pc、mobile、hall、self_service、mini_program"]
    assert latest(draft_item).channels == ["pc", "mobile", "hall"]


def test_update_of_a_submitted_version_is_409(api, submitted_item, editor):
    response = api.as_user(editor).put(f"/versions/{latest(submitted_item).pk}",
                                       {"guide": guide_data()})
    assert error(response) == (409, "guide.illegal_transition")


def test_reviewer_cannot_update_a_draft(api, draft_item, reviewer):
    response = api.as_user(reviewer).put(f"/versions/{latest(draft_item).pk}",
                                         {"guide": guide_data()})
    assert error(response) == (403, "permission.role_required")


def test_other_department_cannot_update_a_draft(api, draft_item, other_editor):
    response = api.as_user(other_editor).put(f"/versions/{latest(draft_item).pk}",
                                             {"guide": guide_data()})
    assert error(response) == (404, "version.not_found")


# --- the review flow -----------------------------------------------------------------------


def test_submit_then_submitting_again_is_409(api, draft_item, editor):
    version = latest(draft_item)
    client = api.as_user(editor)
    assert client.post(f"/versions/{version.pk}/submit", {"comment": "请审核"}).json()[
        "status"] == "submitted"
    assert error(client.post(f"/versions/{version.pk}/submit")) == (409,
                                                                    "guide.illegal_transition")


def test_approve_and_publish_make_it_public(api, client, submitted_item, reviewer):
    version = latest(submitted_item)
    reviewer_api = api.as_user(reviewer)
    assert reviewer_api.post(f"/versions/{version.pk}/approve").json()["status"] == "approved"
    published = reviewer_api.post(f"/versions/{version.pk}/publish", {"comment": "上线"}).json()
    assert published["status"] == "published" and published["published_at"]
    public = Client().get(f"/api/catalog/items/{submitted_item.handling_code}")
    assert public.status_code == 200 and public.json()["version"] == 1


def test_self_review_is_403(api, department):
    both = staff(department, Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER, username="both")
    item = make_item(department, both)
    client = api.as_user(both)
    client.post(f"/versions/{latest(item).pk}/submit")
    response = client.post(f"/versions/{latest(item).pk}/approve")
    assert error(response) == (403, "guide.self_review")
    assert latest(item).status == VersionStatus.SUBMITTED


def test_editor_cannot_approve(api, submitted_item, editor):
    response = api.as_user(editor).post(f"/versions/{latest(submitted_item).pk}/approve")
    assert error(response) == (403, "permission.role_required")


@pytest.mark.parametrize("action", ["approve", "publish", "reject"])
def test_review_actions_on_a_draft_are_409(api, draft_item, reviewer, action):
    response = api.as_user(reviewer).post(f"/versions/{latest(draft_item).pk}/{action}",
                                          {"comment": "理由"})
    assert error(response) == (409, "guide.illegal_transition")


def test_reject_needs_a_reason(api, submitted_item, reviewer):
    version = latest(submitted_item)
    client = api.as_user(reviewer)
    assert error(client.post(f"/versions/{version.pk}/reject")) == (400, "guide.reason_required")
    body = client.post(f"/versions/{version.pk}/reject", {"comment": "依据过期"}).json()
    assert body["status"] == "draft"


def test_withdraw_takes_the_item_off_the_public_catalogue(api, published_item, reviewer):
    client = api.as_user(reviewer)
    url = f"/items/{published_item.pk}/withdraw"
    assert error(client.post(url, {"reason": " "})) == (400, "guide.reason_required")
    assert error(client.post(url)) == (422, "request.invalid")
    assert client.post(url, {"reason": "法律依据废止"}).json()["status"] == "withdrawn"
    assert error(client.post(url, {"reason": "再次"})) == (409, "guide.not_published")
    public = Client().get(f"/api/catalog/items/{published_item.handling_code}")
    assert error(public) == (404, "item.withdrawn")


def test_editor_cannot_withdraw(api, published_item, editor):
    response = api.as_user(editor).post(f"/items/{published_item.pk}/withdraw",
                                        {"reason": "不办了"})
    assert error(response) == (403, "permission.role_required")


def test_revision_opens_one_new_draft(api, published_item, editor):
    client = api.as_user(editor)
    first = client.post(f"/items/{published_item.pk}/revision").json()
    again = client.post(f"/items/{published_item.pk}/revision").json()
    assert (first["number"], first["status"]) == (2, "draft")
    assert again["id"] == first["id"]


def test_reviewer_cannot_start_a_revision(api, published_item, reviewer):
    response = api.as_user(reviewer).post(f"/items/{published_item.pk}/revision")
    assert error(response) == (403, "permission.role_required")


def test_history_lists_who_did_what_and_when(api, published_item, reviewer):
    events = api.as_user(reviewer).get(f"/items/{published_item.pk}/history").json()
    assert [(e["version_number"], e["action"], e["actor"]) for e in events] == [
        (1, "created", "author"), (1, "submitted", "author"), (1, "approved", "reviewer"),
        (1, "published", "reviewer")]
    assert events[2]["action_name"] == "审核通过" and events[2]["at"]


def test_diff_compares_fields_and_materials(api, published_item, editor):
    client = api.as_user(editor)
    draft = client.post(f"/items/{published_item.pk}/revision").json()
    changed = guide_data(visits=2, materials=[guide_data()["materials"][1]])
    client.put(f"/versions/{draft['id']}", {"guide": changed})
    v1 = published_item.versions.get(number=1).pk
    body = client.get(f"/items/{published_item.pk}/diff", a=v1, b=draft["id"]).json()
    assert (body["a_number"], body["b_number"]) == (1, 2)
    assert body["fields"] == [{"field": "visits", "label": "到办事现场次数", "old": 1, "new": 2}]
    assert [(m["status"], m["name"]) for m in body["materials"]] == [
        ("unchanged", "户口簿"), ("removed", "原居民身份证")]


def test_diff_with_bad_version_ids(api, draft_item, department, author):
    other = make_item(department, author, name="别的事项")
    client = api.as_user(author)
    own = latest(draft_item).pk
    assert error(client.get(f"/items/{draft_item.pk}/diff", a=own, b=latest(other).pk)) == (
        404, "version.not_found")
    assert error(client.get(f"/items/{draft_item.pk}/diff", a="x", b=own)) == (
        422, "request.invalid")


def test_unsafe_methods_need_the_csrf_token(draft_item, editor):
    client = VerifiedClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(f"{API}/versions/{latest(draft_item).pk}/submit", {},
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "auth.csrf_failed"
    assert latest(draft_item).status == VersionStatus.DRAFT
    assert client.get(f"{API}/items").status_code == 200


def test_list_and_item_queries_do_not_grow_with_the_data(api, department, author, reviewer):
    client = api.as_user(author)
    item = make_item(department, author, name="第一个")

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    list_once, item_once = count("/items"), count(f"/items/{item.pk}")
    for n in range(3):
        make_item(department, author, name=f"更多事项{n}")
        version = latest(item)
        services.submit_version(version, actor=author)
        services.approve_version(version, actor=reviewer)
        services.publish_version(version, actor=reviewer)
        services.start_revision(item, actor=author)
    assert item.versions.count() == 4
    assert count("/items") == list_once
    assert count(f"/items/{item.pk}") == item_once
