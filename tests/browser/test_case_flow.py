"""一件事 end to end in a real browser: a citizen applies for 开办餐饮店 (食品经营许可, reviewed in
parallel by 市场监管 and 卫健, and 公共场所卫生许可) with one form and one set of materials; the
window clerk accepts both at once; the deadline skips 国庆 and moves by the days of a 补正; both
departments approve in parallel; the decision is made; the audit chain verifies and a tampered
copy does not.

The server's clock is set per step (the live server runs in this process), so the dates are
always the same ones: accepted on Tuesday 2026-09-29, ten working days → 2026-10-19. Sessions
last eight hours of that clock, so everyone logs in again after a jump of days.
"""

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser.staff import log_in
from tests.cases.factories import PDF, World
from tests.supervision.tampering import edit
from yiwang.cases.models import Case, Status
from yiwang.supervision.audit import verify_chain

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(transactional_db):
    world = World()
    world.bundle()
    for user in (world.acceptor, world.examiner, world.health_examiner, world.decider):
        TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    return world


@pytest.fixture
def clock(monkeypatch):
    def set_time(text: str):
        moment = dt.datetime.fromisoformat(text).replace(tzinfo=BEIJING)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_time


def citizen_logs_in(page, world):
    page.goto("/accounts/login/?next=/cases/")
    page.get_by_label("身份证号 / 手机号").fill(world.applicant.mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/cases/")


def staff_page(browser, live_server, username):
    page = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    page.set_default_timeout(10_000)
    log_in(page, username, then="/workbench/cases/")
    return page


def upload(page, material: str, tmp_path):
    path = tmp_path / f"{material}.pdf"
    path.write_bytes(PDF)
    row = page.locator(".material-row", has_text=material)
    row.get_by_label(f"选择“{material}”的文件").set_input_files(str(path))
    row.get_by_role("button", name="上传").click()
    expect(page.locator(".material-row", has_text=material)).to_contain_text(f"已上传：{material}.pdf")


def review(page, case, department_name):
    page.goto(f"/workbench/cases/{case.pk}/")
    form = page.locator("form.action", has_text=department_name)
    form.get_by_role("button", name="提交审查意见").click()
    expect(page.locator(".messages")).to_be_visible()


def test_bundle_application_parallel_review_deadline_and_audit(page, browser, live_server, world,
                                                             clock, tmp_path):
    clock("2026-09-29 09:30")
    citizen_logs_in(page, world)
    page.goto("/bundles/open-restaurant/")
    expect(page.locator("h1")).to_have_text("一件事：开办餐饮店")
    page.get_by_role("button", name="在线申请").click()
    expect(page.locator("h1")).to_have_text("填写一件事申请：开办餐饮店")
    # Shared fields are asked once for both items.
    expect(page.get_by_label("店铺名称")).to_have_count(1)
    page.get_by_label("申请人姓名").fill("王芳")
    page.get_by_label("店铺名称").fill("净月潭小吃店")
    page.get_by_label("联系电话").fill("13900000001")
    page.get_by_label("座位数").fill("40")
    page.get_by_role("button", name="保存草稿").click()
    for material in ("营业执照", "健康证明", "卫生管理制度"):
        upload(page, material, tmp_path)
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("button", name="确认提交").click()
    expect(page.locator("h1")).to_have_text("一件事：开办餐饮店")
    food = Case.objects.get(version__name="食品经营许可")
    hygiene = Case.objects.get(version__name="公共场所卫生许可")
    assert food.status == hygiene.status == Status.RECEIVED
    expect(page.locator("main")).to_contain_text(food.number)
    expect(page.locator("main")).to_contain_text(hygiene.number)

    # 一窗受理 at the lead department, both cases at once.
    clock("2026-09-29 10:00")
    clerk = staff_page(browser, live_server, "acceptor")
    clerk.get_by_role("link", name=food.number).click()
    clerk.get_by_role("button", name="一窗受理全部").click()
    expect(clerk.locator(".messages")).to_contain_text("受理")
    food.refresh_from_db()
    hygiene.refresh_from_db()
    assert food.status == hygiene.status == Status.ACCEPTED

    # The deadline the applicant sees skips 国庆 and counts the make-up Saturday.
    page.goto(f"/cases/{food.pk}/")
    due = page.locator("tr", has_text="承诺办结日期")
    expect(due).to_contain_text("2026-10-19")
    expect(due).to_contain_text("国庆节")

    # 补正 asked on Monday 10/12, fixed on Wednesday 10/14: three working days do not count.
    clock("2026-10-12 09:00")
    market = staff_page(browser, live_server, "examiner")
    market.goto(f"/workbench/cases/{food.pk}/")
    correction = market.locator("form", has_text="一次性告知补正")
    line = correction.locator("tr", has_text="营业执照")
    line.get_by_role("checkbox").check()
    line.get_by_role("textbox").fill("营业执照扫描件不清晰，请重新上传")
    correction.get_by_role("button", name="发出补正告知").click()
    expect(market.locator(".messages")).to_be_visible()
    assert Case.objects.get(pk=food.pk).status == Status.CORRECTING

    clock("2026-10-14 16:00")
    citizen_logs_in(page, world)
    page.goto(f"/cases/{food.pk}/")
    expect(page.locator("main")).to_contain_text("营业执照扫描件不清晰，请重新上传")
    page.get_by_role("link", name="补正", exact=True).click()
    path = tmp_path / "营业执照（清晰）.pdf"
    path.write_bytes(PDF)
    row = page.locator(".material-row", has_text="营业执照")
    row.get_by_label("选择“营业执照”的文件").set_input_files(str(path))
    row.get_by_role("button", name="替换").click()
    expect(page.locator(".material-row", has_text="营业执照")).to_contain_text("营业执照（清晰）.pdf")
    page.get_by_role("button", name="提交补正").click()
    page.get_by_role("button", name="提交补正").click()  # on the confirmation page
    expect(page.locator("main")).to_contain_text("补正材料已提交")
    due = page.locator("tr", has_text="承诺办结日期")
    expect(due).to_contain_text("2026-10-22")
    expect(due).to_contain_text("补正")

    # Both departments review in parallel; the decision opens only after both.
    clock("2026-10-15 10:00")
    market = staff_page(browser, live_server, "examiner")
    review(market, food, "食品安全审查")
    assert not food.tasks.filter(kind="decide").exists()
    health = staff_page(browser, live_server, "health_examiner")
    review(health, food, "卫生审查")
    review(health, hygiene, "审查")
    decider = staff_page(browser, live_server, "decider")
    decider.goto(f"/workbench/cases/{food.pk}/")
    expect(decider.locator("main")).to_contain_text("食品安全审查")
    decider.get_by_role("button", name="作出决定").click()
    expect(decider.locator(".messages")).to_be_visible()
    assert Case.objects.get(pk=food.pk).status == Status.APPROVED

    citizen_logs_in(page, world)
    page.goto(f"/bundles/applications/{food.bundle_application_id}/")
    expect(page.locator("tr", has_text="食品经营许可")).to_contain_text("办结（通过）")
    expect(page.locator("tr", has_text="公共场所卫生许可")).to_contain_text("审查中")

    # The audit chain holds every step; a copy with one record edited fails verification.
    report = verify_chain()
    assert report.ok and report.checked >= 15
    call_command("verify_audit")
    with transaction.atomic():
        edit(5, summary="办件：篡改后的记录")
        tampered = verify_chain()
        transaction.set_rollback(True)
    assert not tampered.ok and tampered.first_broken_seq == 5
    assert verify_chain().ok
