"""What a search returns: plain data the portal, the API and the benchmark all read."""

from __future__ import annotations

from dataclasses import dataclass, field

# How the results matched the query (see engine): every term as typed, every content word of the
# phrasing, or some of the words.
MATCH_EXACT, MATCH_WORDS, MATCH_PARTIAL = "exact", "words", "partial"


@dataclass
class Hit:
    handling_code: str
    name: str
    department: str
    region: str
    item_type: str
    snippet_html: str  # escaped text with <mark> around matches; safe to render as HTML
    score: float
    item_id: int = 0
    department_id: int = 0
    region_code: str = ""
    item_type_name: str = ""
    name_html: str = ""  # the name, escaped, with <mark> around matches
    other_count: int = 0  # other bodies (other regions) that implement the same service


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    page_size: int
    hits: list[Hit] = field(default_factory=list)
    expanded_terms: list[str] = field(default_factory=list)  # synonym variants also searched
    match: str = MATCH_EXACT
    words: list[str] = field(default_factory=list)  # the terms or words searched for
    # When the region filter had nothing: its full name, and that of the region searched instead.
    region_empty: str = ""
    region_used: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1
