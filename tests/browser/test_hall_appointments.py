"""预约 in a real browser on the demo that ``load_demo`` creates: 张伟 books 无犯罪记录证明开具
at 长春市政务服务中心 (stationed there with opening hours and a 公安 window by the demo's hall
data) from the guide page, finds it in 我的预约 with its code and QR code, and cancels it — on a
desktop and on a 390 px phone screen, where the pages must not scroll sideways."""

import pytest
from playwright.sync_api import expect

from yiwang.accounts.models import Citizen
from yiwang.catalog.models import ServiceItem
from yiwang.demo.loader import DEMO_PASSWORD
from yiwang.hall.models import Appointment, AppointmentStatus

PHONE = {"width": 390, "height": 844}
HALL = "长春市政务服务中心"


def _log_in(page, citizen: Citizen, then: str) -> None:
    page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("身份证号 / 手机号").fill(citizen.id_number)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{then}")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_citizen_books_a_slot_sees_it_in_my_appointments_and_cancels_it(visitor, viewport):
    page = visitor()
    if viewport:
        page.set_viewport_size(viewport)
    zhang = Citizen.objects.get(name="张伟")
    item = ServiceItem.objects.get(published_version__name="无犯罪记录证明开具", region__name="长春市")
    guide = f"/items/{item.handling_code}/"
    _log_in(page, zhang, guide)

    page.get_by_role("link", name="预约办理").click()
    page.get_by_role("link", name=HALL).click()
    expect(page.get_by_role("heading", name="选择日期")).to_be_visible()
    _fits(page)
    slot = page.locator(".booking-slot:not(.is-full)").first
    chosen = slot.locator(".slot-time").inner_text()
    slot.click()
    page.get_by_role("button", name="下一步：确认预约").click()
    expect(page.get_by_role("heading", name="确认预约")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text(HALL)
    page.get_by_role("button", name="确认预约").click()

    appointment = Appointment.objects.get(user=zhang.user, hall_item__item=item,
                                          status=AppointmentStatus.BOOKED)
    expect(page.locator(".messages")).to_contain_text(f"预约成功，预约码 {appointment.code}")
    expect(page.locator("[data-code]")).to_have_text(appointment.code)
    expect(page.locator(".appointment-qr svg")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text(chosen)
    _fits(page)

    page.goto("/appointments/")
    row = page.locator(".appointment-row").filter(has_text=appointment.code)
    expect(row).to_contain_text("无犯罪记录证明开具")
    expect(row).to_contain_text(HALL)
    expect(row).to_contain_text("已预约")
    _fits(page)

    # Cancelled again, so the shared demo keeps 张伟 free to book this item in other tests.
    row.get_by_role("link", name="取消预约").click()
    page.get_by_role("button", name="确认取消").click()
    expect(page.locator(".messages")).to_contain_text("预约已取消")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
