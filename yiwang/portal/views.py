"""Public portal pages (PC and the lighter /m/ mobile pages).

Views read the request, call catalogue selectors, services or search, and render. The mobile
pages are the same views with ``mobile=True`` and their own templates, so both render from the
same published version. A ``DomainError`` anywhere in a view becomes the error page with the
error's status and Chinese message (``shows_domain_errors``).
"""

from __future__ import annotations

from django.shortcuts import render

from yiwang.cases import selectors as case_selectors
from yiwang.catalog import search as catalog_search
from yiwang.catalog import selectors, services
from yiwang.catalog.models import Audience, ItemType, Topic
from yiwang.common.pagination import Page, paginate
from yiwang.common.views import shows_domain_errors
from yiwang.regions.models import Region, RegionLevel
from yiwang.regions.services import get_region

from .search_region import chosen_region

LIST_PAGE_SIZE = 20
SEARCH_PAGE_SIZE = 10
HOT_WORDS = ["社保", "护照", "营业执照", "身份证", "公积金"]


def _template(name: str, mobile: bool) -> str:
    return f"portal/mobile/{name}" if mobile else f"portal/{name}"


def _group_topics(topics) -> dict[str, list[Topic]]:
    groups = {"person_events": [], "company_events": [], "themes": []}
    for topic in topics:
        if topic.kind == Topic.Kind.THEME:
            groups["themes"].append(topic)
        elif topic.audience == Audience.COMPANY:
            groups["company_events"].append(topic)
        else:
            groups["person_events"].append(topic)
    return groups


def _item_page(request, **filters) -> Page:
    """One page of published items for a browse page; ``?item_type=`` narrows any of them."""
    items = selectors.filter_published_items(item_type=request.GET.get("item_type"), **filters)
    return paginate(items, request.GET.get("page"), LIST_PAGE_SIZE)


@shows_domain_errors
def home(request, mobile: bool = False):
    return render(request, _template("home.html", mobile), {
        **_group_topics(selectors.topics_with_item_counts()),
        "popular": selectors.recently_published(8),
        "hot_words": HOT_WORDS,
        "counts": selectors.catalogue_counts(),
        "departments": selectors.departments_with_item_counts()
        .order_by("-item_count", "region__code", "code")[:12],
    })


@shows_domain_errors
def search(request, mobile: bool = False):
    """Search results. The engine checks the query and every filter (DomainError on bad input),
    so the raw parameters go to it unchanged."""
    params = request.GET
    departments = [] if mobile else list(selectors.departments_with_item_counts())
    near = chosen_region(request)
    # The regions worth filtering by, or living in, are those with departments (the mobile page
    # does not load the departments, only these), and the user's own, in tree order.
    regions = {d.region for d in departments} if departments else set(
        Region.objects.filter(departments__isnull=False).distinct())
    context = {
        "q": params.get("q", ""),
        "departments": departments,
        "regions": sorted(regions | ({near} if near else set()), key=lambda r: r.code),
        "near": near,
        "item_types": ItemType.choices,
        "selected": params,
    }
    if "q" in params:
        context["results"] = catalog_search.search(
            params["q"], region=params.get("region"), department=params.get("department"),
            item_type=params.get("item_type"), near=near.code if near else None,
            page=params.get("page"), page_size=SEARCH_PAGE_SIZE)
        # 一件事 the query names, above the items (a simple match of our own, not the engine's).
        context["bundles"] = case_selectors.bundles_matching(params["q"])
    return render(request, _template("search.html", mobile), context)


@shows_domain_errors
def topics(request):
    return render(request, "portal/topics.html",
                  _group_topics(selectors.topics_with_item_counts()))


@shows_domain_errors
def topic_detail(request, slug: str, mobile: bool = False):
    topic = selectors.get_topic(slug)
    return render(request, _template("topic_detail.html", mobile), {
        "topic": topic, "page": _item_page(request, topic=topic), "item_types": ItemType.choices,
        "bundles": case_selectors.bundles_on_topic(topic),
    })


@shows_domain_errors
def departments(request):
    return render(request, "portal/departments.html",
                  {"departments": selectors.departments_with_item_counts()})


@shows_domain_errors
def department_detail(request, pk: int):
    department = selectors.get_department(pk)
    return render(request, "portal/department_detail.html", {
        "department": department, "page": _item_page(request, department_id=department.pk),
        "item_types": ItemType.choices,
    })


def _count_items(regions: list[Region]) -> None:
    counts = selectors.item_counts_by_region(regions)
    for region in regions:
        region.item_count = counts[region.code]


@shows_domain_errors
def regions(request):
    roots = list(Region.objects.filter(level=RegionLevel.PROVINCE).prefetch_related("children"))
    _count_items(roots + [child for root in roots for child in root.children.all()])
    return render(request, "portal/regions.html", {"roots": roots})


@shows_domain_errors
def region_detail(request, code: str):
    region = get_region(code)
    children = list(region.children.all())
    _count_items([region, *children])
    return render(request, "portal/region_detail.html", {
        "region": region,
        "ancestors": Region.objects.filter(code__in=region.path.split("/")[:-2]).order_by("level"),
        "children": children,
        "departments": region.departments.all(),
        "page": _item_page(request, region=region),
        "item_types": ItemType.choices,
    })


@shows_domain_errors
def item_implementations(request, code: str):
    """实施机构: every body (province, city, district) that implements the item's service, so a
    search result shows one of them and the others are one click away."""
    item = services.get_published_item(code)
    return render(request, "portal/implementations.html", {
        "item": item, "name": item.published_version.name,
        "implementations": selectors.implementations_of(item), "near": chosen_region(request)})


@shows_domain_errors
def item_guide(request, code: str, mobile: bool = False, printable: bool = False):
    """办事指南: the published version only, the same one the API and the mobile page show."""
    version = selectors.published_item_detail(services.get_published_item(code))
    name = "item_print.html" if printable else "item.html"
    return render(request, _template(name, mobile), {
        "version": version, "item": version.item,
        "bundles": case_selectors.bundles_with_item(version.item)})
