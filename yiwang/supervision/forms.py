"""The period and region of the supervision pages: a month, a whole year, or a range of days."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from yiwang.regions.models import Region

FIRST_YEAR, LAST_YEAR = 2000, 2099
MAX_DAYS = 366
DATE_INVALID = "请输入有效的日期，格式如 2026-01-31"


class PeriodForm(forms.Form):
    """按年月 (``month`` empty: the whole year) or, when a start or end date is given, 按日期区间
    (both days included). ``cleaned_data`` then holds ``start`` ≤ submitted < ``end`` as aware
    datetimes of the local day boundaries, and the first and last day for the page."""

    region = forms.CharField(label="区划", required=False, max_length=12)
    year = forms.IntegerField(
        label="年份", required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "请输入四位数字的年份",
                        "min_value": f"年份应在{FIRST_YEAR}年至{LAST_YEAR}年之间",
                        "max_value": f"年份应在{FIRST_YEAR}年至{LAST_YEAR}年之间"})
    month = forms.TypedChoiceField(
        label="月份", required=False, coerce=int, empty_value=None,
        choices=[("", "全年"), *[(m, f"{m}月") for m in range(1, 13)]],
        error_messages={"invalid_choice": "请选择1月至12月，或选择全年"})
    start_date = forms.DateField(label="开始日期", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": DATE_INVALID})
    end_date = forms.DateField(label="结束日期", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": DATE_INVALID})

    def clean_region(self) -> Region | None:
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(f"区划代码“{code}”不存在")
        return region

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        first, last = data.get("start_date"), data.get("end_date")
        if first or last:
            if not (first and last):
                raise forms.ValidationError("按日期区间统计时，请同时填写开始日期和结束日期")
            for day in (first, last):
                if not FIRST_YEAR <= day.year <= LAST_YEAR:
                    raise forms.ValidationError(f"日期应在{FIRST_YEAR}年至{LAST_YEAR}年之间")
            if first > last:
                raise forms.ValidationError("开始日期不能晚于结束日期")
            if (last - first).days + 1 > MAX_DAYS:
                raise forms.ValidationError(f"日期区间最长{MAX_DAYS}天，请缩短区间或按年统计")
            data["mode"] = "range"
        else:
            today = timezone.localdate()
            year, month = data.get("year"), data.get("month")
            if year is None and month is not None:
                raise forms.ValidationError("请填写年份")
            if year is None:
                year, month = today.year, today.month
            if month is None:
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
                data["mode"] = "year"
            else:
                first = dt.date(year, month, 1)
                last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
                data["mode"] = "month"
            data["year"], data["month"] = year, month
        data["first_day"], data["last_day"] = first, last
        data["start"] = _midnight(first)
        data["end"] = _midnight(last + dt.timedelta(days=1))
        return data


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def default_period_data() -> dict[str, str]:
    """This month, for a page opened without a period."""
    today = timezone.localdate()
    return {"year": str(today.year), "month": str(today.month)}
