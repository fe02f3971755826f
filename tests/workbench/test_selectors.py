import pytest

from tests.factories import guide_data, staff
from tests.workbench.conftest import make_item
from yiwang.catalog import selectors, services
from yiwang.catalog.models import VersionStatus
from yiwang.catalog.review import authors_of
from yiwang.common.errors import NotFound, ValidationError
from yiwang.orgs.models import Role


def test_staff_items_are_limited_to_own_departments(draft_item, other_department, other_editor,
                                                    editor, superuser):
    theirs = make_item(other_department, other_editor, name="最低生活保障")
    assert list(selectors.staff_items(editor)) == [draft_item]
    assert list(selectors.staff_items(other_editor)) == [theirs]
    assert set(selectors.staff_items(superuser)) == {draft_item, theirs}
    with pytest.raises(NotFound):
        selectors.staff_item(other_editor, draft_item.pk)


def test_staff_items_carry_latest_version(published_item, author):
    services.start_revision(published_item, actor=author)
    row = selectors.staff_items(author).get()
    assert (row.latest_number, row.latest_status, row.latest_name) == (2, "draft", "居民身份证换领")


def test_filters_search_name_and_code_and_status(draft_item, published_item, department, author):
    second = make_item(department, author, name="户口迁移")
    assert list(selectors.filter_staff_items(author, q="迁移")) == [second]
    assert list(selectors.filter_staff_items(author, q=second.handling_code)) == [second]
    assert set(selectors.filter_staff_items(author, status="draft")) == {second}
    assert list(selectors.filter_staff_items(author, status="published")) == [published_item]
    assert list(selectors.filter_staff_items(author, item_type="20")) == []
    with pytest.raises(ValidationError):
        selectors.filter_staff_items(author, status="nonsense")


@pytest.mark.parametrize("how", ["created", "edited", "none"])
def test_authored_by_agrees_with_the_four_eyes_rule(draft_item, department, author, how):
    both = staff(department, Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER, username="both")
    version = draft_item.versions.get()
    if how == "created":
        draft_item = make_item(department, both, name="另一个事项")
        version = draft_item.versions.get()
    elif how == "edited":
        services.update_draft(version, guide_data(conditions="改过的条件"), actor=both)
    flagged = selectors.with_authored_by(type(version).objects.filter(pk=version.pk), both).get()
    assert flagged.authored_by_me == (both.pk in authors_of(version))
    assert flagged.authored_by_me == (how != "none")


def test_counts_on_the_staff_home(draft_item, submitted_item, department, author, reviewer):
    make_item(department, author, name="户口迁移")
    approved = make_item(department, author, name="出生登记")
    services.submit_version(approved.versions.get(), actor=author)
    services.approve_version(approved.versions.get(), actor=reviewer)
    assert selectors.workbench_counts(author) == {
        "my_drafts": 1, "awaiting_my_review": 0, "awaiting_publication": 0, "published": 0}
    assert selectors.workbench_counts(reviewer) == {
        "my_drafts": 0, "awaiting_my_review": 1, "awaiting_publication": 1, "published": 0}
    assert [v.status for v in selectors.review_queue(reviewer)] == [
        VersionStatus.SUBMITTED, VersionStatus.APPROVED]
