"""Who may use the 一件事 definition pages of the workbench: the rows of the site-wide rule
table for these URLs, each exercised for the catalogue roles of the lead department, another
department's editor and a superuser (as tests/workbench/test_authorization.py does for items)."""

import pytest

from tests.factories import TopicFactory
from tests.workbench.conftest import advance, make_item
from tests.workbench.test_authorization import (
    EDIT_ITEM_A,
    EVERY_STAFF,
    LOGIN,
    OK,
    REVIEW_ITEM_A,
    ROLES,
    SEE_ITEM_A,
    _fill,
    _outcome_of_page,
)
from yiwang.cases import services
from yiwang.workbench.bundle_urls import urlpatterns

STAFF = "catalogue staff of the lead department (tests/workbench/test_bundle_authorization.py)"
BUNDLE_WORKBENCH_RULES = {f"workbench:{p.name}": STAFF for p in urlpatterns}

# URL name: (state of department A's bundle, method, path, data, expected per role)
PAGES = {
    "bundles": (None, "get", "/workbench/bundles/", {}, EVERY_STAFF),
    "bundle-new": (None, "get", "/workbench/bundles/new/", {}, (LOGIN, OK, 403, OK, OK)),
    "bundle-detail": ("draft", "get", "/workbench/bundles/{bundle}/", {}, SEE_ITEM_A),
    "bundle-revise": ("published", "post", "/workbench/bundles/{bundle}/revise/", {}, EDIT_ITEM_A),
    "bundle-withdraw": ("published", "post", "/workbench/bundles/{bundle}/withdraw/",
                        {"reason": "场景调整"}, REVIEW_ITEM_A),
    "bundle-topics": ("draft", "post", "/workbench/bundles/{bundle}/topics/", {"topics": "{topic}"},
                      EDIT_ITEM_A),
    "bundle-version-edit": ("draft", "get", "/workbench/bundles/versions/{version}/edit/", {},
                            EDIT_ITEM_A),
    "bundle-version-submit": ("draft", "post", "/workbench/bundles/versions/{version}/submit/", {},
                              EDIT_ITEM_A),
    "bundle-version-approve": ("submitted", "post",
                               "/workbench/bundles/versions/{version}/approve/", {}, REVIEW_ITEM_A),
    "bundle-version-reject": ("submitted", "post", "/workbench/bundles/versions/{version}/reject/",
                              {"comment": "请补充事项"}, REVIEW_ITEM_A),
    "bundle-version-publish": ("approved", "post",
                               "/workbench/bundles/versions/{version}/publish/", {}, REVIEW_ITEM_A),
}


def test_every_bundle_page_has_a_rule():
    assert {p.name for p in urlpatterns} == set(PAGES)


def published_items(department, author, reviewer, count=2):
    items = []
    for n in range(count):
        item = make_item(department, author, name=f"事项{n + 1}")
        advance(item, "published", editor=author, reviewer=reviewer)
        items.append(item)
    return items


def make_bundle(department, author, reviewer, state: str = "draft", **definition):
    bundle = services.create_bundle(slug="test-bundle", actor=author, definition=services.BundleDefinition(
        name="测试一件事", lead_department=department,
        items=definition.pop("items", None) or published_items(department, author, reviewer),
        **definition))
    version = bundle.versions.get()
    steps = [("submitted", lambda: services.submit_bundle_version(version, actor=author)),
             ("approved", lambda: services.approve_bundle_version(version, actor=reviewer)),
             ("published", lambda: services.publish_bundle_version(version, actor=reviewer))]
    for status, step in steps:
        if version.status == state:
            break
        version = step()
    bundle.refresh_from_db()
    return bundle, version


@pytest.fixture
def users(editor, reviewer, other_editor, superuser):
    return {"anonymous": None, "editor_a": editor, "reviewer_a": reviewer,
            "editor_b": other_editor, "superuser": superuser}


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name", list(PAGES))
def test_bundle_page_access(client, users, department, author, reviewer, name, role_index, role):
    state, method, path, data, expected = PAGES[name]
    ids = {"topic": TopicFactory().pk}
    if state:
        bundle, version = make_bundle(department, author, users["reviewer_a"], state)
        ids.update(bundle=bundle.pk, version=version.pk)
    if users[role]:
        client.force_login(users[role])
    response = getattr(client, method)(_fill(path, ids), _fill(data, ids))
    assert _outcome_of_page(response) == expected[role_index], (name, role, response.status_code)
