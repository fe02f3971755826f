"""Read-side queries shared by the portal, the workbench and the API."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import GuideVersion, Material, ServiceItem


def published_items() -> QuerySet[ServiceItem]:
    """Items visible to the public, with what list pages show, in a fixed number of queries."""
    return (ServiceItem.objects.filter(published_version__isnull=False)
            .select_related("published_version", "department", "region"))


def published_item_detail(item: ServiceItem) -> GuideVersion:
    return (GuideVersion.objects.select_related("item__department", "item__region")
            .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order")),
                              "item__topics")
            .get(pk=item.published_version_id))
