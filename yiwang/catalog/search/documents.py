"""What the index holds: for each published item, the searchable texts of its published version,
the filter values, and the payload a result list shows (so a search needs no database query);
for each service (one 基本编码 + 业务办理项, implemented by the province, cities and districts),
one more document with the texts and filter values of all its items, which the result pages
rank and count, so that a service is one result without reading every hit of its items.

Searchable texts: the name and aliases (ranked as the title), the 受理条件, 设定依据, 审批结果名称,
each 办理流程 step's name and description, each 申请材料 name, and each 常见问题's question and
answer. Each text is matched on its
own, as ``LIKE`` over its column or row would be: a query never matches across two texts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator

import tantivy
from django.db.models import QuerySet

from ..models import GuideFaq, Material, ServiceItem
from . import store
from .analysis import LONGEST_GRAM, normalize, positioned_grams

# 基本编码 read at a time when making service documents (a few hundred items each).
SERVICE_BATCH = 20
# Segment kinds in the order a snippet prefers them, with their labels.
SEGMENT_LABELS = {"a": "别名", "m": "申请材料", "r": "办理结果", "c": "受理条件", "p": "办理流程",
                  "l": "设定依据", "f": "常见问题"}

_ROW = [
    "pk", "basic_code", "handling_code", "item_type", "department_id", "department__name", "region__code",
    "region__path", "region__full_name", "published_version_id", "published_version__name",
    "published_version__aliases", "published_version__conditions",
    "published_version__legal_basis", "published_version__result_name",
    "published_version__process_steps",
]


def _steps(process_steps) -> list[str]:
    texts = []
    for step in process_steps if isinstance(process_steps, list) else []:
        if isinstance(step, dict):
            texts.extend(str(step.get(key) or "") for key in ("name", "description"))
    return texts


def segments(*, aliases: str, materials: list[str], result_name: str, conditions: str,
             process_steps, legal_basis: str, faqs: list[str] = ()) -> list[tuple[str, str]]:
    """(kind, text) pairs of everything searchable except the name, in snippet order; ``faqs``
    holds each FAQ's question and answer as texts of their own."""
    pairs = [("a", aliases), *(("m", m) for m in materials), ("r", result_name),
             ("c", conditions), *(("p", s) for s in _steps(process_steps)), ("l", legal_basis),
             *(("f", f) for f in faqs)]
    return [(kind, text) for kind, text in pairs if text]


def service_key(basic_code: str, handling_code: str) -> int:
    """One service (事项) across the bodies that implement it: the 12-digit 基本编码 and the
    2-digit 业务办理项 number that ends the handling code (GB/T 39554.1), as one number."""
    return int(basic_code + handling_code[-2:])


def _texts(row: tuple, lists: dict[str, list[str]]) -> tuple[list[str], list[str], dict]:
    """(title texts, other texts, payload) of one item's row; ``lists`` holds the version's
    material names ("m") and FAQ texts ("f")."""
    (item_id, _basic_code, code, item_type, department_id, department, region_code, _region_path,
     region, _version_id, name, aliases, conditions, legal_basis, result_name, steps) = row
    segs = segments(aliases=aliases, materials=lists["m"], result_name=result_name,
                    conditions=conditions, process_steps=steps, legal_basis=legal_basis,
                    faqs=lists["f"])
    title = [normalize(name), *(normalize(t) for kind, t in segs if kind == "a")]
    text = [normalize(t) for kind, t in segs if kind != "a"]
    payload = {"id": item_id, "code": code, "name": name, "type": item_type,
               "dept": department, "dept_id": department_id, "region": region,
               "region_code": region_code, "segs": segs}
    return title, text, payload


