"""Catalogue import: check every record of a file, then write all of them in one transaction or
none at all.

Validation makes no query per record: departments, topics and existing codes are fetched in a
few batched queries, and each record is checked with the same rules ``services.create_item``
applies (``services.item_codes`` for the codes, ``guide.clean_guide`` for the guide). The write
then creates the rows ``create_item`` would create, with ``bulk_create`` so that 10,000 items
take seconds, not minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.crypto import get_random_string

from yiwang.catalog import codes, services
from yiwang.catalog.guide import GUIDE_FIELDS, clean_guide
from yiwang.catalog.models import (
    GuideFaq,
    GuideVersion,
    ImportJob,
    ItemLevel,
    ItemType,
    Material,
    ServiceItem,
    Topic,
    VersionEvent,
    VersionStatus,
)
from yiwang.common.errors import DomainError, NotFound, PermissionDenied, ValidationError
from yiwang.common.identifiers import validate_uscc
from yiwang.orgs.models import Department, Membership, Role
from yiwang.orgs.services import has_role

from . import columns as cols
from .files import ImportFile, Problem, Record, check_size, read_import_file

# Progress is committed after this many validated records, so a page polling the job sees it move.
PROGRESS_EVERY = 100
# Items published by one import are reindexed one by one up to this many; above, one rebuild.
REINDEX_ONE_BY_ONE = 100
BATCH = 500
_SEPARATORS = re.compile(r"[,，、;；\s]+")
_NUL_MESSAGE = "含有空字符（\\u0000），数据库无法保存"

Action = VersionEvent.Action


class ImportRejected(ValidationError):
    """The file has bad records; ``problems`` lists each one. Nothing was written."""

    default_code = "import.invalid_rows"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"文件中有{len(problems)}处错误，未导入任何事项",
                         details={"errors": [p.as_dict() for p in problems]})


@dataclass
class NewItem:
    """A record that passed every check, ready to be written."""

    record: Record
    department: Department
    item_type: str
    level: str
    handling: codes.HandlingCode
    topics: list[Topic]
    guide: dict[str, Any]


def can_import(user) -> bool:
    """Only editors import: a superuser, or a user who is 事项编辑 in at least one department.
    Which departments a file may name is checked per file (``check_departments``)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(
        user=user, role=Role.CATALOG_EDITOR).exists()


def _check_actor(actor, publish: bool) -> None:
    """``actor`` None is the operator at the command line, who may do anything."""
    if actor is None:
        return
    if not can_import(actor):
        raise PermissionDenied("只有事项编辑或系统管理员可以导入事项", code="import.not_editor")
    if publish and not actor.is_superuser:
        raise PermissionDenied("只有系统管理员可以导入并直接发布事项", code="import.publish_forbidden")


# --- values as people write them ---------------------------------------------------------------

def _text(value: Any) -> str:
    return cols.cell_text(value)


def _item_type(value: Any) -> str | None:
    text = _text(value)
    by_label = {str(c.label): c.value for c in ItemType}
    text = by_label.get(text, text)
    if len(text) == 1 and text.isdigit():
        text = "0" + text  # spreadsheets drop the leading zero of 01-09
    return text if text in ItemType.values else None


def _level(value: Any) -> str | None:
    text = _text(value)
    text = {str(c.label): c.value for c in ItemLevel}.get(text, text)
    return text if text in ItemLevel.values else None


def _uscc(department: Any) -> str:
    value = department.get("uscc") if isinstance(department, dict) else department
    return _text(value).replace(" ", "").upper()


