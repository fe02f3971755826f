"""曝光纠错 pages: the form (prefilled item, anonymous, CSRF, errors, 429), the column (masked,
filtered, the corrected guide linked), the 纠错 link on guide pages, and the editors' pages
(list with overdue marks, 开始纠正 into the guide editor, 不予采纳, assignment, the review page's
note of the report)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.complaints.error_report_world import ErrorReportWorld
from yiwang.complaints.models import ErrorReport, ErrorReportStatus
from yiwang.complaints.services import error_reports

S = ErrorReportStatus
NEW = "/jiucuo/new/"


@pytest.fixture
def w(db):
    return ErrorReportWorld()


def text(response) -> str:
    return response.content.decode()


# --- the public form -------------------------------------------------------------------------------


def test_the_form_names_the_item_given_in_the_link(client, w):
    page = text(client.get(f"{NEW}?item={w.item.handling_code}"))
    assert "纠错事项：<strong>居民身份证换领</strong>" in page
    assert f'value="{w.item.handling_code}"' in page


def test_an_unknown_item_in_the_link_is_said_so(client, w):
    response = client.get(f"{NEW}?item={w.item.handling_code[:-2]}09")
    assert response.status_code == 404
    assert "不存在" in text(response)
    response = client.get(f"{NEW}?item=123")
    assert response.status_code == 400 and "事项编码应为31位" in text(response)


def test_an_anonymous_report_is_confirmed_with_its_number(client, w):
    response = client.post(NEW, {"kind": "wrong_guide", "item": w.item.handling_code,
                                 "description": "承诺时限写错了", "contact_phone": "139 0431 0002"},
                           follow=True)
    report = ErrorReport.objects.get()
    assert response.redirect_chain[-1][0] == f"/jiucuo/{report.number}/"
    page = text(response)
    assert f"感谢您的纠错，编号{report.number}" in page
    assert report.contact_phone == "13904310002" and report.department == w.police
    assert "13904310002" not in page and "139****0002" not in page


def test_the_form_is_protected_against_cross_site_posts(w):
    response = Client(enforce_csrf_checks=True).post(NEW, {"kind": "other", "description": "x"})
    assert response.status_code == 403
    assert not ErrorReport.objects.exists()


def test_a_form_with_errors_is_shown_again_with_what_was_typed(client, w):
    response = client.post(NEW, {"kind": "wrong_guide", "description": "",
                                 "url": "/items/x/"})
    assert response.status_code == 400
    assert "请检查标出的项目" in text(response) and 'value="/items/x/"' in text(response)
    response = client.post(NEW, {"kind": "wrong_guide", "description": "电话打不通",
                                 "contact_phone": "110"})
    assert response.status_code == 400
    assert "联系电话应为11位手机号" in text(response)
    assert not ErrorReport.objects.exists()


def test_too_many_reports_from_one_address_get_429(client, w, settings):
    settings.ERROR_REPORTS_PER_ADDRESS = 1
    data = {"kind": "other", "description": "页面加载很慢"}
    assert client.post(NEW, data).status_code == 302
    response = client.post(NEW, data)
    assert response.status_code == 429
    assert "提交过于频繁，请一小时后再试" in text(response)
    assert ErrorReport.objects.count() == 1


# --- the column ------------------------------------------------------------------------------------


def test_the_column_shows_reports_masked_and_filters_by_status(client, w):
    open_report = w.report(reporter=w.citizen)
    rejected = error_reports.reject_report(w.editor, w.report(), "指南所列时限正确")
    page = text(client.get("/jiucuo/"))
    assert open_report.number in page and rejected.number in page
    assert "王*" in page and "王芳" not in page and "13904310002" not in page
    assert "不予采纳理由" in page and "指南所列时限正确" in page
    page = text(client.get("/jiucuo/?status=rejected"))
    assert rejected.number in page and open_report.number not in page


def test_a_fixed_report_links_the_corrected_guide(client, w):
    report = w.report()
    w.publish(error_reports.start_correction(w.editor, report))
    page = text(client.get(f"/jiucuo/{report.number}/"))
    assert "已纠正" in page and "居民身份证换领第2版" in page
    assert f'href="/items/{w.item.handling_code}/">查看更正后的办事指南' in page


def test_the_column_and_the_editors_list_cost_the_same_queries_for_more_reports(client, w):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    w.report(reporter=w.citizen)
    client.force_login(w.editor)
    few = queries("/jiucuo/"), queries("/workbench/error-reports/")
    for _ in range(4):
        w.report(reporter=w.citizen)
        w.report(item=None)
    assert (queries("/jiucuo/"), queries("/workbench/error-reports/")) == few


def test_an_unknown_report_is_404(client, w):
    response = client.get("/jiucuo/JC202601010001/")
    assert response.status_code == 404 and "纠错信息不存在" in text(response)


def test_a_bad_page_number_is_the_pages_error(client, w):
    assert client.get("/jiucuo/?page=x").status_code == 400


@pytest.mark.parametrize("url", ["/items/{code}/", "/m/items/{code}/"])
def test_every_guide_page_links_to_the_form_with_its_item(client, w, url):
    page = text(client.get(url.format(code=w.item.handling_code)))
    assert f'href="/jiucuo/new/?item={w.item.handling_code}"' in page


# --- the workbench ---------------------------------------------------------------------------------


def test_the_editors_list_marks_overdue_reports_and_searches(client, w):
    report = w.report()  # filed 2026-12-07, due 2026-12-14: long past when the test runs later
    other = w.report(description="办理地点写错了")
    client.force_login(w.editor)
    page = text(client.get("/workbench/error-reports/"))
    assert report.number in page and "已超期" in page
    assert 'href="/workbench/error-reports/"' in page  # the navigation link
    page = text(client.get("/workbench/error-reports/?q=办理地点"))
    assert other.number in page and report.number not in page


def test_start_sends_the_editor_to_the_draft_and_the_review_page_names_the_report(client, w):
    report = w.report()
    client.force_login(w.editor)
    response = client.post(f"/workbench/error-reports/{report.pk}/", {"action": "start"})
    report.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/versions/{report.guide_version.pk}/edit/"
    assert report.status == S.FIXING
    page = text(client.get(f"/workbench/versions/{report.guide_version.pk}/"))
    assert f"来自曝光纠错 <a href=\"/jiucuo/{report.number}/\">{report.number}</a>" in page


def test_the_editor_sees_the_phone_and_rejects_with_a_reason(client, w):
    report = w.report(reporter=w.citizen)
    client.force_login(w.editor)
    page = text(client.get(f"/workbench/error-reports/{report.pk}/"))
    assert "13904310002" in page and "王芳" in page
    response = client.post(f"/workbench/error-reports/{report.pk}/", {"action": "reject",
                                                                     "reason": ""})
    assert response.status_code == 400 and "请说明不予采纳的理由" in text(response)
    response = client.post(f"/workbench/error-reports/{report.pk}/",
                           {"action": "reject", "reason": "指南无误"}, follow=True)
    assert "已不予采纳" in text(response)
    report.refresh_from_db()
    assert report.status == S.REJECTED


def test_the_region_admin_sees_the_phone_masked_and_assigns_a_department(client, w):
    report = w.report(item=None, reporter=w.citizen)
    client.force_login(w.region_admin)
    page = text(client.get(f"/workbench/error-reports/{report.pk}/"))
    assert "139****0002" in page and "王*" in page and "13904310002" not in page
    assert "指定责任部门" in page and "开始纠正" not in page
    response = client.post(f"/workbench/error-reports/{report.pk}/",
                           {"action": "assign", "department": w.market.pk}, follow=True)
    assert "已指定长春市市场监督管理局处理" in text(response)
    report.refresh_from_db()
    assert report.department == w.market
    response = client.post(f"/workbench/error-reports/{report.pk}/",
                           {"action": "assign", "department": "x"})
    assert response.status_code == 400 and "请选择责任部门" in text(response)


def test_a_report_about_an_item_offers_no_assignment(client, w):
    report = w.report()
    client.force_login(w.region_admin)
    page = text(client.get(f"/workbench/error-reports/{report.pk}/"))
    assert "指定责任部门" not in page and "开始纠正" not in page and "不予采纳</button>" not in page


def test_an_unknown_action_is_refused(client, w):
    report = w.report()
    client.force_login(w.editor)
    response = client.post(f"/workbench/error-reports/{report.pk}/", {"action": "delete"})
    assert response.status_code == 400 and "未知的操作" in text(response)
