import pytest

from tests.factories import UserFactory
from yiwang.orgs.models import RegionRole
from yiwang.orgs.services import grant_region_role
from yiwang.regions.models import Region, RegionLevel

# A synthetic 2027 arrangement: the real one is not published yet (chinese-calendar 1.11 stops at
# 2026), so these dates are made up for the tests and deliberately unlike a real notice.
TABLE_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-01-04,holiday,元旦
2027-01-09,workday,元旦
2027-02-08,holiday,春节
2027-02-09,holiday,春节
"""


def _region(code, name, level, parent=None):
    return Region.objects.create(
        code=code, name=name, level=level, parent=parent,
        path=f"{parent.path if parent else ''}{code}/",
        full_name=f"{parent.full_name if parent else ''}{name}")


@pytest.fixture
def regions(db):
    jilin = _region("220000", "吉林省", RegionLevel.PROVINCE)
    changchun = _region("220100", "长春市", RegionLevel.CITY, jilin)
    chaoyang = _region("220104", "朝阳区", RegionLevel.COUNTY, changchun)
    jilin_city = _region("220200", "吉林市", RegionLevel.CITY, jilin)
    liaoning = _region("210000", "辽宁省", RegionLevel.PROVINCE)
    return {"jilin": jilin, "changchun": changchun, "chaoyang": chaoyang, "jilin_city": jilin_city,
            "liaoning": liaoning}


@pytest.fixture
def root(db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    user.save()  # keep the password the factory set, or force_login's session would not survive
    return user


@pytest.fixture
def changchun_admin(regions):
    user = UserFactory(username="cc_admin")
    grant_region_role(user, regions["changchun"], RegionRole.REGION_ADMIN)
    return user
