"""The guide editor's form: which input shows each guide element, in which section, and how a
posted form becomes the guide dict that ``catalog.guide.clean_guide`` validates.

Validation is not repeated here: this module only parses what the browser sent (keeping every
value as typed, so a form with errors comes back exactly as it was filled in) and lays out the
inputs. Repeating rows (materials, process steps, fees, form fields, FAQs) are posted as
``<set>-<index>-<field>``; rows whose text inputs are all empty are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

from yiwang.accounts.models import AssuranceLevel
from yiwang.catalog.formdef import FIELD_TYPES
from yiwang.catalog.guide import CHANNELS, field_label
from yiwang.catalog.models import (
    Audience,
    HandlingKind,
    ItemLevel,
    ItemType,
    Material,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    RetentionPeriod,
    Topic,
    VersionStatus,
)
from yiwang.common.forms import PageNumberField

TEXT_WIDGETS = {"text", "textarea", "url", "tel"}


@dataclass(frozen=True)
class Input:
    """One input of the editor. ``widget`` is text, textarea, tel, url, number, select, checkbox
    or checkboxes; ``choices`` are (value, label) pairs for the last three kinds."""

    name: str
    label: str
    widget: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    wide: bool = False


@dataclass(frozen=True)
class RowSet:
    """A repeating group of inputs stored as a list of dicts under ``key``."""

    key: str
    label: str
    row_label: str
    inputs: tuple[Input, ...]
    defaults: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    inputs: tuple[Input, ...] = ()
    row_sets: tuple[RowSet, ...] = ()


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((str(c.value), str(c.label)) for c in enum)


def _guide_input(name: str, widget: str = "text", **extra) -> Input:
    return Input(name, field_label(name), widget, **extra)


def _material_input(name: str, widget: str = "text", **extra) -> Input:
    return Input(name, str(Material._meta.get_field(name).verbose_name), widget, **extra)


MATERIALS = RowSet("materials", "申请材料", "材料", (
    _material_input("name"),
    _material_input("necessity", "select", choices=_choices(Necessity)),
    _material_input("form", "select", choices=_choices(MaterialForm)),
    _material_input("paper_copies", "number", help="纸质或纸质和电子材料至少1份"),
    _material_input("source", "select", choices=_choices(MaterialSource)),
    _material_input("source_note", help="如：由公安机关核发"),
    _material_input("blank_form_url", "url", help="空白表格的下载地址"),
    _material_input("sample_url", "url", help="示例样表的下载地址"),
    _material_input("exemption_source",
                    help="可由电子证照或共享数据替代时填写，如 licence:jmsfz；填写后申请人免提交"),
    _material_input("note"),
    _material_input("acceptance_standard", "textarea", wide=True),
), defaults=(("necessity", Necessity.REQUIRED), ("form", MaterialForm.ELECTRONIC),
             ("paper_copies", 0), ("source", MaterialSource.APPLICANT)))
PROCESS_STEPS = RowSet("process_steps", "办理流程", "环节", (
    Input("name", "环节名称"),
    Input("description", "环节说明", "textarea", wide=True),
))
FEES = RowSet("fees", "收费标准", "收费项目", (
    Input("name", "收费项目"),
    Input("amount", "金额（元）", help="如 20.00"),
    Input("basis", "收费依据", wide=True),
))
FORM_FIELDS = RowSet("form_definition", "申请表单字段", "字段", (
    Input("name", "字段标识", help="小写字母开头，仅含小写字母、数字和下划线"),
    Input("label", "显示名称"),
    Input("type", "类型", "select", choices=tuple(FIELD_TYPES.items())),
    Input("required", "必填", "checkbox"),
    Input("options", "选项", help="类型为“单选”时填写，用顿号或逗号分隔"),
    Input("max_length", "最大长度", "number"),
    Input("pattern", "校验规则（正则表达式）"),
    Input("help", "填写说明"),
))
FAQS = RowSet("faqs", "常见问题", "问题", (
    Input("question", "问题", help="按群众的问法写，如“身份证丢了能办吗”"),
    Input("answer", "解答", "textarea", wide=True),
))

SECTIONS: tuple[Section, ...] = (
    Section("basic", "基本信息", (
        _guide_input("name"),
        _guide_input("aliases", help="多个别名用顿号或逗号分隔"),
        _guide_input("audience", "select", choices=_choices(Audience)),
        _guide_input("legal_basis", "textarea", wide=True),
    )),
    Section("requirements", "办理要求", (
        _guide_input("conditions", "textarea", wide=True),
    ), (PROCESS_STEPS, FEES)),
    Section("timing", "时限与方式", (
        _guide_input("handling_kind", "select", choices=_choices(HandlingKind)),
        _guide_input("legal_time_limit", "number", help="工作日"),
        _guide_input("promised_time_limit", "number", help="工作日；即办件填0"),
        _guide_input("visits", "number", help="0 表示全程网办"),
        _guide_input("online_depth", "select", choices=_choices(OnlineDepth)),
        _guide_input("min_assurance_level", "select", choices=_choices(AssuranceLevel)),
        _guide_input("channels", "checkboxes", choices=tuple(CHANNELS.items())),
        _guide_input("single_window", "checkbox"),
        _guide_input("commitment_allowed", "checkbox"),
    )),
    Section("place", "地点与电话", (
        _guide_input("location", wide=True),
        _guide_input("office_hours"),
        _guide_input("consult_phone", "tel"),
        _guide_input("supervise_phone", "tel"),
    )),
    Section("result", "结果", (
        _guide_input("result_name"),
        _guide_input("result_licence_type", help="电子证照类型代码，如 jmsfz"),
        _guide_input("retention_period", "select", choices=_choices(RetentionPeriod),
                     help="办结后电子档案的保管期限"),
    )),
    Section("form", "申请表单", (), (FORM_FIELDS,)),
    Section("materials", "申请材料", (), (MATERIALS,)),
    Section("faqs", "常见问题", (), (FAQS,)),
)
ROW_SETS = {rs.key: rs for section in SECTIONS for rs in section.row_sets}
SCALAR_INPUTS = [i for section in SECTIONS for i in section.inputs]
_ROW_KEY = re.compile(r"^(?P<set>[a-z_]+)-(?P<index>\d{1,4})-(?P<input>[a-z_]+)$")
_LIST_SPLIT = re.compile(r"[、,，;；\n]+")


def _form_field_from_row(row: dict[str, str]) -> dict[str, Any]:
    """A form-definition row as ``validate_form_definition`` expects it; a max length that is not
    a number is passed on as typed so the validator reports it."""
    max_length = row.get("max_length", "").strip()
    return {
        "name": row.get("name", "").strip(),
        "label": row.get("label", "").strip(),
        "type": row.get("type", "text"),
        "required": row.get("required") == "on",
        "options": [o.strip() for o in _LIST_SPLIT.split(row.get("options", "")) if o.strip()],
        "max_length": int(max_length) if max_length.isdigit() else (max_length or None),
        "pattern": row.get("pattern", "").strip(),
        "help": row.get("help", "").strip(),
    }


def _posted_rows(post: QueryDict, row_set: RowSet) -> list[tuple[int, dict[str, str]]]:
    known = {i.name for i in row_set.inputs}
    rows: dict[int, dict[str, str]] = {}
    for key in post:
        match = _ROW_KEY.match(key)
        if match and match["set"] == row_set.key and match["input"] in known:
            rows.setdefault(int(match["index"]), {})[match["input"]] = post.get(key, "")
    return sorted(rows.items())


def _is_blank(row: dict[str, str], row_set: RowSet) -> bool:
    return all(not row.get(i.name, "").strip() for i in row_set.inputs if i.widget in TEXT_WIDGETS)


def parse_guide(post: QueryDict, *, keep_blank_rows: bool = False) -> dict[str, Any]:
    """The guide dict from a posted editor form, values as typed."""
    data: dict[str, Any] = {}
    for spec in SCALAR_INPUTS:
        if spec.widget == "checkbox":
            data[spec.name] = spec.name in post
        elif spec.widget == "checkboxes":
            data[spec.name] = post.getlist(spec.name)
        else:
            data[spec.name] = post.get(spec.name, "")
    for key, row_set in ROW_SETS.items():
        rows = [row for _, row in _posted_rows(post, row_set)
                if keep_blank_rows or not _is_blank(row, row_set)]
        if key == "form_definition":
            rows = [_form_field_from_row(row) for row in rows]
        data[key] = rows
    return data


def apply_row_command(data: dict[str, Any], command: str) -> dict[str, Any]:
    """Add or remove a row without JavaScript: the add/remove buttons submit ``add:<set>`` or
    ``remove:<set>:<position>`` and the page comes back with the row added or gone, unsaved."""
    verb, _, rest = command.partition(":")
    key, _, position = rest.partition(":")
    if key not in ROW_SETS:
        return data
    rows = list(data.get(key) or [])
    if verb == "add":
        rows.append({})
    elif verb == "remove" and position.isdigit() and int(position) < len(rows):
        del rows[int(position)]
    return {**data, key: rows}


# --- binding values to inputs for the template ---------------------------------------------


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _bind(spec: Input, value: Any, html_name: str) -> dict[str, Any]:
    selected = {str(v) for v in value} if isinstance(value, list) else {_display(value)}
    return {
        "name": html_name,
        "id": "id_" + html_name,
        "label": spec.label,
        "widget": spec.widget,
        "help": spec.help,
        "wide": spec.wide,
        "value": _display(value),
        "checked": value is True or value in ("on", "true", "1"),
        "options": [{"value": v, "label": label, "selected": v in selected}
                    for v, label in spec.choices],
    }


def _bind_row(row_set: RowSet, row: dict[str, Any], index: int | str) -> dict[str, Any]:
    row = {**dict(row_set.defaults), **row}
    return {
        "index": index,
        "inputs": [_bind(spec, row.get(spec.name), f"{row_set.key}-{index}-{spec.name}")
                   for spec in row_set.inputs],
    }


@dataclass
class BoundSection:
    slug: str
    title: str
    inputs: list[dict[str, Any]]
    row_sets: list[dict[str, Any]] = field(default_factory=list)


def bind_guide(data: dict[str, Any]) -> list[BoundSection]:
    """The editor's sections with ``data``'s values filled in; each row set also carries an
    empty ``template`` row that the browser copies when a row is added."""
    sections = []
    for section in SECTIONS:
        row_sets = [{
            "key": rs.key,
            "label": rs.label,
            "row_label": rs.row_label,
            "rows": [_bind_row(rs, row, i) for i, row in enumerate(data.get(rs.key) or [])],
            "template": _bind_row(rs, {}, "__prefix__"),
        } for rs in section.row_sets]
        inputs = [_bind(spec, data.get(spec.name), spec.name) for spec in section.inputs]
        sections.append(BoundSection(section.slug, section.title, inputs, row_sets))
    return sections


def display_sections(guide: dict[str, Any]) -> list[dict[str, Any]]:
    """The read-only guide in the editor's sections: ``[{"slug", "title", "elements": [{"field",
    "label", "value"}]}]``. Materials are left to their own table."""
    return [{
        "slug": section.slug,
        "title": section.title,
        "elements": [{"field": name, "label": field_label(name), "value": guide.get(name)}
                     for name in [*(i.name for i in section.inputs),
                                  *(rs.key for rs in section.row_sets)]
                     if name != "materials"],
    } for section in SECTIONS]


def empty_guide() -> dict[str, Any]:
    """What a new item's editor starts from: the model defaults and one empty material row."""
    return {
        "audience": Audience.PERSON, "handling_kind": HandlingKind.PROMISED,
        "online_depth": OnlineDepth.ONLINE_ACCEPT, "single_window": True, "visits": 1,
        "channels": ["pc", "mobile", "hall"], "materials": [{}],
    }


