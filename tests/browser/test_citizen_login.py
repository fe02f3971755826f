"""A citizen registers with an SMS code, logs in once and uses the portal; logging out on one
browser ends the session on another."""

from playwright.sync_api import expect

from tests.accounts.factories import citizen, make_id_number, population
from yiwang.notify.models import Message

NUMBER = make_id_number(31)
PASSWORD = "songhua-river-2026"


def test_citizen_registers_logs_in_and_logging_out_ends_every_session(page, browser,
                                                                      live_server,
                                                                      transactional_db):
    population("赵磊", NUMBER)
    page.goto("/accounts/register/")
    page.get_by_label("姓名").fill("赵磊")
    page.get_by_label("居民身份证号").fill(NUMBER)
    page.get_by_label("手机号").fill("13812345670")
    page.get_by_role("button", name="获取短信验证码").click()
    expect(page.locator("#code-status")).to_contain_text("验证码已发送至 138****5670")
    code = Message.objects.get().body.split("验证码是")[1][:6]
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("密码（至少10位").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/me/")
    expect(page.locator("[data-level]")).to_have_text("L2 人口库核验")
    expect(page.locator("main")).not_to_contain_text(NUMBER)
    page.get_by_role("button", name="退出").click()

    # Log in again with the mobile number on this browser, and with the ID number on another.
    other = browser.new_context(base_url=live_server.url).new_page()
    for tab, identifier in ((page, "13812345670"), (other, NUMBER.lower())):
        tab.goto("/accounts/login/")
        tab.get_by_label("身份证号 / 手机号").fill(identifier)
        tab.get_by_label("密码").fill(PASSWORD)
        tab.get_by_role("button", name="登录").click()
        tab.wait_for_url("**/accounts/me/")
        expect(tab.locator("h1")).to_have_text("我的账户")
    page.goto("/topics/")  # the portal knows the citizen: one log-in for the whole site
    expect(page.get_by_role("link", name="我的账户")).to_be_visible()

    page.get_by_role("button", name="退出").click()
    other.goto("/accounts/me/")
    other.wait_for_url("**/accounts/login/**")
    expect(other.locator("h1")).to_have_text("统一身份认证登录")


def test_registering_an_id_number_that_has_an_account_gives_one_neutral_answer(page,
                                                                               transactional_db):
    holder = citizen("钱七", id_number=make_id_number(32))
    page.goto("/accounts/register/")
    page.get_by_label("姓名").fill("赵磊")
    page.get_by_label("居民身份证号").fill(holder.id_number)
    page.get_by_label("手机号").fill("13812345671")
    page.get_by_label("短信验证码").fill("123456")
    page.get_by_label("密码（至少10位").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("alert")).to_have_text("请先获取短信验证码")  # the code comes first

    page.get_by_role("button", name="获取短信验证码").click()
    expect(page.locator("#code-status")).to_contain_text("验证码已发送至 138****5671")
    code = Message.objects.get(address="13812345671").body.split("验证码是")[1][:6]
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("密码（至少10位").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("alert")).to_have_text(
        "该居民身份证号或手机号已注册账号，请直接登录；如非本人注册，请到政务服务大厅窗口核实")
    assert "有人正尝试使用您的居民身份证号注册" in Message.objects.get(address=holder.mobile).body
