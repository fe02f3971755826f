"""A two-department world for the workbench and staff API tests: department A (吉林省公安厅) with
an author, an editor and a reviewer, and department B with its own editor."""

import pytest

from tests.factories import DepartmentFactory, UserFactory, guide_data, staff
from yiwang.catalog import services
from yiwang.catalog.models import VersionStatus
from yiwang.orgs.models import Role


@pytest.fixture
def other_department(province):
    return DepartmentFactory(name="吉林省民政厅", code="12", region=province)


@pytest.fixture
def author(department):
    """The editor who drafts the items below, so ``editor`` and ``reviewer`` are not authors."""
    return staff(department, Role.CATALOG_EDITOR, username="author")


@pytest.fixture
def other_editor(other_department):
    return staff(other_department, Role.CATALOG_EDITOR, username="editor_b")


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    user.save()
    return user


def make_item(department, actor, **guide):
    return services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(**guide), actor=actor)


def advance(item, to: str, *, editor, reviewer):
    """Move an item's first version along the review flow up to status ``to``."""
    version = item.versions.get()
    steps = [
        (VersionStatus.SUBMITTED, lambda: services.submit_version(version, actor=editor)),
        (VersionStatus.APPROVED, lambda: services.approve_version(version, actor=reviewer)),
        (VersionStatus.PUBLISHED, lambda: services.publish_version(version, actor=reviewer)),
    ]
    for status, step in steps:
        if version.status == to:
            break
        version = step()
    version.refresh_from_db()
    assert version.status == to
    return version


@pytest.fixture
def draft_item(department, author):
    return make_item(department, author)


@pytest.fixture
def submitted_item(draft_item, author, reviewer):
    advance(draft_item, VersionStatus.SUBMITTED, editor=author, reviewer=reviewer)
    return draft_item


@pytest.fixture
def approved_item(draft_item, author, reviewer):
    advance(draft_item, VersionStatus.APPROVED, editor=author, reviewer=reviewer)
    return draft_item


@pytest.fixture
def published_item(draft_item, author, reviewer):
    advance(draft_item, VersionStatus.PUBLISHED, editor=author, reviewer=reviewer)
    draft_item.refresh_from_db()
    return draft_item