# --- plain Django forms for the item fields and the list filters ---------------------------


class ItemCreateForm(forms.Form):
    """The item-level choices of a new item; its guide comes from the editor inputs."""

    department = forms.ModelChoiceField(label="实施部门", queryset=None, empty_label=None)
    item_type = forms.ChoiceField(label="事项类型", choices=ItemType.choices)
    level = forms.ChoiceField(label="行使层级", choices=ItemLevel.choices)
    basic_code = forms.CharField(label="基本编码", required=False,
                                 help_text="12位，留空则按部门编码和顺序号自动生成")
    nationally_set = forms.BooleanField(label="国家法律法规设定的事项", required=False,
                                        help_text="是则基本编码前两位为00，否则为本省代码")
    topics = forms.ModelMultipleChoiceField(label="人生事件/主题", queryset=Topic.objects.all(),
                                            required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class TopicsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(label="人生事件/主题", queryset=Topic.objects.all(),
                                            required=False, widget=forms.CheckboxSelectMultiple)


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="名称或编码", required=False, max_length=100)
    status = forms.ChoiceField(label="最新版本状态", required=False,
                               choices=[("", "全部状态"), *VersionStatus.choices])
    item_type = forms.ChoiceField(label="事项类型", required=False,
                                  choices=[("", "全部类型"), *ItemType.choices])
    department = forms.ModelChoiceField(label="部门", required=False, queryset=None,
                                        empty_label="全部部门")
    page = PageNumberField()

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
