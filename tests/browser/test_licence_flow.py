"""Electronic licences in a real browser: a case approved, certified and delivered puts a sealed
licence in the holder's wallet; the public page verifies it by identifier and by the QR code's
signed payload; the issuing department's 制证员 logs in (password and TOTP) and revokes it on the
workbench's 证照管理 page with a reason, after which both ways of verifying refuse it with that
reason; applying for a second item, alone or in a 一件事, uses the
licence instead of an upload, and the holder sees in the usage log which department used it."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser.staff import log_in
from tests.exchange.conftest import ReuseWorld
from tests.exchange.test_attach_bundle import reuse_bundle
from yiwang.cases.models import CaseFile
from yiwang.licences import services as licences


@pytest.fixture
def world(transactional_db):
    world = ReuseWorld()  # its food-licence case went through 通过, 制证 and 送达
    TOTPDevice.objects.create(user=world.certifier, name="手机", confirmed=True)
    return world


def test_wallet_verification_revocation_and_reuse(page, browser, live_server, world):
    licence = world.food_licence
    page.goto("/accounts/login/?next=/licences/mine/")
    page.get_by_label("身份证号 / 手机号").fill(world.applicant.mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/licences/mine/")
    expect(page.locator("main")).to_contain_text(licence.identifier)
    page.locator("tr", has_text=licence.identifier).get_by_role("link", name="食品经营许可证").click()
    seal = page.get_by_role("img", name="吉林省市场监督管理局电子证照专用章")
    expect(seal).to_be_visible()
    issuer = page.locator(".licence-issuer").bounding_box()
    drawn = seal.bounding_box()
    assert drawn["x"] >= issuer["x"] + issuer["width"] or drawn["y"] >= issuer["y"] + issuer["height"]
    expect(page.locator(".licence-qr svg")).to_be_visible()

    verifier = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    verifier.goto("/licences/verify/")
    by_identifier = verifier.get_by_role("form", name="按证照标识验证")
    by_identifier.get_by_role("textbox", name="证照标识").fill(licence.identifier)
    by_identifier.get_by_role("button", name="验证").click()
    expect(verifier.locator(".verdict h2")).to_have_text("验证通过：证照真实有效")
    payload = licences.qr_payload(licence)
    verifier.goto("/licences/verify/")
    by_payload = verifier.get_by_role("form", name="按二维码内容验证")
    by_payload.get_by_role("textbox", name="二维码内容").fill(payload)
    by_payload.get_by_role("button", name="验证").click()
    expect(verifier.locator(".verdict h2")).to_have_text("验证通过：证照真实有效")

    # The market department's 制证员 revokes it (revoke_licence allows licences.selectors.STAFF_ROLES).
    clerk = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    clerk.set_default_timeout(10_000)
    log_in(clerk, world.certifier.username, then="/workbench/licences/")
    clerk.locator("tr", has_text=licence.identifier).get_by_role("link", name=licence.identifier).click()
    revoke = clerk.locator("form", has=clerk.get_by_role("button", name="注销", exact=True))
    revoke.get_by_label("注销原因（必填）").fill("经营场所已关闭")
    revoke.get_by_role("button", name="注销", exact=True).click()
    expect(clerk.locator("main")).to_contain_text(f"证照 {licence.identifier} 已注销")
    expect(clerk.locator(".page-head .badge")).to_have_text("已注销")
    expect(clerk.locator("main")).to_contain_text("经营场所已关闭")
    for field, value in (("identifier", licence.identifier), ("payload", payload)):
        verifier.goto(f"/licences/verify/?{field}={value}")
        expect(verifier.locator(".verdict h2")).to_have_text("验证未通过")
        expect(verifier.locator(".verdict")).to_contain_text("经营场所已关闭")

    # A second item asks for the (still valid) licence of the same type: a fresh one is issued
    # first, then used in place of an upload.
    fresh = world.licence()
    draft = world.renewal_draft()
    use_licence(page, f"/cases/{draft.pk}/edit/", fresh)
    assert CaseFile.objects.get(case=draft, licence=fresh).file.name == ""

    # The same choice on a 一件事 page: one consent puts it in every item that asks for it.
    application = reuse_bundle(world)
    use_licence(page, f"/bundles/applications/{application.pk}/edit/", fresh)
    assert CaseFile.objects.filter(case__bundle_application=application, licence=fresh).count() == 2

    page.goto("/exchange/uses/")
    use = page.locator("tbody tr").first
    expect(use).to_contain_text(world.market.name)
    expect(use).to_contain_text("食品经营许可证")


def use_licence(page, edit_url: str, licence) -> None:
    """On an edit page, choose ``licence`` for the 食品经营许可证 material with consent, and see
    it attached in place of an upload."""
    page.goto(edit_url)
    row = page.locator(".material-row", has_text="食品经营许可证")
    row.get_by_label(f"{licence.type_name} {licence.identifier}", exact=False).check()
    row.get_by_label("同意使用该电子证照（免提交）").check()
    row.get_by_role("button", name="使用电子证照").click()
    expect(page.locator(".material-row", has_text="食品经营许可证")).to_contain_text(
        f"已使用电子证照 {licence.identifier}（已核验）")
