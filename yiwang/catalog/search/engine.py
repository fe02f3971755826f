"""Running a search: validate the request, expand synonyms, build the tantivy query, and turn the
top hits into ``Hit`` objects from the stored payload (no database query for the results).

Query semantics: the query is split on whitespace; every term must match (AND); a term matches
an item when the term or one of its synonym variants occurs in one of the item's searchable
texts. Matches in the name or aliases score ``TITLE_BOOST`` times a match in the guide text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import tantivy

from yiwang.common.errors import NotFound, ValidationError
from yiwang.common.pagination import parse_page_args
from yiwang.orgs.models import Department
from yiwang.regions.services import get_region

from ..models import ItemType
from . import store, synonyms
from .analysis import LONGEST_GRAM, MAX_QUERY_LENGTH, covering_grams, split_terms
from .documents import SEGMENT_LABELS
from .highlight import mark, snippet
from .results import Hit, SearchResults

TITLE_BOOST = 10.0
# Deep pages cost memory in the collector and nobody reads them; the same limit as most engines.
MAX_RESULT_WINDOW = 10_000

ITEM_TYPE_NAMES = {choice.value: str(choice.label) for choice in ItemType}
Occur = tantivy.Occur
Query = tantivy.Query
SCHEMA = store.SCHEMA


@dataclass(frozen=True)
class Request:
    terms: list[list[str]]  # per query term: the term and its synonym variants
    region: str | None
    department: int | None
    item_type: str | None

    @property
    def expanded_terms(self) -> list[str]:
        return [v for variants in self.terms for v in variants[1:]]


def _clean_department(department: Any) -> int | None:
    if department in (None, ""):
        return None
    try:
        department_id = int(department)
    except (TypeError, ValueError):
        department_id = 0
    if department_id < 1:
        raise ValidationError(f"部门编号“{department}”无效", code="search.department_invalid")
    if not Department.objects.filter(pk=department_id).exists():
        raise NotFound(f"部门“{department_id}”不存在", code="department.not_found")
    return department_id


def parse_request(query: str, *, region: str | None = None, department: Any = None,
                  item_type: str | None = None) -> Request:
    """Check everything a user sends; raise ``DomainError`` subclasses with stable codes."""
    query = (query or "").strip()
    if not query:
        raise ValidationError("请输入要搜索的事项名称或关键词", code="search.empty_query")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(f"搜索关键词不能超过{MAX_QUERY_LENGTH}个字", code="search.query_too_long",
                              details={"max_length": MAX_QUERY_LENGTH})
    if item_type in ("", None):
        item_type = None
    elif item_type not in ItemType.values:
        raise ValidationError(f"事项类型“{item_type}”无效", code="item.type_invalid")
    region = None if region in ("", None) else get_region(region).code
    return Request(terms=[synonyms.variants(t) for t in split_terms(query)], region=region,
                   department=_clean_department(department), item_type=item_type)


def _field_query(field: str, variant: str) -> Query:
    if len(variant) <= LONGEST_GRAM:
        return Query.term_query(SCHEMA, field, variant)
    return Query.phrase_query(SCHEMA, field, covering_grams(variant))


def _variant_query(variant: str) -> Query:
    """Title or text contains ``variant``: a term of up to four characters is one gram in the
    fields of its own width, a longer one a phrase of 4-grams (see analysis)."""
    title, text = store.GRAM_FIELDS[min(len(variant), LONGEST_GRAM)]
    return Query.boolean_query([
        (Occur.Should, Query.boost_query(_field_query(title, variant), TITLE_BOOST)),
        (Occur.Should, _field_query(text, variant)),
    ])


def build_query(request: Request) -> Query:
    clauses = []
    for variants in request.terms:
        queries = [_variant_query(v) for v in variants]
        clauses.append((Occur.Must, queries[0] if len(queries) == 1 else
                        Query.boolean_query([(Occur.Should, q) for q in queries])))
    filters = []
    if request.region:
        filters.append(Query.term_query(SCHEMA, store.REGION_PATH, request.region))
    if request.department:
        filters.append(Query.term_query(SCHEMA, store.DEPARTMENT_ID, request.department))
    if request.item_type:
        filters.append(Query.term_query(SCHEMA, store.ITEM_TYPE, request.item_type))
    # Filters decide membership only; they must not change the ranking.
    clauses.extend((Occur.Must, Query.const_score_query(f, 0.0)) for f in filters)
    return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)


def _hit(payload: dict, score: float, request: Request) -> Hit:
    words = [w for variants in request.terms for w in variants]
    return Hit(
        handling_code=payload["code"],
        name=payload["name"],
        department=payload["dept"],
        region=payload["region"],
        item_type=payload["type"],
        snippet_html=snippet(payload["segs"], SEGMENT_LABELS, request.terms),
        score=score,
        item_id=payload["id"],
        department_id=payload["dept_id"],
        region_code=payload["region_code"],
        item_type_name=ITEM_TYPE_NAMES[payload["type"]],
        name_html=mark(payload["name"], words),
    )


def search(query: str, *, region: str | None = None, department: Any = None,
           item_type: str | None = None, page: Any = 1, page_size: Any = 20) -> SearchResults:
    page_n, size_n = parse_page_args(page, page_size)
    if page_n * size_n > MAX_RESULT_WINDOW:
        raise ValidationError(f"搜索结果最多翻看前{MAX_RESULT_WINDOW}条，请缩小搜索范围",
                              code="search.page_too_deep", details={"max": MAX_RESULT_WINDOW})
    request = parse_request(query, region=region, department=department, item_type=item_type)
    searcher = store.searcher()
    found = searcher.search(build_query(request), limit=size_n, count=True,
                            offset=(page_n - 1) * size_n)
    hits = [_hit(json.loads(searcher.doc(address).get_first(store.PAYLOAD)), score, request)
            for score, address in found.hits]
    return SearchResults(query=query.strip(), total=found.count, page=page_n, page_size=size_n,
                         hits=hits, expanded_terms=request.expanded_terms)


def matching_ids(query: str, **filters: Any) -> set[int]:
    """Every matching item id (not only one page): for recall checks against a LIKE oracle."""
    request = parse_request(query, **filters)
    searcher = store.searcher()
    total = searcher.search(build_query(request), limit=1, count=True).count
    if not total:
        return set()
    found = searcher.search(build_query(request), limit=total)
    addresses = [address for _score, address in found.hits]
    return set(searcher.fast_field_values(store.ITEM_ID, addresses))
