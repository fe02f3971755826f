"""The staff API of the shared registries (/api/staff/registries): the same rules as the
workbench pages, answered as JSON, refusals as ``{code, message, details}``; and the rows of the
site-wide rule table for its operations."""

from __future__ import annotations

import json

import pytest

from tests.accounts.factories import make_id_number
from tests.cases.test_api import refused
from tests.exchange.test_registry_admin import ADDRESS, RegistryDesk
from yiwang.common.identifiers import mask_id
from yiwang.exchange.models import RecordStatus, RegistryRecord
from yiwang.supervision.models import AuditRecord

BASE = "/api/staff/registries"


@pytest.fixture
def desk(db):
    return RegistryDesk()


@pytest.fixture
def api(client, desk):
    client.force_login(desk.police_admin)
    return client


def put(client, number: str, body: dict):
    return client.put(f"{BASE}/hukou/records/{number}", json.dumps(body),
                      content_type="application/json")


def cancel(client, number: str, reason: str, code: str = "hukou"):
    return client.post(f"{BASE}/{code}/records/{number}/cancel", json.dumps({"reason": reason}),
                       content_type="application/json")


def test_the_registries_of_the_callers_departments(api):
    answer = api.get(BASE).json()
    assert [r["code"] for r in answer] == ["hukou"]
    assert answer[0]["fields"][0] == {"name": "address", "label": "户籍地址"}


def test_the_records_are_paged_and_masked(api, desk):
    for n in range(3):
        desk.person(f"居民{n}")
    answer = api.get(f"{BASE}/hukou/records", {"page_size": 2}).json()
    assert (answer["total"], answer["pages"], len(answer["items"])) == (5, 3, 2)
    body = json.dumps(answer, ensure_ascii=False)
    assert desk.applicant.id_number not in body
    assert api.get(f"{BASE}/hukou/records", {"page_size": 500}).status_code == 400


def test_the_records_are_found_by_name_whole_id_number_and_status(api, desk):
    cancelled = desk.cancelled()
    by_number = api.get(f"{BASE}/hukou/records", {"q": desk.applicant.id_number}).json()
    assert [r["subject_name"] for r in by_number["items"]] == ["王芳"]
    assert by_number["items"][0]["subject_id_masked"] == mask_id(desk.applicant.id_number)
    by_name = api.get(f"{BASE}/hukou/records", {"q": "赵"}).json()
    assert [r["subject_name"] for r in by_name["items"]] == ["赵强"]
    by_status = api.get(f"{BASE}/hukou/records", {"status": "cancelled"}).json()
    assert [r["id"] for r in by_status["items"]] == [cancelled.pk]
    refused(api.get(f"{BASE}/hukou/records", {"status": "gone"}), 422, "request.invalid")


def test_putting_a_record_adds_it_then_replaces_it(api, desk):
    number = make_id_number(701)
    created = put(api, number, {"subject_name": "韩梅梅", "data": ADDRESS,
                                "updated_at": "2026-03-01T09:00:00+08:00"})
    assert created.status_code == 200, created.content
    assert created.json()["subject_id_masked"] == mask_id(number)
    replaced = put(api, number, {"subject_name": "韩梅梅",
                                 "data": {**ADDRESS, "household_head": "韩梅梅"},
                                 "updated_at": "2026-03-02T09:00:00"})
    assert replaced.json()["data"]["household_head"] == "韩梅梅"
    record = RegistryRecord.objects.get(subject_id_number=number)
    assert record.updated_at.isoformat() == "2026-03-02T01:00:00+00:00"  # 09:00 in Asia/Shanghai
    assert list(AuditRecord.objects.order_by("-seq").values_list("kind", flat=True)[:2]) == [
        "exchange.record_updated", "exchange.record_created"]


