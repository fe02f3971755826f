"""Running a search: validate the request, understand the phrasing, build the tantivy query,
collapse the hits to one per service, and turn them into ``Hit`` objects from the stored payload
(no database query for the results).

Query semantics, tried in this order until one finds something (``SearchResults.match``):

1. ``exact``: the query is split on whitespace and every term must occur (AND) in one of the
   item's searchable texts, as ``LIKE '%term%'`` would find it, or one of its synonym variants
   must. This is all the engine did before it understood phrasings, and it still answers every
   query it answered then, with the same items.
2. ``words``: each term is cut into content words (see phrasing: jieba, function words dropped,
   administrators' phrases kept whole) and every word of two or more characters, or one of its
   synonym variants, must occur: 怎么开公司 → 开公司 (→ 企业设立登记); single characters left
   over (开个体户 → 开, 个体户) only rank.
3. ``partial``: the same words, any of them: the items matching most words, and those matching
   in the name, rank first. The page says that these are partial matches.

Matches in the name or aliases score ``TITLE_BOOST`` times a match in the guide text.

One service is one result: the pages rank and count the service documents (the texts of all
items sharing a 基本编码 + 业务办理项, see documents) and show each as the item implemented for
the nearest region on the user's path (``near``: the district's before the city's before the
province's), else as its highest-level item. ``Hit.other_count`` says how many other bodies
implement it. ``matching_ids`` searches the item documents.

A region filter that finds nothing is retried with the region's parent, then its parent, and the
results say so (``region_empty`` / ``region_used``).
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
from .phrasing import content_words
from .results import MATCH_EXACT, MATCH_PARTIAL, MATCH_WORDS, Hit, SearchResults

TITLE_BOOST = 10.0
# Deep pages cost memory in the collector and nobody reads them; the same limit as most engines.
MAX_RESULT_WINDOW = 10_000
# Items read per service of a page to find the one that satisfies a region or department filter
# when the user's region is unknown.
ITEMS_PER_SERVICE = 8

ITEM_TYPE_NAMES = {choice.value: str(choice.label) for choice in ItemType}
Occur = tantivy.Occur
Query = tantivy.Query
SCHEMA = store.SCHEMA


@dataclass(frozen=True)
class Stage:
    match: str  # MATCH_EXACT, MATCH_WORDS or MATCH_PARTIAL
    terms: list[list[str]]  # per term or word: itself and its synonym variants

    @property
    def words(self) -> list[str]:
        return [variants[0] for variants in self.terms]

    @property
    def expanded_terms(self) -> list[str]:
        return [v for variants in self.terms for v in variants[1:]]


@dataclass(frozen=True)
class Request:
    stages: list[Stage]  # tried in order until one finds something
    region_path: list[str]  # the region filter's codes from the province down; [] for none
    department: int | None
    item_type: str | None
    near: list[str]  # the user's region's codes from the province down; [] when unknown

    @property
    def terms(self) -> list[list[str]]:
        return self.stages[0].terms


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


def _region_path(code: str | None) -> list[str]:
    return [] if code in ("", None) else list(filter(None, get_region(code).path.split("/")))


def stages(query: str) -> list[Stage]:
    """The ways ``query`` is tried, in order (see the module docstring); a way that would search
    exactly what the one before searched is left out."""
    terms = split_terms(query)
    found = [Stage(MATCH_EXACT, [synonyms.variants(t) for t in terms])]
    phrases = synonyms.phrases()
    words = list(dict.fromkeys(w for t in terms for w in content_words(t, phrases)))
    if words and words != terms:
        found.append(Stage(MATCH_WORDS, [synonyms.variants(w) for w in words]))
    if len(words) > 1:
        found.append(Stage(MATCH_PARTIAL, [synonyms.variants(w) for w in words]))
    return found


def parse_request(query: str, *, region: str | None = None, department: Any = None,
                  item_type: str | None = None, near: str | None = None) -> Request:
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
    return Request(stages=stages(query), region_path=_region_path(region),
                   department=_clean_department(department), item_type=item_type,
                   near=_region_path(near))


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


def _one_of(queries: list[Query], occur=Occur.Should) -> Query:
    return queries[0] if len(queries) == 1 else Query.boolean_query([(occur, q) for q in queries])


def _minimal(variants: list[str]) -> list[str]:
    """The variants that contain no other: whatever contains 居民身份证 contains 身份证, so the
    longer one adds no match, only a phrase query over a common gram (the costliest kind)."""
    return [v for v in variants if not any(o != v and o in v for o in variants)]


def _occurs(stage: Stage) -> list:
    """Which terms must match: all of them (exact), none (partial), or, for words, those of two
    characters or more; a single character left of a phrasing (开, 证, 卡) only ranks."""
    if stage.match == MATCH_PARTIAL:
        return [Occur.Should] * len(stage.terms)
    if stage.match == MATCH_WORDS and any(len(v[0]) > 1 for v in stage.terms):
        return [Occur.Must if len(v[0]) > 1 else Occur.Should for v in stage.terms]
    return [Occur.Must] * len(stage.terms)


def build_query(request: Request, stage: Stage | None = None, region: str | None = None,
                kind: str = store.KIND_SERVICE) -> Query:
    """The query of ``stage`` (the exact one by default) within the filters, over the documents
    of ``kind`` (services for result pages, items for recall checks); ``region`` stands for the
    region filter (a parent of it, when the region itself has nothing)."""
    stage = stage or request.stages[0]
    terms = [_one_of([_variant_query(v) for v in _minimal(variants)])
             for variants in stage.terms]
    text = terms[0] if len(terms) == 1 else Query.boolean_query(
        list(zip(_occurs(stage), terms, strict=True)))
    region = region or (request.region_path[-1] if request.region_path else None)
    filters = [Query.term_query(SCHEMA, store.KIND, kind)]
    if region:
        filters.append(Query.term_query(SCHEMA, store.REGION_PATH, region))
    if request.department:
        filters.append(Query.term_query(SCHEMA, store.DEPARTMENT_ID, request.department))
    if request.item_type:
        filters.append(Query.term_query(SCHEMA, store.ITEM_TYPE, request.item_type))
    # Filters decide membership only; they must not change the ranking.
    return Query.boolean_query([(Occur.Must, text), *(
        (Occur.Must, Query.const_score_query(f, 0.0)) for f in filters)])


def _payload(searcher: tantivy.Searcher, address) -> dict:
    return json.loads(searcher.doc(address).get_first(store.PAYLOAD))


def _hit(payload: dict, score: float, stage: Stage, other_count: int) -> Hit:
    words = [w for variants in stage.terms for w in variants]
    return Hit(
        handling_code=payload["code"],
        name=payload["name"],
        department=payload["dept"],
        region=payload["region"],
        item_type=payload["type"],
        snippet_html=snippet(payload["segs"], SEGMENT_LABELS, stage.terms),
        score=score,
        item_id=payload["id"],
        department_id=payload["dept_id"],
        region_code=payload["region_code"],
        item_type_name=ITEM_TYPE_NAMES[payload["type"]],
        name_html=mark(payload["name"], words),
        other_count=other_count,
    )


def _item_payloads(searcher: tantivy.Searcher, request: Request, stage: Stage,
                   region: str | None, keys: list[int]) -> dict[int, dict]:
    """For each service in ``keys``, the payload of the item a result shows: among its items that
    match the stage and the filters, the one implemented for the region deepest on the user's
    path (``near``), else the best-ranked. Without a user's region or a region or department
    filter, the service's own payload (its highest-level item) is shown and nothing is read."""
    near = request.near
    if not keys or not (near or region or request.department):
        return {}
    clauses = [(Occur.Must, build_query(request, stage, region, store.KIND_ITEM)),
               (Occur.Must, Query.term_set_query(SCHEMA, store.SERVICE, keys))]
    if near:
        clauses.append((Occur.Must, Query.term_set_query(SCHEMA, store.REGION, near)))
    found = searcher.search(Query.boolean_query(clauses),
                            limit=len(keys) * (len(near) or ITEMS_PER_SERVICE), count=False)
    addresses = [address for _s, address in found.hits]
    chosen: dict[int, dict] = {}
    for key, address in zip(searcher.fast_field_values(store.SERVICE, addresses), addresses,
                            strict=True):
        payload = _payload(searcher, address)
        if key not in chosen or (near and near.index(payload["region_code"])
                                 > near.index(chosen[key]["region_code"])):
            chosen[key] = payload
    return chosen


