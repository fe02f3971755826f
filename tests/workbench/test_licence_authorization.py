"""Who may use which licence page of the workbench (证照管理); the rows of the site-wide rule
table (tests/accounts/test_authorization.py) for these URLs, and the tests that prove each row.

As in test_case_authorization, each check builds the state in which the action is legitimate and
tries it as every kind of user, the one who may do it last:
- anonymous: the log-in page;
- a citizen, even the holder: 403 (the workbench is for staff only);
- staff without a licence role anywhere: 403;
- a 制证员 of another department: 404 (the licence does not exist for them);
- staff of the issuing department without the role: 403;
- the issuer's 部门管理员 and 制证员: OK.
"""

from __future__ import annotations

import pytest

from tests.workbench.licence_states import LicenceDesk
from yiwang.licences.models import Licence

STAFF = "制证员 or 部门管理员 of the issuing department; another department's licence 404"
LICENCE_WORKBENCH_RULES: dict[str, str] = {
    "workbench:licences": "制证员 or 部门管理员: the licences of their own departments",
    "workbench:licence-detail": STAFF,
    "workbench:licence-suspend": STAFF,
    "workbench:licence-reinstate": STAFF,
    "workbench:licence-revoke": STAFF,
}

OK, LOGIN = "ok", "login"
ROLES = ("anonymous", "holder", "outsider", "other_certifier", "examiner", "market_admin", "certifier")
VIEW = (LOGIN, 403, 403, 404, 403, OK, OK)

# URL name: (state, method, path, data, expected per ROLES)
CHECKS = {
    "licences": (None, "get", "/workbench/licences/", {}, (LOGIN, 403, 403, OK, 403, OK, OK)),
    "licence-detail": (LicenceDesk.issued, "get", "/workbench/licences/{pk}/", {}, VIEW),
    "licence-suspend": (LicenceDesk.issued, "post", "/workbench/licences/{pk}/suspend/",
                        {"reason": "整改期间"}, VIEW),
    "licence-reinstate": (LicenceDesk.suspended, "post", "/workbench/licences/{pk}/reinstate/",
                          {"reason": "整改完毕"}, VIEW),
    "licence-revoke": (LicenceDesk.issued, "post", "/workbench/licences/{pk}/revoke/",
                       {"reason": "依法吊销"}, VIEW),
}


def test_every_licence_url_of_the_workbench_has_a_rule_and_a_check():
    assert set(LICENCE_WORKBENCH_RULES) == {f"workbench:{name}" for name in CHECKS}


def _outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/accounts/login/") else OK
    return OK if response.status_code == 200 else response.status_code


def _user(desk: LicenceDesk, role: str):
    return desk.user if role == "holder" else getattr(desk, role)


@pytest.mark.parametrize("name", list(CHECKS))
def test_licence_url_access(client, db, name):
    state, method, path, data, expected = CHECKS[name]
    desk = LicenceDesk()
    licence = state(desk) if state else None
    path = path.format(pk=getattr(licence, "pk", ""))
    # Both market_admin and the certifier may change the licence: the certifier, last, acts on a
    # fresh licence in the same state, as market_admin's change has used up the first one.
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(_user(desk, role))
        if role == "certifier" and licence is not None and method == "post":
            path = path.replace(f"/{licence.pk}/", f"/{state(desk).pk}/")
        response = getattr(client, method)(path, data)
        assert _outcome(response) == expected[ROLES.index(role)], (name, role, response.status_code)


def test_another_departments_certifier_sees_none_of_the_licences(client, db):
    desk = LicenceDesk()
    licence = desk.issued()
    client.force_login(desk.other_certifier)
    page = client.get("/workbench/licences/").content.decode()
    assert licence.identifier not in page and "没有符合条件的证照" in page
    assert Licence.objects.get().status == "valid"