def _slugs(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [s for s in _SEPARATORS.split(_text(value)) if s]


# --- validation --------------------------------------------------------------------------------

def _contains_nul(value: Any) -> bool:
    """NUL can arrive spelt \\u0000 in JSON or _x0000_ in XLSX; PostgreSQL text cannot hold it."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            if "\x00" in current:
                return True
        elif isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _chunks(values: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _departments(records: list[Record]) -> dict[str, Department]:
    usccs = sorted({_uscc(r.data.get("department")) for r in records if isinstance(r.data, dict)}
                   - {""})
    found: dict[str, Department] = {}
    for chunk in _chunks(usccs):
        found.update((d.uscc, d) for d in
                     Department.objects.select_related("region").filter(uscc__in=chunk))
    return found


def check_departments(actor, departments: Iterable[Department]) -> None:
    """One error naming every department of the file in which ``actor`` is not 事项编辑."""
    if actor is None or actor.is_superuser:
        return
    lacking = [d for d in sorted(departments, key=lambda d: d.uscc)
               if not has_role(actor, d, Role.CATALOG_EDITOR)]
    if lacking:
        raise PermissionDenied(
            f"您不是以下部门的事项编辑，不能导入其事项：{'、'.join(d.name for d in lacking)}",
            code="import.permission_denied",
            details={"departments": [{"uscc": d.uscc, "name": d.name} for d in lacking]})


def _materials_by_code(materials: list[Record], problems: list[Problem]) -> dict[str, list[dict]]:
    """XLSX 申请材料 rows grouped by 业务办理项编码, each group in 序号 order (then sheet order)."""
    grouped: dict[str, list[tuple[int, int, dict]]] = {}
    for row in materials:
        code = row.data.get("handling_code", "")
        if not code:
            problems.append(row.problem("请填写该材料所属事项的业务办理项编码", field="handling_code"))
            continue
        if _contains_nul(row.data):
            problems.append(row.problem(_NUL_MESSAGE, code="import.nul_character"))
            continue
        order_text = row.data.get("order", "")
        order = 0
        if order_text:
            try:
                order = int(order_text)
            except ValueError:
                problems.append(row.problem(f"序号“{order_text}”应为整数", field="order"))
                continue
        grouped.setdefault(code, []).append(
            (order, row.line, cols.material_from_cells(row.data)))
    return {code: [m for _, _, m in sorted(rows, key=lambda r: r[:2])]
            for code, rows in grouped.items()}


class _Validator:
    def __init__(self, parsed: ImportFile, *, actor) -> None:
        self.parsed = parsed
        self.problems: list[Problem] = []
        self.departments = _departments(parsed.records)
        check_departments(actor, self.departments.values())
        slugs = {s for r in parsed.records if isinstance(r.data, dict)
                 for s in _slugs(r.data.get("topics"))}
        self.topics = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
        self.materials = _materials_by_code(parsed.materials, self.problems)
        self.used_materials: set[str] = set()
        self.seen: dict[str, dict[str, Record]] = {"handling": {}, "implementation": {}}

    def item(self, record: Record) -> NewItem | None:
        if not isinstance(record.data, dict):  # a JSON entry that is not an object
            self.problems.extend(record.problems)
            return None
        data = record.data
        problems = list(record.problems)
        if _contains_nul(data):
            problems.append(record.problem(_NUL_MESSAGE, code="import.nul_character"))
            self.problems.extend(problems)
            return None

        def refuse(message: str, field: str | None, code: str = "import.invalid_row") -> None:
            problems.append(record.problem(message, field=field, code=code))

        item_type = _item_type(data.get("item_type"))
        if item_type is None:
            refuse(f"事项类型“{_text(data.get('item_type'))}”无效，应为01-10或20",
                   "item_type", "item.type_invalid")
        level = _level(data.get("level"))
        if level is None:
            refuse(f"行使层级“{_text(data.get('level'))}”无效，应为1-6", "level", "item_code.level")
        uscc = _uscc(data.get("department"))
        department = self.departments.get(uscc)
        if department is None:
            refuse(self._unknown_department(uscc), "department_uscc", "import.unknown_department")
        basic_code = _text(data.get("basic_code"))
        if not basic_code:
            refuse("请填写基本编码", "basic_code", "item_code.basic_required")
        topics = []
        for slug in _slugs(data.get("topics")):
            if slug in self.topics:
                topics.append(self.topics[slug])
            else:
                refuse(f"人生事件/主题“{slug}”不存在", "topics", "topic.not_found")

        handling = None
        if item_type and level and department and basic_code:
            handling = self._codes(data, record, department, item_type, level, basic_code, refuse)

        guide = data.get("guide")
        if not isinstance(guide, dict):
            refuse("办事指南（guide）应为 JSON 对象", "guide", "guide.invalid")
            guide = {}
        link = str(handling) if handling else _text(data.get("handling_code"))
        if link and link in self.materials:
            self.used_materials.add(link)
            guide = {**guide, "materials": self.materials[link]}
        try:
            cleaned = clean_guide(guide)
        except ValidationError as exc:
            for message in exc.details["errors"]:
                refuse(message, None, exc.code)

        if problems:
            self.problems.extend(problems)
            return None
        return NewItem(record, department, item_type, level, handling, topics, cleaned)

    @staticmethod
    def _unknown_department(uscc: str) -> str:
        if not uscc:
            return "请填写实施主体统一社会信用代码"
        try:
            validate_uscc(uscc)
        except ValidationError as exc:
            return f"实施主体{exc.message}"
        return f"统一社会信用代码为“{uscc}”的实施部门不存在，请先登记该部门"

    def _codes(self, data, record, department, item_type, level, basic_code, refuse):
        given_handling = _text(data.get("handling_code"))
        suffix = 1
        if given_handling:
            try:
                suffix = int(codes.parse_handling_code(given_handling).suffix)
            except ValidationError as exc:
                refuse(exc.message, "handling_code", exc.code)
                return None
        try:
            handling = services.item_codes(department=department, item_type=item_type,
                                           level=level, basic_code=basic_code, suffix=suffix)
        except ValidationError as exc:
            refuse(exc.message, "basic_code", exc.code)
            return None
        given_implementation = _text(data.get("implementation_code"))
        for field, given, built, label in (
            ("handling_code", given_handling, str(handling), "业务办理项编码"),
            ("implementation_code", given_implementation, str(handling.implementation), "实施编码"),
        ):
            if given and given != built:
                refuse(f"{label}“{given}”与实施主体、行使层级和基本编码不一致，应为“{built}”",
                       field, "import.code_mismatch")
                return None
        for kind, code, label in (("handling", str(handling), "业务办理项编码"),
                                  ("implementation", str(handling.implementation), "实施编码")):
            first = self.seen[kind].setdefault(code, record)
            if first is not record:
                refuse(f"{label}“{code}”与{first.where}重复", f"{kind}_code", "import.duplicate_in_file")
                return None
        return handling

    def existing_codes(self, items: list[NewItem]) -> None:
        """Codes already in the catalogue, found in a few batched queries, reported per record."""
        clashes = _existing(items)
        self.problems.extend(p for new in items if (p := _clash(new, clashes)))

    def unused_materials(self) -> None:
        for row in self.parsed.materials:
            code = row.data.get("handling_code", "")
            if code in self.materials and code not in self.used_materials:
                self.problems.append(row.problem(
                    f"业务办理项编码“{code}”在“事项”表中没有对应的事项", field="handling_code",
                    code="import.unknown_item"))


def _existing(items: list[NewItem]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(items):
        handling = [str(n.handling) for n in chunk]
        implementation = [str(n.handling.implementation) for n in chunk]
        for h, i in ServiceItem.objects.filter(
                Q(handling_code__in=handling) | Q(implementation_code__in=implementation)
        ).values_list("handling_code", "implementation_code"):
            found.update((h, i))
    return found


def _clash(new: NewItem, taken: set[str]) -> Problem | None:
    """The refusal ``create_item`` gives for a code that is already taken."""
    for code, label, field in ((str(new.handling), "业务办理项编码", "handling_code"),
                               (str(new.handling.implementation), "实施编码", "implementation_code")):
        if code in taken:
            return new.record.problem(f"{label}“{code}”已存在", field=field,
                                      code="item_code.duplicate")
    return None


def _problem_order(problem: Problem) -> tuple:
    return (problem.sheet == "申请材料", problem.line if problem.line is not None else -1)


def validate(parsed: ImportFile, *, actor, progress: Callable[[int], None] | None = None
             ) -> list[NewItem]:
    """Check every record. Returns the items to write, or raises ``ImportRejected`` listing every
    bad record, or ``PermissionDenied`` naming the departments the actor may not import into."""
    validator = _Validator(parsed, actor=actor)
    items = []
    for count, record in enumerate(parsed.records, start=1):
        new = validator.item(record)
        if new is not None:
            items.append(new)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    validator.existing_codes(items)
    validator.unused_materials()
    if progress:
        progress(len(parsed.records))
    if validator.problems:
        raise ImportRejected(sorted(validator.problems, key=_problem_order))
    return items


# --- writing -----------------------------------------------------------------------------------

def _fill_pks(objects: list, model, key: str) -> None:
    """Databases that cannot return ids from a bulk insert (MySQL) get them looked up."""
    missing = [o for o in objects if o.pk is None]
    for chunk in _chunks(missing):
        ids = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in chunk]})
                   .values_list(key, "pk"))
        for obj in chunk:
            obj.pk = ids[getattr(obj, key)]


def write(items: list[NewItem], *, actor, publish: bool, job: ImportJob | None = None) -> int:
    """Create every item, its first guide version, materials, topics and history in one
    transaction; the rows are those ``services.create_item`` creates (plus publication)."""
    now = timezone.now()
    source = f"导入任务#{job.pk}（{job.original_name}）" if job else "导入"
    with transaction.atomic():
        # Someone may have created one of these codes since validation finished.
        taken = _existing(items)
        if taken:
            raise ImportRejected([p for new in items if (p := _clash(new, taken))])
        service_items = [ServiceItem(
            basic_code=str(n.handling.implementation.basic),
            implementation_code=str(n.handling.implementation), handling_code=str(n.handling),
            item_type=n.item_type, level=n.level, department=n.department,
            region=n.department.region) for n in items]
        ServiceItem.objects.bulk_create(service_items, batch_size=BATCH)
        _fill_pks(service_items, ServiceItem, "handling_code")
        links = ServiceItem.topics.through
        links.objects.bulk_create(
            [links(serviceitem_id=si.pk, topic_id=t.pk)
             for si, n in zip(service_items, items, strict=True) for t in n.topics],
            batch_size=BATCH)
        versions = [GuideVersion(
            item=si, number=1, created_by=actor,
            status=VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT,
            published_at=now if publish else None,
            **{name: n.guide[name] for name in GUIDE_FIELDS})
            for si, n in zip(service_items, items, strict=True)]
        GuideVersion.objects.bulk_create(versions, batch_size=BATCH)
        _fill_pks(versions, GuideVersion, "item_id")
        Material.objects.bulk_create(
            [Material(version=v, order=i, **m) for v, n in zip(versions, items, strict=True)
             for i, m in enumerate(n.guide["materials"], 1)], batch_size=BATCH)
        GuideFaq.objects.bulk_create(
            [GuideFaq(version=v, order=i, **f) for v, n in zip(versions, items, strict=True)
             for i, f in enumerate(n.guide["faqs"], 1)], batch_size=BATCH)
        events = []
        for version, new in zip(versions, items, strict=True):
            comment = f"{source}{new.record.where}"
            events.append(VersionEvent(version=version, action=Action.CREATED, actor=actor,
                                       comment=comment))
            if publish:
                events.append(VersionEvent(version=version, action=Action.IMPORTED, actor=actor,
                                           comment=f"{comment}，导入即发布"))
        VersionEvent.objects.bulk_create(events, batch_size=BATCH)
        if publish:
            ids = [si.pk for si in service_items]
            # Each new item has exactly one version: point the item at it in one UPDATE per batch.
            only_version = GuideVersion.objects.filter(item=OuterRef("pk")).values("pk")
            for chunk in _chunks(ids):
                ServiceItem.objects.filter(pk__in=chunk).update(
                    published_version=Subquery(only_version))
            transaction.on_commit(lambda: _reindex(ids))
    return len(service_items)


def _reindex(item_ids: list[int]) -> None:
    from yiwang.catalog.tasks import reindex_item
    from yiwang.catalog.transfer_tasks import rebuild_search_index

    if len(item_ids) > REINDEX_ONE_BY_ONE:
        rebuild_search_index.enqueue()
    else:
        for item_id in item_ids:
            reindex_item.enqueue(item_id)


# --- the import job ----------------------------------------------------------------------------

def create_job(*, name: str, size: int, read: Callable[[], bytes], actor,
               publish: bool = False) -> ImportJob:
    """Check who imports and what (size first, before reading; then type, encoding, columns and
    that there is at least one item) and store the file on a new pending ImportJob."""
    _check_actor(actor, publish)
    check_size(size)
    data = read()
    parsed = read_import_file(name, data, sample=True)
    job = ImportJob(original_name=(name or "")[-200:], file_format=parsed.format,
                    created_by=actor, publish=publish)
    job.file.save(f"{get_random_string(16)}.{parsed.format}", ContentFile(data), save=False)
    job.save()
    return job


def start_import(*, name: str, size: int, read: Callable[[], bytes], actor,
                 publish: bool = False) -> ImportJob:
    """Accept an upload and run the import in the background (``transfer_tasks.run_import_job``)."""
    from yiwang.catalog.transfer_tasks import run_import_job

    with transaction.atomic():
        job = create_job(name=name, size=size, read=read, actor=actor, publish=publish)
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def _save(job: ImportJob, on_progress, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))
    if on_progress:
        on_progress(job)


def run_import(job: ImportJob, *, actor, on_progress: Callable[[ImportJob], None] | None = None
               ) -> ImportJob:
    """Validate and write the job's file, committing progress as it goes: status moves
    pending → validating (``processed`` counts checked records) → writing → succeeded or failed.
    The write is one transaction, so while it runs the job can only say how many it is writing.
    ``actor`` None is the command-line operator."""
    _save(job, on_progress, status=ImportJob.Status.VALIDATING, started_at=timezone.now(),
          processed=0, errors=[])
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        parsed = read_import_file(job.original_name, data)
        _save(job, on_progress, total=len(parsed.records))
        items = validate(parsed, actor=actor,
                         progress=lambda n: _save(job, on_progress, processed=n))
        _save(job, on_progress, status=ImportJob.Status.WRITING, write_started_at=timezone.now())
        created = write(items, actor=actor, publish=job.publish, job=job)
    except ImportRejected as exc:
        return _fail(job, on_progress, exc.problems)
    except DomainError as exc:
        return _fail(job, on_progress, [Problem(exc.message, code=exc.code)], exc.details)
    except IntegrityError:
        return _fail(job, on_progress, [Problem("写入时与其他人同时新增的事项编码冲突，请重新导入",
                                                code="item_code.duplicate")])
    except Exception:
        _fail(job, on_progress, [Problem("导入时发生内部错误，未导入任何事项，请联系系统管理员",
                                         code="import.internal_error")])
        raise
    _save(job, on_progress, status=ImportJob.Status.SUCCEEDED, created_count=created,
          finished_at=timezone.now())
    return job


def _fail(job: ImportJob, on_progress, problems: list[Problem], details: Any = None
          ) -> ImportJob:
    errors = [p.as_dict() for p in problems]
    if details and len(errors) == 1:
        errors[0]["details"] = details
    _save(job, on_progress, status=ImportJob.Status.FAILED, errors=errors,
          finished_at=timezone.now())
    return job


def get_job(job_id: int, *, viewer) -> ImportJob:
    """Only the job's creator or a superuser sees a job; to anyone else it does not exist."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (viewer.is_superuser or job.created_by_id == viewer.pk):
        raise NotFound("导入任务不存在", code="import.job_not_found")
    return job


def is_finished(job: ImportJob) -> bool:
    return job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED)


def percent_done(job: ImportJob) -> int:
    """Share of records validated; a finished import is 100."""
    if job.status == ImportJob.Status.SUCCEEDED:
        return 100
    return min(100, job.processed * 100 // job.total) if job.total else 0


def run_queued_import(job_id: int) -> None:
    """What the background task runs. A job already started (a retried task) is left alone."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.PENDING:
        return
    if job.created_by is None:
        _fail(job, None, [Problem("导入人的账户已不存在，导入已取消", code="import.no_actor")])
        return
    run_import(job, actor=job.created_by)
