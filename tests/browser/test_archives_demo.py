"""电子档案 on the demo: 长春市's 档案管理员 finds the demo's closed cases archived, reads a
package's 四性检测 report, downloads it, and the download verifies with the stand-alone verifier;
on a 390 px phone the list is a card per package."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.staff import log_in
from verifier.archive import check_package
from yiwang.archives.models import ArchivePackage
from yiwang.cases.models import Status
from yiwang.demo.loader import DEMO_PASSWORD
from yiwang.seals.services import platform_seal

PHONE = {"width": 390, "height": 844}


def archivist(visitor):
    page = visitor()
    log_in(page, "dag_changchun", then="/workbench/archives/", password=DEMO_PASSWORD)
    return page


def test_the_archivist_finds_the_closed_demo_cases_and_a_download_verifies(visitor):
    demo = ArchivePackage.objects.filter(case__status__in=[
        Status.DELIVERED, Status.NOT_ACCEPTED, Status.WITHDRAWN]).order_by("number")
    assert {p.outcome for p in demo} >= {"已送达", "不予受理", "已撤回"}
    page = archivist(visitor)
    table = page.get_by_role("table", name="归档信息包列表")
    for package in demo:
        expect(table).to_contain_text(package.number)
    expect(table).not_to_contain_text("张伟")  # masked: 张*

    page.get_by_label("办件编号或事项名称").fill(demo[0].number)
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("共 1 条")).to_be_visible()
    page.get_by_role("link", name=demo[0].number).click()
    expect(page.get_by_role("heading", name="四性检测（DA/T 70）")).to_be_visible()
    expect(page.locator(".check-verdict")).to_contain_text("检测通过")
    for aspect in ("真实性", "完整性", "可用性", "安全性"):
        expect(page.get_by_role("heading", name=aspect)).to_contain_text("通过")
    expect(page.get_by_text("保管期限至")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="下载归档信息包（zip）").click()
    data = download.value.path().read_bytes()
    assert download.value.suggested_filename == f"{demo[0].number}.zip"
    assert check_package(data, platform_seal().public_key_pem.encode("ascii")) == []

    page.get_by_role("button", name="重新四性检测").click()
    expect(page.get_by_text("四性检测已完成：通过")).to_be_visible()
    expect(page.locator(".check-verdict")).to_contain_text("dag_changchun")


def test_on_a_phone_each_package_is_a_card_without_sideways_scrolling(visitor):
    page = archivist(visitor)
    page.set_viewport_size(PHONE)
    page.goto("/workbench/archives/")
    first = page.locator("table.archive-table tbody tr").first
    cell = first.locator("td").first
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"
    assert cell.evaluate("e => getComputedStyle(e, '::before').content") == '"办件编号："'
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first.get_by_role("link").click()
    expect(page.get_by_role("link", name="下载归档信息包（zip）")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
