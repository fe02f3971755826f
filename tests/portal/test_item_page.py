"""The guide page (办事指南): every element of the published version, printable, nothing else."""

import pytest

from tests.factories import DepartmentFactory, id_card_type
from yiwang.catalog import services
from yiwang.catalog.guide import guide_to_dict
from yiwang.exchange.models import Registry

from .factories import _people, publish_item, withdraw


def test_guide_page_shows_every_guide_element(client, item):
    response = client.get(f"/items/{item.handling_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "<h1 id=\"guide-title\">居民身份证换领</h1>", "身份证换证、身份证到期换领",
        item.basic_code, item.implementation_code, item.handling_code,
        "行政许可", "省级", "吉林省公安厅", "承诺件", "60个工作日", "20个工作日",
        "网上受理（4级）", "《中华人民共和国居民身份证法》第十一条", "居民身份证有效期满的本省户籍居民",
        "窗口核验并采集指纹", "工本费", "20.00", "发改价格〔2003〕2322号",
        "各县（市、区）公安局户政服务大厅", "工作日 8:30-11:30 13:30-17:00",
        'href="tel:043112345"', "0431-12345", "12345", "居民身份证（结果证照类型：jmsfz）",
        "电脑端、移动端、实体大厅", "进驻一窗受理</th><td>是", "可承诺办理</th><td>否",
        "申请人姓名", "居民身份证号</td><td>必填", "社会保障", "第 1 版",
        '申请人实名等级要求</th><td data-min-level="1">L1 自行注册',
    ]:
        assert text in html, text


def test_guide_page_states_the_minimum_real_name_level(client, department):
    item = publish_item(department, min_assurance_level=2)
    html = client.get(f"/items/{item.handling_code}/").content.decode()
    assert '<td data-min-level="2">L2 人口库核验及以上</td>' in html


def test_materials_table_lists_every_material_element(client, department):
    id_card_type()
    item = publish_item(department, materials=[
        {"name": "原居民身份证", "necessity": "required", "form": "paper", "paper_copies": 2,
         "source": "government", "source_note": "公安机关核发", "exemption_source": "licence:jmsfz",
         "acceptance_standard": "在有效期内", "blank_form_url": "/media/forms/sq.docx",
         "sample_url": "https://example.gov.cn/yb.pdf"},
        {"name": "近期免冠照片", "necessity": "tolerated", "form": "electronic",
         "source": "applicant", "blank_form_url": "javascript:alert(1)"},
    ])
    html = client.get(f"/items/{item.handling_code}/").content.decode()
    table = html[html.index('<table class="materials">'):]
    table = table[:table.index("</table>")]
    assert table.count('<th scope="col">') == 9
    assert table.count('<th scope="row">') == 2
    first, second = table.split("<tr>")[2:4]
    for text in ["原居民身份证", "必要", "纸质", "2 份", "政府部门核发", "公安机关核发", "在有效期内",
                 "免提交", "可由电子证照（居民身份证）替代", 'href="/media/forms/sq.docx"',
                 'href="https://example.gov.cn/yb.pdf"']:
        assert text in first, text
    for text in ["近期免冠照片", "容缺", "电子", "申请人自备"]:
        assert text in second, text
    assert "免提交" not in second
    # An editor's javascript: address is shown as no link at all.
    assert "javascript:" not in html


def test_a_source_nobody_provides_is_not_promised_and_a_registry_is_named(client, department):
    # The guide names a licence type the platform does not know and a registry: only the
    # registry, which the platform provides, makes its material 免提交.
    Registry.objects.create(code="hukou", name="户籍信息", provider=department, subject_kind="person",
                            fields=[{"name": "address", "label": "住址"}])
    item = publish_item(department, materials=[
        {"name": "结婚证", "necessity": "required", "form": "electronic", "source": "government",
         "exemption_source": "licence:jhz"},
        {"name": "户口簿", "necessity": "required", "form": "electronic", "source": "government",
         "exemption_source": "data:hukou"},
    ])
    for url in (f"/items/{item.handling_code}/", f"/m/items/{item.handling_code}/"):
        html = client.get(url).content.decode()
        assert html.count(">免提交</span>") == 1, url
        assert f"可由共享数据（户籍信息，{department.name}）替代" in html
        assert "jhz" not in html


def test_no_fees_reads_not_charged_and_missing_sections_say_so(client, department):
    item = publish_item(department, fees=[], process_steps=[], form_definition=[], materials=[])
    html = client.get(f"/items/{item.handling_code}/").content.decode()
    assert "<strong>不收费</strong>" in html
    assert "本事项无需提交申请材料。" in html
    assert "本事项暂无网上申请表。" in html


def test_only_the_published_version_is_shown_while_a_revision_is_in_progress(client, item):
    author, _ = _people()
    draft = services.start_revision(item, actor=author)
    services.update_draft(draft, {**guide_to_dict(draft), "name": "居民身份证换领（草稿）"},
                          actor=author)
    html = client.get(f"/items/{item.handling_code}/").content.decode()
    assert "居民身份证换领（草稿）" not in html
    assert "<h1 id=\"guide-title\">居民身份证换领</h1>" in html


def test_unpublished_item_is_a_404_page_with_the_reason(client, department):
    author, _ = _people()
    draft_only = services.create_item(department=department, item_type="01", level="2",
                                      guide={"name": "未发布事项", "handling_kind": "1",
                                             "visits": 1}, actor=author)
    response = client.get(f"/items/{draft_only.handling_code}/")
    assert response.status_code == 404
    assert f"事项“{draft_only.handling_code}”尚未发布" in response.content.decode()


def test_withdrawn_item_is_a_404_page_with_the_reason(client, item):
    withdraw(item)
    for url in (f"/items/{item.handling_code}/", f"/items/{item.handling_code}/print/",
                f"/m/items/{item.handling_code}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "已撤回，暂不提供服务" in response.content.decode()


@pytest.mark.parametrize("code, reason", [
    ("abc", "事项编码应为31位实施编码或33位业务办理项编码，实际为3位"),
    ("X" * 33, "实施编码前18位不是有效的统一社会信用代码"),
])
def test_malformed_code_is_a_400_page_with_the_reason(client, db, code, reason):
    response = client.get(f"/items/{code}/")
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_unknown_code_is_a_404_page(client, item):
    other = DepartmentFactory(code="12")
    code = other.uscc + item.handling_code[18:]
    response = client.get(f"/items/{code}/")
    assert response.status_code == 404
    assert f"事项“{code}”不存在" in response.content.decode()


def test_print_view_has_the_whole_guide_and_a_print_button(client, item):
    response = client.get(f"/items/{item.handling_code}/print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-print" in html
    assert '<table class="materials">' in html
    assert "site-header" not in html
    assert "本指南第 1 版" in html


def test_guide_page_escapes_editor_text(client, department):
    item = publish_item(department, name="<script>alert(1)</script>换证")
    html = client.get(f"/items/{item.handling_code}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;换证" in html


def test_guide_page_query_budget(client, item, django_assert_num_queries):
    # item by code (with department, region, version) + version detail + materials + FAQs
    # + topics + the 一件事 bundles containing the item (their links beside 在线申请) + the licence types
    # and registries that may replace a material (once, not per material) + the halls where the
    # item can be booked (预约办理)
    with django_assert_num_queries(9):
        assert client.get(f"/items/{item.handling_code}/").status_code == 200
