"""好差评公示: the public statistics page (filters, headline figures, a chart per figure, the
ranking by region and by department), the anonymised ratings behind each figure, and the
figures as JSON and CSV. For anyone, signed in or not; everything comes from
``services.statistics``."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from yiwang.common.errors import DomainError
from yiwang.regions.models import Region, RegionLevel

from .charts import month_chart
from .models import RatingChannel
from .services import statistics

PAGE = "evaluation/statistics/page.html"
RATINGS_PAGE = "evaluation/statistics/ratings.html"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


# (name, figure key of the ratings behind it, rate getter or None for a count)
HEADLINES = [
    ("评价数", "ratings", lambda c: c.ratings, None),
    ("好评率", "good", lambda c: c.good_rate, "good_rate"),
    ("差评数", "bad", lambda c: c.bad, None),
    ("差评整改率", "rectified", lambda c: c.rectification_rate, "rectification_rate"),
    ("整改及时率", "on_time", lambda c: c.timely_rate, "timely_rate"),
    ("回访率", "revisited", lambda c: c.revisit_rate, "revisit_rate"),
]
CHARTS = [h for h in HEADLINES if h[1] != "bad"]
CSV_COLUMNS = [("评价数", "ratings"), ("好评数", "good"), ("差评数", "bad"), ("已整改", "rectified"),
               ("按期整改", "rectified_on_time"), ("已回访", "revisited"), ("好评率", "good_rate"),
               ("差评整改率", "rectification_rate"), ("整改及时率", "timely_rate"),
               ("回访率", "revisit_rate")]


def _link(name: str, params: dict, **more) -> str:
    return f"{reverse(f'evaluation:{name}')}?{urlencode({**params, **more})}"


def _shown(getter, rate_name, counts) -> tuple[float | None, str]:
    value = getter(counts)
    if rate_name:
        return (None if value is None else value * 100), percent(value)
    return value, str(value)


def _cells(counts: statistics.Counts, params: dict) -> list[dict]:
    return [{"name": name, "value": _shown(getter, rate, counts)[1],
             "href": _link("ratings", params, figure=figure)}
            for name, figure, getter, rate in HEADLINES]


def _filter_choices(result: statistics.Figures | None = None) -> dict:
    """The region tree down to counties; the departments that have ratings under the other
    filters (a province has thousands of departments, most never in one visitor's view)."""
    regions = Region.objects.filter(level__lte=RegionLevel.COUNTY).order_by("path")
    departments = sorted((party["department"], label) for label, party, _ in
                         (result.by_department if result else []) if party["department"])
    return {"regions": [(r.code, "　" * (r.path.count("/") - 1) + r.name)
                        for r in regions.only("code", "name", "path")],
            "departments": sorted(departments, key=lambda d: d[1]),
            "channels": RatingChannel.choices}


def _with_item_search(request) -> tuple[dict, list]:
    """The query with the item the visitor searched for by name (``item_q``): one match is
    chosen, several are offered as links."""
    params = {key: request.GET.get(key, "") for key in
              ("region", "department", "item", "channel", "start", "end")}
    query = request.GET.get("item_q", "").strip()
    if not query or params["item"]:
        return params, []
    matches = statistics.find_items(query)
    if len(matches) == 1:
        params["item"] = str(matches[0].pk)
        return params, []
    return params, matches


@require_GET
def statistics_page(request):
    params, item_choices = _with_item_search(request)
    context = {"item_q": request.GET.get("item_q", "").strip(), "item_choices": item_choices,
               "params": params, "item_name": "", "filters": None}
    try:
        filters = statistics.parse_filters(params)
        result = statistics.figures(filters=filters)
    except DomainError as exc:
        context.update(error=exc.message, **_filter_choices())
        return render(request, PAGE, context, status=400)
    query = filters.as_params()
    charts = []
    for name, figure, getter, rate in CHARTS:
        points = []
        for month, counts in result.months:
            value, shown = _shown(getter, rate, counts)
            points.append((f"{month.month}月" if month.month != 1 else f"{month:%Y}年1月", value,
                           shown, _link("ratings", query, figure=figure, month=f"{month:%Y-%m}")))
        charts.append({**month_chart(name, points, percent=bool(rate)), "figure": figure,
                       "months": [(f"{m:%Y-%m}", p[2], p[3]) for (m, _), p
                                  in zip(result.months, points, strict=True)]})
    context.update(
        filters=filters, query=query, result=result,
        headlines=_cells(result.total, query), charts=charts,
        by_region=[(label, _cells(counts, {**query, "region": region.code} if region else query))
                   for label, region, counts in result.by_region],
        by_department=[(label, _cells(counts, {**query, "department": party["department"]}
                                      if party["department"] else query))
                       for label, party, counts in result.by_department],
        headings=[name for name, *_ in HEADLINES],
        json_url=_link("statistics-json", query), csv_url=_link("statistics-csv", query),
        item_name=statistics.item_name(filters.item) if filters.item else "",
        **_filter_choices(result))
    return render(request, PAGE, context)


def _error_json(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})


@require_GET
def statistics_json(request):
    try:
        result = statistics.figures(filters=statistics.parse_filters(request.GET))
    except DomainError as exc:
        return _error_json(exc)
    response = HttpResponse(json.dumps(result.as_dict(), ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def statistics_csv(request):
    """The month series and the total, UTF-8 with a byte-order mark so that Excel reads the
    Chinese headings."""
    try:
        result = statistics.figures(filters=statistics.parse_filters(request.GET), breakdowns=False)
    except DomainError as exc:
        return _error_json(exc)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["月份", *(name for name, _ in CSV_COLUMNS)])
    rows = [(f"{month:%Y-%m}", counts) for month, counts in result.months] + [("合计", result.total)]
    for label, counts in rows:
        data = counts.as_dict()
        writer.writerow([label, *("" if data[key] is None else
                                  (f"{data[key] * 100:.1f}%" if key.endswith("rate") else data[key])
                                  for _, key in CSV_COLUMNS)])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    filters = result.filters
    response["Content-Disposition"] = (f'attachment; filename="evaluation-{filters.start:%Y%m}-'
                                       f'{filters.end:%Y%m}.csv"')
    return response


@require_GET
def ratings_page(request):
    """The anonymised ratings behind one figure of the statistics page."""
    figure = request.GET.get("figure") or "ratings"
    try:
        filters = statistics.parse_filters(request.GET)
        page = statistics.ratings_behind(filters, figure, request.GET.get("page"))
    except DomainError as exc:
        return render(request, RATINGS_PAGE, {"error": exc.message}, status=400)
    query = filters.as_params()
    query.pop("month", None)
    return render(request, RATINGS_PAGE, {
        "filters": filters, "page": page, "figure_name": statistics.FIGURES[figure],
        "back_url": _link("statistics", query),
        "item_name": statistics.item_name(filters.item) if filters.item else ""})
