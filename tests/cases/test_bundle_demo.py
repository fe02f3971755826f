"""The demo's own 开办餐饮店 (made by ``load_demo`` through the bundle services), applied for
with values generated from its merged form: every field is kept, 预审 lists each problem once,
and submission succeeds with each item's own answer."""

import pytest

from tests.cases.factories import pdf
from yiwang.accounts.models import Citizen, Company
from yiwang.cases import services
from yiwang.cases.models import Bundle, Status
from yiwang.catalog.models import VersionStatus
from yiwang.demo.cases import form_value
from yiwang.demo.identities import COMPANY

pytestmark = pytest.mark.slow


@pytest.fixture
def restaurant(demo):
    bundle = Bundle.objects.get(slug="open-restaurant")
    wang = Citizen.objects.get(name=COMPANY[2])
    firm = Company.objects.get(uscc=COMPANY[1])
    application = services.start_bundle(wang.user, bundle, company_id=firm.pk)
    return bundle, wang, firm, application


def test_the_demo_bundle_was_published_through_the_review_flow(restaurant):
    bundle, *_ = restaurant
    version = bundle.published_version
    assert version.status == VersionStatus.PUBLISHED
    actions = [e.action for e in version.events.order_by("at", "id")]
    assert actions == ["created", "submitted", "approved", "published"]
    approver = version.events.get(action="approved").actor
    assert approver != version.created_by
    assert bundle.topics.filter(slug="one-thing").exists()


def test_both_category_fields_of_the_demo_are_asked_and_the_application_submits(restaurant):
    _, wang, firm, application = restaurant
    merged = services.merged_form(application.version)
    labels = {f["name"]: f["label"] for f in merged.fields}
    assert labels["category"] == "经营项目" and labels["category__2"] == "场所类别"
    form = {f["name"]: form_value(f, wang, firm) for f in merged.fields}
    form["category__2"] = "其他"
    services.save_bundle_draft(application, wang.user, form)

    review = services.check_bundle(application)
    materials = [d["label"] for d in review.defects if d["kind"] == "material"]
    assert materials.count("营业执照") == 1
    assert not [d for d in review.defects if d["kind"] == "field"]

    for material in merged.materials:
        services.attach_bundle_file(application, wang.user, material.key, pdf())
    assert services.check_bundle(application).passed
    cases = services.submit_bundle(application, wang.user)
    assert all(c.status == Status.RECEIVED for c in cases)
    assert {c.version.name: c.form_data["category"] for c in cases} == {
        "食品经营许可": form["category"], "公共场所卫生许可": "其他"}
