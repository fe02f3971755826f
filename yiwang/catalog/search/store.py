"""The tantivy index on disk: schema, the cached reader, and the one writer at a time.

The web process reads while the task worker (``manage.py db_worker``) writes, so:

- the reader is opened once per process and reloaded when ``meta.json`` changes (a stat per
  search; a reload at least every few seconds covers coarse file timestamps);
- a writer holds tantivy's directory lock; a second writer, in this or another process, waits
  briefly for it and then gives up with ``search.index_busy``;
- a missing or empty directory is created on first use, so a fresh site answers with no hits
  instead of an error. The directory name carries the schema version: a new schema starts a
  new index, which ``rebuild_search_index`` fills.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings

from yiwang.common.errors import DomainError

from .analysis import LONGEST_GRAM

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4
# Field names: (title, text) for each gram width (see analysis). The title holds the item name
# and aliases, the text the guide and materials. Widths up to 3 only answer single-gram term
# lookups, so they keep frequencies but no positions and are tokenized by tantivy; the 4-gram
# fields keep positions for the phrases of longer terms and get their tokens from analysis.
GRAM_FIELDS = {width: (f"title_{width}grams", f"text_{width}grams")
               for width in range(1, LONGEST_GRAM + 1)}
TOKENIZED_WIDTHS = range(1, LONGEST_GRAM)
ITEM_ID, KIND, SERVICE, DEPARTMENT_ID, ITEM_TYPE, REGION, REGION_PATH, PAYLOAD = (
    "item_id", "kind", "service", "department_id", "item_type", "region", "region_path",
    "payload")
# Each published item has a document, and so has each service (see documents).
KIND_ITEM, KIND_SERVICE = "item", "service"
RELOAD_AT_LEAST_EVERY = 2.0  # seconds
WRITER_WAIT = 30.0  # seconds a writer waits for another one to finish


def _tokenizer(width: int) -> str:
    return f"yiwang_{width}grams"


class SearchUnavailable(DomainError):
    status = 503
    default_code = "search.unavailable"
    default_message = "搜索服务暂时不可用，请稍后再试"


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field(ITEM_ID, stored=False, indexed=True, fast=True)
    builder.add_text_field(KIND, tokenizer_name="raw", index_option="basic")
    # One service (基本编码 + 业务办理项序号) implemented by several bodies (see documents).
    builder.add_unsigned_field(SERVICE, indexed=True, fast=True)
    for width, fields in GRAM_FIELDS.items():
        for field in fields:
            if width in TOKENIZED_WIDTHS:
                builder.add_text_field(field, tokenizer_name=_tokenizer(width),
                                       index_option="freq")
            else:
                builder.add_text_field(field, tokenizer_name="raw", index_option="position")
    builder.add_unsigned_field(DEPARTMENT_ID, indexed=True)
    builder.add_text_field(ITEM_TYPE, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(REGION, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(REGION_PATH, tokenizer_name="raw", index_option="basic")
    # Everything a result list shows, so a search needs no database query.
    builder.add_bytes_field(PAYLOAD, stored=True)
    return builder.build()


SCHEMA = build_schema()


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / f"v{SCHEMA_VERSION}"


def _open(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    try:
        index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    except ValueError:
        # Another process may have created it between our check and our create.
        index = tantivy.Index.open(str(path))
    for width in TOKENIZED_WIDTHS:
        index.register_tokenizer(_tokenizer(width), tantivy.TextAnalyzerBuilder(
            tantivy.Tokenizer.ngram(width, width)).build())
    index.config_reader(reload_policy="manual")
    return index


def _stamp(meta_json: str) -> tuple[int, int, int]:
    meta = os.stat(meta_json)
    return meta.st_ino, meta.st_mtime_ns, meta.st_size


@dataclass
class _Handle:
    setting: object  # the SEARCH_INDEX_DIR value the handle was opened for
    path: Path
    meta_json: str
    index: tantivy.Index
    stamp: tuple[int, int, int]
    reloaded_at: float


_lock = threading.Lock()
_handle: _Handle | None = None


def _current() -> _Handle:
    """The process's index handle for the configured directory, (re)opened when needed."""
    global _handle
    setting = settings.SEARCH_INDEX_DIR
    handle = _handle
    if handle is not None and handle.setting == setting:
        return handle
    with _lock:
        if _handle is None or _handle.setting != setting:
            path = index_dir()
            try:
                index = _open(path)
                meta_json = str(path / "meta.json")
                _handle = _Handle(setting, path, meta_json, index, _stamp(meta_json),
                                  time.monotonic())
            except (OSError, ValueError) as exc:
                log.exception("search index at %s cannot be opened", path)
                raise SearchUnavailable() from exc
        return _handle


def reset() -> None:
    """Forget the cached handle (tests point SEARCH_INDEX_DIR elsewhere between tests)."""
    global _handle
    with _lock:
        _handle = None


def searcher() -> tantivy.Searcher:
    """A searcher that sees every commit made so far, by this or any other process."""
    handle = _current()
    try:
        stamp = _stamp(handle.meta_json)
    except FileNotFoundError:
        # The directory was removed under us (e.g. by hand): start again with an empty index.
        reset()
        handle = _current()
        stamp = handle.stamp
    now = time.monotonic()
    if stamp != handle.stamp or now - handle.reloaded_at > RELOAD_AT_LEAST_EVERY:
        handle.index.reload()
        handle.stamp, handle.reloaded_at = stamp, now
    return handle.index.searcher()


def item_count() -> int:
    """The number of published items in the index (not counting the service documents)."""
    return searcher().search(tantivy.Query.term_query(SCHEMA, KIND, KIND_ITEM), limit=1,
                             count=True).count


def _mark_stale() -> None:
    if _handle is not None:
        _handle.reloaded_at = float("-inf")


@contextmanager
def writer(*, heap_size: int = 15_000_000, num_threads: int = 1,
           wait: float = WRITER_WAIT) -> Iterator[tantivy.IndexWriter]:
    """The index writer, committed when the block ends without error and rolled back otherwise.

    tantivy allows one writer per index across processes; while another holds it we retry for
    ``wait`` seconds (a rebuild may hold it for a while) before refusing.
    """
    handle = _current()
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            index_writer = handle.index.writer(heap_size=heap_size, num_threads=num_threads)
            break
        except ValueError as exc:
            if "LockBusy" not in str(exc) or time.monotonic() >= deadline:
                raise SearchUnavailable("搜索索引正在更新，请稍后重试",
                                        code="search.index_busy") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        yield index_writer
        index_writer.commit()
    except BaseException:
        index_writer.rollback()
        raise
    finally:
        # Finishing merges keeps the segment count low for readers; it also consumes the writer,
        # which releases the directory lock for the next one.
        index_writer.wait_merging_threads()
        _mark_stale()


def remove_old_versions() -> None:
    """Delete index directories left by earlier schema versions."""
    base = Path(settings.SEARCH_INDEX_DIR)
    current = index_dir().name
    for child in base.glob("v*"):
        if child.is_dir() and child.name != current and child.name[1:].isdigit():
            shutil.rmtree(child, ignore_errors=True)


def size_on_disk() -> int:
    path = index_dir()
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file()) if path.exists() else 0
