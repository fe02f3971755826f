"""一件事 definitions go through the guide's review flow: drafted by an editor of the lead
department, approved by someone else, published; revisions supersede, 停用 hides."""

from dataclasses import replace

import pytest

from tests.factories import staff
from tests.portal.factories import publish_item
from yiwang.cases import services
from yiwang.catalog.models import VersionStatus
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.orgs.models import Role


@pytest.fixture
def team(world):
    world.bundle_editor = staff(world.market, Role.CATALOG_EDITOR, username="bundle_editor")
    world.bundle_reviewer = staff(world.market, Role.CATALOG_REVIEWER, Role.CATALOG_EDITOR,
                                  username="bundle_reviewer")
    world.second = publish_item(world.health, name="公共场所卫生许可")
    return world


def _definition(world, **changes):
    return services.BundleDefinition(**{"name": "开办餐饮店", "lead_department": world.market,
                                        "items": [world.item, world.second], **changes})


def _draft(world):
    bundle = services.create_bundle(slug="open-restaurant", actor=world.bundle_editor,
                                    definition=_definition(world))
    return bundle, bundle.versions.get()


def test_nobody_approves_a_bundle_they_wrote(team):
    _, version = _draft(team)
    services.update_bundle_draft(version, _definition(team, aliases="开餐馆"),
                                 actor=team.bundle_reviewer)  # the reviewer edited it: an author
    services.submit_bundle_version(version, actor=team.bundle_editor)
    with pytest.raises(PermissionDenied) as refused:
        services.approve_bundle_version(version, actor=team.bundle_reviewer)
    assert refused.value.code == "bundle.self_review"


def test_a_draft_is_not_offered_until_published(team):
    _, version = _draft(team)
    with pytest.raises(NotFound):
        services.published_bundle("open-restaurant")
    reviewer = staff(team.market, Role.CATALOG_REVIEWER, username="other_reviewer")
    services.submit_bundle_version(version, actor=team.bundle_editor)
    services.approve_bundle_version(version, actor=reviewer)
    services.publish_bundle_version(version, actor=reviewer)
    assert services.published_bundle("open-restaurant").published_version == version


def test_a_revision_supersedes_and_applications_keep_their_version(team):
    bundle = team.bundle()
    first = bundle.published_version
    application = services.start_bundle(team.user, bundle)
    draft = services.start_bundle_revision(bundle, actor=team.bundle_editor)
    assert draft.number == 2 and [e.item for e in draft.entries.all()] == [
        e.item for e in first.entries.all()]
    services.update_bundle_draft(draft, replace(services.BundleDefinition.of(draft), name="开办餐馆"),
                                 actor=team.bundle_editor)
    services.submit_bundle_version(draft, actor=team.bundle_editor)
    services.approve_bundle_version(draft, actor=team.bundle_reviewer)
    services.publish_bundle_version(draft, actor=team.bundle_reviewer)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert services.published_bundle(bundle.slug).published_version.name == "开办餐馆"
    application.refresh_from_db()
    assert application.version == first


def test_a_withdrawn_bundle_cannot_be_applied_for(team):
    bundle = team.bundle()
    services.withdraw_bundle(bundle, actor=team.bundle_reviewer, reason="场景调整")
    with pytest.raises(NotFound):
        services.published_bundle(bundle.slug)
    bundle.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        services.start_bundle(team.user, bundle)
    assert refused.value.code == "bundle.not_published"


def test_a_definition_lists_every_problem_at_once(team):
    with pytest.raises(ValidationError) as refused:
        services.create_bundle(slug="x", actor=team.bundle_editor, definition=_definition(
            team, name=" ", items=[team.item], material_groups=[{"name": "证明", "materials": ["甲"]}]))
    assert refused.value.code == "bundle.invalid"
    assert len(refused.value.details["errors"]) == 4  # name, items, group size, unknown material


def test_only_an_editor_of_the_lead_department_creates_a_bundle(team):
    with pytest.raises(PermissionDenied):
        services.create_bundle(slug="open-restaurant", actor=team.health_examiner,
                               definition=_definition(team))
