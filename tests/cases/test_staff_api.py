"""The staff case API: the queue, claiming, each handling step, audited reads and downloads, and
the item workflow. Refusals carry their code and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.cases.factories import PDF
from tests.cases.test_api import json_post, ok, queries, refused, unchanged
from tests.factories import staff
from tests.portal.factories import republish
from yiwang.cases import services
from yiwang.cases.models import Case, CaseTask, Status, TaskKind, TaskStatus, WorkflowStep
from yiwang.orgs.models import Role
from yiwang.supervision.models import AuditRecord


def task(case, kind, department=None):
    tasks = CaseTask.objects.filter(case=case, kind=kind)
    return (tasks.filter(department=department) if department else tasks).get()


@pytest.fixture
def as_user(client):
    def login(user):
        client.logout()
        # The stored user, as a request loads it: World's supervisor keeps an unsaved password in
        # memory, whose session hash would not match.
        user.refresh_from_db()
        client.force_login(user)
        return client
    return login


# --- the queue -----------------------------------------------------------------------------------


def test_the_queue_lists_overdue_first_with_counts(as_user, world):
    later, overdue = world.accepted(), world.accepted()
    Case.objects.filter(pk=overdue.pk).update(due_date=dt.date.today() - dt.timedelta(days=3))
    world.submitted()  # an acceptance task: not the examiner's
    client = as_user(world.examiner)
    body = ok(client.get("/api/staff/cases/tasks"))
    assert [t["case_id"] for t in body["items"]] == [overdue.pk, later.pk]
    assert body["items"][0]["warning"]["level"] == "red"
    assert "applicant_id_number" not in body["items"][0]  # lists carry no ID numbers
    counts = body["counts"]
    assert (counts["total"], counts["open"], counts["mine"], counts["red"]) == (2, 2, 0, 1)
    assert {k["kind"]: k["count"] for k in counts["kinds"]}["review"] == 2
    assert ok(client.get("/api/staff/cases/tasks?warning=red"))["total"] == 1
    ok(client.post(f"/api/staff/cases/tasks/{body['items'][1]['id']}/claim"))
    mine = ok(client.get("/api/staff/cases/tasks?tab=mine"))
    assert [t["case_id"] for t in mine["items"]] == [later.pk]
    assert ok(as_user(world.acceptor).get("/api/staff/cases/tasks?kind=accept"))["total"] == 1
    assert ok(as_user(world.outsider).get("/api/staff/cases/tasks"))["total"] == 0
    refused(as_user(world.examiner).get("/api/staff/cases/tasks?warning=purple"), 422,
            "request.invalid")


def test_claim_release_and_a_second_claimer_is_told_who_has_it(as_user, world):
    case = world.accepted()
    review = task(case, TaskKind.REVIEW, world.market)
    body = ok(as_user(world.examiner).post(f"/api/staff/cases/tasks/{review.pk}/claim"))
    assert body["status"]["value"] == "claimed" and body["assignee"] == "examiner"
    assert Case.objects.get(pk=case.pk).status == Status.REVIEWING
    second = staff(world.market, Role.EXAMINER, username="examiner2")
    with unchanged(case):
        response = as_user(second).post(f"/api/staff/cases/tasks/{review.pk}/claim")
    refused(response, 409, "task.taken")
    body = ok(as_user(world.examiner).post(f"/api/staff/cases/tasks/{review.pk}/release"))
    assert body["status"]["value"] == "open" and body["assignee"] is None


def test_claiming_a_task_of_another_role_or_department(as_user, world):
    case = world.submitted()
    accept = task(case, TaskKind.ACCEPT)
    with unchanged(case):
        refused(as_user(world.examiner).post(f"/api/staff/cases/tasks/{accept.pk}/claim"), 403,
                "permission.role_required")
        refused(as_user(world.outsider).post(f"/api/staff/cases/tasks/{accept.pk}/claim"), 404,
                "task.not_found")


# --- reading ---------------------------------------------------------------------------------------


def test_opening_a_case_reveals_personal_data_and_is_audited(as_user, world):
    case = world.submitted()
    body = ok(as_user(world.acceptor).get(f"/api/staff/cases/{case.pk}"))
    assert body["applicant_id_number"] == world.applicant.id_number
    assert body["contact_mobile"] == world.applicant.mobile
    assert body["actions"] == ["accept", "not_accept", "request_correction", "revoke"]
    viewed = AuditRecord.objects.filter(kind="case.personal_data_viewed", actor_id=world.acceptor.pk)
    assert viewed.count() == 1


def test_a_material_is_downloaded_with_an_audit_record(as_user, world):
    case = world.submitted()
    case_file = case.files.get(material__name="营业执照")
    response = as_user(world.acceptor).get(f"/api/staff/cases/{case.pk}/files/{case_file.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert AuditRecord.objects.filter(kind="case.file_downloaded").count() == 1
    with unchanged(case):
        refused(as_user(world.outsider).get(f"/api/staff/cases/{case.pk}/files/{case_file.pk}"),
                404, "case.not_found")


def test_staff_without_the_second_factor_are_stopped(world):
    client = Client()
    client.force_login(world.acceptor)
    refused(client.get("/api/staff/cases/tasks"), 401, "auth.second_factor_required")


# --- handling ----------------------------------------------------------------------------------


def test_a_case_goes_from_acceptance_to_delivery_through_the_api(as_user, world):
    case = world.submitted()
    body = ok(json_post(as_user(world.acceptor), f"/api/staff/cases/{case.pk}/accept", {}))
    assert body["status"]["value"] == "accepted" and body["deadline"]["due_date"]
    assert "*" in body["applicant_id_number"]  # only the audited read reveals it
    for examiner, department in ((world.examiner, world.market),
                                 (world.health_examiner, world.health)):
        review = task(case, TaskKind.REVIEW, department)
        body = ok(json_post(as_user(examiner), f"/api/staff/cases/{case.pk}/tasks/{review.pk}/review",
                            {"approve": True, "opinion": "符合要求"}))
    assert body["status"]["value"] == "reviewing"
    body = ok(json_post(as_user(world.decider), f"/api/staff/cases/{case.pk}/decide",
                        {"outcome": "approved"}))
    assert body["status"]["value"] == "approved"
    ok(json_post(as_user(world.certifier), f"/api/staff/cases/{case.pk}/certify", {"note": ""}))
    body = ok(json_post(as_user(world.certifier), f"/api/staff/cases/{case.pk}/deliver",
                        {"method": "window"}))
    assert body["status"]["value"] == "delivered"
    assert [e["action"] for e in body["events"]][-3:] == ["decide", "certify", "deliver"]


def test_accepting_without_the_role_or_from_another_department(as_user, world):
    case = world.submitted()
    with unchanged(case):
        refused(json_post(as_user(world.examiner), f"/api/staff/cases/{case.pk}/accept", {}), 403,
                "permission.role_required")
        refused(json_post(as_user(world.outsider), f"/api/staff/cases/{case.pk}/accept", {}), 404,
                "case.not_found")
        refused(json_post(as_user(world.stranger.user), f"/api/staff/cases/{case.pk}/accept", {}),
                404, "case.not_found")


def test_accepting_with_a_missing_tolerated_material_needs_a_date(as_user, world):
    case = services.submit(world.draft(files=("营业执照",)), world.user)
    url = f"/api/staff/cases/{case.pk}/accept"
    with unchanged(case):
        refused(json_post(as_user(world.acceptor), url, {}), 400, "case.tolerated_missing")
        refused(json_post(as_user(world.acceptor), url, {"tolerated": True}), 400,
                "case.tolerated_until")
    body = ok(json_post(as_user(world.acceptor), url,
                        {"tolerated": True, "tolerated_until": dt.date.today().isoformat()}))
    assert body["tolerated"] is True and body["status"]["value"] == "accepted"


def test_not_accepting_needs_a_reason(as_user, world):
    case = world.submitted()
    url = f"/api/staff/cases/{case.pk}/not-accept"
    with unchanged(case):
        refused(json_post(as_user(world.acceptor), url, {"reason": " "}), 400, "case.reason_required")
    body = ok(json_post(as_user(world.acceptor), url, {"reason": "不属于本部门职责"}))
    assert body["status"]["value"] == "not_accepted" and body["outcome_reason"] == "不属于本部门职责"


def test_a_correction_notice_lists_every_defect(as_user, world):
    case = world.submitted()
    licence = case.version.materials.get(name="营业执照")
    url = f"/api/staff/cases/{case.pk}/corrections"
    with unchanged(case):
        refused(json_post(as_user(world.acceptor), url,
                          {"defects": [{"kind": "material", "target": "999999", "message": "缺"}]}),
                400, "case.defect_target")
    body = ok(json_post(as_user(world.acceptor), url, {"defects": [
        {"kind": "material", "target": str(licence.pk), "message": "营业执照不清晰"},
        {"kind": "field", "target": "shop_name", "message": "店铺名称与执照不一致"}], "note": ""}))
    assert body["status"]["value"] == "correcting"
    assert [d["label"] for d in body["corrections"][0]["defects"]] == ["营业执照", "店铺名称"]


def test_deciding_a_case_in_correction_is_refused(as_user, world):
    case = world.accepted()
    services.request_correction(case, world.examiner, [{"kind": "other", "message": "补充说明"}])
    with unchanged(case):
        response = json_post(as_user(world.decider), f"/api/staff/cases/{case.pk}/decide",
                             {"outcome": "approved"})
    body = refused(response, 409, "case.illegal_transition")
    assert body["message"] == "该办件当前状态为补正中，不能作出决定"


def test_deciding_before_every_review_has_finished_is_refused(as_user, world):
    case = world.accepted()
    with unchanged(case):
        refused(json_post(as_user(world.decider), f"/api/staff/cases/{case.pk}/decide",
                          {"outcome": "approved"}), 409, "case.review_pending")


def test_a_special_procedure_stops_and_restarts_the_clock(as_user, world):
    case = world.accepted()
    url = f"/api/staff/cases/{case.pk}/special"
    with unchanged(case):
        refused(json_post(as_user(world.examiner), url,
                          {"kind": "hearing", "reason": "需听证", "expected_days": 0}),
                400, "case.special_days")
    body = ok(json_post(as_user(world.examiner), url,
                        {"kind": "hearing", "reason": "涉及重大公共利益，需听证", "expected_days": 5}))
    assert body["status"]["value"] == "special" and body["special_procedures"][0]["kind"]["label"] == "听证"
    body = ok(json_post(as_user(world.examiner), f"{url}/end", {"result": "听证完毕"}))
    assert body["status"]["value"] == "accepted"


def test_a_commitment_is_verified_after_the_decision(as_user, world):
    republish(world.item, commitment_allowed=True)
    draft = world.draft()
    services.save_draft(draft, world.user, {}, commitment=True, commitment_text="本人承诺所填属实")
    case = services.accept(services.submit(draft, world.user), world.acceptor)
    services.decide(case, world.decider, outcome="approved")
    verify = task(case, TaskKind.VERIFY)
    url = f"/api/staff/cases/{case.pk}/tasks/{verify.pk}/verify"
    with unchanged(case):
        refused(json_post(as_user(world.examiner), url, {"confirmed": False}), 400,
                "case.reason_required")
    ok(json_post(as_user(world.examiner), url, {"confirmed": True, "note": "现场核查属实"}))
    assert CaseTask.objects.get(pk=verify.pk).status == TaskStatus.DONE


def test_a_review_task_must_belong_to_the_case_in_the_url(as_user, world):
    case, other = world.accepted(), world.accepted()
    review = task(other, TaskKind.REVIEW, world.market)
    with unchanged(case):
        refused(json_post(as_user(world.examiner), f"/api/staff/cases/{case.pk}/tasks/{review.pk}/review",
                          {"approve": True}), 404, "task.not_found")


def test_only_a_supervisor_revokes(as_user, world):
    case = world.accepted()
    url = f"/api/staff/cases/{case.pk}/revoke"
    with unchanged(case):
        refused(json_post(as_user(world.decider), url, {"reason": "违法受理"}), 403,
                "permission.supervisor_required")
    body = ok(json_post(as_user(world.supervisor), url, {"reason": "受理条件不符合规定"}))
    assert body["status"]["value"] == "revoked"


# --- workflow ------------------------------------------------------------------------------------


def test_a_department_admin_replaces_the_workflow(as_user, world):
    admin = staff(world.market, Role.DEPARTMENT_ADMIN, username="market_admin")
    url = f"/api/staff/catalog-workflows/{world.item.pk}"
    assert [s["name"] for s in ok(as_user(admin).get(url))] == ["食品安全审查", "卫生审查"]
    steps = [{"stage": 1, "name": "食品安全审查", "department": world.market.pk},
             {"stage": 2, "name": "卫生审查", "department": world.health.pk}]
    body = ok(as_user(admin).put(url, {"steps": steps}, content_type="application/json"))
    assert [(s["stage"], s["department"]) for s in body] == [
        (1, "吉林省市场监督管理局"), (2, "吉林省卫生健康委员会")]
    before = list(WorkflowStep.objects.values_list("pk", flat=True))
    bad = [{"stage": 2, "name": "卫生审查", "department": world.health.pk}]
    refused(as_user(admin).put(url, {"steps": bad}, content_type="application/json"), 400,
            "workflow.invalid")
    refused(as_user(world.acceptor).put(url, {"steps": steps}, content_type="application/json"), 403,
            "permission.role_required")
    refused(as_user(world.acceptor).get(url), 403, "permission.role_required")
    assert list(WorkflowStep.objects.values_list("pk", flat=True)) == before


def test_the_queue_keeps_its_query_count_as_tasks_grow(as_user, world):
    world.accepted()
    client = as_user(world.examiner)
    one = queries(client, "/api/staff/cases/tasks")
    for _ in range(3):
        world.accepted()
    assert queries(client, "/api/staff/cases/tasks") == one
