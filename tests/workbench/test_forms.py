"""The guide editor's layout and parsing (workbench.forms)."""

from django.http import QueryDict

from tests.factories import guide_data
from yiwang.catalog.guide import FAQ_FIELDS, GUIDE_FIELDS, MATERIAL_FIELDS, clean_guide
from yiwang.workbench import forms


def test_every_guide_element_has_an_input_in_a_section():
    scalar = {i.name for i in forms.SCALAR_INPUTS}
    assert scalar | set(forms.ROW_SETS) == set(GUIDE_FIELDS) | {"materials", "faqs"}
    assert not scalar & set(forms.ROW_SETS)
    assert {i.name for i in forms.MATERIALS.inputs} == set(MATERIAL_FIELDS)
    assert [i.name for i in forms.FAQS.inputs] == FAQ_FIELDS
    assert [s.title for s in forms.SECTIONS] == [
        "基本信息", "办理要求", "时限与方式", "地点与电话", "结果", "申请表单", "申请材料", "常见问题"]


def _post(**values) -> QueryDict:
    post = QueryDict(mutable=True)
    for key, value in values.items():
        for v in value if isinstance(value, list) else [value]:
            post.appendlist(key.replace("__", "-"), v)
    return post


def test_parse_reads_rows_in_index_order_and_drops_blank_ones():
    post = _post(name="出生登记", channels=["pc", "hall"], single_window="on",
                 materials__7__name="出生医学证明", materials__7__necessity="required",
                 materials__2__name="户口簿", materials__2__paper_copies="1",
                 materials__9__name="", materials__9__necessity="optional")
    data = forms.parse_guide(post)
    assert data["name"] == "出生登记"
    assert data["channels"] == ["pc", "hall"]
    assert data["single_window"] is True and data["commitment_allowed"] is False
    assert [m["name"] for m in data["materials"]] == ["户口簿", "出生医学证明"]
    assert len(forms.parse_guide(post, keep_blank_rows=True)["materials"]) == 3


def test_form_field_rows_become_a_form_definition():
    post = _post(form_definition__0__name="gender", form_definition__0__label="性别",
                 form_definition__0__type="select", form_definition__0__required="on",
                 form_definition__0__options="男、女，其他", form_definition__0__max_length="",
                 form_definition__1__name="age", form_definition__1__label="年龄",
                 form_definition__1__type="number", form_definition__1__max_length="abc")
    first, second = forms.parse_guide(post)["form_definition"]
    assert first == {"name": "gender", "label": "性别", "type": "select", "required": True,
                     "options": ["男", "女", "其他"], "max_length": None, "pattern": "",
                     "help": ""}
    assert second["required"] is False
    assert second["max_length"] == "abc"  # left for the validator to report


def test_row_commands_add_and_remove_without_javascript():
    data = {"materials": [{"name": "甲"}, {"name": "乙"}]}
    assert forms.apply_row_command(data, "add:materials")["materials"][-1] == {}
    assert forms.apply_row_command(data, "remove:materials:0")["materials"] == [{"name": "乙"}]
    assert forms.apply_row_command(data, "remove:materials:9") == data
    assert forms.apply_row_command(data, "add:nonsense") == data


def test_binding_then_parsing_gives_back_the_same_guide():
    """What the editor shows, posted back unchanged, is the guide it showed."""
    guide = clean_guide(guide_data())
    post = QueryDict(mutable=True)
    for section in forms.bind_guide(guide):
        for f in section.inputs:
            if f["widget"] == "checkbox":
                if f["checked"]:
                    post[f["name"]] = "on"
            elif f["widget"] == "checkboxes":
                post.setlist(f["name"], [o["value"] for o in f["options"] if o["selected"]])
            else:
                post[f["name"]] = next((o["value"] for o in f["options"] if o["selected"]),
                                       f["value"])
        for rs in section.row_sets:
            for row in rs["rows"]:
                for f in row["inputs"]:
                    if f["widget"] == "checkbox":
                        if f["checked"]:
                            post[f["name"]] = "on"
                    elif f["widget"] == "select":
                        post[f["name"]] = next(o["value"] for o in f["options"] if o["selected"])
                    else:
                        post[f["name"]] = f["value"]
    assert clean_guide(forms.parse_guide(post)) == guide


def test_display_sections_follow_the_editor_and_leave_materials_to_their_table():
    sections = forms.display_sections(clean_guide(guide_data()))
    shown = [e["field"] for s in sections for e in s["elements"]]
    assert set(shown) == set(GUIDE_FIELDS) | {"faqs"}
    assert sections[0]["elements"][0] == {"field": "name", "label": "事项名称",
                                          "value": "居民身份证换领"}
