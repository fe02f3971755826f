"""差评整改 in a real browser on a phone-sized screen: the department's 好差评管理员 finds the 差评
in the workbench menu, verifies it and replies to the rater."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.staff import log_in
from tests.evaluation.rectify_world import RectifyWorld

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    world = RectifyWorld()
    world.rect = world.rating(text="窗口人员离岗二十分钟").rectification
    TOTPDevice.objects.create(user=world.handler, name="手机", confirmed=True)
    return world


def test_the_handler_verifies_and_replies_on_a_phone(page, world):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "eval_market")
    page.get_by_role("link", name="差评整改").click()
    page.get_by_role("link", name="食品经营许可").click()
    expect(page.get_by_text("窗口人员离岗二十分钟")).to_be_visible()
    page.get_by_label("核实情况").fill("经查属实，已批评教育")
    page.get_by_role("button", name="确认核实，开始整改").click()
    expect(page.get_by_text("已核实，整改开始")).to_be_visible()
    page.get_by_label("整改答复（将发送给评价人）").fill("已增设引导岗，感谢监督")
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_role("heading", name="回访")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    world.rect.refresh_from_db()
    assert (world.rect.status, world.rect.reply) == ("rectified", "已增设引导岗，感谢监督")
