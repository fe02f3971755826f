"""The applicant's case API: drafts, uploads, pre-review, idempotent submission, corrections,
withdrawal, 容缺 materials, bundles and the public progress query. Every refused request is
checked for its code and for leaving the database as it was."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.cases.factories import PDF, PNG, World, pdf
from tests.concurrency import in_threads
from tests.portal.factories import withdraw
from yiwang.cases import services
from yiwang.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseFile,
    CaseTask,
    Correction,
    Status,
)
from yiwang.cases.uploads import max_upload_bytes
from yiwang.supervision.models import AuditRecord

# --- helpers shared by the case API tests -------------------------------------------------------


def state(case=None) -> dict:
    """Everything a refused request must leave as it was."""
    snapshot = {
        "cases": list(Case.objects.order_by("pk").values_list("pk", "status", "number", "updated_at")),
        "events": CaseEvent.objects.count(), "files": CaseFile.objects.count(),
        "tasks": list(CaseTask.objects.order_by("pk").values_list("pk", "status", "assignee_id")),
        "corrections": Correction.objects.count(), "audit": AuditRecord.objects.count(),
    }
    if case is not None:
        snapshot["case"] = Case.objects.filter(pk=case.pk).values().first()
    return snapshot


@contextmanager
def unchanged(case=None):
    before = state(case)
    yield
    assert state(case) == before


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert set(body) == {"code", "message", "details"}
    return body


def json_post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json() if response.content else {}


@pytest.fixture
def applicant(client, world):
    client.force_login(world.user)
    return client


def material(case, name: str):
    return case.version.materials.get(name=name)


# --- drafts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code_field", ["implementation_code", "handling_code"])
def test_start_creates_a_draft_from_either_code(applicant, world, code_field):
    body = ok(applicant.post("/api/cases", {"item_code": getattr(world.item, code_field)},
                             content_type="application/json"), 201)
    assert body["status"] == {"value": "draft", "label": "草稿"}
    assert body["number"] is None
    assert body["actions"] == ["edit", "upload", "prereview", "submit"]
    assert [m["name"] for m in body["materials"]] == ["营业执照", "健康证明", "经营场所平面图"]
    assert Case.objects.get(pk=body["id"]).applicant == world.user


def test_start_for_a_withdrawn_item_is_refused(applicant, world):
    withdraw(world.item)
    with unchanged():
        response = applicant.post("/api/cases", {"item_code": world.item.implementation_code},
                                  content_type="application/json")
    refused(response, 409, "case.item_withdrawn")


def test_start_with_a_malformed_code_says_what_is_wrong(applicant):
    with unchanged():
        response = applicant.post("/api/cases", {"item_code": "1234"}, content_type="application/json")
    assert "31位" in refused(response, 400, "item_code.length")["message"]


def test_my_cases_are_paginated_filtered_and_masked(applicant, world):
    for _ in range(2):
        world.submitted()
    world.draft()
    services.start_application(world.stranger.user, world.item)
    body = ok(applicant.get("/api/cases?page_size=2"))
    assert (body["total"], body["pages"], len(body["items"])) == (3, 2, 2)
    received = ok(applicant.get("/api/cases?status=received"))
    assert received["total"] == 2
    id_number = received["items"][0]["applicant_id_number"]
    assert "*" in id_number and id_number != world.applicant.id_number
    refused(applicant.get("/api/cases?page_size=500"), 400, "pagination.out_of_range")
    refused(applicant.get("/api/cases?status=nonsense"), 422, "request.invalid")


def test_detail_shows_state_deadline_departments_events_and_files(applicant, world):
    case = world.accepted()
    body = ok(applicant.get(f"/api/cases/{case.pk}"))
    assert body["status"] == {"value": "accepted", "label": "已受理"}
    assert body["next_step"] == "等待部门审查"
    assert body["actions"] == ["withdraw"]
    deadline = body["deadline"]
    assert deadline["time_limit"] == 10 and deadline["due_date"] == case.due_date.isoformat()
    assert deadline["warning"]["level"] == "green" and deadline["provisional"] in (True, False)
    assert isinstance(deadline["explanation"], list)
    assert {d["department"] for d in body["departments"]} == {
        "吉林省市场监督管理局", "吉林省卫生健康委员会"}
    assert [e["action"] for e in body["events"]] == ["submit", "accept"]
    assert sorted(f["material"] for f in body["files"]) == ["健康证明", "营业执照"]
    assert body["contact_mobile"] != world.applicant.mobile and "*" in body["contact_mobile"]
    assert body["correction"] is None


def test_save_draft_keeps_only_the_form_fields(applicant, world):
    case = services.start_application(world.user, world.item)
    body = ok(applicant.patch(f"/api/cases/{case.pk}", {"form_data": {"shop_name": "小吃店", "x": "1"}},
                              content_type="application/json"))
    # The pre-filled fields stay; "x" is not a field of the form.
    assert body["form_data"] == {"applicant_name": "王芳", "phone": world.applicant.mobile,
                                 "shop_name": "小吃店"}
    assert body["prefilled"] == {"applicant_name": "来自实名账号", "phone": "来自实名账号"}


def test_save_after_submission_is_refused(applicant, world):
    case = world.submitted()
    with unchanged(case):
        response = applicant.patch(f"/api/cases/{case.pk}", {"form_data": {"shop_name": "改名"}},
                                   content_type="application/json")
    refused(response, 409, "case.not_editable")


# --- files -----------------------------------------------------------------------------------------


def test_upload_and_remove_a_material(applicant, world):
    case = services.start_application(world.user, world.item)
    licence = material(case, "营业执照")
    body = ok(applicant.post(f"/api/cases/{case.pk}/files",
                             {"material_id": licence.pk, "file": pdf()}), 201)
    assert (body["material"], body["content_type"], body["size"]) == ("营业执照", "application/pdf",
                                                                      len(PDF))
    ok(applicant.delete(f"/api/cases/{case.pk}/files/{body['id']}"), 204)
    assert not case.files.exists()


@pytest.mark.parametrize(("upload", "code"), [
    (pdf("setup.exe", b"MZ\x90\x00" * 8), "case.file_type"),
    (pdf("营业执照.pdf", PNG), "case.file_content"),
])
def test_a_wrong_file_type_is_refused(applicant, world, upload, code):
    case = services.start_application(world.user, world.item)
    with unchanged(case):
        response = applicant.post(f"/api/cases/{case.pk}/files",
                                  {"material_id": material(case, "营业执照").pk, "file": upload})
    refused(response, 400, code)


def test_a_declared_oversize_upload_is_refused_before_the_body_is_read(applicant, world):
    case = services.start_application(world.user, world.item)
    too_long = max_upload_bytes() + 2 * 1024 * 1024
    # The body is a few hundred bytes: reading it with this length would fail in the test client.
    with unchanged(case):
        response = applicant.post(f"/api/cases/{case.pk}/files",
                                  {"material_id": material(case, "营业执照").pk, "file": pdf()},
                                  CONTENT_LENGTH=str(too_long))
    refused(response, 413, "case.file_too_large")


def test_an_actual_upload_over_the_limit_is_refused(applicant, world, settings):
    settings.CASE_MAX_UPLOAD_BYTES = 1000
    case = services.start_application(world.user, world.item)
    with unchanged(case):
        response = applicant.post(f"/api/cases/{case.pk}/files",
                                  {"material_id": material(case, "营业执照").pk,
                                   "file": pdf(content=PDF + b"0" * 2000)})
    refused(response, 413, "case.file_too_large")


# --- pre-review and submission ------------------------------------------------------------------


def test_prereview_lists_every_defect_without_submitting(applicant, world):
    case = world.draft(files=(), shop_name="")
    body = ok(applicant.post(f"/api/cases/{case.pk}/prereview"))
    assert body["passed"] is False
    assert {(d["kind"], d["label"]) for d in body["defects"]} == {
        ("field", "店铺名称"), ("material", "营业执照")}
    assert [d["label"] for d in body["missing_tolerated"]] == ["健康证明"]
    assert Case.objects.get(pk=case.pk).status == Status.DRAFT


def test_submit_with_missing_material_lists_all_defects_and_changes_nothing(applicant, world):
    case = world.draft(files=(), shop_name="")
    with unchanged(case):
        response = applicant.post(f"/api/cases/{case.pk}/submit", HTTP_IDEMPOTENCY_KEY="k1")
    body = refused(response, 400, "case.prereview_failed")
    assert len(body["details"]["defects"]) == 2
    assert "共2处" in body["message"]


def test_submit_twice_with_the_same_key_gives_one_case(applicant, world):
    case = world.draft()
    first = ok(applicant.post(f"/api/cases/{case.pk}/submit", HTTP_IDEMPOTENCY_KEY="retry-1"))
    second = ok(applicant.post(f"/api/cases/{case.pk}/submit", HTTP_IDEMPOTENCY_KEY="retry-1"))
    assert first["status"]["value"] == "received"
    assert (second["id"], second["number"]) == (first["id"], first["number"])
    assert Case.objects.exclude(number=None).count() == 1
    assert CaseCounter.objects.get().value == 1
    assert CaseEvent.objects.filter(action="submit").count() == 1


def test_submitting_for_an_item_withdrawn_since_the_draft_is_refused(applicant, world):
    case = world.draft()
    withdraw(world.item)
    with unchanged(case):
        response = applicant.post(f"/api/cases/{case.pk}/submit")
    refused(response, 409, "case.item_withdrawn")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="需要可多线程共享的数据库（PostgreSQL 或 MariaDB）")
def test_two_concurrent_submissions_with_one_key_create_one_case():
    world = World()
    case = world.draft()
    clients = [Client() for _ in range(2)]
    for client in clients:
        client.force_login(world.user)

    answers, errors = in_threads(2, lambda i: clients[i].post(f"/api/cases/{case.pk}/submit",
                                                              HTTP_IDEMPOTENCY_KEY="same"))
    assert errors == []
    assert [a.status_code for a in answers] == [200, 200]
    assert {a.json()["number"] for a in answers} == {Case.objects.get(pk=case.pk).number}
    assert Case.objects.exclude(number=None).count() == 1
    assert CaseEvent.objects.filter(action="submit").count() == 1


# --- after submission --------------------------------------------------------------------------


def test_a_correction_is_shown_and_resubmitted_once_fixed(applicant, world):
    case = world.submitted()
    licence = material(case, "营业执照")
    services.request_correction(case, world.acceptor, [
        {"kind": "material", "target": str(licence.pk), "message": "营业执照已过期"}])
    body = ok(applicant.get(f"/api/cases/{case.pk}"))
    assert body["actions"] == ["edit", "upload", "prereview", "resubmit", "withdraw"]
    assert [d["message"] for d in body["correction"]["defects"]] == ["营业执照已过期"]

    with unchanged(case):
        response = applicant.post(f"/api/cases/{case.pk}/resubmit")
    assert "请重新上传“营业执照”" in refused(response, 400, "case.prereview_failed")["message"]

    ok(applicant.post(f"/api/cases/{case.pk}/files", {"material_id": licence.pk, "file": pdf()}), 201)
    body = ok(applicant.post(f"/api/cases/{case.pk}/resubmit"))
    assert body["status"]["value"] == "received" and body["correction"] is None


def test_withdraw_stops_the_case_but_a_draft_cannot_be_withdrawn(applicant, world):
    draft = world.draft()
    with unchanged(draft):
        response = applicant.post(f"/api/cases/{draft.pk}/withdraw", {"reason": "不办了"},
                                  content_type="application/json")
    refused(response, 409, "case.is_draft")
    case = world.submitted()
    body = ok(applicant.post(f"/api/cases/{case.pk}/withdraw", {"reason": "信息填错"},
                             content_type="application/json"))
    assert body["status"]["value"] == "withdrawn" and body["actions"] == []
    assert not CaseTask.objects.filter(case=case, status="open").exists()


def test_a_tolerated_material_is_supplied_after_acceptance(applicant, world):
    case = services.submit(world.draft(files=("营业执照",)), world.user)
    services.accept(case, world.acceptor, tolerated=True, tolerated_until=dt.date.today())
    plan = material(case, "经营场所平面图")
    with unchanged(case):
        response = applicant.post(f"/api/cases/{case.pk}/tolerated-files",
                                  {"material_id": plan.pk, "file": pdf()})
    refused(response, 409, "case.not_tolerated")
    body = ok(applicant.post(f"/api/cases/{case.pk}/tolerated-files",
                             {"material_id": material(case, "健康证明").pk, "file": pdf("健康证明.pdf")}),
              201)
    assert body["material"] == "健康证明"
    assert case.events.filter(action="tolerated_supplied").exists()


# --- who may ---------------------------------------------------------------------------------------


def test_someone_elses_case_does_not_exist(client, world):
    case = world.submitted()
    client.force_login(world.stranger.user)
    with unchanged(case):
        for response in (client.get(f"/api/cases/{case.pk}"),
                         client.patch(f"/api/cases/{case.pk}", {"form_data": {}},
                                      content_type="application/json"),
                         client.post(f"/api/cases/{case.pk}/withdraw", {"reason": ""},
                                     content_type="application/json")):
            refused(response, 404, "case.not_found")


def test_without_a_session_the_api_asks_to_sign_in(client, world):
    case = world.draft()
    with unchanged(case):
        refused(client.get("/api/cases"), 401, "auth.required")
        refused(client.post(f"/api/cases/{case.pk}/submit"), 401, "auth.required")


def test_csrf_stays_on_for_session_requests(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user)
    with unchanged():
        response = client.post("/api/cases", {"item_code": world.item.implementation_code},
                               content_type="application/json")
    refused(response, 403, "auth.csrf_failed")


# --- 一件事 -----------------------------------------------------------------------------------------


def test_a_bundle_is_applied_for_with_one_form_and_one_set_of_materials(applicant, world):
    world.bundle()
    form = ok(Client().get("/api/bundles/open-restaurant"))
    assert form["items"] == ["食品经营许可", "公共场所卫生许可"]
    names = [m["name"] for m in form["materials"]]
    assert names.count("营业执照") == 1 and "卫生管理制度" in names
    assert "seats" in {f["name"] for f in form["fields"]}

    application = ok(applicant.post("/api/bundles/open-restaurant/applications", {},
                                    content_type="application/json"), 201)
    url = f"/api/bundle-applications/{application['id']}"
    ok(applicant.patch(url, {"form_data": {**world.form(), "seats": "20"}},
                       content_type="application/json"))
    review = ok(applicant.post(f"{url}/prereview"))
    missing = [d["label"] for d in review["defects"]]
    assert not review["passed"] and missing.count("营业执照") == 1 and "卫生管理制度" in missing
    with unchanged():
        response = applicant.post(f"{url}/submit", HTTP_IDEMPOTENCY_KEY="b1")
    assert refused(response, 400, "case.prereview_failed")["details"]["defects"] == review["defects"]
    for m in form["materials"]:
        if m["necessity"]["value"] == "required":
            body = ok(applicant.post(f"{url}/files", {"material_key": m["key"], "file": pdf()}), 201)
            assert body["attached"] == len(m["items"])
    assert ok(applicant.post(f"{url}/prereview"))["passed"]
    body = ok(applicant.post(f"{url}/submit", HTTP_IDEMPOTENCY_KEY="b1"))
    assert [c["status"]["value"] for c in body["cases"]] == ["received", "received"]
    assert ok(applicant.get(url))["label"] == "办理中（已办结0/2项）"


def test_an_unknown_bundle_is_not_found(client, db):
    refused(client.get("/api/bundles/nothing-here"), 404, "bundle.not_found")


# --- public progress query ---------------------------------------------------------------------


@pytest.fixture
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_progress_is_public_and_masked(client, world, fresh_limits):
    case = world.accepted()
    body = ok(client.get("/api/cases/progress", {"number": case.number, "name": "王芳"}))
    assert body["status"]["value"] == "accepted" and body["next_step"] == "等待部门审查"
    assert body["applicant"] == "王*" and body["due_date"] == case.due_date.isoformat()
    assert world.applicant.id_number not in str(body) and world.applicant.mobile not in str(body)
    refused(client.get("/api/cases/progress", {"number": case.number, "name": "赵强"}), 404,
            "case.not_found")


def test_progress_queries_are_rate_limited_per_address(client, world, settings, fresh_limits):
    settings.CASE_PROGRESS_QUERIES_PER_MINUTE = 2
    for _ in range(2):
        refused(client.get("/api/cases/progress", {"number": "x", "name": "y"}), 404, "case.not_found")
    refused(client.get("/api/cases/progress", {"number": "x", "name": "y"}), 429,
            "progress.rate_limited")
    other = client.get("/api/cases/progress", {"number": "x", "name": "y"}, REMOTE_ADDR="10.0.0.9")
    refused(other, 404, "case.not_found")


def test_openapi_describes_the_case_operations(client, db):
    paths = ok(client.get("/api/openapi.json"))["paths"]
    for path in ("/api/cases", "/api/cases/{case_id}/submit", "/api/cases/progress",
                 "/api/bundles/{slug}", "/api/bundle-applications/{application_id}/submit",
                 "/api/staff/cases/tasks", "/api/staff/cases/{case_id}/decide",
                 "/api/staff/catalog-workflows/{item_id}"):
        assert path in paths
    assert "Idempotency-Key" in str(paths["/api/cases/{case_id}/submit"])



def queries(client, url: str) -> int:
    """Queries of one request, after a first one has filled the working-day calendar's cache."""
    ok(client.get(url))
    with CaptureQueriesContext(connection) as captured:
        ok(client.get(url))
    return len(captured)


def test_my_cases_keep_their_query_count_as_cases_grow(applicant, world):
    world.submitted()
    one = queries(applicant, "/api/cases")
    for _ in range(3):
        world.submitted()
    assert queries(applicant, "/api/cases") == one
