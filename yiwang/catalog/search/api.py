"""Search API: GET /api/search?q=…&region=&near=&department=&item_type=&page=&page_size=.

Answers from the index alone (no database query unless a region or department filter is
checked); bad input is a 4xx with a stable code (see ``yiwang.catalog.search``)."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict

from yiwang.common.schemas import Id, PageNumber, PageSize

from . import engine

router = Router(tags=["搜索"])


class SearchParams(Schema):
    q: str = ""
    region: str | None = None
    near: str | None = None
    department: Id | None = None
    item_type: str | None = None
    page: PageNumber = 1
    page_size: PageSize = 20


# The answer's models are plain pydantic models read from the result's attributes, not ninja
# Schemas: a Schema resolves every field of every hit through a Python getter, which took about
# 0.2 ms of a 1.5 ms request for a page of 20 hits.
class HitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    other_count: int


class SearchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    query: str
    total: int
    page: int
    page_size: int
    pages: int
    expanded_terms: list[str]
    match: str
    words: list[str]
    region_empty: str
    region_used: str
    hits: list[HitOut]


@router.get("", response=SearchOut, summary="搜索已发布事项",
            description="按事项名称、别名、办事指南和申请材料搜索，支持两字中文词、同义词扩展、"
                        "按区划（含下级）、部门和事项类型筛选；结果中的匹配处以<mark>标出。"
                        "群众说法（如“怎么开公司”）按分词后的词语搜索，全部词语都找不到时给出部分匹配"
                        "（match 为 exact、words 或 partial）。同一事项由多个地区实施时只列一次，"
                        "按 near（所在区划代码）选择实施机构，other_count 为其他实施机构数；"
                        "所选区划没有结果时改在上级区划搜索（region_empty、region_used）。")
def search_items(request, params: Query[SearchParams]):
    # Looked up at call time: a name bound at import would keep whatever ``search`` was then.
    results = engine.search(params.q, region=params.region, near=params.near,
                            department=params.department,
                            item_type=params.item_type, page=params.page, page_size=params.page_size)
    # An instance of the response model is serialized as it is, without a second validation.
    return SearchOut.model_validate(results)
