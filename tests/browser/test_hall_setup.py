"""The hall on the demo: 长春市政务服务中心's manager finds the hall from the workbench, reads
its windows and hours and rosters a clerk for today (and takes it back); the 综合窗口 clerk
rostered on window 1 signs in there, the hall sees window 1 open, and signs out."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.staff import log_in
from yiwang.demo.loader import DEMO_PASSWORD
from yiwang.hall.models import Shift, WindowSession

PHONE = {"width": 390, "height": 844}
HALL = "长春市政务服务中心"


def test_the_manager_configures_the_hall_and_rosters_a_clerk(visitor):
    page = visitor()
    log_in(page, "zx_manager", password=DEMO_PASSWORD)
    page.get_by_role("link", name="进入政务大厅").click()
    card = page.get_by_role("region", name=HALL)
    expect(card).to_contain_text("大厅管理员")
    expect(card).to_contain_text("8号 统一出件")

    card.get_by_role("link", name="窗口", exact=True).click()
    windows = page.get_by_role("table")
    for text in ("A 企业开办与经营、B 社会事务", "长春市公安局", "Q 出件", "Z 咨询"):
        expect(windows).to_contain_text(text)

    page.get_by_role("link", name="办公时间").click()
    expect(page.get_by_role("textbox", name="工作日")).to_have_value("08:30–11:30、13:00–17:00")
    expect(page.get_by_role("textbox", name="周六（非节假日）")).to_have_value("09:00–15:00")

    page.get_by_role("link", name="进驻事项").click()
    expect(page.get_by_role("table")).to_contain_text("食品经营许可")

    page.get_by_role("link", name="排班").click()
    roster = page.get_by_role("table")
    expect(roster.get_by_role("row", name="1号 综合受理")).to_contain_text("李娜")
    expect(roster.get_by_role("row", name="3号 综合受理")).to_contain_text("未排班")
    page.get_by_label("窗口", exact=True).select_option(label="3号窗口（综合受理）")
    page.get_by_label("工作人员用户名").fill("zx_clerk2")
    page.get_by_role("button", name="排班", exact=True).click()
    expect(page.get_by_text("已为 zx_clerk2 排班：3号窗口（综合受理）")).to_be_visible()
    row = page.get_by_role("table").get_by_role("row", name="3号 综合受理")
    expect(row).to_contain_text("王磊")
    today = timezone.localdate()
    assert Shift.objects.filter(window__number="3", user__username="zx_clerk2", date=today).exists()

    row.get_by_role("button", name="取消 zx_clerk2 的排班").click()
    expect(page.get_by_text("已取消 zx_clerk2")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row", name="3号 综合受理")).to_contain_text("未排班")
    assert not Shift.objects.filter(window__number="3", user__username="zx_clerk2").exists()

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="窗口", exact=True).click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_clerk_signs_in_to_window_1_and_out_again(visitor):
    page = visitor()
    log_in(page, "zx_clerk", then="/workbench/hall/", password=DEMO_PASSWORD)
    mine = page.get_by_role("region", name="我的窗口")
    mine.get_by_role("button", name="签入1号窗口").click()
    expect(page.get_by_text("已签入长春市政务服务中心1号窗口（综合受理）")).to_be_visible()
    expect(page.get_by_role("region", name=HALL).get_by_role("row", name="1号 综合受理")
           ).to_contain_text("开放 李娜")
    session = WindowSession.objects.get(user__username="zx_clerk", ended_at__isnull=True)
    assert session.window.number == "1" and session.window.hall.name == HALL

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="签出").click()
    expect(page.get_by_text("已签出窗口")).to_be_visible()
    expect(mine.get_by_role("button", name="签入1号窗口")).to_be_visible()
    session.refresh_from_db()
    assert session.ended_at is not None
