"""Who may use each URL of the 12345 pages (portal and workbench), part B:
``HOTLINE_PAGE_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.cases.factories import pdf
from tests.clients import VerifiedClient
from tests.complaints.factories import HotlineWorld
from yiwang.complaints.models import AssignmentStatus
from yiwang.complaints.services import requests as svc
from yiwang.supervision.models import AuditRecord

OWN = ("the requester, signed in, their own requests only (anyone else, staff included, 404); "
       "anonymous → log-in")
HOTLINE_STAFF = ("12345话务员 and 热线管理员 (superuser), the requests of their regions only; "
                 "citizens and other staff 403; anonymous → log-in")
PORTAL = {
    "submit": "signed-in person, as themselves (their own cases only may be linked); "
              "anonymous → log-in",
    "mine": "signed-in person: their own requests only; anonymous → log-in",
    "detail": OWN,
    "submitted": OWN + " (the link with the token only right after submitting, in that session)",
    "token": "public by the follow-up link's secret token: that request only; unknown or "
             "superseded tokens 404",
    "attachment": OWN + " (the download is audited)",
}
HOTLINE_PAGE_RULES: dict[str, str] = {
    **{f"complaints:{name}": rule for name, rule in PORTAL.items()},
    **{f"complaints:m_{name}": rule for name, rule in PORTAL.items()},
    "hotline:console": HOTLINE_STAFF,
    "hotline:queue": HOTLINE_STAFF + " (退单待仲裁: 热线管理员's regions)",
    "hotline:inbox": ("12345承办员 and 部门管理员: their departments' assignments only; citizens "
                      "and the hotline's staff 403; anonymous → log-in"),
    "hotline:request": ("the hotline of the request's region (acting as the role allows: "
                        "arbitration by the 热线管理员 only) and the departments it was assigned "
                        "to; the requester (they have the portal's page), other regions and "
                        "departments 404; anonymous → log-in"),
    "hotline:attachment": ("as hotline:request: the hotline of the request's region and the "
                           "departments it was assigned to; everyone else 404; anonymous → "
                           "log-in (the download is audited)"),
    "hotline:assignment": ("POST by 12345承办员 or 部门管理员 of the assignment's department; "
                           "everyone else 404; anonymous → log-in"),
}

LOGIN = "login"
ROLES = ("anonymous", "owner", "other_citizen", "operator", "other_city_operator",
         "assigned_handler", "other_handler")


@pytest.fixture
def w(db):
    world = HotlineWorld()
    world.roles = {"anonymous": None, "owner": world.citizen, "other_citizen": world.stranger,
                   "operator": world.operator, "other_city_operator": world.jilin_operator,
                   "assigned_handler": world.handler, "other_handler": world.health_handler}
    return world


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def seen(w, call, last: str = "") -> dict:
    """``call(client)`` as every role, in ROLES order but ``last`` last: the one whose action
    succeeds comes after everyone who must change nothing."""
    result = {}
    for role in sorted(ROLES, key=lambda role: role == last):
        client = Client() if role == "anonymous" else VerifiedClient()
        if role != "anonymous":
            client.force_login(w.roles[role])
        result[role] = outcome(call(client))
    return result


def expect(default, **overrides) -> dict:
    return {role: overrides.get(role, default) for role in ROLES}


def test_part_b_has_a_rule_for_each_of_its_urls():
    from tests.accounts.test_authorization import _names  # that module imports this one

    ours = {name for name in _names(get_resolver())
            if name.startswith(("complaints:", "hotline:"))}
    assert ours == set(HOTLINE_PAGE_RULES)


@pytest.mark.parametrize("prefix", ["", "m_"])
def test_portal_pages_for_the_signed_in_and_the_requester_only(w, prefix):
    request = w.dispatched().request
    get = lambda name, *args: lambda c: c.get(reverse(f"complaints:{prefix}{name}", args=args))  # noqa: E731
    assert seen(w, get("submit")) == expect(200, anonymous=LOGIN)
    assert seen(w, get("mine")) == expect(200, anonymous=LOGIN)
    assert seen(w, get("detail", request.number)) == expect(404, anonymous=LOGIN, owner=200)
    assert seen(w, get("submitted", request.number)) == expect(404, anonymous=LOGIN, owner=200)


def test_the_follow_up_link_opens_its_request_for_anyone_and_nothing_else(w):
    _request, token = w.submit()
    assert seen(w, lambda c: c.get(reverse("complaints:token", args=[token]))) == expect(200)
    assert seen(w, lambda c: c.get(reverse("complaints:m_token", args=["x" * 32]))) == expect(404)


def test_another_persons_request_cannot_be_rated(w):
    request = w.answered()
    response = seen(w, lambda c: c.post(reverse("complaints:detail", args=[request.number]),
                                        {"satisfaction": "dissatisfied"}), last="owner")
    assert response == expect(404, anonymous=LOGIN, owner=302)
    request.refresh_from_db()
    assert request.satisfaction == "dissatisfied"


def test_console_and_queues_for_the_hotline_only(w):
    staff_only = expect(403, anonymous=LOGIN, operator=200, other_city_operator=200)
    assert seen(w, lambda c: c.get(reverse("hotline:console"))) == staff_only
    for name in ("dispatch", "revisit", "overdue"):
        assert seen(w, lambda c: c.get(reverse("hotline:queue", args=[name]))) == staff_only


def test_a_queue_shows_only_the_operators_regions(w):
    request, _ = w.call()
    for role, shown in (("operator", True), ("other_city_operator", False)):
        client = VerifiedClient()
        client.force_login(w.roles[role])
        page = client.get(reverse("hotline:queue", args=["dispatch"])).content.decode()
        assert (request.number in page) is shown


def test_a_registered_call_is_not_shown_on_the_console_of_another_city(w):
    request, _ = w.call()
    url = f"{reverse('hotline:console')}?saved={request.number}"
    assert seen(w, lambda c: c.get(url)) == expect(403, anonymous=LOGIN, operator=200,
                                                   other_city_operator=404)


def test_the_inbox_for_department_handlers_only(w):
    assert seen(w, lambda c: c.get(reverse("hotline:inbox"))) == expect(
        403, anonymous=LOGIN, assigned_handler=200, other_handler=200)


def test_the_request_page_for_its_region_and_its_departments(w):
    request = w.dispatched().request
    assert seen(w, lambda c: c.get(reverse("hotline:request", args=[request.number]))) == expect(
        404, anonymous=LOGIN, operator=200, assigned_handler=200)


def test_an_action_on_the_request_page_by_who_may_not_see_it_changes_nothing(w):
    request = w.registered()
    post = lambda c: c.post(reverse("hotline:request", args=[request.number]),  # noqa: E731
                            {"action": "dispatch", "department": w.health.pk})
    assert seen(w, post, last="operator") == expect(404, anonymous=LOGIN, operator=302)
    assert request.assignments.get().department == w.health


def test_only_the_assigned_department_acts_on_its_assignment(w):
    assignment = w.dispatched()
    post = lambda c: c.post(reverse("hotline:assignment", args=[assignment.pk]),  # noqa: E731
                            {"action": "accept"})
    assert seen(w, post, last="assigned_handler") == expect(404, anonymous=LOGIN,
                                                            assigned_handler=302)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.accepted_by) == (AssignmentStatus.HANDLING, w.handler)


def test_arbitration_is_the_hotline_admins(w):
    assignment = svc.accept(w.health_handler, w.dispatched(w.health))
    svc.return_assignment(w.health_handler, assignment, "不属于本委职责")
    url = reverse("hotline:request", args=[assignment.request.number])
    post = lambda c: c.post(url, {"action": "arbitrate", "upheld": "no",  # noqa: E731
                                  "note": "请继续办理"})
    # The operator sees the request but may not decide; the department that returned it sees it.
    assert seen(w, post) == expect(404, anonymous=LOGIN, operator=403, other_handler=403)
    client = VerifiedClient()
    client.force_login(w.admin)
    assert client.post(url, {"action": "arbitrate", "upheld": "no",
                             "note": "请继续办理"}).status_code == 302
    assignment.refresh_from_db()
    assert (assignment.status, assignment.return_upheld) == (AssignmentStatus.HANDLING, False)


def test_an_attachment_downloads_for_the_requester_and_the_handling_department_only(w):
    request, _ = w.submit(attachments=[pdf("现场照片.pdf")])
    svc.dispatch(w.operator, request, w.market)
    attachment = request.attachments.get()
    own = lambda c: c.get(reverse("complaints:attachment",  # noqa: E731
                                  args=[request.number, attachment.pk]))
    staff = lambda c: c.get(reverse("hotline:attachment",  # noqa: E731
                                    args=[request.number, attachment.pk]))
    assert seen(w, own) == expect(404, anonymous=LOGIN, owner=200)
    assert seen(w, staff) == expect(404, anonymous=LOGIN, operator=200, assigned_handler=200)
    client = VerifiedClient()
    client.force_login(w.handler)
    response = staff(client)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    downloads = AuditRecord.objects.filter(kind="complaint.attachment.downloaded")
    assert downloads.count() == 4 and request.number in downloads.last().summary
    assert client.get(reverse("hotline:attachment", args=[request.number, "9" * 30])).status_code \
        == 404
