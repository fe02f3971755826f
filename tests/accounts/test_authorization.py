"""Who may do what with identities, and the rule that no page or endpoint exists without one.

``RULES`` names every URL of the site (the admin excepted: Django's own staff checks plus the
second factor guard it). Each entry says who may use it; the identity pages are exercised per
role below, the catalogue's workbench pages and staff API in tests/workbench/test_authorization.py.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts.factories import PASSWORD, authorize, citizen, company
from tests.archives.test_views import ARCHIVE_RULES
from tests.cases.test_api_authorization import CASE_API_RULES
from tests.catalog.test_consult import CONSULT_RULES
from tests.complaints.test_api_authorization import HOTLINE_API_RULES
from tests.complaints.test_error_report_authorization import ERROR_REPORT_RULES
from tests.complaints.test_open311_authorization import OPEN311_RULES
from tests.complaints.test_page_authorization import HOTLINE_PAGE_RULES
from tests.evaluation.test_authorization import EVALUATION_RULES
from tests.exchange.test_authorization import EXCHANGE_RULES
from tests.exchange.test_registry_admin import REGISTRY_WORKBENCH_RULES
from tests.exchange.test_registry_api import REGISTRY_API_RULES
from tests.factories import DepartmentFactory, staff
from tests.hall.test_authorization import HALL_RULES
from tests.licences.test_authorization import LICENCE_RULES
from tests.portal.test_case_authorization import CASE_PORTAL_RULES
from tests.supervision.test_public_views import AUDIT_PUBLIC_RULES
from tests.supervision.test_sharing_views import SUPERVISION_RULES
from tests.workbench.test_authorization import PAGES
from tests.workbench.test_bundle_authorization import BUNDLE_WORKBENCH_RULES
from tests.workbench.test_case_authorization import CASE_WORKBENCH_RULES
from tests.workbench.test_licence_authorization import LICENCE_WORKBENCH_RULES
from yiwang.accounts import services
from yiwang.accounts.models import AuthEvent, Citizen
from yiwang.accounts.selectors import visible_auth_events
from yiwang.orgs.models import RegionRole, Role
from yiwang.orgs.services import grant_region_role
from yiwang.regions.models import Region, RegionLevel

PUBLIC, CITIZEN, STAFF, DEV = "public", "citizen", "staff (tests/workbench)", "development only"
OIDC = "OIDC protocol (tests/accounts/test_oidc.py)"
RULES = {
    **{f"portal:{name}": PUBLIC for name in (
        "home", "search", "topics", "topic", "departments", "department", "regions", "region", "item",
        "item_print", "item_implementations", "m_home", "m_search", "m_topic", "m_item")},
    **{f"api:{name}": PUBLIC for name in (
        "openapi-json", "openapi-view", "api-root", "list_items", "item_detail", "topics",
        "search_items", "send_code", "register", "calendar_days", "calendar_deadline")},
    "api:me": CITIZEN,
    **{f"api:{name}": STAFF for name in {op for op in (
        "create_item", "get_item", "get_version", "update_draft", "submit", "approve", "reject",
        "publish", "withdraw", "start_revision", "history", "diff", "create_import", "import_job",
        "transfer_export")}},
    **{f"accounts:{name}": PUBLIC for name in ("login", "logout", "register", "register-code")},
    **{f"accounts:{name}": "signed in" for name in ("otp", "otp-setup")},
    **{f"accounts:{name}": CITIZEN for name in (
        "me", "switch-identity", "company-register", "company", "agent-grant", "agent-revoke")},
    **{f"oauth2_provider:{name}": OIDC for name in (
        "authorize", "token", "revoke-token", "oidc-connect-discovery-info", "jwks-info",
        "user-info", "rp-initiated-logout")},
    **{f"workbench:{name}": STAFF for name in PAGES},
    **{f"workbench:{name}": STAFF for name in ("transfer", "transfer-job", "transfer-progress")},
    # Case handling: each module tests its own rows, object by object.
    **CASE_API_RULES, **CASE_PORTAL_RULES, **CASE_WORKBENCH_RULES,
    **LICENCE_RULES, **EXCHANGE_RULES,
    **LICENCE_WORKBENCH_RULES, **BUNDLE_WORKBENCH_RULES,
    **REGISTRY_WORKBENCH_RULES, **REGISTRY_API_RULES,
    **SUPERVISION_RULES, **AUDIT_PUBLIC_RULES, **ARCHIVE_RULES, **EVALUATION_RULES,
    # 政务大厅: staff pages, booking, display, kiosk and API (tests/hall/test_authorization.py).
    **HALL_RULES,
    **CONSULT_RULES,
    # 12345, 曝光纠错 and Open311 (tests/complaints/).
    **HOTLINE_API_RULES, **HOTLINE_PAGE_RULES, **ERROR_REPORT_RULES, **OPEN311_RULES,
    "admin-login": PUBLIC,
    "dev-outbox": DEV,
}


def _names(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_site_has_a_rule():
    assert set(_names(get_resolver())) == set(RULES)


# --- role × object ------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    province = Region.objects.create(code="220000", name="吉林省", level=RegionLevel.PROVINCE,
                                     path="220000/", full_name="吉林省")
    city = Region.objects.create(code="220100", name="长春市", level=RegionLevel.CITY,
                                 parent=province, path="220000/220100/", full_name="吉林省长春市")
    county = Region.objects.create(code="220104", name="朝阳区", level=RegionLevel.COUNTY,
                                   parent=city, path="220000/220100/220104/",
                                   full_name="吉林省长春市朝阳区")
    other = Region.objects.create(code="220200", name="吉林市", level=RegionLevel.CITY,
                                  parent=province, path="220000/220200/", full_name="吉林省吉林市")
    chaoyang = DepartmentFactory(name="朝阳区政务服务中心", region=county)
    jilin = DepartmentFactory(name="吉林市政务服务中心", region=other)
    rep, agent, stranger = citizen("王芳"), citizen("刘洋"), citizen("路人")
    firm = company(rep)
    authorize(firm, agent)
    users = {
        "anonymous": None, "citizen": rep.user, "agent": agent.user, "other_citizen": stranger.user,
        "clerk_chaoyang": staff(chaoyang, Role.WINDOW_CLERK, username="clerk_cy"),
        "clerk_jilin": staff(jilin, Role.WINDOW_CLERK, username="clerk_jl"),
        "editor": staff(chaoyang, Role.CATALOG_EDITOR, username="editor_cy"),
        "supervisor_county": staff(chaoyang, username="sup_cy"),
        "supervisor_province": staff(chaoyang, username="sup_jl"),
    }
    grant_region_role(users["supervisor_county"], county, RegionRole.SUPERVISOR)
    grant_region_role(users["supervisor_province"], province, RegionRole.SUPERVISOR)
    return {"users": users, "firm": firm, "rep": rep, "stranger": stranger}


def as_role(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


ROLES = ("anonymous", "citizen", "agent", "other_citizen", "clerk_chaoyang", "editor",
         "supervisor_province")
LOGIN = "login"


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


# path template, expected status per role in ROLES
IDENTITY_PAGES = {
    "my account": ("/accounts/me/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    "company page": ("/accounts/companies/{firm}/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "in-person verification": ("/workbench/identity/verify/",
                               (LOGIN, 403, 403, 403, 200, 403, 403)),
    "log-in audit": ("/workbench/security/events/", (LOGIN, 403, 403, 403, 403, 403, 200)),
    "staff roles": ("/workbench/staff/", (LOGIN, 403, 403, 403, 403, 403, 403)),
    "my identity (API)": ("/api/accounts/me", (401, 200, 200, 200, 404, 404, 404)),
}


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("page", list(IDENTITY_PAGES))
def test_identity_page_access(client, world, page, role_index, role):
    path, expected = IDENTITY_PAGES[page]
    response = as_role(client, world, role).get(path.format(firm=world["firm"].pk))
    assert outcome(response) == expected[role_index], (page, role)


def test_my_account_shows_only_my_own_data(client, world):
    page = as_role(client, world, "other_citizen").get("/accounts/me/").content.decode()
    assert "路人" in page and "王芳" not in page and world["firm"].name not in page


def test_only_the_legal_representative_can_grant_agents(client, world):
    firm, stranger = world["firm"], world["stranger"]
    for role in ("agent", "other_citizen"):
        as_role(client, world, role).post(f"/accounts/companies/{firm.pk}/agents/", {
            "agent_name": "路人", "agent_id_number": stranger.id_number, "valid_until": "2030-01-01"})
    assert firm.authorizations.count() == 1  # only the one the fixture made


def test_window_clerks_of_any_department_verify_in_person_and_others_cannot(client, world):
    person = world["stranger"]
    for role in ("editor", "supervisor_province", "citizen"):
        as_role(client, world, role).post("/workbench/identity/verify/", {"citizen": person.pk})
        client.logout()
    person.refresh_from_db()
    assert person.assurance_level == 2
    as_role(client, world, "clerk_chaoyang").post("/workbench/identity/verify/",
                                                 {"citizen": person.pk})
    person.refresh_from_db()
    assert person.assurance_level == 3 and person.verified_by == world["users"]["clerk_chaoyang"]
    page = client.post("/workbench/identity/verify/", {"id_number": person.id_number})
    assert person.id_number not in page.content.decode() and "L3" in page.content.decode()


def test_supervisors_see_the_audit_of_their_own_region_only(world):
    users = world["users"]
    for role in ("clerk_chaoyang", "clerk_jilin", "citizen"):
        services.record_event(AuthEvent.Kind.LOGIN, user=users[role])
    services.record_event(AuthEvent.Kind.LOGIN_FAILED, identifier="13900000000")

    def seen(role):
        return {(e.user.username if e.user else e.identifier) for e in visible_auth_events(users[role])}

    county = seen("supervisor_county")
    assert "clerk_cy" in county and "clerk_jl" not in county
    assert users["citizen"].username not in county and "139****0000" not in county
    province = seen("supervisor_province")
    assert {"clerk_cy", "clerk_jl", users["citizen"].username, "139****0000"} <= province


def test_a_staff_password_alone_opens_no_staff_page(world):
    browser = Client()
    browser.post("/accounts/login/", {"username": "clerk_cy", "password": PASSWORD})
    for path in ("/workbench/", "/workbench/identity/verify/", "/workbench/security/events/",
                 "/admin/"):
        assert browser.get(path)["Location"].startswith("/accounts/login/otp/"), path
    assert Citizen.objects.count() == 3


@pytest.fixture
def admins(world):
    chaoyang = world["users"]["clerk_chaoyang"].memberships.get().department
    jilin = world["users"]["clerk_jilin"].memberships.get().department
    department_admin = staff(chaoyang, Role.DEPARTMENT_ADMIN, username="dept_admin_cy")
    region_admin = staff(jilin, username="region_admin_jl")
    grant_region_role(region_admin, jilin.region, RegionRole.REGION_ADMIN)
    return {"chaoyang": chaoyang, "jilin": jilin, "department_admin": department_admin,
            "region_admin": region_admin}


def test_department_and_region_admins_grant_roles_only_in_their_scope(client, world, admins):
    chaoyang, jilin = admins["chaoyang"], admins["jilin"]
    client.force_login(admins["department_admin"])
    assert client.get("/workbench/staff/").status_code == 200
    client.post("/workbench/staff/", {"username": "editor_cy", "department": chaoyang.pk,
                                      "role": Role.EXAMINER})
    refused = client.post("/workbench/staff/", {"username": "editor_cy", "department": jilin.pk,
                                                "role": Role.EXAMINER})
    assert refused.status_code == 400
    citizen_user = client.post("/workbench/staff/", {
        "username": world["users"]["citizen"].username, "department": chaoyang.pk,
        "role": Role.EXAMINER})
    assert citizen_user.status_code == 404  # citizens' accounts are not staff accounts
    editor = world["users"]["editor"]
    assert set(editor.memberships.values_list("role", flat=True)) == {
        Role.CATALOG_EDITOR, Role.EXAMINER}
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.ROLE_GRANTED).count() == 1

    client.force_login(admins["region_admin"])
    clerk = world["users"]["clerk_jilin"].memberships.get()
    outside = editor.memberships.get(role=Role.EXAMINER)
    assert client.post(f"/workbench/staff/{outside.pk}/revoke/").status_code == 404
    client.post(f"/workbench/staff/{clerk.pk}/revoke/")
    assert not world["users"]["clerk_jilin"].memberships.exists()
    assert editor.memberships.filter(role=Role.EXAMINER).exists()
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.ROLE_REVOKED).count() == 1
