"""The archive pages: who sees which package, the download (audited, the stored bytes), the
disposal form, bad input as 4xx, and the query budget of the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yiwang.archives import services
from yiwang.archives.models import ArchivePackage, DisposalRecord
from yiwang.supervision.models import AuditRecord

# The rows of the site's authorization matrix (tests/accounts/test_authorization.py).
_SCOPE = ("档案员 of the case's department, 档案管理员 of its region or above, or system administrator; "
          "an archivist of another scope 404; other staff and citizens 403")
ARCHIVE_RULES: dict[str, str] = {
    "archives:list": "档案员 / 档案管理员 (their scope only) or system administrator; others 403",
    "archives:disposals": "档案员 / 档案管理员 (their scope only) or system administrator; others 403",
    "archives:detail": _SCOPE,
    "archives:download": _SCOPE + " (audited)",
    "archives:recheck": _SCOPE + " (POST)",
    "archives:dispose": _SCOPE + " (POST; after retention, two different people)",
}


def test_every_archive_page_has_a_rule():
    from yiwang.archives.urls import urlpatterns

    assert {f"archives:{p.name}" for p in urlpatterns} == set(ARCHIVE_RULES)


def test_archivists_must_pass_the_second_factor_first(world):
    from django.test import Client

    plain = Client()
    plain.force_login(world.archivist)
    answer = plain.get(reverse("archives:list"))
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/otp/")


@pytest.fixture
def package(world):
    return services.form_package(world.refused())


def test_the_department_archivist_finds_the_package_with_the_applicant_masked(client, world, package):
    client.force_login(world.archivist)
    page = client.get(reverse("archives:list"), {"q": package.number[-6:]}).content.decode()
    assert package.number in page and "王*" in page and "王芳" not in page
    detail = client.get(reverse("archives:detail", args=[package.pk])).content.decode()
    assert "检测通过" in detail and 'data-aspect="authenticity"' in detail
    assert package.manifest_sm3 in detail and "materials/01-营业执照.pdf" in detail
    assert world.applicant.id_number not in detail  # the page masks; the zip keeps it whole
    assert "届满前不能销毁" in detail


@pytest.mark.parametrize("who", ["archivist", "region_archivist"])
def test_download_gives_the_stored_zip_and_is_audited(client, world, package, who):
    user = getattr(world, who)
    client.force_login(user)
    response = client.get(reverse("archives:download", args=[package.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{package.number}.zip"'
    assert response.content == services.read_package(package)
    assert AuditRecord.objects.filter(kind="archive.downloaded", actor_id=user.pk,
                                      subject_id=str(package.pk)).exists()


@pytest.mark.parametrize("who", ["other_archivist", "far_archivist"])
def test_an_archivist_of_another_department_or_region_neither_sees_nor_downloads(client, world, package, who):
    client.force_login(getattr(world, who))
    assert package.number not in client.get(reverse("archives:list")).content.decode()
    for name in ("detail", "download"):
        assert client.get(reverse(f"archives:{name}", args=[package.pk])).status_code == 404
    assert client.post(reverse("archives:recheck", args=[package.pk])).status_code == 404
    assert not AuditRecord.objects.filter(kind="archive.downloaded").exists()


@pytest.mark.parametrize("who", ["decider", "supervisor", "applicant"])
def test_case_handlers_supervisors_and_citizens_are_refused(client, world, package, who):
    user = getattr(world, who)
    client.force_login(user.user if who == "applicant" else user)
    assert client.get(reverse("archives:list")).status_code == 403
    assert client.get(reverse("archives:download", args=[package.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, package):
    response = client.get(reverse("archives:download", args=[package.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("query", [{"page": "1000000000000000000"}, {"page": "0"}, {"year": "99999"},
                                   {"retention": "D5"}, {"page": "x"}])
def test_bad_filters_are_400_not_500(client, world, package, query):
    client.force_login(world.archivist)
    response = client.get(reverse("archives:list"), query)
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_a_huge_package_number_is_404(client, world):
    client.force_login(world.archivist)
    assert client.get(f"/workbench/archives/{2**70}/").status_code == 404


def test_filters_narrow_the_list(client, world, package):
    client.force_login(world.region_archivist)
    year = timezone.localdate().year
    assert package.number in client.get(reverse("archives:list"), {"retention": "D30", "year": year}
                                        ).content.decode()
    assert package.number not in client.get(reverse("archives:list"), {"retention": "Y"}).content.decode()
    assert package.number not in client.get(reverse("archives:list"), {"year": year - 1}).content.decode()


def test_the_list_costs_the_same_queries_for_one_package_or_many(client, world, package):
    client.force_login(world.archivist)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("archives:list"))
    for _ in range(3):
        services.form_package(world.refused())
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("archives:list")).content.decode()
    assert page.count("/workbench/archives/") >= 4
    assert len(four) == len(one)


def test_two_archivists_destroy_an_expired_package_through_the_page(client, world, package):
    ArchivePackage.objects.filter(pk=package.pk).update(
        retention="D10", retention_until=timezone.localdate() - dt.timedelta(days=1))
    url = reverse("archives:dispose", args=[package.pk])
    client.force_login(world.archivist)
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "保管期满"}, follow=True)
    assert "还需另一位档案人员审批" in response.content.decode()
    again = client.post(url, {"reason": "保管期满"})
    assert again.status_code == 409 and "还需另一位档案人员审批" in again.content.decode()
    client.force_login(world.region_archivist)
    response = client.post(url, {"reason": "同意销毁"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("archives:disposals")
    page = response.content.decode()
    assert package.number in page and package.sm3 in page and "archivist、region_archivist" in page
    assert DisposalRecord.objects.filter(number=package.number).exists()
    assert client.get(reverse("archives:detail", args=[package.pk])).status_code == 404


def test_disposal_before_the_end_of_retention_shows_why(client, world, package):
    client.force_login(world.archivist)
    response = client.post(reverse("archives:dispose", args=[package.pk]), {"reason": "保管期满"})
    assert response.status_code == 409
    assert "届满前不能销毁" in response.content.decode()


def test_the_workbench_shows_the_archive_to_archivists_only(client, world):
    client.force_login(world.archivist)
    assert "电子档案" in client.get("/workbench/").content.decode()
    client.force_login(world.decider)
    assert reverse("archives:list") not in client.get("/workbench/").content.decode()


def test_the_guide_editor_offers_the_retention_period(client, world):
    from yiwang.catalog import services as catalog

    editor = staff_editor(world)
    draft = catalog.start_revision(world.item, actor=editor)
    client.force_login(editor)
    page = client.get(reverse("workbench:version-edit", args=[draft.pk])).content.decode()
    assert "档案保管期限" in page
    assert '<option value="D30" selected>30年</option>' in page
    assert '<option value="Y">永久</option>' in page and '<option value="D10">10年</option>' in page


def staff_editor(world):
    from tests.factories import staff
    from yiwang.orgs.models import Role

    return staff(world.market, Role.CATALOG_EDITOR, username="market_editor")
