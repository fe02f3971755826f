"""Query-time synonym expansion (同义词) from the administrators' ``Synonym`` table.

Expansion happens when searching, not when indexing, so editing a synonym needs no reindex.
The table is read once and cached: saving or deleting a synonym clears the cache in the process
that did it at once, and other processes (the worker, other web workers) re-read it within
``CACHE_SECONDS``.
"""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import Synonym
from .analysis import normalize

CACHE_SECONDS = 30.0
# A query term with many synonyms in it would otherwise multiply into a very wide query.
MAX_VARIANTS = 8

_lock = threading.Lock()
_cache: tuple[float, dict[str, list[str]]] | None = None


def _table() -> dict[str, list[str]]:
    global _cache
    cached = _cache
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    with _lock:
        table: dict[str, list[str]] = {}
        for synonym in Synonym.objects.all():
            term = normalize(synonym.term.strip())
            expansions = [normalize(e) for e in synonym.expansion_list() if normalize(e) != term]
            if term and expansions:
                table[term] = expansions
        _cache = (time.monotonic(), table)
        return table


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def clear_cache(**kwargs) -> None:
    global _cache
    _cache = None


def variants(term: str) -> list[str]:
    """``term`` first, then the term with each synonym it contains replaced by each expansion:
    社保 → 社会保险, and 社保卡 → 社会保险卡."""
    found = [term]
    for word, expansions in _table().items():
        if word in term:
            for expansion in expansions:
                if expansion in term:
                    # 居民身份证 already says what 身份证 → 居民身份证 would add; replacing
                    # inside it would search for 居民居民身份证.
                    continue
                variant = term.replace(word, expansion)
                if variant not in found:
                    found.append(variant)
    return found[:MAX_VARIANTS]


def phrases() -> list[str]:
    """The terms administrators gave synonyms for: a query keeps them whole when it is cut into
    words (see phrasing), so that a colloquial phrase such as 开公司 finds its expansion."""
    return list(_table())
