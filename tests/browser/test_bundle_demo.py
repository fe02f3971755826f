"""The demo's 开办餐饮店 in a real browser, on the data ``load_demo`` creates: 王芳 applies for
her company from the bundle page, 预审 lists every problem once (both 经营项目 and 场所类别
asked), then passes, and the application is submitted as two cases. On the shared demo site
(``demo_site``, tests/browser/conftest.py)."""

import pytest
from playwright.sync_api import expect

from tests.cases.factories import PDF
from yiwang.accounts.models import Citizen, Company
from yiwang.cases.models import Case, Status
from yiwang.cases.services import merged_form
from yiwang.catalog.models import Necessity
from yiwang.demo.identities import COMPANY
from yiwang.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.slow


def _upload(page, name: str, tmp_path):
    path = tmp_path / "材料.pdf"
    path.write_bytes(PDF)
    row = page.locator(".material-row", has_text=name)
    row.get_by_label(f"选择“{name}”的文件").set_input_files(str(path))
    row.get_by_role("button", name="上传").click()
    expect(page.locator(".material-row", has_text=name)).to_contain_text("已上传：材料.pdf")


def test_wang_fang_applies_for_the_demo_restaurant_bundle_with_prereview(visitor, tmp_path):
    page = visitor()
    wang = Citizen.objects.get(name=COMPANY[2])
    firm = Company.objects.get(uscc=COMPANY[1])
    page.goto("/accounts/login/?next=/bundles/open-restaurant/")
    page.get_by_label("身份证号 / 手机号").fill(wang.mobile)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("一件事：开办餐饮店")
    page.get_by_label("申请单位").select_option(str(firm.pk))
    page.get_by_role("button", name="在线申请").click()
    expect(page.locator("h1")).to_have_text("填写一件事申请：开办餐饮店")

    page.get_by_role("button", name="预审").click()
    defects = page.locator("#defects")
    expect(defects).to_contain_text("预审未通过")
    expect(defects.locator("li", has_text="缺少材料“营业执照”")).to_have_count(1)
    expect(defects.locator("a", has_text="经营项目")).to_have_count(1)
    expect(defects.locator("a", has_text="场所类别")).to_have_count(1)
    expect(page.locator(".error")).to_have_count(0)  # the list is printed once, not twice

    page.get_by_role("textbox", name="单位名称").fill(firm.name)
    page.get_by_role("textbox", name="统一社会信用代码").fill(firm.uscc)
    page.get_by_role("textbox", name="联系人").fill(wang.name)
    page.get_by_role("textbox", name="联系电话").fill(wang.mobile)
    page.get_by_role("textbox", name="经营场所").fill("长春市净月区生态大街2288号")
    page.get_by_role("combobox", name="经营项目").select_option("热食类食品制售")
    page.get_by_role("combobox", name="场所类别").select_option("其他")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    bundle = Case.objects.filter(applicant=wang.user, status=Status.DRAFT).first().bundle_application
    for material in merged_form(bundle.version).materials:
        if material.necessity == Necessity.REQUIRED:
            _upload(page, material.name, tmp_path)

    page.get_by_role("button", name="预审").click()
    expect(page.locator(".notice-ok")).to_contain_text("预审通过，可以提交")
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("button", name="确认提交").click()
    expect(page.locator("h1")).to_have_text("一件事：开办餐饮店")
    cases = list(bundle.cases.order_by("pk"))
    assert [c.status for c in cases] == [Status.RECEIVED, Status.RECEIVED]
    assert {c.version.name: c.form_data["category"] for c in cases} == {
        "食品经营许可": "热食类食品制售", "公共场所卫生许可": "其他"}
    for case in cases:
        expect(page.locator("main")).to_contain_text(case.number)
