"""大厅运行指标: a hall's figures for a range of days, as a table and as bars drawn here as SVG
(no script, no chart library). For the hall's managers and the supervisors of its region."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageForbidden
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from yiwang.common.errors import DomainError

from ..services import figures as hall_figures

CHART_WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR_HEIGHT, GAP = 400, 110, 80, 22, 8
DEFAULT_DAYS = 7


class FiguresForm(forms.Form):
    hall = forms.ModelChoiceField(label="大厅", queryset=None, empty_label=None)
    start = forms.DateField(label="开始日期", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label="统计维度", choices=list(hall_figures.GROUPINGS.items()),
                           required=False)

    def __init__(self, user, data):
        super().__init__(data)
        self.fields["hall"].queryset = hall_figures.figure_halls(user)


def _number(value, suffix="") -> str:
    return "—" if value is None else f"{value:g}{suffix}"


def _cells(row: hall_figures.Figures) -> list[tuple[str, str]]:
    share = row.one_window_share
    return [("取号", str(row.tickets)), ("完成", str(row.served)), ("过号", str(row.missed)),
            ("平均等待（分）", _number(row.wait_average)), ("P90 等待（分）", _number(row.wait_p90)),
            ("平均办理（分）", _number(row.service_average)),
            ("P90 办理（分）", _number(row.service_p90)), ("预约", str(row.bookings)),
            ("已签到", str(row.bookings_used)), ("爽约", str(row.no_shows)),
            ("窗口受理", str(row.accepted)), ("综合窗口受理", str(row.accepted_comprehensive)),
            ("一窗受理占比", "—" if share is None else f"{share * 100:.0f}%")]


def bar_chart(title: str, rows: list[hall_figures.Figures], value, unit: str) -> dict:
    """The geometry of a horizontal bar chart: one bar per row, scaled to the largest value."""
    values = [value(row) for row in rows]
    top = max((v for v in values if v), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, (row, v) in enumerate(zip(rows, values, strict=True)):
        width = round(span * (v or 0) / top, 1)
        bars.append({"label": row.label, "y": i * (BAR_HEIGHT + GAP),
                     "text_y": i * (BAR_HEIGHT + GAP) + 16, "width": width,
                     "value": "—" if v is None else f"{v:g}{unit}",
                     "value_x": LABEL_WIDTH + width + 6})
    return {"title": title, "bars": bars, "width": CHART_WIDTH, "label_width": LABEL_WIDTH,
            "label_x": LABEL_WIDTH - 6, "height": max(1, len(bars)) * (BAR_HEIGHT + GAP),
            "bar_height": BAR_HEIGHT}


@login_required
@require_GET
def figures_page(request):
    halls = hall_figures.figure_halls(request.user)
    if not halls.exists():
        raise PageForbidden("只有大厅管理员和监察员可以查看大厅运行指标")
    data = request.GET.copy()
    data.setdefault("hall", str(halls.first().pk))
    form = FiguresForm(request.user, data)
    context, status = {"form": form}, 200
    if not form.is_valid():
        if "hall" in form.errors and request.GET.get("hall"):
            raise PageForbidden("您无权查看该大厅的运行指标")
        context["error"], status = "查询条件有误，请检查日期格式", 400
        return render(request, "hall/figures/page.html", context, status=status)
    end = form.cleaned_data["end"] or timezone.localdate()
    start = form.cleaned_data["start"] or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    by = form.cleaned_data["by"] or "day"
    hall = form.cleaned_data["hall"]
    try:
        hall_figures.require_figures_access(request.user, hall)
        [total] = hall_figures.figures(hall, start, end)
        rows = hall_figures.figures(hall, start, end, by=by)
    except DomainError as exc:
        if exc.status == 403:
            raise PageForbidden(exc.message) from exc
        context["error"], status = exc.message, exc.status
        return render(request, "hall/figures/page.html", context, status=status)
    context.update(
        hall=hall, start=start, end=end, grouping=hall_figures.GROUPINGS[by],
        total=_cells(total), headings=[name for name, _ in _cells(total)],
        rows=[(row.label, _cells(row)) for row in rows],
        charts=[bar_chart("取号量", rows, lambda r: r.tickets, ""),
                bar_chart("平均等待时长", rows, lambda r: r.wait_average, " 分钟"),
                bar_chart("一窗受理占比", rows,
                          lambda r: None if r.one_window_share is None
                          else round(r.one_window_share * 100), "%")])
    return render(request, "hall/figures/page.html", context, status=status)


urlpatterns = [path("figures/", figures_page, name="figures")]
