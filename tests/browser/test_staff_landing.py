"""A case handler logs in as a person does: before the TOTP code the header offers nothing but
退出; after it they land on their 待办 with its counts, and no citizen items are in the menu."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.staff import PASSWORD, log_in
from tests.cases.factories import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    world = World()
    world.submitted()
    TOTPDevice.objects.create(user=world.acceptor, name="手机", confirmed=True)
    return world


def test_a_case_handler_lands_on_the_queue_counts_after_the_second_factor(page, world):
    page.goto("/accounts/login/?next=/workbench/")
    page.get_by_label("用户名").fill("acceptor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/login/otp/**")
    header = page.get_by_role("navigation", name="主导航")
    expect(header).to_contain_text("退出")
    for item in ("工作台", "我的账户", "我的办件"):
        expect(header).not_to_contain_text(item)

    log_in(page, "acceptor")
    cases = page.get_by_role("region", name="办件待办")
    expect(cases.locator(".stat", has_text="待认领")).to_contain_text("1")
    expect(page.get_by_role("link", name="进入待办")).to_be_visible()
    expect(page.get_by_text("我的草稿")).to_have_count(0)
    expect(header).not_to_contain_text("我的办件")
    expect(header).not_to_contain_text("我的证照")
