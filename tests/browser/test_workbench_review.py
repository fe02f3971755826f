"""An editor drafts an item and adds a material in the guide editor; a reviewer approves and
publishes it from the review queue; the public API then serves the published guide."""

import json

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.staff import log_in
from tests.factories import staff
from yiwang.catalog.models import ServiceItem
from yiwang.orgs.models import Role


@pytest.fixture
def people(transactional_db, department):
    people = {"editor": staff(department, Role.CATALOG_EDITOR, username="zhang_editor"),
              "reviewer": staff(department, Role.CATALOG_REVIEWER, username="li_reviewer")}
    for user in people.values():
        TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    return people


def test_editor_drafts_reviewer_publishes_and_the_public_sees_it(page, people):
    log_in(page, "zhang_editor")
    page.get_by_role("link", name="新建事项").first.click()
    page.get_by_label("事项类型").select_option(label="公共服务")
    page.get_by_label("行使层级").select_option(label="省级")
    page.get_by_label("事项名称").fill("出生医学证明补发")
    page.get_by_label("承诺办结时限（工作日）").fill("5")
    page.get_by_label("法定办结时限（工作日）").fill("20")
    page.locator("#id_materials-0-name").fill("居民身份证")
    page.get_by_role("button", name="创建事项（保存为草稿）").click()
    assert "事项已创建" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="编辑草稿").click()
    page.get_by_role("button", name="添加材料").click()
    new_row = page.locator("[data-rows=materials] [data-row]").nth(1)
    new_row.get_by_label("材料名称").fill("出生医学证明遗失声明")
    new_row.get_by_label("必要性").select_option(label="容缺")
    assert new_row.get_by_label("材料名称").evaluate("el => el.name") == "materials-1-name"
    new_row.get_by_label("材料名称").press("Enter")  # saves; must not hit a row's remove button
    assert "办事指南已保存" in page.locator(".messages").inner_text()
    materials = page.locator("table.materials tbody tr")
    assert materials.count() == 2
    assert "容缺" in materials.nth(1).inner_text()
    page.get_by_label("提交说明（可选）").fill("新增遗失声明材料")
    page.get_by_role("button", name="提交审核").click()
    assert "已提交审核" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="审核通过").count() == 0
    page.get_by_role("button", name="退出").click()

    log_in(page, "li_reviewer")
    page.get_by_role("link", name="审核队列").first.click()
    row = page.locator("tr", has_text="出生医学证明补发")
    assert "待审核" in row.inner_text()
    row.get_by_role("link", name="审核").click()
    page.get_by_label("审核意见（可选）").fill("材料齐全")
    page.get_by_role("button", name="审核通过").click()
    assert "审核通过" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="发布").click()
    assert "已发布" in page.locator(".messages").inner_text()

    item = ServiceItem.objects.get()
    page.goto(f"/api/catalog/items/{item.handling_code}")
    guide = json.loads(page.locator("body").inner_text())
    assert guide["name"] == "出生医学证明补发"
    assert [(m["name"], m["necessity"]) for m in guide["guide"]["materials"]] == [
        ("居民身份证", "required"), ("出生医学证明遗失声明", "tolerated")]
