"""Who may use which case-handling URL of the workbench; the rows of the site-wide rule table
(tests/accounts/test_authorization.py) for these URLs, and the tests that prove each row.

Each check builds the state in which the action is legitimate, then tries it as every kind of
user; the one who may do it goes last, so that "OK" means the action really succeeded:
- anonymous: the log-in page;
- a citizen: 403 (the workbench is for staff only, as for every workbench page);
- staff of another department: 404 (the case does not exist for them);
- staff of the same department without the role, or a supervisor (who may look but not handle):
  403 on actions;
- the right role in the right department: OK.
"""

from __future__ import annotations

import pytest

from tests.workbench.case_states import Desk
from yiwang.cases import services
from yiwang.cases.models import TaskKind

CASE_WORKBENCH_RULES: dict[str, str] = {
    "workbench:case-queue": "staff with a case-handling role or supervisors; each sees their own tasks",
    "workbench:case-claim-many": "case staff; each task claimed only with its role in its department",
    "workbench:case-list": "supervisors (监察员): every case of their regions",
    "workbench:case-task-claim": "the task's role in the task's department",
    "workbench:case-task-release": "the holder of the task (or a 部门管理员 who also handles cases)",
    "workbench:case-detail": "staff of the case's departments (any case role) and supervisors",
    "workbench:case-file": "as case-detail; every download audited",
    "workbench:case-document": "as case-detail",
    "workbench:case-accept": "受理员 of the accepting department",
    "workbench:case-accept-bundle": "受理员 of the bundle's lead department",
    "workbench:case-not-accept": "受理员 of the accepting department",
    "workbench:case-request-correction": "受理员 before acceptance, 审查员 of a reviewing department after",
    "workbench:case-complete-review": "审查员 of the review task's department",
    "workbench:case-start-special": "审查员 or 决定人 with an active task on the case",
    "workbench:case-end-special": "whoever started it, or 审查员/决定人 of the case's department",
    "workbench:case-decide": "决定人 of the case's department",
    "workbench:case-certify": "制证员 of the case's department",
    "workbench:case-deliver": "制证员 or 窗口人员 of the case's department",
    "workbench:case-verify-commitment": "审查员 of the case's department",
    "workbench:case-revoke": "supervisors of the case's region",
    "workbench:item-workflow": "catalogue staff of the item's department see it; its 部门管理员 or a "
                               "区域管理员 above edit it",
}

OK, LOGIN = "ok", "login"
ROLES = ("anonymous", "stranger", "outsider", "wrong_role", "supervisor", "right")
VIEW = (LOGIN, 403, 404, OK, OK, OK)
ACT = (LOGIN, 403, 404, 403, 403, OK)


def _received(w):
    return w.submitted()


def _accept_task(w):
    case = w.submitted()
    return case, {"task_pk": w.task(case, TaskKind.ACCEPT).pk}


def _claimed(w):
    case, extra = _accept_task(w)
    services.claim(w.task(case, TaskKind.ACCEPT), w.acceptor)
    return case, extra


def _review(w):
    case = w.accepted()
    return case, {"task": w.task(case, TaskKind.REVIEW, w.market).pk}


def _verify(w):
    case = w.committed()
    return case, {"task": w.task(case, TaskKind.VERIFY).pk}


def _with_file(w):
    case = w.submitted()
    return case, {"file_pk": case.files.first().pk}


