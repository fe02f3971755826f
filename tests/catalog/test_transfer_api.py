"""The import/export API: upload with session and CSRF, poll the job, download the catalogue, and
a 4xx with a stable code for every file that cannot be imported."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.catalog.test_transfer import PNG, csv_bytes, item_row, superuser_named
from tests.clients import VerifiedClient
from tests.factories import UserFactory, staff
from yiwang.catalog.models import ImportJob, ServiceItem
from yiwang.orgs.models import Role

IMPORTS = "/api/staff/transfer/imports"
EXPORT = "/api/staff/transfer/export"


def logged_in(user) -> Client:
    """A browser-like client: CSRF enforced, the token taken from the cookie as a page would."""
    client = VerifiedClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/login/")  # any page with a form sets the CSRF cookie
    return client


def upload(client: Client, name: str, data: bytes, *, csrf: bool = True, **form):
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value} if csrf else {}
    return client.post(IMPORTS, {"file": SimpleUploadedFile(name, data), **form}, headers=headers)


@pytest.fixture
def good_csv(department):
    return csv_bytes([item_row(department, "220111002000"), item_row(department, "220111003000")])


def test_upload_starts_a_job_whose_progress_the_creator_can_poll(
        editor, good_csv, django_capture_on_commit_callbacks):
    client = logged_in(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "catalogue.csv", good_csv)

    assert response.status_code == 202
    body = response.json()
    assert body["status_url"] == f"{IMPORTS}/{body['id']}"
    assert (body["file_name"], body["file_format"], body["publish"]) == (
        "catalogue.csv", "csv", False)
    status = client.get(body["status_url"]).json()
    assert (status["status"], status["finished"], status["total"], status["processed"],
            status["percent"], status["created_count"], status["errors"]) == (
        "succeeded", True, 2, 2, 100, 2, [])
    assert ServiceItem.objects.count() == 2


def test_job_with_bad_rows_lists_each_line_and_reason(
        editor, department, django_capture_on_commit_callbacks):
    data = csv_bytes([item_row(department, "220111002000"), item_row(department, "2201110")])
    client = logged_in(editor)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = upload(client, "bad.csv", data).json()["id"]

    status = client.get(f"{IMPORTS}/{job_id}").json()

    assert (status["status"], status["error_count"], status["created_count"]) == ("failed", 1, 0)
    assert status["errors"][0] | {"message": ""} == {
        "line": 3, "sheet": None, "where": "第3行", "field": "basic_code",
        "code": "item_code.basic_length", "message": ""}
    assert status["errors"][0]["message"] == "基本编码应为12位，实际为7位"
    assert not ServiceItem.objects.exists()


def test_pending_job_reports_zero_progress(editor, good_csv):
    client = logged_in(editor)
    body = upload(client, "catalogue.csv", good_csv).json()  # the task waits for the commit
    assert (body["status"], body["finished"], body["percent"], body["processed"]) == (
        "pending", False, 0, 0)


def test_only_the_creator_or_a_superuser_sees_a_job(editor, department, good_csv):
    job_id = upload(logged_in(editor), "catalogue.csv", good_csv).json()["id"]
    colleague = staff(department, Role.CATALOG_EDITOR, username="colleague")

    response = logged_in(colleague).get(f"{IMPORTS}/{job_id}")
    assert (response.status_code, response.json()["code"]) == (404, "import.job_not_found")
    assert logged_in(superuser_named()).get(f"{IMPORTS}/{job_id}").status_code == 200
    assert logged_in(colleague).get(f"{IMPORTS}/999999").status_code == 404


def test_upload_needs_a_session_and_the_csrf_token(editor, good_csv):
    anonymous = Client().post(IMPORTS, {"file": SimpleUploadedFile("a.csv", good_csv)})
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "auth.required")
    forged = upload(logged_in(editor), "a.csv", good_csv, csrf=False)
    assert (forged.status_code, forged.json()["code"]) == (403, "auth.csrf_failed")
    assert not ImportJob.objects.exists()


def test_only_editors_upload_and_only_superusers_publish(reviewer, editor, good_csv):
    refused = upload(logged_in(reviewer), "a.csv", good_csv)
    assert (refused.status_code, refused.json()["code"]) == (403, "import.not_editor")
    refused = upload(logged_in(editor), "a.csv", good_csv, publish="true")
    assert (refused.status_code, refused.json()["code"]) == (403, "import.publish_forbidden")
    outsider = UserFactory(username="citizen")
    outsider.save()
    assert upload(logged_in(outsider), "a.csv", good_csv).status_code == 403


def test_superuser_upload_can_publish(department, good_csv, django_capture_on_commit_callbacks):
    root = superuser_named()
    client = logged_in(root)
    with django_capture_on_commit_callbacks(execute=True):
        body = upload(client, "a.csv", good_csv, publish="true").json()
    assert body["publish"] is True
    assert ServiceItem.objects.filter(published_version__isnull=False).count() == 2


def test_oversized_upload_is_413(editor, good_csv, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = len(good_csv) - 1
    response = upload(logged_in(editor), "big.csv", good_csv)
    assert (response.status_code, response.json()["code"]) == (413, "import.too_large")
    assert "MB" in response.json()["message"]


@pytest.mark.parametrize("name, data, status, code", [
    ("photo.csv", PNG, 415, "import.unsupported_type"),
    ("virus.exe", b"MZ\x90\x00\x03", 415, "import.unsupported_type"),
    ("empty.csv", b"", 400, "import.empty"),
    ("few.csv", "基本编码,事项名称\r\n1,2\r\n".encode(), 400, "import.missing_columns"),
    ("latin.csv", b"\xff\xfe\xff,\xff\r\n", 400, "import.encoding"),
    ("broken.xlsx", b"PK\x03\x04" + b"x" * 100, 400, "import.malformed_xlsx"),
    ("object.json", b'{"items": []}', 400, "import.not_list"),
    ("cut.json", b"[{", 400, "import.malformed_json"),
])
def test_files_that_cannot_be_imported_get_4xx_with_a_code(editor, name, data, status, code):
    response = upload(logged_in(editor), name, data)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not ImportJob.objects.exists()


def test_upload_without_a_file_is_422(editor):
    client = logged_in(editor)
    response = client.post(IMPORTS, {}, headers={"X-CSRFToken": client.cookies["csrftoken"].value})
    assert (response.status_code, response.json()["code"]) == (422, "request.invalid")


# --- export ------------------------------------------------------------------------------------


@pytest.fixture
def published(department, superuser_client, django_capture_on_commit_callbacks):
    data = csv_bytes([item_row(department, "220111002000")])
    with django_capture_on_commit_callbacks(execute=True):
        upload(superuser_client, "p.csv", data, publish="true")
    return ServiceItem.objects.get()


@pytest.fixture
def superuser_client(db):
    return logged_in(superuser_named())


def test_export_downloads_each_format(published, editor):
    client = logged_in(editor)
    csv_response = client.get(EXPORT, {"format": "csv"})
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"].startswith('attachment; filename="catalog-')
    assert published.handling_code in b"".join(csv_response.streaming_content).decode("utf-8-sig")

    json_body = json.loads(b"".join(client.get(EXPORT, {"format": "json"}).streaming_content))
    assert [e["handling_code"] for e in json_body] == [published.handling_code]

    xlsx = b"".join(client.get(EXPORT, {"format": "xlsx"}).streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    assert workbook.sheetnames == ["事项", "申请材料"]


def test_export_filters_by_department(published, editor, department):
    client = logged_in(editor)
    other = client.get(EXPORT, {"format": "json", "department": department.pk + 1000})
    assert (other.status_code, other.json()["code"]) == (404, "department.not_found")
    mine = client.get(EXPORT, {"format": "json", "department": department.pk})
    assert len(json.loads(b"".join(mine.streaming_content))) == 1
    assert department.uscc in mine["Content-Disposition"]


def test_export_refuses_unknown_format_and_non_staff(published, editor):
    bad = logged_in(editor).get(EXPORT, {"format": "xls"})
    assert (bad.status_code, bad.json()["code"]) == (400, "export.unsupported_format")
    citizen = UserFactory(username="citizen")
    citizen.save()
    refused = logged_in(citizen).get(EXPORT, {"format": "csv"})
    assert (refused.status_code, refused.json()["code"]) == (403, "export.staff_only")
    assert Client().get(EXPORT).status_code == 401
