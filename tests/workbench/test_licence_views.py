"""The workbench licence pages (证照管理): the list masks holders' ID numbers, finds by identifier
or holder and pages; the licence page changes the status through the services and shows their
refusals with their status codes."""

from __future__ import annotations

import pytest

from tests.workbench.licence_states import LicenceDesk
from yiwang.common.identifiers import mask_id
from yiwang.licences.models import LicenceStatus


@pytest.fixture
def desk(db, client):
    desk = LicenceDesk()
    client.force_login(desk.certifier)
    return desk


def test_the_list_masks_the_holders_id_number(client, desk):
    desk.issued()
    page = client.get("/workbench/licences/").content.decode()
    assert mask_id(desk.applicant.id_number) in page
    assert desk.applicant.id_number not in page


def test_the_list_finds_by_holder_name_or_identifier(client, desk):
    mine, other = desk.issued(), desk.issued(holder_name="李雷")
    by_name = client.get("/workbench/licences/", {"q": "李雷"}).content.decode()
    assert other.identifier in by_name and mine.identifier not in by_name
    by_identifier = client.get("/workbench/licences/", {"q": mine.identifier}).content.decode()
    assert mine.identifier in by_identifier and other.identifier not in by_identifier


def test_the_list_pages_with_a_bounded_number_of_queries(client, desk, django_assert_max_num_queries):
    for n in range(21):
        desk.issued(shop_name=f"小吃店{n}")
    with django_assert_max_num_queries(12):
        first = client.get("/workbench/licences/")
    assert "第 1 / 2 页，共 21 条" in first.content.decode()
    assert client.get("/workbench/licences/", {"page": "0"}).status_code == 400


def test_suspending_records_the_reason_and_offers_the_next_changes(client, desk):
    licence = desk.issued()
    answer = client.post(f"/workbench/licences/{licence.pk}/suspend/", {"reason": "整改期间"}, follow=True)
    licence.refresh_from_db()
    assert (licence.status, licence.status_reason) == (LicenceStatus.SUSPENDED, "整改期间")
    page = answer.content.decode()
    assert f"证照 {licence.identifier} 已暂停" in page
    assert f"/workbench/licences/{licence.pk}/reinstate/" in page
    assert f"/workbench/licences/{licence.pk}/suspend/" not in page


def test_a_change_without_a_reason_is_refused_with_the_services_message(client, desk):
    licence = desk.issued()
    answer = client.post(f"/workbench/licences/{licence.pk}/revoke/", {"reason": "  "})
    assert answer.status_code == 400 and "请填写注销的原因" in answer.content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID


def test_a_change_the_status_does_not_allow_is_a_conflict(client, desk):
    licence = desk.issued()
    answer = client.post(f"/workbench/licences/{licence.pk}/reinstate/", {"reason": "误操作"})
    assert answer.status_code == 409 and "该证照有效，不能恢复" in answer.content.decode()