# URL name: (state, method, path, data, {role: username of the user playing it}, expected per ROLES)
CHECKS = {
    "case-queue": (None, "get", "/workbench/cases/", {}, {"wrong_role": "market_editor"},
                   (LOGIN, 403, OK, 403, OK, OK)),
    "case-claim-many": (_accept_task, "post", "/workbench/cases/claim/", {"task": "{task_pk}"},
                        {"wrong_role": "examiner"}, ACT),
    "case-list": (None, "get", "/workbench/cases/all/", {}, {"right": "supervisor"},
                  (LOGIN, 403, 403, 403, OK, OK)),
    "case-task-claim": (_accept_task, "post", "/workbench/cases/tasks/{task_pk}/claim/", {},
                        {"wrong_role": "examiner"}, ACT),
    "case-task-release": (_claimed, "post", "/workbench/cases/tasks/{task_pk}/release/", {},
                          {"wrong_role": "examiner"}, ACT),
    "case-detail": (_received, "get", "/workbench/cases/{case}/", {}, {"wrong_role": "examiner"}, VIEW),
    "case-file": (_with_file, "get", "/workbench/cases/{case}/files/{file_pk}/", {},
                  {"wrong_role": "examiner"}, VIEW),
    "case-document": (lambda w: w.accepted(), "get", "/workbench/cases/{case}/documents/acceptance/", {},
                      {"wrong_role": "decider"}, VIEW),
    "case-accept": (_received, "post", "/workbench/cases/{case}/accept/", {}, {"wrong_role": "examiner"},
                    ACT),
    "case-accept-bundle": (lambda w: w.bundled()[0], "post", "/workbench/cases/{case}/accept-bundle/",
                           {}, {"wrong_role": "examiner"}, ACT),
    "case-not-accept": (_received, "post", "/workbench/cases/{case}/not-accept/",
                        {"reason": "不属于本部门职权范围"}, {"wrong_role": "examiner"}, ACT),
    "case-request-correction": (_received, "post", "/workbench/cases/{case}/request-correction/",
                                {"defect": "field:shop_name", "message-field:shop_name": "请填写全称"},
                                {"wrong_role": "examiner"}, ACT),
    "case-complete-review": (_review, "post", "/workbench/cases/{case}/complete-review/",
                             {"task": "{task}", "approve": "yes"},
                             {"right": "examiner", "wrong_role": "acceptor"}, ACT),
    "case-start-special": (lambda w: w.accepted(), "post", "/workbench/cases/{case}/start-special/",
                           {"kind": "expert", "reason": "需专家评审", "expected_days": "5"},
                           {"right": "examiner", "wrong_role": "acceptor"}, ACT),
    "case-end-special": (lambda w: w.special(), "post", "/workbench/cases/{case}/end-special/",
                         {"result": "评审通过"}, {"right": "examiner", "wrong_role": "acceptor"}, ACT),
    "case-decide": (lambda w: w.reviewed(), "post", "/workbench/cases/{case}/decide/",
                    {"outcome": "approved"}, {"right": "decider", "wrong_role": "examiner"}, ACT),
    "case-certify": (lambda w: w.approved(), "post", "/workbench/cases/{case}/certify/", {},
                     {"right": "certifier", "wrong_role": "decider"}, ACT),
    "case-deliver": (lambda w: w.certified(), "post", "/workbench/cases/{case}/deliver/",
                     {"method": "window"}, {"right": "certifier", "wrong_role": "decider"}, ACT),
    "case-verify-commitment": (_verify, "post", "/workbench/cases/{case}/verify-commitment/",
                               {"task": "{task}", "confirmed": "yes"},
                               {"right": "examiner", "wrong_role": "acceptor"}, ACT),
    "case-revoke": (lambda w: w.accepted(), "post", "/workbench/cases/{case}/revoke/",
                    {"reason": "申请人隐瞒有关情况"}, {"right": "supervisor", "wrong_role": "decider"},
                    (LOGIN, 403, 404, 403, OK, OK)),
    "item-workflow": (None, "post", "/workbench/items/{item}/workflow/", {
        "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "1", "steps-0-stage": "1",
        "steps-0-name": "食品安全审查", "steps-0-department": "{market}"},
        {"right": "market_admin", "wrong_role": "market_editor"}, (LOGIN, 403, 404, 403, 404, OK)),
}
DEFAULT_PLAYERS = {"stranger": "stranger", "outsider": "outsider", "wrong_role": "examiner",
                   "supervisor": "supervisor", "right": "acceptor"}


def test_every_case_url_of_the_workbench_has_a_rule_and_a_check():
    assert set(CASE_WORKBENCH_RULES) == {f"workbench:{name}" for name in CHECKS}


def _outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/accounts/login/") else OK
    return OK if response.status_code == 200 else response.status_code


def _user(world, name):
    person = getattr(world, name)
    return person.user if hasattr(person, "id_number") else person


@pytest.mark.parametrize("name", list(CHECKS))
def test_case_url_access(client, db, name):
    state, method, path, data, players, expected = CHECKS[name]
    world = Desk()
    made = state(world) if state else None
    case, extra = made if isinstance(made, tuple) else (made, {})
    values = {"case": getattr(case, "pk", ""), "item": world.item.pk, "market": world.market.pk, **extra}
    path = path.format(**values)
    data = {k: v.format(**values) for k, v in data.items()}
    players = {**DEFAULT_PLAYERS, **players}
    # The one who may act goes last (its success changes the state); a supervisor who is also
    # the right person is tried once, as the right person.
    order = [r for r in ROLES if r != "right" and not (r != "anonymous" and players[r] == players["right"])]
    for role in [*order, "right"]:
        client.logout()
        if role != "anonymous":
            client.force_login(_user(world, players[role]))
        response = getattr(client, method)(path, data)
        assert _outcome(response) == expected[ROLES.index(role)], (name, role, response.status_code)
