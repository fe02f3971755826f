"""The forms of the 12345 pages: they parse what was posted and keep it as typed; the rules (a
title, a phone, anonymity only for 举报, the user's own case) are the services', whose refusal
the page shows on the field it is about (``FIELD_OF_ERROR``)."""

from __future__ import annotations

from django import forms

from yiwang.cases.models import Case
from yiwang.catalog.models import ServiceItem
from yiwang.common.errors import DomainError
from yiwang.orgs.models import Department
from yiwang.regions.models import Region, RegionLevel

from .models import RequestKind, Satisfaction

# What each kind is for, in one line, under its choice on 我要反映.
KIND_HELP = {
    RequestKind.CONSULT: "询问政策、办事流程或办理条件",
    RequestKind.HELP: "生活、办事中遇到困难，请求政府部门帮助解决",
    RequestKind.COMPLAINT: "对政府部门、工作人员或企业的服务、行为不满意",
    RequestKind.REPORT: "检举违法违规行为，可以匿名",
    RequestKind.SUGGESTION: "对政府工作和公共服务提出意见建议",
    RequestKind.PRAISE: "表扬服务好的部门、窗口或工作人员",
}
# The field a service's refusal is about, to show it there (else above the form).
FIELD_OF_ERROR = {
    "complaint.title_required": "title", "complaint.content_required": "content",
    "complaint.bad_kind": "kind", "complaint.contact_required": "requester_phone",
    "complaint.anonymous_only_for_report": "anonymous", "complaint.case_not_yours": "case",
}
TEXT = {"maxlength": 2000, "rows": 5}


def region_choices():
    """The regions a request may be about: the province and its cities."""
    return Region.objects.filter(level__lte=RegionLevel.CITY).order_by("code")


class KindChoices(forms.RadioSelect):
    """The kinds, each with its line of explanation (``KIND_HELP``)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["help"] = KIND_HELP.get(value, "")
        return option


class RequestForm(forms.Form):
    """我要反映 (a citizen, on the web or the phone) and the operator console's fields in common."""

    kind = forms.ChoiceField(label="诉求类型", choices=RequestKind.choices, widget=KindChoices)
    title = forms.CharField(label="标题", max_length=100, required=False,
                            widget=forms.TextInput(attrs={"maxlength": 100}))
    content = forms.CharField(label="诉求内容", max_length=2000, required=False,
                              widget=forms.Textarea(attrs=TEXT))
    region = forms.ModelChoiceField(label="所在地区", queryset=Region.objects.none(),
                                    empty_label=None)
    item = forms.CharField(label="涉及事项（选填）", max_length=100, required=False,
                           help_text="事项名称或业务办理项编码")
    address = forms.CharField(label="地点（选填）", max_length=200, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else region_choices()

    def clean_item(self) -> ServiceItem | None:
        text = self.cleaned_data["item"].strip()
        if not text:
            return None
        items = ServiceItem.objects.filter(published_version__isnull=False)
        item = (items.filter(handling_code=text).first()
                or items.filter(published_version__name=text).order_by("pk").first()
                or items.filter(published_version__name__icontains=text).order_by("pk").first())
        if item is None:
            raise forms.ValidationError("未找到该事项，请核对名称或编码，或留空")
        return item

    def show(self, error: DomainError) -> None:
        """A service's refusal, on its field."""
        field = FIELD_OF_ERROR.get(error.code)
        self.add_error(field if field in self.fields else None, error.message)


class CitizenRequestForm(RequestForm):
    """我要反映: the signed-in citizen's own cases may be linked; 举报 may be anonymous."""

    case = forms.ChoiceField(label="关联办件（选填）", required=False)
    anonymous = forms.BooleanField(label="匿名举报（不保留姓名和电话，答复后不再回访）",
                                   required=False)

    field_order = ["kind", "title", "content", "case", "item", "region", "address", "anonymous"]

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(case.pk): case for case in cases}
        self.fields["case"].choices = [("", "不关联办件")] + [
            (str(case.pk), f"{case.number}（{case.item}）") for case in cases]

    def clean_case(self):
        return self.cases.get(self.cleaned_data["case"])


class ConsoleForm(RequestForm):
    """The operator console: the caller's name and phone as they say them, and what the call is
    about (a case number, an item, a department)."""

    requester_name = forms.CharField(label="来电人", max_length=40, required=False,
                                     widget=forms.TextInput(attrs={"autofocus": True}))
    requester_phone = forms.CharField(label="联系电话", max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel",
                                                                    "autocomplete": "off"}))
    case_number = forms.CharField(label="办件编号（选填）", max_length=50, required=False)
    about_department = forms.ModelChoiceField(label="涉及部门（选填）", required=False,
                                              queryset=Department.objects.none(),
                                              empty_label="未指明")

    field_order = ["requester_name", "requester_phone", "kind", "title", "content", "region",
                   "case_number", "item", "about_department", "address"]

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["about_department"].queryset = departments

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        if not number:
            return None
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError("未找到该办件编号")
        return case


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(label="您对答复是否满意", choices=Satisfaction.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "请选择满意程度"})
    comment = forms.CharField(label="评价意见（选填）", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}))
