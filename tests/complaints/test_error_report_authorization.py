"""Who may use each URL of 曝光纠错 (public column and the editors' tasks), part C:
``ERROR_REPORT_RULES`` names every one (tests/accounts/test_authorization.py
checks that every URL of the site has a rule), and the tests below try each as every role."""

import pytest
from django.urls import reverse

from tests.complaints.error_report_world import ErrorReportWorld
from yiwang.complaints.models import ErrorReport, ErrorReportStatus

PUBLIC = "public: anyone, signed in or not (reporters masked, contact phones never shown)"
ERROR_REPORT_RULES: dict[str, str] = {
    "error_reports:list": PUBLIC,
    "error_reports:detail": PUBLIC,
    "error_reports:new": PUBLIC + "; rate-limited per client address (429)",
    "error_reports_staff:list": ("事项编辑 (their departments' reports) and 区域管理员 (unassigned reports "
                                 "and their regions' departments'); other staff and citizens 403; "
                                 "anonymous → log-in"),
    "error_reports_staff:detail": ("事项编辑 of the report's department (correct, reject); 区域管理员 "
                                   "over it (assign while unassigned or not started, reject while "
                                   "unassigned); another department's editor, reviewers, other "
                                   "staff and citizens 404; anonymous → log-in"),
}

ROLES = ("anonymous", "citizen", "editor", "other_editor", "reviewer", "region_admin",
         "other_admin")


@pytest.fixture
def w(db):
    world = ErrorReportWorld()
    world.anonymous = None
    world.police_report = world.report()
    world.unassigned = world.report(item=None)
    return world


def as_role(client, w, role):
    user = getattr(w, role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_public_column_is_open_to_everyone(client, w, role):
    as_role(client, w, role)
    for url in (reverse("error_reports:list"),
                reverse("error_reports:detail", args=[w.police_report.number]),
                reverse("error_reports:new") + f"?item={w.item.handling_code}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "13904310002" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_file_a_report(client, w, role):
    as_role(client, w, role)
    response = client.post(reverse("error_reports:new"), {
        "kind": "dead_link", "item": w.item.handling_code, "description": "空白表格链接打不开"})
    assert response.status_code == 302
    report = ErrorReport.objects.get(description="空白表格链接打不开")
    assert report.reporter == getattr(w, role)


STAFF_LIST = {"anonymous": 302, "citizen": 403, "editor": 200, "other_editor": 200,
              "reviewer": 403, "region_admin": 200, "other_admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_workbench_list_by_role_shows_only_their_reports(client, w, role):
    response = as_role(client, w, role).get(reverse("error_reports_staff:list"))
    assert response.status_code == STAFF_LIST[role]
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    if response.status_code == 200:
        page = response.content.decode()
        sees_police = role in ("editor", "region_admin")
        sees_unassigned = role in ("region_admin", "other_admin")
        assert (w.police_report.number in page) == sees_police
        assert (w.unassigned.number in page) == sees_unassigned


DETAIL = {  # (the police report, the unassigned one)
    "anonymous": (302, 302), "citizen": (404, 404), "editor": (200, 404),
    "other_editor": (404, 404), "reviewer": (404, 404), "region_admin": (200, 200),
    "other_admin": (404, 200)}


@pytest.mark.parametrize("role", ROLES)
def test_a_reports_workbench_page_by_role(client, w, role):
    as_role(client, w, role)
    for report, expected in zip((w.police_report, w.unassigned), DETAIL[role], strict=True):
        response = client.get(reverse("error_reports_staff:detail", args=[report.pk]))
        assert response.status_code == expected, report.number


@pytest.mark.parametrize(("role", "action", "status"), [
    ("anonymous", "start", 302), ("citizen", "start", 404), ("other_editor", "start", 404),
    ("reviewer", "start", 404), ("region_admin", "start", 403),
    ("other_editor", "reject", 404), ("reviewer", "reject", 404), ("region_admin", "reject", 403),
    ("editor", "assign", 403), ("other_admin", "assign", 404),
])
def test_steps_on_a_report_refused_to_who_may_not_take_them(client, w, role, action, status):
    as_role(client, w, role)
    response = client.post(reverse("error_reports_staff:detail", args=[w.police_report.pk]),
                           {"action": action, "reason": "不属实", "department": w.police.pk})
    assert response.status_code == status
    w.police_report.refresh_from_db()
    assert w.police_report.status == ErrorReportStatus.SUBMITTED
    assert w.police_report.guide_version is None
    assert w.item.versions.count() == 1
