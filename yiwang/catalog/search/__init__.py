"""Search over published items (tantivy, character n-grams). The database stays the source of
truth; the index follows publication through ``catalog.tasks.reindex_item`` and can be rebuilt
with ``manage.py rebuild_search_index``.

Interface (what the portal, the API and the tasks call):

- ``search(query, *, region=None, department=None, item_type=None, page=1, page_size=20)``
  → ``SearchResults`` with ``hits`` (``Hit``: handling_code, name, department, region,
  item_type, snippet_html with <mark> around matches, score, and item_id, department_id,
  region_code, item_type_name, name_html), ``total``, ``expanded_terms`` (synonym variants
  searched too) and ``pages``/``has_next``/``has_previous``. Bad input raises ``DomainError``
  with codes search.empty_query, search.query_too_long, search.page_too_deep,
  search.department_invalid, department.not_found, region.not_found, item.type_invalid,
  pagination.*; an unusable index raises ``SearchUnavailable`` (503).
- ``index_item(item_id)``: add, update or remove one item to match its published state.
- ``rebuild()``: rebuild the whole index from the database; returns the number indexed.

A query term matches an item exactly when it (or a synonym variant) occurs in the item's name,
aliases, guide text, material names or 常见问题 (FAQ questions and answers), as
``LIKE '%term%'`` would find it; several terms
separated by spaces must all match.
"""

from __future__ import annotations

from .documents import index_item, rebuild
from .engine import search
from .results import Hit, SearchResults
from .store import SearchUnavailable

__all__ = ["Hit", "SearchResults", "SearchUnavailable", "index_item", "rebuild", "search"]
