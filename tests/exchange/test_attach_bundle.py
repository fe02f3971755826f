"""免提交 in a 一件事: a licence or registry record, with consent, takes the place of a merged
material's upload in every item of the bundle that accepts it, judged as a single case judges it."""

from __future__ import annotations

import pytest

from tests.cases.factories import FOOD_FORM, pdf
from tests.portal.factories import publish_bundle, publish_item
from yiwang.cases import services
from yiwang.cases.models import Bundle, CaseFile, Status
from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.exchange.models import DataUse

# The second item of the bundle: it asks for the food licence too, and for the 户口簿.
PREMISES_MATERIALS = [
    {"name": "食品经营许可证", "necessity": "required", "form": "electronic", "source": "government",
     "exemption_source": "licence:spjyxk"},
    {"name": "居民户口簿", "necessity": "required", "form": "electronic", "source": "government",
     "exemption_source": "data:hukou"},
    {"name": "变更申请书", "necessity": "required", "form": "electronic", "source": "applicant"},
]


def reuse_bundle(world, user=None):
    """A saved bundle application of 食品经营许可延续 (licence:spjyxk, licence:yyzz) and
    食品经营场所变更 (licence:spjyxk, data:hukou), both of the market department."""
    user = user or world.user
    bundle = Bundle.objects.filter(slug="renew-and-move").first()
    if bundle is None:
        premises = publish_item(world.market, name="食品经营场所变更", form_definition=FOOD_FORM,
                                materials=PREMISES_MATERIALS)
        bundle = publish_bundle(world.market, [world.renewal, premises], slug="renew-and-move",
                                name="食品经营许可延续与场所变更")
    application = services.start_bundle(user, bundle)
    services.save_bundle_draft(application, user, world.form())
    return application


def key_of(application, name: str) -> str:
    return next(m.key for m in services.merged_form(application.version).materials if m.name == name)


def reused(application, field: str) -> list:
    """(item name, licence or record id) of each current reuse of the bundle's cases."""
    return sorted(CaseFile.objects.filter(case__bundle_application=application, superseded=False)
                  .exclude(**{field: None}).values_list("case__version__name", field))


def test_the_licence_replaces_the_material_in_every_item_that_asks_for_it(registries):
    application = reuse_bundle(registries)
    attached = services.attach_bundle_licence(
        application, registries.user, key_of(application, "食品经营许可证"),
        registries.food_licence.pk, consent=True)
    assert attached == 2
    assert reused(application, "licence") == [("食品经营场所变更", registries.food_licence.pk),
                                              ("食品经营许可延续", registries.food_licence.pk)]
    assert DataUse.objects.filter(licence=registries.food_licence).count() == 2


def test_the_bundle_with_reused_materials_is_submitted(registries):
    application = reuse_bundle(registries)
    services.attach_bundle_licence(application, registries.user, key_of(application, "食品经营许可证"),
                                   registries.food_licence.pk, consent=True)
    services.attach_bundle_record(application, registries.user, key_of(application, "居民户口簿"),
                                  registries.wang_hukou.pk, consent=True)
    for name in ("营业执照", "延续申请书", "变更申请书"):
        services.attach_bundle_file(application, registries.user, key_of(application, name), pdf())
    cases = services.submit_bundle(application, registries.user)
    assert {c.status for c in cases} == {Status.RECEIVED}


def test_the_record_replaces_the_material_of_the_one_item_that_asks_for_it(registries):
    application = reuse_bundle(registries)
    attached = services.attach_bundle_record(application, registries.user,
                                             key_of(application, "居民户口簿"), None, consent=True)
    assert attached == 1
    assert reused(application, "registry_record") == [("食品经营场所变更", registries.wang_hukou.pk)]


def test_consent_is_required_and_nothing_is_attached_without_it(registries):
    application = reuse_bundle(registries)
    with pytest.raises(ValidationError) as refused:
        services.attach_bundle_licence(application, registries.user, key_of(application, "食品经营许可证"),
                                       registries.food_licence.pk, consent=False)
    assert refused.value.message == "请确认同意使用该电子证照"
    assert not reused(application, "licence") and not DataUse.objects.exists()


def test_someone_elses_licence_or_record_does_not_exist_for_the_applicant(registries):
    application = reuse_bundle(registries, registries.stranger.user)
    with pytest.raises(NotFound):
        services.attach_bundle_licence(application, registries.stranger.user,
                                       key_of(application, "食品经营许可证"),
                                       registries.food_licence.pk, consent=True)
    with pytest.raises(NotFound):
        services.attach_bundle_record(application, registries.stranger.user,
                                      key_of(application, "居民户口簿"), registries.wang_hukou.pk,
                                      consent=True)
    assert not DataUse.objects.exists()


def test_a_material_no_item_lets_a_licence_replace_is_refused_as_a_single_case_refuses_it(registries):
    application = reuse_bundle(registries)
    with pytest.raises(ValidationError) as refused:
        services.attach_bundle_licence(application, registries.user, key_of(application, "延续申请书"),
                                       registries.food_licence.pk, consent=True)
    assert refused.value.code == "case.not_licence_exemptible"


def test_a_submitted_bundle_takes_no_more_reuses(registries):
    application = reuse_bundle(registries)
    for material in services.merged_form(application.version).materials:
        services.attach_bundle_file(application, registries.user, material.key, pdf())
    services.submit_bundle(application, registries.user)
    with pytest.raises(Conflict) as refused:
        services.attach_bundle_licence(application, registries.user, key_of(application, "食品经营许可证"),
                                       registries.food_licence.pk, consent=True)
    assert refused.value.code == "bundle.already_submitted"
