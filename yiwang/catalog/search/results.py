"""What a search returns: plain data the portal, the API and the benchmark all read."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    page_size: int
    hits: list[Hit] = field(default_factory=list)
    expanded_terms: list[str] = field(default_factory=list)  # synonym variants also searched

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1
