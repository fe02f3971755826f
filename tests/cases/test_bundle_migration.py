"""Bundles made before 一件事 had versions keep working: each becomes its first version
(published if it was active), with its items and its applications."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import DepartmentFactory, RegionFactory, UserFactory

BEFORE = [("cases", "0007_case_prefill")]
AFTER = [("cases", "0010_bundle_versions_cleanup")]


@pytest.mark.django_db(transaction=True)
def test_existing_bundles_become_their_first_published_version():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    region = RegionFactory()
    department = DepartmentFactory(region=region)
    user = UserFactory(username="old-applicant")
    ServiceItem = old.get_model("catalog", "ServiceItem")
    items = [ServiceItem.objects.create(
        basic_code=f"00011100{n}000", implementation_code=f"{n}" * 31, handling_code=f"{n}" * 33,
        item_type="01", level="2", department_id=department.pk, region_id=region.pk) for n in (1, 2)]
    Bundle = old.get_model("cases", "Bundle")
    active = Bundle.objects.create(name="开办餐饮店", slug="open-restaurant", region_id=region.pk,
                                   lead_department_id=department.pk, description="说明")
    Bundle.objects.create(name="旧一件事", slug="old", region_id=region.pk,
                          lead_department_id=department.pk, active=False)
    for order, item in enumerate(items, start=1):
        old.get_model("cases", "BundleItem").objects.create(bundle=active, item=item, order=order)
    application = old.get_model("cases", "BundleApplication").objects.create(
        bundle=active, applicant_id=user.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Bundle = new.get_model("cases", "Bundle")
    migrated = Bundle.objects.get(slug="open-restaurant")
    version = new.get_model("cases", "BundleVersion").objects.get(bundle=migrated)
    assert migrated.published_version_id == version.pk and version.status == "published"
    assert (version.name, version.description, version.lead_department_id) == (
        "开办餐饮店", "说明", department.pk)
    assert list(version.entries.order_by("order").values_list("item_id", flat=True)) == [
        i.pk for i in items]
    assert new.get_model("cases", "BundleApplication").objects.get(pk=application.pk).version_id == version.pk
    withdrawn = Bundle.objects.get(slug="old")
    assert withdrawn.published_version_id is None
    assert withdrawn.versions.get().status == "withdrawn"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