def _fill(doc: tantivy.Document, kind: str, key: int, title: list[str], text: list[str],
          rows: list[tuple], payload: dict) -> tantivy.Document:
    doc.add_text(store.KIND, kind)
    doc.add_unsigned(store.SERVICE, key)
    for width in store.TOKENIZED_WIDTHS:
        title_field, text_field = store.GRAM_FIELDS[width]
        # One value per text: tantivy tokenizes each on its own, so no gram spans two texts.
        for value in title:
            doc.add_text(title_field, value)
        for value in text:
            doc.add_text(text_field, value)
    title_field, text_field = store.GRAM_FIELDS[LONGEST_GRAM]
    doc.add_pre_tokenized_text(title_field, positioned_grams(title))
    doc.add_pre_tokenized_text(text_field, positioned_grams(text))
    for value in {row[4] for row in rows}:
        doc.add_unsigned(store.DEPARTMENT_ID, value)
    for value in {row[3] for row in rows}:
        doc.add_text(store.ITEM_TYPE, value)
    for value in {row[6] for row in rows}:
        doc.add_text(store.REGION, value)
    for value in {code for row in rows for code in row[7].split("/") if code}:
        doc.add_text(store.REGION_PATH, value)
    doc.add_bytes(store.PAYLOAD, json.dumps(payload, ensure_ascii=False).encode())
    return doc


def _document(row: tuple, lists: dict[str, list[str]]) -> tantivy.Document:
    title, text, payload = _texts(row, lists)
    doc = tantivy.Document()
    doc.add_unsigned(store.ITEM_ID, row[0])
    return _fill(doc, store.KIND_ITEM, service_key(row[1], row[2]), title, text, [row], payload)


def _service_document(key: int, members: list[tuple[tuple, dict[str, list[str]]]]) -> tantivy.Document:
    """The service's texts are those of all its items, each once; its payload is that of the
    item implemented at the highest level (the province's before a city's), with the number of
    items that implement it."""
    title: dict[str, None] = {}
    text: dict[str, None] = {}
    payload = None
    for row, lists in sorted(members, key=lambda m: (m[0][7].count("/"), m[0][0])):
        item_title, item_text, item_payload = _texts(row, lists)
        title.update(dict.fromkeys(item_title))
        text.update(dict.fromkeys(item_text))
        payload = payload or {**item_payload, "items": len(members)}
    return _fill(tantivy.Document(), store.KIND_SERVICE, key, list(title), list(text),
                 [row for row, _m in members], payload)


def _rows(items: QuerySet[ServiceItem], chunk: int = 2000
          ) -> Iterator[tuple[tuple, dict[str, list[str]]]]:
    """(row, {"m": material names, "f": FAQ questions and answers}) of the published items among
    ``items``, read in key order,
    ``chunk`` at a time, as plain rows (a rebuild of 100,000 items would spend most of its time
    building model instances)."""
    last_pk = 0
    published = items.filter(published_version__isnull=False).order_by("pk")
    while True:
        rows = list(published.filter(pk__gt=last_pk).values_list(*_ROW)[:chunk])
        if not rows:
            return
        version_ids = [row[9] for row in rows]
        materials: dict[int, list[str]] = defaultdict(list)
        for version_id, material in (
                Material.objects.filter(version_id__in=version_ids)
                .order_by("version_id", "order", "id").values_list("version_id", "name")):
            materials[version_id].append(material)
        faqs: dict[int, list[str]] = defaultdict(list)
        for version_id, question, answer in (
                GuideFaq.objects.filter(version_id__in=version_ids)
                .order_by("version_id", "order", "id")
                .values_list("version_id", "question", "answer")):
            faqs[version_id] += [question, answer]
        for row in rows:
            yield row, {"m": materials[row[9]], "f": faqs[row[9]]}
        last_pk = rows[-1][0]


def iter_documents(items: QuerySet[ServiceItem], chunk: int = 2000
                   ) -> Iterator[tuple[int, int, tantivy.Document]]:
    """(item id, published version id, item document) for the published items among
    ``items``."""
    for row, lists in _rows(items, chunk):
        yield row[0], row[9], _document(row, lists)


