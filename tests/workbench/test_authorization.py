"""Who may do what: every workbench page and every staff API operation, for each kind of user.

The tables below must name every URL pattern of the workbench and every operation of the staff
router; a new page or endpoint without a row here fails ``test_every_*_has_a_rule``, so nobody
adds one without deciding who may use it.

Each case builds the state in which the action is legitimate (a draft to submit, a submitted
version by another author to approve, …) so that "allowed" really means the action succeeded.
Expected outcomes: OK (done), 403 (may see the item but lacks the role), 404 (another
department's item: not even its existence is shown), LOGIN (anonymous: log-in page or 401).
"""

import pytest
from django.urls import URLPattern

from tests.factories import TopicFactory, guide_data
from tests.workbench.conftest import advance
from yiwang.catalog.staff_api import router
from yiwang.orgs.models import Membership
from yiwang.workbench import urls as workbench_urls

OK, LOGIN = "ok", "login"
ROLES = ("anonymous", "editor_a", "reviewer_a", "editor_b", "superuser")

# role: anonymous, editor A, reviewer A, editor B, superuser
EVERY_STAFF = (LOGIN, OK, OK, OK, OK)
SEE_ITEM_A = (LOGIN, OK, OK, 404, OK)
EDIT_ITEM_A = (LOGIN, OK, 403, 404, OK)
REVIEW_ITEM_A = (LOGIN, 403, OK, 404, OK)
API_EVERY_STAFF, API_SEE_A, API_EDIT_A, API_REVIEW_A = (
    (LOGIN, *rule[1:]) for rule in (EVERY_STAFF, SEE_ITEM_A, EDIT_ITEM_A, REVIEW_ITEM_A))

# URL name: (state of department A's item, method, path, data, expected per role)
PAGES = {
    "home": (None, "get", "/workbench/", {}, EVERY_STAFF),
    "items": (None, "get", "/workbench/items/", {}, EVERY_STAFF),
    "item-new": (None, "get", "/workbench/items/new/", {}, (LOGIN, OK, 403, OK, OK)),
    "item-detail": ("draft", "get", "/workbench/items/{item}/", {}, SEE_ITEM_A),
    "item-history": ("draft", "get", "/workbench/items/{item}/history/", {}, SEE_ITEM_A),
    "item-diff": ("draft", "get", "/workbench/items/{item}/diff/", {}, SEE_ITEM_A),
    "item-revise": ("published", "post", "/workbench/items/{item}/revise/", {}, EDIT_ITEM_A),
    "item-withdraw": ("published", "post", "/workbench/items/{item}/withdraw/",
                      {"reason": "依据废止"}, REVIEW_ITEM_A),
    "item-topics": ("draft", "post", "/workbench/items/{item}/topics/", {"topics": "{topic}"},
                    EDIT_ITEM_A),
    "version-detail": ("draft", "get", "/workbench/versions/{version}/", {}, SEE_ITEM_A),
    "version-edit": ("draft", "get", "/workbench/versions/{version}/edit/", {}, EDIT_ITEM_A),
    "version-submit": ("draft", "post", "/workbench/versions/{version}/submit/", {},
                       EDIT_ITEM_A),
    "version-approve": ("submitted", "post", "/workbench/versions/{version}/approve/", {},
                        REVIEW_ITEM_A),
    "version-reject": ("submitted", "post", "/workbench/versions/{version}/reject/",
                       {"comment": "请补充依据"}, REVIEW_ITEM_A),
    "version-publish": ("approved", "post", "/workbench/versions/{version}/publish/", {},
                        REVIEW_ITEM_A),
    "review": (None, "get", "/workbench/review/", {}, (LOGIN, 403, OK, 403, OK)),
    # Window clerks and supervisors: tests/accounts/test_authorization.py covers those roles.
    "identity-verify": (None, "get", "/workbench/identity/verify/", {}, (LOGIN, 403, 403, 403, OK)),
    "auth-events": (None, "get", "/workbench/security/events/", {}, (LOGIN, 403, 403, 403, OK)),
    "staff": (None, "get", "/workbench/staff/", {}, (LOGIN, 403, 403, 403, OK)),
    "staff-revoke": (None, "post", "/workbench/staff/{membership}/revoke/", {},
                     (LOGIN, 404, 404, 404, OK)),
}

