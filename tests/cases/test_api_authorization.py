"""Who may use which case-handling URL; the rows of the site-wide rule table
(tests/accounts/test_authorization.py) for these URLs.

Every operation of the case API is called, on an object in the state it needs, by: nobody signed
in (401), a stranger citizen (someone else's case does not exist: 404), staff of another
department (404 for a case they may not see), staff of the right department without the role
(403), and last the owner or the right role, which succeeds. A refused call changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache

from tests.cases.factories import pdf
from tests.cases.test_api import refused, unchanged
from tests.clients import VerifiedClient
from tests.factories import staff
from tests.portal.factories import republish
from yiwang.cases import services
from yiwang.cases.api import router as applicant_router
from yiwang.cases.models import CaseTask, TaskKind
from yiwang.cases.staff_api import router as staff_router
from yiwang.orgs.models import Role

OWNER = "the applicant of the case (for a company: its legal representative, or the agent who applied)"
CITIZEN = "any signed-in citizen, for themselves or a company they represent or act for"
PUBLIC = "public"
QUEUE = "staff: the open tasks of their departments and roles"
CASE_STAFF = "staff with a case role in the case's department or a department with a task on it"


def _role(role: str) -> str:
    return f"{CASE_STAFF}, acting as {role}"


CASE_API_RULES: dict[str, str] = {
    "api:start_case": CITIZEN,
    "api:my_cases": CITIZEN,
    "api:case_progress": f"{PUBLIC} (办件编号 and applicant name, rate-limited per address)",
    "api:my_case": OWNER,
    "api:save_case": OWNER,
    "api:attach_case_file": OWNER,
    "api:remove_case_file": OWNER,
    "api:prereview_case": OWNER,
    "api:submit_case": OWNER,
    "api:resubmit_case": OWNER,
    "api:withdraw_case": OWNER,
    "api:supply_tolerated_file": OWNER,
    "api:bundle_form": PUBLIC,
    "api:start_bundle_application": CITIZEN,
    "api:bundle_application_progress": "the applicant of the bundle application",
    "api:save_bundle_application": "the applicant of the bundle application",
    "api:attach_bundle_application_file": "the applicant of the bundle application",
    "api:submit_bundle_application": "the applicant of the bundle application",
    "api:prereview_bundle_application": "the applicant of the bundle application",
    "api:task_queue": QUEUE,
    "api:claim_task": _role("the task's role (受理员, 审查员, 决定人, 制证员)"),
    "api:release_task": "the staff member holding the task, or the department's 部门管理员",
    "api:staff_case_view": f"{CASE_STAFF}, or a 监察员 of its region (audited)",
    "api:download_case_file": f"{CASE_STAFF}, or a 监察员 of its region (audited)",
    "api:accept_case": _role("受理员"),
    "api:not_accept_case": _role("受理员"),
    "api:request_case_correction": _role("受理员 before acceptance, 审查员 of a reviewing department after"),
    "api:review_case_task": _role("审查员 of the task's department"),
    "api:start_case_special": _role("审查员 or 决定人 of a department with an open task"),
    "api:end_case_special": _role("its starter, or 审查员/决定人 of the case's department"),
    "api:decide_case": _role("决定人"),
    "api:certify_case": _role("制证员"),
    "api:deliver_case": _role("制证员 or 窗口人员"),
    "api:verify_case_commitment": _role("审查员"),
    "api:revoke_case": "监察员 of the case's region or above",
    "api:item_workflow": "部门管理员 of the item's department, or a 区域管理员 over it",
    "api:set_item_workflow": "部门管理员 of the item's department, or a 区域管理员 over it",
}

UNSIGNED = (401, "auth.required")
NO_CASE = (404, "case.not_found")
NO_TASK = (404, "task.not_found")
NO_APPLICATION = (404, "bundle.application_not_found")
NO_ROLE = (403, "permission.role_required")
ALLOWED = None  # the actor may use the operation: the status is checked, not a refusal


@dataclass
class Op:
    setup: Callable  # world → ctx with "url", "right" and, for staff actions, "wrong"
    method: str = "post"
    body: Callable | None = None  # ctx → data; a fresh upload each call
    multipart: bool = False
    status: int = 200
    refusals: dict = field(default_factory=dict)


def applicant_op(setup, **kwargs) -> Op:
    kwargs.setdefault("refusals", {})
    kwargs["refusals"] = {"anonymous": UNSIGNED, "outsider": NO_CASE, "stranger": NO_CASE,
                          **kwargs["refusals"]}
    return Op(setup, **kwargs)


def staff_op(setup, **kwargs) -> Op:
    kwargs.setdefault("refusals", {})
    kwargs["refusals"] = {"anonymous": UNSIGNED, "outsider": NO_CASE, "stranger": NO_CASE,
                          "wrong": NO_ROLE, **kwargs["refusals"]}
    return Op(setup, **kwargs)


# --- objects in the state each operation needs ----------------------------------------------------


def _case_url(world, case, suffix="", **ctx):
    return {"url": f"/api/cases/{case.pk}{suffix}", "right": world.user, "case": case, **ctx}


def _staff_url(case, suffix, right, wrong=None, **ctx):
    return {"url": f"/api/staff/cases/{case.pk}{suffix}", "right": right, "wrong": wrong,
            "case": case, **ctx}


def _material(case, name):
    return case.version.materials.get(name=name).pk


def _task(case, kind, department=None):
    tasks = CaseTask.objects.filter(case=case, kind=kind)
    return (tasks.filter(department=department) if department else tasks).get()


def _correcting(world):
    case = world.submitted()
    services.request_correction(case, world.acceptor, [{"kind": "other", "message": "补充说明"}])
    return case


def _tolerated(world):
    case = services.submit(world.draft(files=("营业执照",)), world.user)
    return services.accept(case, world.acceptor, tolerated=True, tolerated_until=dt.date.today())


def _reviewed(world):
    case = world.accepted()
    for examiner, department in ((world.examiner, world.market), (world.health_examiner, world.health)):
        services.complete_review(_task(case, TaskKind.REVIEW, department), examiner, approve=True)
    return case


def _decided(world):
    case = _reviewed(world)
    return services.decide(case, world.decider, outcome="approved")


def _certified(world):
    return services.certify(_decided(world), world.certifier)


def _special(world):
    case = world.accepted()
    services.start_special(case, world.examiner, kind="expert", reason="专家评审", expected_days=3)
    return case


def _committed(world):
    republish(world.item, commitment_allowed=True)
    draft = world.draft()
    services.save_draft(draft, world.user, {}, commitment=True, commitment_text="本人承诺所填属实")
    case = services.accept(services.submit(draft, world.user), world.acceptor)
    return services.decide(case, world.decider, outcome="approved")


def _bundle_application(world, *, ready=False, suffix=""):
    application = services.start_bundle(world.user, world.bundle())
    if ready:
        services.save_bundle_draft(application, world.user, {**world.form(), "seats": "12"})
        for m in services.merged_form(application.version).materials:
            if m.necessity == "required":
                services.attach_bundle_file(application, world.user, m.key, pdf())
    return {"url": f"/api/bundle-applications/{application.pk}{suffix}", "right": world.user}


def _workflow(world):
    admin = staff(world.market, Role.DEPARTMENT_ADMIN, username="market_admin")
    return {"url": f"/api/staff/catalog-workflows/{world.item.pk}", "right": admin,
            "wrong": world.acceptor,
            "steps": [{"stage": 1, "name": "审查", "department": world.market.pk}]}


def _claimed_accept_task(world):
    case = world.submitted()
    task = services.claim(_task(case, TaskKind.ACCEPT), world.acceptor)
    return {"url": f"/api/staff/cases/tasks/{task.pk}/release", "right": world.acceptor,
            "wrong": world.examiner, "case": case}


def _open_accept_task(world):
    case = world.submitted()
    return {"url": f"/api/staff/cases/tasks/{_task(case, TaskKind.ACCEPT).pk}/claim",
            "right": world.acceptor, "wrong": world.examiner, "case": case}


def _file_of(world):
    case = world.submitted()
    return _staff_url(case, f"/files/{case.files.first().pk}", world.acceptor)


def _draft_file(world):
    case = world.draft()
    return _case_url(world, case, f"/files/{case.files.first().pk}")


def _progress(world):
    case = world.submitted()
    return {"url": "/api/cases/progress", "right": None, "number": case.number}


OPS: dict[str, Op] = {
    "api:start_case": Op(lambda w: {"url": "/api/cases", "right": w.user, "code": w.item.implementation_code},
                         body=lambda c: {"item_code": c["code"]}, status=201,
                         refusals={"anonymous": UNSIGNED, "stranger": ALLOWED,
                                   "outsider": (403, "assurance.no_citizen")}),
    "api:my_cases": Op(lambda w: {"url": "/api/cases", "right": w.user}, method="get",
                       refusals={"anonymous": UNSIGNED, "stranger": ALLOWED, "outsider": ALLOWED}),
    "api:case_progress": Op(_progress, method="get", body=lambda c: {"number": c["number"], "name": "王芳"},
                            refusals={"anonymous": ALLOWED, "stranger": ALLOWED, "outsider": ALLOWED}),
    "api:my_case": applicant_op(lambda w: _case_url(w, w.draft()), method="get"),
    "api:save_case": applicant_op(lambda w: _case_url(w, w.draft()), method="patch",
                                  body=lambda c: {"form_data": {"shop_name": "新名称"}}),
    "api:attach_case_file": applicant_op(
        lambda w: _case_url(w, (d := w.draft(files=())), "/files", material=_material(d, "营业执照")),
        multipart=True, body=lambda c: {"material_id": c["material"], "file": pdf()}, status=201),
    "api:remove_case_file": applicant_op(_draft_file, method="delete", status=204),
    "api:prereview_case": applicant_op(lambda w: _case_url(w, w.draft(), "/prereview")),
    "api:submit_case": applicant_op(lambda w: _case_url(w, w.draft(), "/submit")),
    "api:resubmit_case": applicant_op(lambda w: _case_url(w, _correcting(w), "/resubmit")),
    "api:withdraw_case": applicant_op(lambda w: _case_url(w, w.submitted(), "/withdraw"),
                                      body=lambda c: {"reason": "不再需要"}),
    "api:supply_tolerated_file": applicant_op(
        lambda w: _case_url(w, (t := _tolerated(w)), "/tolerated-files", material=_material(t, "健康证明")),
        multipart=True, body=lambda c: {"material_id": c["material"], "file": pdf()}, status=201),
    "api:bundle_form": Op(lambda w: {"url": f"/api/bundles/{w.bundle().slug}", "right": None},
                          method="get",
                          refusals={"anonymous": ALLOWED, "stranger": ALLOWED, "outsider": ALLOWED}),
    "api:start_bundle_application": Op(
        lambda w: {"url": f"/api/bundles/{w.bundle().slug}/applications", "right": w.user},
        status=201, refusals={"anonymous": UNSIGNED, "stranger": ALLOWED,
                              "outsider": (403, "assurance.no_citizen")}),
    "api:bundle_application_progress": applicant_op(
        _bundle_application, method="get", refusals={"outsider": NO_APPLICATION, "stranger": NO_APPLICATION}),
    "api:save_bundle_application": applicant_op(
        _bundle_application, method="patch", body=lambda c: {"form_data": {"shop_name": "新名称"}},
        refusals={"outsider": NO_APPLICATION, "stranger": NO_APPLICATION}),
    "api:attach_bundle_application_file": applicant_op(
        lambda w: _bundle_application(w, suffix="/files"), multipart=True, status=201,
        body=lambda c: {"material_key": "1", "file": pdf()},
        refusals={"outsider": NO_APPLICATION, "stranger": NO_APPLICATION}),
    "api:submit_bundle_application": applicant_op(
        lambda w: _bundle_application(w, ready=True, suffix="/submit"),
        refusals={"outsider": NO_APPLICATION, "stranger": NO_APPLICATION}),
    "api:prereview_bundle_application": applicant_op(
        lambda w: _bundle_application(w, suffix="/prereview"),
        refusals={"outsider": NO_APPLICATION, "stranger": NO_APPLICATION}),
    "api:task_queue": Op(lambda w: {"url": "/api/staff/cases/tasks", "right": w.acceptor}, method="get",
                         refusals={"anonymous": UNSIGNED, "stranger": ALLOWED, "outsider": ALLOWED}),
    "api:claim_task": staff_op(_open_accept_task, refusals={"outsider": NO_TASK, "stranger": NO_TASK}),
    "api:release_task": staff_op(_claimed_accept_task, refusals={
        "outsider": NO_TASK, "stranger": NO_TASK, "wrong": (403, "task.not_yours")}),
    "api:staff_case_view": staff_op(lambda w: _staff_url(w.submitted(), "", w.acceptor), method="get"),
    "api:download_case_file": staff_op(_file_of, method="get"),
    "api:accept_case": staff_op(lambda w: _staff_url(w.submitted(), "/accept", w.acceptor, w.examiner),
                                body=lambda c: {}),
    "api:not_accept_case": staff_op(
        lambda w: _staff_url(w.submitted(), "/not-accept", w.acceptor, w.examiner),
        body=lambda c: {"reason": "不属于本部门职责"}),
    "api:request_case_correction": staff_op(
        lambda w: _staff_url(w.submitted(), "/corrections", w.acceptor, w.decider),
        body=lambda c: {"defects": [{"kind": "other", "message": "请补充说明"}]}),
    "api:review_case_task": staff_op(
        lambda w: _staff_url((a := w.accepted()), f"/tasks/{_task(a, TaskKind.REVIEW, w.market).pk}/review",
                             w.examiner, w.decider),
        body=lambda c: {"approve": True, "opinion": "同意"}),
    "api:start_case_special": staff_op(
        lambda w: _staff_url(w.accepted(), "/special", w.examiner, w.acceptor),
        body=lambda c: {"kind": "inspection", "reason": "现场勘验", "expected_days": 2}),
    "api:end_case_special": staff_op(
        lambda w: _staff_url(_special(w), "/special/end", w.examiner, w.acceptor),
        body=lambda c: {"result": "评审通过"}),
    "api:decide_case": staff_op(lambda w: _staff_url(_reviewed(w), "/decide", w.decider, w.examiner),
                                body=lambda c: {"outcome": "approved"}),
    "api:certify_case": staff_op(lambda w: _staff_url(_decided(w), "/certify", w.certifier, w.decider),
                                 body=lambda c: {}),
    "api:deliver_case": staff_op(lambda w: _staff_url(_certified(w), "/deliver", w.certifier, w.decider),
                                 body=lambda c: {"method": "online"}),
    "api:verify_case_commitment": staff_op(
        lambda w: _staff_url((d := _committed(w)), f"/tasks/{_task(d, TaskKind.VERIFY).pk}/verify",
                             w.examiner, w.decider),
        body=lambda c: {"confirmed": True}),
    "api:revoke_case": staff_op(lambda w: _staff_url(w.accepted(), "/revoke", w.supervisor, w.decider),
                                body=lambda c: {"reason": "受理条件不符合规定"},
                                refusals={"wrong": (403, "permission.supervisor_required")}),
    "api:item_workflow": staff_op(_workflow, method="get",
                                  refusals={"outsider": NO_ROLE, "stranger": NO_ROLE}),
    "api:set_item_workflow": staff_op(_workflow, method="put", body=lambda c: {"steps": c["steps"]},
                                      refusals={"outsider": NO_ROLE, "stranger": NO_ROLE}),
}


def test_every_case_operation_has_a_rule_and_a_test():
    names = {f"api:{op.view_func.__name__}" for router in (applicant_router, staff_router)
             for view in router.path_operations.values() for op in view.operations}
    assert names == set(CASE_API_RULES) == set(OPS)


def _send(user, op: Op, ctx: dict):
    client = VerifiedClient()
    if user is not None:
        user.refresh_from_db()  # the stored password, so the session hash holds
        client.force_login(user)
    data = op.body(ctx) if op.body else {}
    if op.multipart:
        return client.post(ctx["url"], data)
    if op.method == "get":
        return client.get(ctx["url"], data)
    return getattr(client, op.method)(ctx["url"], data, content_type="application/json")


@pytest.mark.parametrize("name", sorted(OPS))
def test_who_may_use_the_operation(world, name):
    cache.clear()  # the progress query's per-address limit
    op = OPS[name]
    ctx = op.setup(world)
    actors = {"anonymous": None, "stranger": world.stranger.user, "outsider": world.outsider,
              "wrong": ctx.get("wrong")}
    for actor, expected in op.refusals.items():
        if actor == "wrong" and actors["wrong"] is None:
            continue  # every case role of the department may read the case
        if expected is ALLOWED:
            response = _send(actors[actor], op, ctx)
            assert response.status_code == op.status, (actor, response.content)
            continue
        with unchanged(ctx.get("case")):
            refused(_send(actors[actor], op, ctx), *expected)
    response = _send(ctx["right"], op, ctx)
    assert response.status_code == op.status, response.content