def service_documents(basic_codes: list[str]) -> Iterator[tantivy.Document]:
    """The service documents of the published items with these 基本编码 (every 业务办理项)."""
    services: dict[int, list[tuple[tuple, dict[str, list[str]]]]] = defaultdict(list)
    for row, lists in _rows(ServiceItem.objects.filter(basic_code__in=basic_codes)):
        services[service_key(row[1], row[2])].append((row, lists))
    for key, members in services.items():
        yield _service_document(key, members)


def _delete(writer: tantivy.IndexWriter, item_ids: list[int]) -> None:
    # By query: tantivy-py's delete_documents_by_term builds a signed term, which never
    # matches an unsigned field.
    writer.delete_documents_by_query(
        tantivy.Query.term_set_query(store.SCHEMA, store.ITEM_ID, item_ids))


def _replace_services(writer: tantivy.IndexWriter, basic_codes: list[str]) -> None:
    """Delete and make again the service documents of these 基本编码 (every 业务办理项)."""
    keys = [service_key(code, f"{n:02d}") for code in basic_codes for n in range(100)]
    writer.delete_documents_by_query(tantivy.Query.boolean_query([
        (tantivy.Occur.Must, tantivy.Query.term_query(store.SCHEMA, store.KIND,
                                                      store.KIND_SERVICE)),
        (tantivy.Occur.Must, tantivy.Query.term_set_query(store.SCHEMA, store.SERVICE, keys))]))
    for doc in service_documents(basic_codes):
        writer.add_document(doc)


def index_item(item_id: int) -> None:
    # The database is read while holding the writer lock: when two updates of one item race,
    # the one that writes last has also read last, so the index ends at the committed state.
    with store.writer() as writer:
        _delete(writer, [item_id])
        for _item_id, _version_id, doc in iter_documents(ServiceItem.objects.filter(pk=item_id)):
            writer.add_document(doc)
        _replace_services(writer, list(ServiceItem.objects.filter(pk=item_id)
                                       .values_list("basic_code", flat=True)))


def rebuild(*, progress: Callable[[int], None] | None = None, wait: float = 300.0) -> int:
    """Replace the whole index with the published items, in one commit: searches see the old
    index until the new one is complete. Returns the number of items indexed."""
    indexed: dict[int, int] = {}
    # Making the documents in Python is the bottleneck: two indexing threads keep up with it,
    # and 128 MB between them keeps the peak memory of a rebuild of 100,000 items near 230 MB.
    # The segments this leaves (six for those items) cost searches no measurable time.
    with store.writer(heap_size=128_000_000, num_threads=2, wait=wait) as writer:
        writer.delete_all_documents()
        for item_id, version_id, doc in iter_documents(ServiceItem.objects.all()):
            writer.add_document(doc)
            indexed[item_id] = version_id
            if progress and len(indexed) % 10_000 == 0:
                progress(len(indexed))
        basic_codes = sorted(set(ServiceItem.objects.filter(published_version__isnull=False)
                                 .order_by().values_list("basic_code", flat=True)))
        for start in range(0, len(basic_codes), SERVICE_BATCH):
            for doc in service_documents(basic_codes[start:start + SERVICE_BATCH]):
                writer.add_document(doc)
        # Items published, replaced or withdrawn while we read: their update tasks may have
        # given up waiting for our lock. Published versions never change, so comparing the
        # published version of every item finds exactly those.
        now = dict(ServiceItem.objects.filter(published_version__isnull=False)
                   .order_by().values_list("pk", "published_version_id"))
        stale = [pk for pk in indexed.keys() | now.keys() if indexed.get(pk) != now.get(pk)]
        if stale:
            _delete(writer, stale)
            for _item_id, _version_id, doc in iter_documents(
                    ServiceItem.objects.filter(pk__in=stale)):
                writer.add_document(doc)
            _replace_services(writer, sorted(set(ServiceItem.objects.filter(pk__in=stale)
                                                 .values_list("basic_code", flat=True))))
    store.remove_old_versions()
    return store.item_count()
