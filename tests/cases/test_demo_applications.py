"""Every published item and 一件事 of the demo that can be applied for online is applied for, with
values made from its form definition and a small valid file for each material asked online:
预审 passes and the submission is received. An item whose form cannot be satisfied fails with its
name. Applies through the case services, as the pages and the API do."""

from __future__ import annotations

import pytest

from tests import demodata
from yiwang.cases import services
from yiwang.cases.models import Bundle, Status, TaskKind, TaskStatus
from yiwang.cases.prereview import online_materials
from yiwang.catalog.models import Audience, GuideVersion, Necessity, OnlineDepth, ServiceItem
from yiwang.demo.items import ITEMS
from yiwang.demo.loader import WORK_IN_PROGRESS
from yiwang.demo.places import PLACES
from yiwang.demo.spec import guide_for

pytestmark = pytest.mark.slow

UNPUBLISHED = {"draft", "submitted", "approved", "withdrawn"}


def _online(spec) -> bool:
    depth = guide_for(spec, hall="", department_window="", office_hours="", consult_phone="",
                      supervise_phone="")["online_depth"]
    return depth >= OnlineDepth.ONLINE_ACCEPT


def online_demo_items() -> list[tuple[str, str, str]]:
    """(spec key, region code, name) of every item the demo publishes with online application,
    from the demo's specifications, so each is a test of its own named before the load."""
    held_back = {(p.key, p.region) for p in WORK_IN_PROGRESS if p.state in UNPUBLISHED}
    return [(spec.key, code, spec.name) for spec in ITEMS if _online(spec)
            for place in spec.at for code in PLACES[place] if (spec.key, code) not in held_back]


ONLINE_ITEMS = online_demo_items()
# 开办餐饮店 asks 经营项目 and 场所类别, both named `category` by their items: the merged form
# keeps both (`category`, `category__2`), each with its own choices.
DEMO_BUNDLES = ["open-restaurant"]


def fill_materials(case, user, attach) -> None:
    for material in online_materials(case.version):
        if material.necessity != Necessity.OPTIONAL:
            attach(material)


def defects_text(defects: list[dict]) -> str:
    return "；".join(f"{d['label']}：{d['message']}" for d in defects)


def test_every_online_item_of_the_demo_is_tested(demo):
    published = ServiceItem.objects.filter(
        published_version__online_depth__gte=OnlineDepth.ONLINE_ACCEPT)
    assert len(ONLINE_ITEMS) == published.count() > 300
    assert {(name, code) for _, code, name in ONLINE_ITEMS} == set(
        published.values_list("published_version__name", "region__code"))


def test_every_published_bundle_of_the_demo_is_tested(demo):
    assert set(DEMO_BUNDLES) == set(
        Bundle.objects.filter(published_version__isnull=False).values_list("slug", flat=True))


@pytest.mark.parametrize(("key", "region", "name"), ONLINE_ITEMS,
                         ids=[f"{key}-{region}" for key, region, _ in ONLINE_ITEMS])
def test_demo_item_can_be_applied_for_online(demo, key, region, name):
    item = ServiceItem.objects.select_related("published_version").get(
        region__code=region, published_version__name=name)
    version: GuideVersion = item.published_version
    citizen, company = demodata.demo_applicant()
    user = citizen.user
    case = services.start_application(
        user, item, company_id=company.pk if version.audience == Audience.COMPANY else None)
    case = services.save_draft(case, user,
                               demodata.valid_form_data(version.form_definition, citizen, company))
    fill_materials(case, user, lambda m: services.attach_file(
        case, user, m.pk, demodata.material_file(m.name)))

    review = services.check_draft(case)
    assert review.passed, f"{name}（{region}）预审未通过：{defects_text(review.defects)}"
    submitted = services.submit(case, user)
    assert submitted.status == Status.RECEIVED and submitted.number, name
    assert submitted.tasks.filter(kind=TaskKind.ACCEPT, status=TaskStatus.OPEN).exists(), name


@pytest.mark.parametrize("slug", DEMO_BUNDLES)
def test_demo_bundle_can_be_applied_for_online(demo, slug):
    bundle = services.published_bundle(slug)
    citizen, company = demodata.demo_applicant()
    user = citizen.user
    merged = services.merged_form(bundle.published_version)
    company_id = company.pk if any(v.audience == Audience.COMPANY for v in merged.versions) else None
    application = services.start_bundle(user, bundle, company_id=company_id)
    services.save_bundle_draft(application, user,
                               demodata.valid_form_data(merged.fields, citizen, company))
    for material in merged.materials:
        if material.necessity != Necessity.OPTIONAL:
            services.attach_bundle_file(application, user, material.key,
                                        demodata.material_file(material.name))

    defects = [d for case in application.cases.all() for d in services.check_draft(case).defects]
    assert not defects, f"一件事“{bundle.published_version.name}”预审未通过：{defects_text(defects)}"
    cases = services.submit_bundle(application, user)
    assert [c.status for c in cases] == [Status.RECEIVED] * len(merged.versions)
