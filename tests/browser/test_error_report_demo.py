"""曝光纠错 in a real browser on the data ``manage.py load_demo`` creates (README "曝光纠错"):
anyone opens 吉林省市场监督管理厅's 食品生产许可 guide, clicks 纠错 and reports that the office
hours are wrong; ``scjg_editor`` finds the report in the workbench, 开始纠正, corrects the guide
and submits it; ``scjg_reviewer`` sees the version comes from the report, approves and publishes
it; the public column shows the report 已纠正 with a link to the corrected guide.

One journey in steps, one test each, as in test_evaluation_demo.py: a step takes the journey from
the previous one or brings it there through the services, so each step shows on its own whether
it works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo_visits import fits_the_phone, shot, staff, user
from yiwang.catalog import services as catalog
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.complaints.models import ErrorReport, ErrorReportStatus
from yiwang.complaints.services import error_reports
from yiwang.demo.places import KIND_BY_KEY, department_uscc
from yiwang.orgs.models import Department

pytestmark = pytest.mark.slow

ITEM = "食品生产许可"
PROBLEM = "指南写的办理时间中午休息，但省政务大厅市场监管窗口中午照常受理，请更正。"
HOURS = "工作日 8:30-17:00（中午不休息）"




class Journey:
    """The report of the wrong office hours; each method returns it at that step, doing through
    the services what the browser did not."""

    def __init__(self):
        self.market = Department.objects.get(uscc=department_uscc("220000",
                                                                  KIND_BY_KEY["market"].code))
        self.item = ServiceItem.objects.get(department=self.market, published_version__name=ITEM)
        self.editor, self.reviewer = user("scjg_editor"), user("scjg_reviewer")

    def reported(self) -> ErrorReport:
        report = ErrorReport.objects.filter(item=self.item, description=PROBLEM).first()
        return report or error_reports.report_error(None, kind="wrong_guide", item=self.item,
                                                    description=PROBLEM)

    def submitted(self):
        """The corrected version, submitted for review."""
        report = self.reported()
        version = error_reports.start_correction(self.editor, report)
        if version.status == VersionStatus.DRAFT:
            catalog.update_draft(version, {**guide_to_dict(version), "office_hours": HOURS},
                                 actor=self.editor)
            catalog.submit_version(version, actor=self.editor)
        return version


@pytest.fixture(scope="module")
def journey(demo_site):
    return Journey()


def test_anyone_reports_a_wrong_guide_from_its_page(visitor, journey):
    page = visitor()
    page.goto(f"/items/{journey.item.handling_code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ITEM)
    page.get_by_role("link", name="纠错", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我要纠错")
    expect(page.locator(".jc-about")).to_contain_text(f"纠错事项：{ITEM}")
    expect(page.locator(".jc-about")).to_contain_text("吉林省市场监督管理厅")
    shot(page, "error-report-form")
    assert fits_the_phone(page)
    page.get_by_label("办事指南有误").check()
    page.get_by_label("问题描述").fill(PROBLEM)
    page.get_by_role("button", name="提交纠错").click()

    report = ErrorReport.objects.get(item=journey.item, description=PROBLEM)
    expect(page.locator(".messages")).to_contain_text(f"感谢您的纠错，编号{report.number}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"曝光纠错 {report.number}")
    expect(page.locator(".jc-meta")).to_contain_text("待处理")
    expect(page.locator(".jc-meta")).to_contain_text("匿名")
    expect(page.get_by_text("等待吉林省市场监督管理厅处理")).to_be_visible()
    shot(page, "error-report-confirmation")
    assert re.fullmatch(r"JC\d{8}\d{4}", report.number)
    assert report.department == journey.market and report.reporter is None


def test_the_editor_starts_the_correction_and_submits_the_corrected_guide(visitor, journey):
    report = journey.reported()
    page = staff(visitor, "scjg_editor", then="/workbench/error-reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("曝光纠错")
    row = page.locator("tr", has_text=report.number)
    expect(row).to_contain_text(ITEM)
    expect(row).to_contain_text("待处理")
    shot(page, "error-report-workbench-list")
    row.get_by_role("link", name=report.number).click()
    expect(page.locator(".facts")).to_contain_text(PROBLEM)
    shot(page, "error-report-workbench-detail")
    page.get_by_role("button", name="开始纠正").click()

    expect(page.locator(".messages")).to_contain_text("已开始纠正")
    expect(page.get_by_role("heading", level=1)).to_contain_text("编辑办事指南")
    page.get_by_label("办理时间", exact=True).fill(HOURS)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("办事指南已保存")
    expect(page.locator(".notice", has_text="来自曝光纠错")).to_contain_text(report.number)
    page.get_by_label("提交说明（可选）").fill(f"根据曝光纠错{report.number}更正办理时间")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("已提交审核")

    report.refresh_from_db()
    assert report.status == ErrorReportStatus.FIXING
    assert report.guide_version.status == VersionStatus.SUBMITTED


def test_the_reviewer_approves_and_publishes_and_the_column_shows_it_corrected(visitor, journey):
    version = journey.submitted()
    report = journey.reported()
    page = staff(visitor, "scjg_reviewer", then="/workbench/review/")
    page.locator("tr", has_text=ITEM).filter(has_text="待审核").get_by_role(
        "link", name="审核").click()
    expect(page.locator(".notice", has_text="来自曝光纠错")).to_contain_text(report.number)
    shot(page, "error-report-review")
    page.get_by_label("审核意见（可选）").fill("已与窗口核实")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".messages")).to_contain_text("审核通过")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".messages")).to_contain_text("已发布")

    report.refresh_from_db()
    assert report.status == ErrorReportStatus.FIXED
    public = visitor()
    public.goto("/jiucuo/?status=fixed")
    card = public.locator(".jc-list li", has_text=report.number)
    expect(card).to_contain_text("已纠正")
    expect(card).to_contain_text(f"{ITEM}第{version.number}版已于")
    shot(public, "error-report-column")
    assert fits_the_phone(public)
    public.set_viewport_size({"width": 1280, "height": 900})
    card.get_by_role("link", name="查看更正后的办事指南").click()
    expect(public.get_by_role("heading", level=1)).to_have_text(ITEM)
    expect(public.locator("body")).to_contain_text(HOURS)
