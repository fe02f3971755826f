import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from tests.catalog.searchkit import isolated_search_index
from yiwang.catalog import codes
from yiwang.catalog.guide import clean_guide, guide_to_dict
from yiwang.catalog.models import GuideVersion, ServiceItem, VersionStatus
from yiwang.catalog.search import search
from yiwang.demo import generator
from yiwang.demo.generator import generate_items
from yiwang.orgs.models import Department
from yiwang.regions.models import Region


@pytest.fixture(autouse=True)
def _isolated_index(settings, tmp_path):
    yield from isolated_search_index(settings, tmp_path)


def snapshot():
    return list(ServiceItem.objects.order_by("handling_code").values_list(
        "handling_code", "published_version__name", "published_version__conditions"))


def test_generated_items_are_published_with_valid_unique_codes(db):
    assert generate_items(300, seed=7) == 300
    items = list(ServiceItem.objects.select_related("department", "published_version"))
    assert len(items) == 300
    assert len({i.handling_code for i in items}) == 300
    for item in items:
        handling = codes.parse_handling_code(item.handling_code)
        basic = handling.implementation.basic
        assert str(handling.implementation) == item.implementation_code
        assert str(basic) == item.basic_code
        assert (basic.item_type, basic.department_code) == (item.item_type, item.department.code)
        assert handling.implementation.uscc == item.department.uscc
        assert item.published_version.status == VersionStatus.PUBLISHED
        assert item.region_id == item.department.region_id
    # Spread like a real catalogue: many departments, regions and item types.
    assert len({i.department_id for i in items}) > 100
    assert len(Counter(i.item_type for i in items)) >= 6
    assert Region.objects.filter(code="220104").exists()  # counties loaded from GB/T 2260


def test_generated_guides_pass_the_guide_validation(db):
    generate_items(200, seed=3)
    for version in GuideVersion.objects.prefetch_related("materials"):
        cleaned = clean_guide(guide_to_dict(version))
        assert cleaned["materials"], version.name
        assert cleaned["process_steps"]


def test_same_seed_gives_the_same_catalogue(db):
    generate_items(120, seed=42)
    first = snapshot()
    ServiceItem.objects.all().delete()
    generate_items(120, seed=42)
    assert snapshot() == first
    ServiceItem.objects.all().delete()
    generate_items(120, seed=43)
    assert snapshot() != first


def test_a_second_run_adds_items_without_code_clashes(db):
    generate_items(150, seed=1)
    departments = Department.objects.count()
    generate_items(150, seed=1)
    assert ServiceItem.objects.count() == 300
    assert ServiceItem.objects.values("implementation_code").distinct().count() == 300
    assert Department.objects.count() == departments  # departments are reused


def test_more_items_than_templates_become_sub_items(db, monkeypatch):
    province = Region.objects.create(code="220000", name="吉林省", level=1, path="220000/",
                                     full_name="吉林省")
    monkeypatch.setattr(generator, "KINDS", generator.KINDS[:1])
    monkeypatch.setattr(generator, "_regions", lambda _province: [province])
    templates = len(generator._templates(random.Random(0), "22")["11"])
    generate_items(templates + 5, seed=0)
    sub_items = ServiceItem.objects.exclude(basic_code__endswith="000")
    assert sub_items.count() == 5
    assert all(name.endswith("）")
               for name in sub_items.values_list("published_version__name", flat=True))


def test_generate_items_command_builds_the_search_index(db):
    out = StringIO()
    call_command("generate_items", "--count", "400", "--seed", "5", stdout=out)
    assert "已生成 400 个已发布事项" in out.getvalue()
    assert "搜索索引已重建：400 个已发布事项" in out.getvalue()
    for query in ("营业", "护照", "社保", "医保"):
        assert search(query).total > 0, query
