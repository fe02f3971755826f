import pytest

from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.regions.models import Region, RegionLevel
from yiwang.regions.services import (
    add_subdivision,
    load_divisions,
    region_and_descendants,
    rename_region,
)


@pytest.fixture
def jilin(db):
    load_divisions("22")
    return Region.objects.get(code="220000")


def test_load_jilin_builds_the_three_level_tree(jilin):
    changchun = Region.objects.get(code="220100")
    nanguan = Region.objects.get(code="220102")
    assert (jilin.name, jilin.level) == ("吉林省", RegionLevel.PROVINCE)
    assert changchun.parent == jilin and changchun.level == RegionLevel.CITY
    assert nanguan.parent == changchun and nanguan.level == RegionLevel.COUNTY
    assert nanguan.full_name == "吉林省长春市南关区"
    assert nanguan.path == "220000/220100/220102/"
    assert Region.objects.filter(level=RegionLevel.CITY).count() == 9


def test_loading_twice_changes_nothing(jilin):
    before = Region.objects.count()
    load_divisions("220000")
    assert Region.objects.count() == before


def test_municipality_districts_hang_under_the_province(db):
    load_divisions("11")
    assert Region.objects.get(code="110101").parent.code == "110000"


def test_unknown_province(db):
    with pytest.raises(NotFound) as exc:
        load_divisions("99")
    assert exc.value.code == "region.unknown_province"


def test_add_town_and_village_under_county(jilin):
    county = Region.objects.get(code="220102")
    town = add_subdivision(county, code="220102001", name="南岭街道")
    village = add_subdivision(town, code="220102001001", name="南岭社区")
    assert (town.level, village.level) == (RegionLevel.TOWN, RegionLevel.VILLAGE)
    assert village.full_name == "吉林省长春市南关区南岭街道南岭社区"
    assert set(region_and_descendants(county).values_list("code", flat=True)) == {
        "220102", "220102001", "220102001001"}


@pytest.mark.parametrize("code, error", [
    ("22010200", "region.code_format"),
    ("220103001", "region.code_prefix"),
    ("22010200a", "region.code_format"),
])
def test_bad_subdivision_codes(jilin, code, error):
    with pytest.raises(ValidationError) as exc:
        add_subdivision(Region.objects.get(code="220102"), code=code, name="某街道")
    assert exc.value.code == error


def test_cannot_subdivide_city_directly_or_duplicate(jilin):
    with pytest.raises(ValidationError) as exc:
        add_subdivision(Region.objects.get(code="220100"), code="220100001", name="某街道")
    assert exc.value.code == "region.cannot_subdivide"
    county = Region.objects.get(code="220102")
    add_subdivision(county, code="220102001", name="南岭街道")
    with pytest.raises(Conflict):
        add_subdivision(county, code="220102001", name="重复街道")


def test_renaming_a_county_updates_names_below_it(jilin):
    county = Region.objects.get(code="220102")
    add_subdivision(county, code="220102001", name="南岭街道")
    rename_region(county, name="南关新区")
    assert Region.objects.get(code="220102001").full_name == "吉林省长春市南关新区南岭街道"
    assert Region.objects.get(code="220103").full_name == "吉林省长春市宽城区"