def _run(searcher, request: Request, region: str | None, page: int, size: int
         ) -> tuple[Stage, int, list[Hit]]:
    for stage in request.stages:
        found = searcher.search(build_query(request, stage, region), limit=size, count=True,
                                offset=(page - 1) * size)
        if found.count:
            break
    hits = found.hits
    addresses = [address for _s, address in hits]
    keys = searcher.fast_field_values(store.SERVICE, addresses)
    chosen = _item_payloads(searcher, request, stage, region, keys)
    results = []
    for key, (score, address) in zip(keys, hits, strict=True):
        service = _payload(searcher, address)
        results.append(_hit(chosen.get(key, service), score, stage, service["items"] - 1))
    return stage, found.count, results


def search(query: str, *, region: str | None = None, department: Any = None,
           item_type: str | None = None, near: str | None = None, page: Any = 1,
           page_size: Any = 20) -> SearchResults:
    """One page of results (see the module docstring). ``region`` filters (the region and
    everything below it); ``near`` is the user's region, which chooses the implementing body."""
    page_n, size_n = parse_page_args(page, page_size)
    if page_n * size_n > MAX_RESULT_WINDOW:
        raise ValidationError(f"搜索结果最多翻看前{MAX_RESULT_WINDOW}条，请缩小搜索范围",
                              code="search.page_too_deep", details={"max": MAX_RESULT_WINDOW})
    request = parse_request(query, region=region, department=department, item_type=item_type,
                            near=near)
    searcher = store.searcher()
    # The region filter, then each region above it, until one has something (or none is set).
    scopes = request.region_path[::-1] or [None]
    for scope in scopes:
        stage, total, hits = _run(searcher, request, scope, page_n, size_n)
        if total:
            break
    results = SearchResults(query=query.strip(), total=total, page=page_n, page_size=size_n,
                            hits=hits, expanded_terms=stage.expanded_terms, match=stage.match,
                            words=stage.words)
    if total and scope != scopes[0]:
        results.region_empty = get_region(scopes[0]).full_name
        results.region_used = get_region(scope).full_name
    return results


def matching_ids(query: str, **filters: Any) -> set[int]:
    """Every item the exact way finds (not only one page, not collapsed to services): for recall
    checks against a LIKE oracle."""
    request = parse_request(query, **filters)
    searcher = store.searcher()
    items = build_query(request, kind=store.KIND_ITEM)
    total = searcher.search(items, limit=1, count=True).count
    if not total:
        return set()
    found = searcher.search(items, limit=total)
    addresses = [address for _score, address in found.hits]
    return set(searcher.fast_field_values(store.ITEM_ID, addresses))
