"""Search API: GET /api/search?q=…&region=&department=&item_type=&page=&page_size=.

Answers from the index alone (no database query unless a region or department filter is
checked); bad input is a 4xx with a stable code (see ``yiwang.catalog.search``)."""

from __future__ import annotations

from ninja import Query, Router, Schema

from . import search

router = Router(tags=["搜索"])


class SearchParams(Schema):
    q: str = ""
    region: str | None = None
    department: int | None = None
    item_type: str | None = None
    page: int = 1
    page_size: int = 20


class HitOut(Schema):
    handling_code: str
    name: str
    name_html: str
    department: str
    department_id: int
    region: str
    region_code: str
    item_type: str
    item_type_name: str
    snippet_html: str
    score: float


class SearchOut(Schema):
    query: str
    total: int
    page: int
    page_size: int
    pages: int
    expanded_terms: list[str]
    hits: list[HitOut]


@router.get("", response=SearchOut, summary="搜索已发布事项",
            description="按事项名称、别名、办事指南和申请材料搜索，支持两字中文词、同义词扩展、"
                        "按区划（含下级）、部门和事项类型筛选；结果中的匹配处以<mark>标出。")
def search_items(request, params: Query[SearchParams]):
    results = search(params.q, region=params.region, department=params.department,
                     item_type=params.item_type, page=params.page, page_size=params.page_size)
    return {"query": results.query, "total": results.total, "page": results.page,
            "page_size": results.page_size, "pages": results.pages,
            "expanded_terms": results.expanded_terms, "hits": results.hits}
