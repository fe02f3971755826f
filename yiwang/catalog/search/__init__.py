"""Search over published items (tantivy, character bigrams). The database stays the source of
truth; the index follows publication through ``catalog.tasks.reindex_item`` and can be rebuilt
with ``manage.py rebuild_search_index``.

Interface (what the portal, the API and the tasks call):

- ``search(query, *, region=None, department=None, item_type=None, page=1, page_size=20)``
  → ``SearchResults`` with ``hits`` (``Hit``: handling_code, name, department, region,
  item_type, snippet_html with <mark> around matches, score) and ``total``.
- ``index_item(item_id)``: add, update or remove one item to match its published state.
- ``rebuild()``: rebuild the whole index from the database; returns the number indexed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    handling_code: str
    name: str
    department: str
    region: str
    item_type: str
    snippet_html: str
    score: float


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    page_size: int
    hits: list[Hit] = field(default_factory=list)
    expanded_terms: list[str] = field(default_factory=list)


def search(query: str, *, region: str | None = None, department: int | None = None,
           item_type: str | None = None, page: int = 1, page_size: int = 20) -> SearchResults:
    raise NotImplementedError


def index_item(item_id: int) -> None:
    raise NotImplementedError


def rebuild() -> int:
    raise NotImplementedError