API = "/api/staff/catalog"
# (method, router path): (state, concrete path, JSON body, expected per role)
OPERATIONS = {
    ("GET", "/items"): (None, "/items", None, API_EVERY_STAFF),
    ("POST", "/items"): (None, "/items", "new-item", (LOGIN, OK, 403, 403, OK)),
    ("GET", "/items/{item_id}"): ("draft", "/items/{item}", None, API_SEE_A),
    ("GET", "/versions/{version_id}"): ("draft", "/versions/{version}", None, API_SEE_A),
    ("PUT", "/versions/{version_id}"): ("draft", "/versions/{version}", {"guide": guide_data()},
                                        API_EDIT_A),
    ("POST", "/versions/{version_id}/submit"): ("draft", "/versions/{version}/submit", {},
                                                API_EDIT_A),
    ("POST", "/versions/{version_id}/approve"): ("submitted", "/versions/{version}/approve", {},
                                                 API_REVIEW_A),
    ("POST", "/versions/{version_id}/reject"): ("submitted", "/versions/{version}/reject",
                                                {"comment": "请补充依据"}, API_REVIEW_A),
    ("POST", "/versions/{version_id}/publish"): ("approved", "/versions/{version}/publish", {},
                                                 API_REVIEW_A),
    ("POST", "/items/{item_id}/withdraw"): ("published", "/items/{item}/withdraw",
                                            {"reason": "依据废止"}, API_REVIEW_A),
    ("POST", "/items/{item_id}/revision"): ("published", "/items/{item}/revision", {},
                                            API_EDIT_A),
    ("GET", "/items/{item_id}/history"): ("draft", "/items/{item}/history", None, API_SEE_A),
    ("GET", "/items/{item_id}/diff"): ("draft", "/items/{item}/diff?a={version}&b={version}",
                                       None, API_SEE_A),
}


def test_every_workbench_url_has_a_rule():
    names = {p.name for p in workbench_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(PAGES)


def test_every_staff_api_operation_has_a_rule():
    operations = {(method, path) for path, view in router.path_operations.items()
                  for operation in view.operations for method in operation.methods}
    assert operations == set(OPERATIONS)


@pytest.fixture
def users(editor, reviewer, other_editor, superuser):
    return {"anonymous": None, "editor_a": editor, "reviewer_a": reviewer,
            "editor_b": other_editor, "superuser": superuser}


@pytest.fixture
def prepare(draft_item, author, reviewer):
    """Put department A's item (drafted by ``author``) into the state a case needs."""

    def to(state):
        if state is None:
            return {"item": draft_item.pk, "version": draft_item.versions.get().pk}
        version = advance(draft_item, state, editor=author, reviewer=reviewer)
        return {"item": draft_item.pk, "version": version.pk}

    return to


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _outcome_of_page(response) -> str | int:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    if response.status_code in (200, 302):
        return OK
    return response.status_code


def _outcome_of_api(response) -> str | int:
    if response.status_code == 401:
        assert response.json()["code"] == "auth.required"
        return LOGIN
    if response.status_code in (200, 201):
        return OK
    return response.status_code


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_access(client, users, prepare, name, role_index, role):
    state, method, path, data, expected = PAGES[name]
    ids = {**prepare(state), "topic": TopicFactory().pk,
           "membership": Membership.objects.filter(user=users["reviewer_a"]).first().pk}
    if users[role]:
        client.force_login(users[role])
    response = getattr(client, method)(_fill(path, ids), _fill(data, ids))
    assert _outcome_of_page(response) == expected[role_index], (name, role, response.status_code)


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("operation", list(OPERATIONS), ids=" ".join)
def test_api_access(client, users, prepare, department, operation, role_index, role):
    state, path, body, expected = OPERATIONS[operation]
    ids = prepare(state)
    if body == "new-item":
        body = {"department_id": department.pk, "item_type": "20", "level": "2",
                "guide": guide_data()}
    if users[role]:
        client.force_login(users[role])
    method = operation[0].lower()
    url = API + _fill(path, ids)
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, _fill(body, ids), content_type="application/json")
    assert _outcome_of_api(response) == expected[role_index], (operation, role,
                                                                response.content[:200])
