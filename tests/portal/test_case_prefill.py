"""一表申请 on the pages: pre-filled fields and where they came from (applicant and clerk), the
applicant's earlier answers offered, shared data used with consent, files added before the form
is saved, and the company's USCC on 我的账户."""

import pytest

from tests.accounts.factories import authorize, citizen, company
from tests.cases.factories import pdf
from tests.cases.prefill_factories import HUKOU_ADDRESS, address_bundle, hukou
from tests.factories import guide_data
from tests.portal.factories import publish_item
from yiwang.cases import services
from yiwang.cases.models import Case
from yiwang.exchange import services as exchange
from yiwang.exchange.models import DataUse, Registry
from yiwang.licences.models import HolderKind


def _edit(client, case) -> str:
    response = client.get(f"/cases/{case.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_applying_opens_a_form_filled_from_the_account(signed_in, world):
    signed_in.post(f"/items/{world.item.handling_code}/apply/")
    case = Case.objects.get(applicant=world.user)
    html = _edit(signed_in, case)
    assert 'name="applicant_name" value="王芳"' in html
    assert f'name="phone" value="{world.applicant.mobile}"' in html
    assert html.count("已预填：来自实名账号，可修改") == 2


def test_an_earlier_answer_is_offered_as_a_choice(signed_in, world):
    done = world.submitted(shop_name="净月潭小吃店")
    assert done.number
    case = services.start_application(world.user, world.item)
    html = _edit(signed_in, case)
    assert 'list="suggest-shop_name"' in html
    assert '<datalist id="suggest-shop_name"><option value="净月潭小吃店"></datalist>' in html
    assert "可从此前填写过的内容中选择" in html


def test_a_file_can_be_added_before_the_form_is_saved(signed_in, world):
    """The upload posts the form as typed (htmx hx-include of #case-form): what was typed is
    saved with the file instead of being lost."""
    case = services.start_application(world.user, world.item)
    html = _edit(signed_in, case)
    assert "上传材料前请先保存" not in html and "<noscript>" in html
    assert 'hx-include="#case-form"' in html and 'name="with_form" value="1"' in html
    material = case.version.materials.get(name="营业执照")
    response = signed_in.post(f"/cases/{case.pk}/files/", {
        "material": material.pk, "file": pdf(), "with_form": "1", "applicant_name": "王芳",
        "shop_name": "净月潭小吃店", "phone": "13900000009", "area": "35"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.form_data["shop_name"] == "净月潭小吃店" and case.form_data["phone"] == "13900000009"
    assert case.files.get().original_name == "营业执照.pdf"
    assert 'value="净月潭小吃店"' in _edit(signed_in, case)


def test_an_upload_without_the_form_leaves_the_form_as_it_was(signed_in, world):
    case = services.start_application(world.user, world.item)
    services.save_draft(case, world.user, {"shop_name": "净月潭小吃店"})
    material = case.version.materials.get(name="营业执照")
    signed_in.post(f"/cases/{case.pk}/files/", {"material": material.pk, "file": pdf()})
    case.refresh_from_db()
    assert case.form_data["shop_name"] == "净月潭小吃店" and case.form_data["applicant_name"] == "王芳"


def test_a_bundle_upload_keeps_what_was_typed_in_the_merged_form(signed_in, world):
    application = services.start_bundle(world.user, world.bundle())
    html = signed_in.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert 'id="case-form"' in html and "已预填：来自实名账号，可修改" in html
    key = services.merged_form(application.version).materials[0].key
    signed_in.post(f"/bundles/applications/{application.pk}/files/", {
        "material": key, "file": pdf(), "with_form": "1", "shop_name": "净月潭小吃店", "seats": "20"})
    application.refresh_from_db()
    assert application.form_data["shop_name"] == "净月潭小吃店"
    assert all(c.form_data["shop_name"] == "净月潭小吃店" for c in application.cases.all())


# --- shared data with consent ----------------------------------------------------------------------


@pytest.fixture
def firm_case(world):
    firm = company(world.applicant, "长春市净月潭绿色食品有限公司")
    registry = Registry.objects.create(
        code="market_entity", name="市场主体登记信息", provider=world.market,
        subject_kind=HolderKind.COMPANY,
        fields=[{"name": "domicile", "label": "住所", "key": "company.address"}])
    exchange.put_record(registry, actor=None, subject_id_number=firm.uscc, subject_name=firm.name,
                        data={"domicile": "长春市净月区净月大街2888号"})
    item = publish_item(world.market, **guide_data(name="食品生产许可", audience="company", form_definition=[
        {"name": "company_name", "label": "单位名称", "type": "text", "required": True},
        {"name": "registered_address", "label": "住所", "type": "text", "required": True}]))
    return services.start_application(world.user, item, company_id=firm.pk)


def test_shared_data_is_offered_and_filled_only_with_consent(signed_in, world, firm_case):
    html = _edit(signed_in, firm_case)
    assert "数据共享平台中有您的以下信息" in html
    assert "住所：长春市净月区净月大街2888号（共享数据：市场主体登记信息（吉林省市场监督管理局））" in html
    refused = signed_in.post(f"/cases/{firm_case.pk}/edit/", {"action": "registry", "with_form": "1",
                                                              "company_name": "长春市净月潭绿色食品有限公司"})
    assert refused.status_code == 400 and "请确认同意使用该共享数据" in refused.content.decode()
    assert not DataUse.objects.exists()
    response = signed_in.post(f"/cases/{firm_case.pk}/edit/", {
        "action": "registry", "registry_consent": "yes", "with_form": "1",
        "company_name": "长春市净月潭绿色食品有限公司"}, follow=True)
    html = response.content.decode()
    assert "已使用共享数据填写：住所" in html
    assert 'name="registered_address" value="长春市净月区净月大街2888号"' in html
    assert "已预填：来自共享数据：市场主体登记信息（吉林省市场监督管理局），可修改" in html
    assert "数据共享平台中有您的以下信息" not in html
    assert DataUse.objects.get().holder_company == firm_case.company


def test_a_bundle_page_offers_shared_data_and_fills_the_merged_form_with_consent(signed_in, world):
    hukou(world)
    application = services.start_bundle(world.user, address_bundle(world))
    url = f"/bundles/applications/{application.pk}/edit/"
    html = signed_in.get(url).content.decode()
    assert f"联系地址：{HUKOU_ADDRESS}（共享数据：户籍信息（吉林省交通运输厅））" in html
    assert "同意吉林省市场监督管理局、吉林省卫生健康委员会使用上述共享数据办理本次一件事申请" in html
    response = signed_in.post(url, {"action": "registry", "registry_consent": "yes", "with_form": "1",
                                    "applicant_name": "王芳", "shop_name": "净月潭小吃店"}, follow=True)
    html = response.content.decode()
    assert "已使用共享数据填写：联系地址" in html
    assert f'name="address" value="{HUKOU_ADDRESS}"' in html
    assert 'name="shop_name" value="净月潭小吃店"' in html
    assert DataUse.objects.count() == 2


# --- the clerk's case page and 我的账户 -------------------------------------------------------------


def test_the_clerk_sees_what_was_prefilled_and_from_where(client, world):
    case = world.draft(phone="13700000000")
    services.submit(case, world.user)
    client.force_login(world.acceptor)
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    note = '<span class="small muted prefilled">（预填：来自实名账号{}）</span>'
    assert "王芳 " + note.format("") in html
    assert "13700000000 " + note.format("（申请人已修改）") in html
    assert "净月潭小吃店 <span" not in html


def test_an_agent_sees_the_company_uscc_on_my_account(client, world):
    firm = company(world.applicant, "长春市净月潭绿色食品有限公司")
    agent = citizen("刘洋")
    authorize(firm, agent)
    client.force_login(agent.user)
    html = client.get("/accounts/me/").content.decode()
    assert "我可代表的单位" in html
    assert f'统一社会信用代码：<span class="uscc">{firm.uscc}</span>' in html
    assert "经办人，授权期限" in html


def test_a_person_without_a_company_has_no_company_list(client, world):
    client.force_login(world.stranger.user)
    assert "我可代表的单位" not in client.get("/accounts/me/").content.decode()

