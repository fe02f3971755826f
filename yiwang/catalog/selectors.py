"""Read-side queries shared by the portal, the workbench and the API."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from yiwang.common.errors import NotFound, ValidationError
from yiwang.orgs.models import Department
from yiwang.regions.models import Region

from .models import GuideVersion, ItemType, Material, OnlineDepth, ServiceItem, Topic


def published_items() -> QuerySet[ServiceItem]:
    """Items visible to the public, with what list pages show, in a fixed number of queries."""
    return (ServiceItem.objects.filter(published_version__isnull=False)
            .select_related("published_version", "department", "region"))


def published_item_detail(item: ServiceItem) -> GuideVersion:
    return (GuideVersion.objects.select_related("item__department", "item__region")
            .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order")),
                              "item__topics")
            .get(pk=item.published_version_id))


def parse_item_type(value: str | None) -> str | None:
    """An item-type filter as given by a user: empty means any type; an unknown code is refused."""
    if not value:
        return None
    if value not in ItemType.values:
        raise ValidationError(f"事项类型“{value}”无效", code="item.type_invalid")
    return value


def get_topic(slug: str) -> Topic:
    try:
        return Topic.objects.get(slug=slug)
    except Topic.DoesNotExist:
        raise NotFound(f"主题“{slug}”不存在", code="topic.not_found") from None


def filter_published_items(*, department_id: int | None = None, region: Region | None = None,
                           item_type: str | None = None, topic: Topic | None = None,
                           name: str | None = None) -> QuerySet[ServiceItem]:
    """Published items narrowed by the filters that the API list and the portal's browse pages
    share, in catalogue order. ``region`` includes everything below it."""
    items = published_items()
    if department_id:
        items = items.filter(department_id=department_id)
    if region is not None:
        items = items.filter(region__path__startswith=region.path)
    if item_type := parse_item_type(item_type):
        items = items.filter(item_type=item_type)
    if topic is not None:
        items = items.filter(topics=topic)
    if name:
        items = items.filter(published_version__name__icontains=name)
    return items.order_by("department__code", "handling_code")


def recently_published(limit: int = 8) -> list[ServiceItem]:
    return list(published_items().order_by("-published_version__published_at", "-pk")[:limit])


def catalogue_counts() -> dict[str, int]:
    """Figures for the home page, in one query: published items, those that can be applied for
    online (网上受理 or deeper), those with no visit at all (全程网办), departments serving them."""
    return published_items().aggregate(
        items=Count("pk"),
        online=Count("pk", filter=Q(published_version__online_depth__gte=OnlineDepth.ONLINE_ACCEPT)),
        zero_visit=Count("pk", filter=Q(published_version__visits=0)),
        departments=Count("department", distinct=True),
    )


_PUBLISHED_ITEMS = Q(items__published_version__isnull=False)


def topics_with_item_counts() -> QuerySet[Topic]:
    return Topic.objects.annotate(item_count=Count("items", filter=_PUBLISHED_ITEMS))


def departments_with_item_counts() -> QuerySet[Department]:
    return (Department.objects.select_related("region")
            .annotate(item_count=Count("items", filter=_PUBLISHED_ITEMS)))


def get_department(pk: int) -> Department:
    try:
        return departments_with_item_counts().get(pk=pk)
    except Department.DoesNotExist:
        raise NotFound("该部门不存在", code="department.not_found") from None


def item_counts_by_region(regions) -> dict[str, int]:
    """Published items in each region and everything below it, keyed by region code. One grouped
    query; the sums over the region tree are done here because the tree is small."""
    per_path = list(ServiceItem.objects.filter(published_version__isnull=False)
                    .values_list("region__path").annotate(n=Count("pk")).order_by())
    return {r.code: sum(n for path, n in per_path if path.startswith(r.path)) for r in regions}
