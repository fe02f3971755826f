"""The workbench import/export page: upload, a progress panel that polls until the job is done,
every bad row on the page, and the export downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.catalog.test_transfer import PNG, csv_bytes, item_row
from tests.factories import UserFactory, staff
from yiwang.catalog import transfer
from yiwang.catalog.models import ImportJob, ServiceItem
from yiwang.orgs.models import Role

PAGE = "/workbench/transfer/"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_page_offers_upload_export_and_the_column_guide(editor_client, department):
    response = editor_client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".csv,.xlsx,.json"' in html
    assert "必填列：基本编码、事项类型、行使层级、实施主体统一社会信用代码、事项名称" in html
    assert "/api/staff/transfer/export?format=xlsx" in html
    assert f'<option value="{department.pk}">{department.name}</option>' in html
    assert 'name="publish"' not in html  # only a superuser may import as published


def test_reviewer_may_export_but_is_not_offered_the_upload(client, reviewer):
    client.force_login(reviewer)
    html = client.get(PAGE).content.decode()
    assert "只有事项编辑可以导入事项" in html
    assert 'type="file"' not in html
    assert "导出已发布事项" in html


def test_page_needs_a_signed_in_staff_member(client, db):
    assert client.get(PAGE).status_code == 302
    citizen = UserFactory(username="citizen")
    citizen.save()
    client.force_login(citizen)
    assert client.get(PAGE).status_code == 403


def test_upload_leads_to_a_job_page_that_polls_until_done(editor_client, department):
    data = csv_bytes([item_row(department, "220111002000")])

    response = editor_client.post(PAGE, {"file": SimpleUploadedFile("items.csv", data)})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/transfer/imports/{job.pk}/"
    page = editor_client.get(response["Location"]).content.decode()
    progress_url = f"/workbench/transfer/imports/{job.pk}/progress/"
    assert f'hx-get="{progress_url}" hx-trigger="every 1s" hx-swap="outerHTML"' in page
    assert "正在排队等待后台任务开始" in page

    transfer.run_queued_import(job.pk)  # what the background worker does

    panel = editor_client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in panel
    assert "导入成功：新增 1 个事项" in panel
    assert ServiceItem.objects.count() == 1


def test_panel_shows_validation_progress_and_the_writing_phase(editor_client, editor):
    job = ImportJob.objects.create(original_name="x.csv", file_format="csv", created_by=editor,
                                   status=ImportJob.Status.VALIDATING, total=400, processed=100)
    url = f"/workbench/transfer/imports/{job.pk}/progress/"
    panel = editor_client.get(url).content.decode()
    assert 'max="400" value="100"' in panel
    assert "已校验 100 / 400 行（25%）" in panel
    assert 'hx-trigger="every 1s"' in panel

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING, processed=400)
    panel = editor_client.get(url).content.decode()
    assert "全部 400 行校验通过，正在一次性写入" in panel
    assert 'hx-trigger="every 1s"' in panel


def test_failed_job_lists_every_bad_row_with_line_column_and_reason(editor_client, department):
    data = csv_bytes([item_row(department, "220111002000", raw={"level": "7"}),
                      item_row(department, "220111003000", raw={"department_uscc": ""})])
    editor_client.post(PAGE, {"file": SimpleUploadedFile("bad.csv", data)})
    job = ImportJob.objects.get()
    transfer.run_queued_import(job.pk)

    html = editor_client.get(f"/workbench/transfer/imports/{job.pk}/").content.decode()

    assert "导入失败，未写入任何事项。共 2 处错误" in html
    assert "<td>第2行</td><td>行使层级</td><td>行使层级“7”无效，应为1-6</td>" in html
    assert ("<td>第3行</td><td>实施主体统一社会信用代码</td><td>请填写实施主体统一社会信用代码</td>"
            in html)
    assert not ServiceItem.objects.exists()


def test_refused_file_shows_the_reason_in_the_form(editor_client, settings, department):
    response = editor_client.post(PAGE, {"file": SimpleUploadedFile("photo.csv", PNG)})
    assert response.status_code == 415
    assert "文件扩展名为 .csv，但内容是PNG 图片，不是 CSV 文本" in response.content.decode()

    settings.CATALOG_IMPORT_MAX_BYTES = 10
    data = csv_bytes([item_row(department, "220111002000")])
    response = editor_client.post(PAGE, {"file": SimpleUploadedFile("big.csv", data)})
    assert response.status_code == 413
    assert "导入文件不能超过" in response.content.decode()

    response = editor_client.post(PAGE, {})
    assert (response.status_code, "请选择要导入的文件" in response.content.decode()) == (400, True)
    assert not ImportJob.objects.exists()


def test_another_users_job_is_not_found(client, editor, department):
    job = ImportJob.objects.create(original_name="x.csv", file_format="csv", created_by=editor)
    colleague = staff(department, Role.CATALOG_EDITOR, username="colleague")
    client.force_login(colleague)
    assert client.get(f"/workbench/transfer/imports/{job.pk}/").status_code == 404
    assert client.get(f"/workbench/transfer/imports/{job.pk}/progress/").status_code == 404


def test_recent_jobs_are_listed_for_their_creator(editor_client, editor):
    ImportJob.objects.create(original_name="上月目录.xlsx", file_format="xlsx", created_by=editor,
                             status=ImportJob.Status.SUCCEEDED, created_count=12)
    html = editor_client.get(PAGE).content.decode()
    assert "上月目录.xlsx" in html
    assert "导入成功" in html


def test_editors_find_import_export_in_the_workbench_navigation(client, editor):
    client.force_login(editor)
    page = client.get("/workbench/").content.decode()
    assert 'href="/workbench/transfer/"' in page
