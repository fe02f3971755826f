"""一表申请 on the demo that ``load_demo`` creates (not on fixtures): 张伟 starts a single item and
finds his name, ID number and mobile already filled in, each saying where it came from, and adds
a file before saving without losing what he typed; 刘洋, the demo company's 经办人, sees the
company's USCC on 我的账户 and a company item filled from the company account. On the shared
demo site (``demo_site``, tests/browser/conftest.py)."""

from playwright.sync_api import expect

from yiwang.accounts.models import Citizen, Company
from yiwang.catalog.models import ServiceItem
from yiwang.demo.identities import COMPANY
from yiwang.demo.loader import DEMO_PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _item(name: str, region: str = "长春市") -> ServiceItem:
    return ServiceItem.objects.get(published_version__name=name, region__name=region)


def _log_in(page, citizen: Citizen, then: str = "/accounts/me/") -> None:
    page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("身份证号 / 手机号").fill(citizen.id_number)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{then}")


def _start(page, item: ServiceItem) -> None:
    page.goto(f"/items/{item.handling_code}/")
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("button", name="开始填写申请").click()
    page.wait_for_url("**/edit/")


def test_demo_forms_are_filled_from_what_the_platform_knows(visitor, tmp_path):
    page = visitor()
    zhang = Citizen.objects.get(name="张伟")
    _log_in(page, zhang)
    _start(page, _item("无犯罪记录证明开具"))

    expect(page.get_by_label("申请人姓名")).to_have_value("张伟")
    expect(page.get_by_label("居民身份证号")).to_have_value(zhang.id_number)
    expect(page.get_by_label("联系电话")).to_have_value(zhang.mobile)
    expect(page.locator("[data-prefilled]")).to_have_count(3)
    expect(page.locator("[data-prefilled='id_number']")).to_have_text("已预填：来自实名账号，可修改")

    # A file before the first save: what was typed is kept with it.
    page.get_by_label("联系电话").fill("13912345678")
    upload = tmp_path / "申请书.pdf"
    upload.write_bytes(PDF)
    row = page.locator(".material-row").filter(has=page.locator("input[type=file]")).first
    row.locator("input[type=file]").set_input_files(str(upload))
    row.get_by_role("button", name="上传").click()
    expect(page.locator(".material-row").filter(has_text="已上传：申请书.pdf")).to_have_count(1)
    page.reload()
    expect(page.get_by_label("联系电话")).to_have_value("13912345678")
    expect(page.locator("[data-prefilled='phone']")).to_contain_text("申请人已修改")


    # 刘洋, the company's 经办人, in a browser of his own.
    page = visitor()
    liu = Citizen.objects.get(name="刘洋")
    firm = Company.objects.get(uscc=COMPANY[1])
    _log_in(page, liu)
    expect(page.get_by_text(f"统一社会信用代码：{firm.uscc}")).to_be_visible()

    _start(page, _item("食品经营许可"))
    expect(page.get_by_label("单位名称")).to_have_value(firm.name)
    expect(page.get_by_label("统一社会信用代码")).to_have_value(firm.uscc)
    expect(page.get_by_label("法定代表人")).to_have_value(firm.legal_representative.name)
    expect(page.get_by_label("联系人")).to_have_value("刘洋")
    expect(page.locator("[data-prefilled='uscc']")).to_have_text("已预填：来自法人账号，可修改")