def test_an_older_version_than_the_one_held_is_a_409(api, desk):
    number = make_id_number(703)
    put(api, number, {"subject_name": "韩梅梅", "data": ADDRESS, "updated_at": "2026-03-02T09:00:00"})
    body = refused(put(api, number, {"subject_name": "韩梅梅", "data": {**ADDRESS, "address": "旧"},
                                     "updated_at": "2026-03-01T09:00:00"}), 409,
                   "exchange.record_stale")
    assert "更早的版本" in body["message"]
    assert RegistryRecord.objects.get(subject_id_number=number).data == ADDRESS


@pytest.mark.parametrize("number, body, code", [
    ("123", {"subject_name": "韩梅梅", "data": ADDRESS}, "ric.length"),
    (make_id_number(702), {"subject_name": "", "data": ADDRESS}, "exchange.subject_name_required"),
    (make_id_number(702), {"subject_name": "韩梅梅", "data": {"address": "长春"}},
     "exchange.field_required"),
    (make_id_number(702), {"subject_name": "韩梅梅", "data": {**ADDRESS, "x": "1"}},
     "exchange.field_unknown"),
])
def test_a_record_the_registry_cannot_hold_is_a_400_with_its_code(api, number, body, code):
    body = refused(put(api, number, body), 400, code)
    assert body["message"]
    assert not RegistryRecord.objects.filter(subject_name="韩梅梅").exists()


def test_a_body_of_the_wrong_shape_is_a_422(api):
    refused(put(api, make_id_number(703), {"data": ADDRESS}), 422, "request.invalid")


def test_cancelling_needs_a_reason_and_cannot_be_repeated(api, desk):
    number = desk.applicant.id_number
    refused(cancel(api, number, "  "), 400, "exchange.reason_required")
    answer = cancel(api, number, "户籍迁出本省").json()
    assert (answer["status"], answer["status_reason"]) == (RecordStatus.CANCELLED, "户籍迁出本省")
    refused(cancel(api, number, "再次注销"), 409, "exchange.record_already_cancelled")
    refused(cancel(api, make_id_number(704), "户籍迁出"), 404, "exchange.record_not_found")


def test_another_departments_admin_finds_no_such_registry(client, desk):
    client.force_login(desk.market_admin)
    refused(client.get(f"{BASE}/hukou/records"), 404, "exchange.registry_not_found")
    refused(put(client, make_id_number(705), {"subject_name": "韩梅梅", "data": ADDRESS}), 404,
            "exchange.registry_not_found")
    refused(cancel(client, desk.applicant.id_number, "户籍迁出"), 404, "exchange.registry_not_found")
    desk.wang_hukou.refresh_from_db()
    assert desk.wang_hukou.status == RecordStatus.VALID


# --- who may use which operation (the rows of tests/accounts/test_authorization.py) -------------

KEEPER = "部门管理员 of the registry's providing department; another department's registry 404"
REGISTRY_API_RULES: dict[str, str] = {
    "api:provided_registries": "部门管理员 of a providing department: the registries it provides",
    "api:registry_records": KEEPER,
    "api:put_registry_record": KEEPER,
    "api:cancel_registry_record": KEEPER,
}

ROLES = ("anonymous", "citizen", "idle_admin", "police_examiner", "market_admin", "police_admin")
KEEP = (401, 403, 403, 403, 404, 200)
CHECKS = {
    "provided_registries": (lambda c, d: c.get(BASE), (401, 403, 403, 403, 200, 200)),
    "registry_records": (lambda c, d: c.get(f"{BASE}/hukou/records"), KEEP),
    "put_registry_record": (lambda c, d: put(c, make_id_number(706),
                                             {"subject_name": "李雷", "data": ADDRESS}), KEEP),
    "cancel_registry_record": (lambda c, d: cancel(c, d.applicant.id_number, "户籍迁出本省"), KEEP),
}


def test_every_registry_operation_has_a_rule_and_a_check():
    assert set(REGISTRY_API_RULES) == {f"api:{name}" for name in CHECKS}


@pytest.mark.parametrize("name", list(CHECKS))
def test_registry_operation_access(client, desk, name):
    call, expected = CHECKS[name]
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(desk.user if role == "citizen" else getattr(desk, role))
        response = call(client, desk)
        assert response.status_code == expected[ROLES.index(role)], (name, role, response.content)
