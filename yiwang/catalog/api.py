"""Public catalogue API: published items only, rendered from the same published version as the
portal pages."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router, Schema

from yiwang.common.pagination import paginate
from yiwang.common.schemas import Id, PageNumber, PageSize
from yiwang.regions.services import get_region

from . import selectors, services
from .guide import guide_to_dict
from .models import ItemType, Topic

router = Router(tags=["事项目录"])


class ItemSummary(Schema):
    handling_code: str
    implementation_code: str
    basic_code: str
    name: str
    item_type: str
    item_type_name: str
    level: str
    department: str
    department_id: int
    region_code: str
    region: str
    handling_kind: str
    promised_time_limit: int
    visits: int
    online_depth: int


class ItemPage(Schema):
    items: list[ItemSummary]
    total: int
    page: int
    page_size: int
    pages: int


class ItemDetail(ItemSummary):
    version: int
    published_at: str | None
    topics: list[str]
    guide: dict[str, Any]


class TopicOut(Schema):
    slug: str
    name: str
    kind: str
    audience: str


class ItemFilters(Schema):
    department: Id | None = None
    region: str | None = None
    item_type: str | None = None
    topic: str | None = None
    q: str | None = None
    page: PageNumber = 1
    page_size: PageSize = 20


def summarize(item) -> dict[str, Any]:
    version = item.published_version
    return {
        "handling_code": item.handling_code,
        "implementation_code": item.implementation_code,
        "basic_code": item.basic_code,
        "name": version.name,
        "item_type": item.item_type,
        "item_type_name": ItemType(item.item_type).label,
        "level": item.level,
        "department": item.department.name,
        "department_id": item.department_id,
        "region_code": item.region.code,
        "region": item.region.full_name,
        "handling_kind": version.handling_kind,
        "promised_time_limit": version.promised_time_limit,
        "visits": version.visits,
        "online_depth": version.online_depth,
    }


def filter_items(filters: ItemFilters):
    return selectors.filter_published_items(
        department_id=filters.department,
        region=get_region(filters.region) if filters.region else None,
        item_type=filters.item_type,
        topic=selectors.get_topic(filters.topic) if filters.topic else None,
        name=filters.q,
    )


@router.get("/items", response=ItemPage, summary="已发布事项列表")
def list_items(request, filters: Query[ItemFilters]):
    page = paginate(filter_items(filters), filters.page, filters.page_size)
    return page.as_json(summarize)


@router.get("/items/{code}", response=ItemDetail, summary="事项办事指南（已发布版本）")
def item_detail(request, code: str):
    item = services.get_published_item(code)
    version = selectors.published_item_detail(item)
    return {
        **summarize(item),
        "version": version.number,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "topics": [t.slug for t in version.item.topics.all()],
        "guide": guide_to_dict(version),
    }


@router.get("/topics", response=list[TopicOut], summary="人生事件与主题")
def topics(request):
    return list(Topic.objects.all())
