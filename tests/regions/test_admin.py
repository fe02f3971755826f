from django.contrib.auth import get_user_model

from yiwang.regions.models import Region
from yiwang.regions.services import load_divisions


def _admin_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.cn", "pw-long-enough")
    client.force_login(admin)
    return client


def test_administrator_adds_a_town_through_the_admin(client, db):
    load_divisions("22")
    county = Region.objects.get(code="220102")
    response = _admin_client(client).post("/admin/regions/region/add/", {
        "code": "220102002", "name": "桃源街道", "kind": "街道", "parent": county.pk,
    }, follow=True)
    assert response.status_code == 200
    town = Region.objects.get(code="220102002")
    assert town.full_name == "吉林省长春市南关区桃源街道"
    assert town.path == "220000/220100/220102/220102002/"


def test_admin_reports_a_bad_code_instead_of_saving(client, db):
    load_divisions("22")
    county = Region.objects.get(code="220102")
    response = _admin_client(client).post("/admin/regions/region/add/", {
        "code": "220199002", "name": "错误街道", "kind": "街道", "parent": county.pk,
    }, follow=True)
    assert "应以上级代码“220102”开头" in response.content.decode()
    assert not Region.objects.filter(code="220199002").exists()
