"""Forms of the hall configuration pages: they parse and bound the input; ``services.setup``
decides what is allowed."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.auth import get_user_model

from yiwang.catalog.models import ServiceItem
from yiwang.orgs.models import Department

from .models import Category, HallRole, Queue, Window, WindowKind
from .services import setup

PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*$")


def hall_departments(hall):
    """Departments that may station a 专业窗口 in ``hall``: of its region, above or below it."""
    path = hall.region.path
    ancestors = [path[: i + 1] for i, c in enumerate(path) if c == "/"]
    return (Department.objects.filter(region__path__startswith=path)
            | Department.objects.filter(region__path__in=ancestors)).order_by("region__code", "code")


class WindowForm(forms.Form):
    number = forms.CharField(label="窗口号", max_length=10)
    name = forms.CharField(label="窗口名称", max_length=40)
    kind = forms.ChoiceField(label="窗口类别", choices=WindowKind.choices)
    department = forms.ModelChoiceField(label="部门（专业窗口）", queryset=Department.objects.none(),
                                        required=False, empty_label="（无）")
    queues = forms.ModelMultipleChoiceField(label="服务队列", queryset=Queue.objects.none(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = hall_departments(hall)
        self.fields["queues"].queryset = hall.queues.all()


class QueueForm(forms.Form):
    code = forms.CharField(label="号段字母", max_length=2, help_text="票号前缀，如 A、B")
    name = forms.CharField(label="队列名称", max_length=40)
    window_kind = forms.ChoiceField(label="窗口类别", choices=WindowKind.choices)
    category = forms.ChoiceField(label="综合窗口分类", choices=[("", "（无）"), *Category.choices],
                                 required=False)
    department = forms.ModelChoiceField(label="部门（专业窗口）", queryset=Department.objects.none(),
                                        required=False, empty_label="（无）")
    order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0)
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = hall_departments(hall)


class StationForm(forms.Form):
    implementation_code = forms.CharField(label="事项实施编码", max_length=31)
    queue = forms.ModelChoiceField(label="排队队列", queryset=Queue.objects.none())
    average_minutes = forms.IntegerField(label="平均办理时长（分钟）", min_value=1,
                                         max_value=setup.MAX_AVERAGE_MINUTES, initial=15)
    bookable = forms.BooleanField(label="可预约", required=False, initial=True)
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.hall = hall
        self.fields["queue"].queryset = hall.queues.all()

    def clean_implementation_code(self):
        code = self.cleaned_data["implementation_code"].strip()
        item = (ServiceItem.objects.filter(implementation_code=code)
                .select_related("published_version").first())
        if item is None:
            raise forms.ValidationError("没有这个实施编码的事项")
        return item


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="事项名称", max_length=100, required=False)
    queue = forms.ModelChoiceField(label="队列", queryset=Queue.objects.none(), required=False,
                                   empty_label="全部")
    page = forms.IntegerField(min_value=1, max_value=100000, required=False)

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = hall.queues.all()


def parse_periods(text: str) -> list[tuple[dt.time, dt.time]]:
    """“08:30-11:30、13:00-17:00” (also comma, semicolon or line separated) to periods."""
    periods = []
    for part in re.split(r"[、,，;；\n]+", text or ""):
        if not part.strip():
            continue
        match = PERIOD.match(part)
        if not match:
            raise forms.ValidationError(f"“{part.strip()}”不是时段，应写成 08:30-11:30")
        h1, m1, h2, m2 = map(int, match.groups())
        try:
            periods.append((dt.time(h1, m1), dt.time(h2, m2)))
        except ValueError:
            raise forms.ValidationError(f"“{part.strip()}”不是有效的时间") from None
    return periods


class StaffUsernameForm(forms.Form):
    username = forms.CharField(label="工作人员用户名", max_length=150)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(),
                                               is_active=True).first()
        if user is None:
            raise forms.ValidationError("没有这个工作人员")
        return user


class ShiftForm(StaffUsernameForm):
    window = forms.ModelChoiceField(label="窗口", queryset=Window.objects.none())
    until = forms.DateField(label="连续排到（含）", required=False,
                            help_text="留空只排当天；连续排班跳过大厅不办公的日子")
    field_order = ["window", "username", "until"]

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = hall.windows.filter(active=True)


class MemberForm(StaffUsernameForm):
    role = forms.ChoiceField(label="大厅角色", choices=HallRole.choices)
