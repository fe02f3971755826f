"""The 一件事 definition form: items by code, reconciled fields and merged materials one per
line, turned into a ``services.BundleDefinition``. The service checks the content."""

from __future__ import annotations

import re

from django import forms

from yiwang.cases.services import BundleDefinition
from yiwang.catalog.models import ServiceItem, Topic
from yiwang.catalog.services import get_item_by_code
from yiwang.common.errors import DomainError

SEPARATORS = re.compile(r"[、，,；;]+")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class BundleForm(forms.Form):
    slug = forms.SlugField(label="标识（网址中使用）", max_length=60,
                           help_text="小写字母、数字和连字符，如 open-restaurant；创建后不能修改")
    name = forms.CharField(label="名称", max_length=100)
    lead_department = forms.ModelChoiceField(label="牵头部门（综合受理）", queryset=None, empty_label=None)
    items = forms.CharField(label="所含事项", widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="每行一个业务办理项编码（33位）或实施编码（31位），按办理顺序排列")
    aliases = forms.CharField(label="关键词", max_length=300, required=False,
                              help_text="市民可能搜索的说法，用顿号分隔，如 开餐馆、开饭店")
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    shared_fields = forms.CharField(
        label="合并字段", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="各事项同名但定义不同、实为同一问题的字段，每行“字段标识=显示名称”，如 premises=经营场所；"
                  "同名同定义的字段自动合并，其余同名字段按事项分别填写")
    material_groups = forms.CharField(
        label="合并材料", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="名称不同但为同一份的材料，每行“合并后名称：材料甲、材料乙”；同名材料自动合并")
    topics = forms.ModelMultipleChoiceField(label="人生事件/主题", queryset=Topic.objects.all(),
                                            required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, departments, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = departments
        if not creating:
            del self.fields["slug"]
            del self.fields["topics"]

    def clean_items(self) -> list[ServiceItem]:
        items, errors = [], []
        for code in _lines(self.cleaned_data["items"]):
            try:
                items.append(get_item_by_code(code))
            except DomainError as exc:
                errors.append(exc.message)
        if errors:
            raise forms.ValidationError(errors)
        return items

    def clean_shared_fields(self) -> list[dict]:
        shared = []
        for line in _lines(self.cleaned_data["shared_fields"]):
            name, _, label = line.partition("=")
            shared.append({"name": name.strip(), "label": label.strip()})
        return shared

    def clean_material_groups(self) -> list[dict]:
        groups = []
        for line in _lines(self.cleaned_data["material_groups"]):
            name, _, members = line.replace("：", ":").partition(":")
            groups.append({"name": name.strip(),
                           "materials": [m.strip() for m in SEPARATORS.split(members) if m.strip()]})
        return groups

    def definition(self) -> BundleDefinition:
        data = self.cleaned_data
        return BundleDefinition(
            name=data["name"], lead_department=data["lead_department"], items=data["items"],
            description=data["description"], aliases=data["aliases"],
            shared_fields=data["shared_fields"], material_groups=data["material_groups"])

    @staticmethod
    def initial_of(definition: BundleDefinition) -> dict:
        """The form's text of a stored definition, for editing a draft."""
        return {
            "name": definition.name, "lead_department": definition.lead_department,
            "items": "\n".join(i.handling_code for i in definition.items),
            "aliases": definition.aliases, "description": definition.description,
            "shared_fields": "\n".join(f"{f['name']}={f['label']}" for f in definition.shared_fields),
            "material_groups": "\n".join(f"{g['name']}：{'、'.join(g['materials'])}"
                                         for g in definition.material_groups),
        }
