"""Who may use which case-handling URL; the rows of the site-wide rule table
(tests/accounts/test_authorization.py) for these URLs, each exercised below for an anonymous
visitor, the applicant, another citizen and a staff member of the case's own department (staff
are not applicants: the applicant's pages do not show them any case)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.factories import World, pdf
from yiwang.cases import services
from yiwang.cases.models import TaskKind
from yiwang.cases.services.bundles import merged_form
from yiwang.portal.bundle_urls import urlpatterns as bundle_urlpatterns
from yiwang.portal.case_urls import urlpatterns

OWN_CASE = "the applicant (or the company's legal representative); anyone else 404"
OWN_BUNDLE = "the applicant of the bundle application; anyone else 404"
CASE_PORTAL_RULES: dict[str, str] = {
    "portal:case-apply": "signed-in citizen (staff are refused by the service)",
    "portal:cases": "signed-in user: only their own cases",
    **{f"portal:{name}": OWN_CASE for name in (
        "case-detail", "case-edit", "case-upload", "case-file", "case-file-delete", "case-submit",
        "case-resubmit", "case-receipt", "case-correction-notice", "case-decision", "case-withdraw",
        "case-delete", "case-tolerated")},
    "portal:bundle": "public",
    "portal:bundle-apply": "signed-in citizen (staff are refused by the service)",
    **{f"portal:{name}": OWN_BUNDLE for name in (
        "bundle-application", "bundle-edit", "bundle-delete", "bundle-upload", "bundle-submit")},
    "portal:progress": "public, rate-limited per address (tests/portal/test_progress_query.py)",
}
# Pages whose rows other modules test, with the objects they need.
ELSEWHERE = {"portal:case-licence":
             "the applicant, with their own licence (tests/exchange/test_authorization.py)",
             "portal:case-record":
             "the applicant, with their own registry record (tests/exchange/test_authorization.py)",
             "portal:bundle-licence":
             "the bundle's applicant, with their own licence (tests/exchange/test_authorization.py)",
             "portal:bundle-record":
             "the bundle's applicant, with their own registry record (tests/exchange/test_authorization.py)"}


class Objects:
    """One case in every state a page needs, all of 王芳, and her bundle application."""

    def __init__(self, world: World):
        self.world = world
        self.submitted = world.submitted()
        self.correcting = world.submitted()
        services.request_correction(self.correcting, world.acceptor, [
            {"kind": "field", "target": "shop_name", "message": "店铺名称应与营业执照一致"}])
        self.tolerated = services.accept(
            world.submitted(files=("营业执照",)), world.acceptor, tolerated=True,
            tolerated_until=timezone.localdate() + dt.timedelta(days=10))
        self.decided = world.accepted()
        for task in self.decided.tasks.filter(kind=TaskKind.REVIEW):
            services.complete_review(task, world.examiner if task.department == world.market
                                     else world.health_examiner, approve=True)
        services.decide(self.decided, world.decider, outcome="approved")
        self.draft = world.draft()  # last: applying again would continue an open draft
        self.bundle = world.bundle()
        self.application = services.start_bundle(world.user, self.bundle)

    def requests(self) -> dict[str, tuple[str, str, dict | None]]:
        w, draft, case = self.world, self.draft, self.submitted
        material = draft.version.materials.get(name="营业执照").pk
        health = self.tolerated.version.materials.get(name="健康证明").pk
        key = merged_form(self.bundle.published_version).materials[0].key
        app = self.application.pk
        return {
            "portal:case-apply": ("get", f"/items/{w.item.handling_code}/apply/", None),
            "portal:cases": ("get", "/cases/", None),
            "portal:case-detail": ("get", f"/cases/{case.pk}/", None),
            "portal:case-edit": ("get", f"/cases/{draft.pk}/edit/", None),
            "portal:case-upload": ("post", f"/cases/{draft.pk}/files/",
                                   {"material": material, "file": pdf()}),
            "portal:case-file": ("get", f"/cases/{case.pk}/files/{case.files.first().pk}/", None),
            "portal:case-file-delete": (
                "post", f"/cases/{draft.pk}/files/{draft.files.get(material__name='健康证明').pk}/delete/",
                {}),
            "portal:case-submit": ("get", f"/cases/{draft.pk}/submit/", None),
            "portal:case-resubmit": ("get", f"/cases/{self.correcting.pk}/resubmit/", None),
            "portal:case-receipt": ("get", f"/cases/{case.pk}/receipt/", None),
            "portal:case-correction-notice": ("get", f"/cases/{self.correcting.pk}/correction-notice/",
                                              None),
            "portal:case-decision": ("get", f"/cases/{self.decided.pk}/decision/", None),
            "portal:case-withdraw": ("get", f"/cases/{case.pk}/withdraw/", None),
            "portal:case-delete": ("get", f"/cases/{draft.pk}/delete/", None),
            "portal:case-tolerated": ("post", f"/cases/{self.tolerated.pk}/tolerated/",
                                      {"material": health, "file": pdf("健康证明.pdf")}),
            "portal:bundle": ("get", f"/bundles/{self.bundle.slug}/", None),
            "portal:bundle-apply": ("post", f"/bundles/{self.bundle.slug}/apply/", {}),
            "portal:bundle-application": ("get", f"/bundles/applications/{app}/", None),
            "portal:bundle-edit": ("get", f"/bundles/applications/{app}/edit/", None),
            "portal:bundle-delete": ("get", f"/bundles/applications/{app}/delete/", None),
            "portal:bundle-upload": ("post", f"/bundles/applications/{app}/files/",
                                     {"material": key, "file": pdf()}),
            "portal:bundle-submit": ("get", f"/bundles/applications/{app}/submit/", None),
            "portal:progress": ("get", "/progress/", None),
        }


PUBLIC = {name for name, rule in CASE_PORTAL_RULES.items() if rule.startswith("public")}
OBJECT_PAGES = {name for name, rule in CASE_PORTAL_RULES.items() if rule in (OWN_CASE, OWN_BUNDLE)}


@pytest.fixture
def objects(db):
    return Objects(World())


def _send(client, request):
    method, url, data = request
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


def test_every_case_page_of_the_portal_has_a_rule_and_a_request(objects):
    names = {f"portal:{p.name}" for p in [*urlpatterns, *bundle_urlpatterns]}
    assert names == set(CASE_PORTAL_RULES) | set(ELSEWHERE)
    assert set(CASE_PORTAL_RULES) == set(objects.requests())


def test_anonymous_visitors_are_sent_to_log_in_except_on_public_pages(client, objects):
    for name, request in objects.requests().items():
        response = _send(client, request)
        if name in PUBLIC:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 302, name
            assert response.url.startswith(f"/accounts/login/?next={request[1]}"), name


def test_the_applicant_may_use_every_page_of_their_case(client, objects):
    client.force_login(objects.world.user)
    for name, request in objects.requests().items():
        response = _send(client, request)
        assert response.status_code in (200, 302), (name, response.status_code)
        if response.status_code == 302:
            assert not response.url.startswith("/accounts/login/"), name


@pytest.mark.parametrize("who", ["stranger", "staff"])
def test_another_citizen_and_staff_find_no_case_of_the_applicant(client, objects, who):
    world = objects.world
    user = world.stranger.user if who == "stranger" else world.examiner
    client.force_login(user)
    requests = objects.requests()
    for name in OBJECT_PAGES:
        assert _send(client, requests[name]).status_code == 404, name
    listing = client.get("/cases/")
    assert listing.status_code == 200 and objects.submitted.number not in listing.content.decode()
    assert not objects.draft.files.filter(uploaded_by=user).exists()
    assert objects.tolerated.files.filter(material__name="健康证明").count() == 0


def test_staff_cannot_apply_as_applicants(client, objects):
    world = objects.world
    client.force_login(world.examiner)
    response = client.post(f"/items/{world.item.handling_code}/apply/")
    assert response.status_code == 403 and "实名注册的个人账号" in response.content.decode()
    assert client.post(f"/bundles/{objects.bundle.slug}/apply/").status_code == 403
