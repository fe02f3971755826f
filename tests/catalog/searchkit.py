"""Helpers for the search tests: an index of their own per test, and publishing through the
real review flow with the on-commit index update actually run."""

from __future__ import annotations

from tests.catalog.test_services import publish
from tests.factories import guide_data
from yiwang.catalog import services
from yiwang.catalog.search import store, synonyms


def isolated_search_index(settings, tmp_path):
    """Generator body for an autouse fixture: each test gets an empty index and no cached
    synonyms (the database is rolled back between tests, the index directory is not)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    store.reset()
    synonyms.clear_cache()
    yield
    store.reset()
    synonyms.clear_cache()


# Searchable texts left empty unless a test sets them, so nothing matches by accident.
BLANK_TEXTS = {"aliases": "", "legal_basis": "", "conditions": "", "result_name": "",
               "process_steps": [], "materials": []}


def published_item(capture, department, editor, reviewer, *, item_type="01", **texts):
    """Create and publish an item; ``capture`` is django_capture_on_commit_callbacks, run so
    that the reindex task (ImmediateBackend) updates the index as it does in production."""
    with capture(execute=True):
        item = services.create_item(department=department, item_type=item_type, level="2",
                                    guide=guide_data(**{**BLANK_TEXTS, **texts}), actor=editor)
        publish(item, editor, reviewer)
    return item
