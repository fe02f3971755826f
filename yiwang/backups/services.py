"""Back up, check a set, restore and verify (备份、校验、恢复).

Everything works on the configured database (the ``default`` alias): ``verify_chain`` reads it."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import HEAD_PK, AuditHead

from .engines import count_rows, engine_for
from .errors import BackupError, CorruptSet, IncompatibleSet, TargetNotEmpty
from .manifest import MEDIA_DIR, Manifest, Problem, check_set, digest_file, digest_stream

NOT_INCLUDED = {
    "search_index": "搜索索引可由数据库重建：manage.py rebuild_search_index（或 restore --rebuild-index）",
    "keys": "密钥（YIWANG_SECRET_KEY、YIWANG_SEAL_KEY、个人信息加密密钥、OIDC 签名密钥）另行备份；"
            "恢复须使用同一套密钥",
}


def storage_names(storage=default_storage, directory: str = "") -> list[str]:
    """Every file in ``storage`` below ``directory``, as storage names."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []  # MEDIA_ROOT not created yet: nothing uploaded
    names = [f"{directory}/{name}" if directory else name for name in files]
    for sub in directories:
        names.extend(storage_names(storage, f"{directory}/{sub}" if directory else sub))
    return sorted(names)


def app_version() -> str:
    """``git describe`` of the running code where it is a checkout, else "unknown"."""
    try:
        described = subprocess.run(["git", "describe", "--tags", "--always", "--dirty"],  # noqa: S607
                                   cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return described.stdout.strip() if described.returncode == 0 else "unknown"


@dataclass(frozen=True)
class BackupSet:
    path: Path
    manifest: Manifest


def _file_entry(path: Path) -> dict:
    return {"size": path.stat().st_size, "digest": digest_file(path)}


def create_backup(directory: Path | str | None = None, *, storage=default_storage) -> BackupSet:
    """备份: write one set into a new directory below ``directory`` (settings.BACKUP_DIR).

    The database first, then the uploaded files: a file uploaded meanwhile is in the set without
    a row naming it, which harms nothing; a row never names a file the set lacks unless the file
    was deleted in between. The set is written under a hidden name and renamed when complete, so
    an interrupted backup never looks like a set."""
    directory = Path(directory or settings.BACKUP_DIR)
    engine = engine_for(DEFAULT_DB_ALIAS)
    started = timezone.now()
    name = f"yiwang-{started:%Y%m%dT%H%M%S%f}Z-{engine.vendor}"
    work = directory / f".{name}.partial"
    work.mkdir(parents=True)
    try:
        database_file = f"database.{engine.extension}"
        snapshot = engine.dump(work / database_file)
        files = {database_file: _file_entry(work / database_file)}
        for stored in storage_names(storage):
            copy = work / MEDIA_DIR / stored
            copy.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(stored, "rb") as source, copy.open("wb") as target:
                shutil.copyfileobj(source, target)
            files[f"{MEDIA_DIR}/{stored}"] = _file_entry(copy)
        manifest = Manifest(
            created_at=started.isoformat(), engine=engine.vendor,
            server_version=snapshot.server_version, dump_tool=snapshot.dump_tool,
            database_file=database_file, app_version=app_version(),
            migrations=snapshot.migrations, row_counts=snapshot.row_counts,
            row_counts_method=snapshot.row_counts_method, audit_head=snapshot.audit_head,
            files=files, not_included=NOT_INCLUDED)
        manifest.write(work)
        work.rename(directory / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupSet(directory / name, manifest)


def verify_backup(path: Path | str) -> tuple[Manifest, list[Problem]]:
    """校验备份集: the set against its own manifest, without touching any database."""
    return check_set(Path(path))


@dataclass(frozen=True)
class Check:
    """One comparison of the restored site with the manifest."""

    name: str
    ok: bool
    detail: str


@dataclass
class RestoreReport:
    manifest: Manifest
    checks: list[Check] = field(default_factory=list)
    pending_migrations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def _migration_gap(manifest: Manifest) -> tuple[list[str], list[str]]:
    """(migrations in the set the code does not have, migrations of the code the set lacks)."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_set = {(app, name) for app, names in manifest.migrations.items() for name in names}
    return ([f"{app}.{name}" for app, name in sorted(in_set - on_disk)],
            [f"{app}.{name}" for app, name in sorted(on_disk - in_set)])


def restore_backup(path: Path | str, *, force: bool = False,
                   storage=default_storage) -> RestoreReport:
    """恢复: load a set into the configured database and storage, then verify the result.

    Everything that could refuse the set is checked before anything is written: the set's
    digests, its engine, the code's migrations, the client tool and the server version, and that
    the database has no tables and the storage no files (``force`` drops and overwrites them)."""
    path = Path(path)
    manifest, problems = verify_backup(path)
    if problems:
        raise CorruptSet(details=[problem.message for problem in problems])
    engine = engine_for(DEFAULT_DB_ALIAS)
    if manifest.engine != engine.vendor:
        raise IncompatibleSet(f"备份集来自 {manifest.engine} 数据库，当前配置的是 {engine.vendor}；"
                              "请配置同一种数据库后再恢复")
    unknown, pending = _migration_gap(manifest)
    if unknown:
        raise IncompatibleSet(
            f"备份集来自更新的程序版本（{manifest.app_version}），本程序没有这些迁移："
            f"{'、'.join(unknown[:5])}{' 等' if len(unknown) > 5 else ''}；请先安装备份时的版本",
            code="backup.newer_code", details=unknown)
    engine.check_can_load(manifest)
    tables = connections[DEFAULT_DB_ALIAS].introspection.table_names()
    present = storage_names(storage)
    if (tables or present) and not force:
        raise TargetNotEmpty(
            f"目标不是空的：数据库已有 {len(tables)} 张表，上传文件目录已有 {len(present)} 个文件。"
            "恢复会覆盖它们；确认要覆盖时请加 --force")
    if tables:
        engine.drop_tables(tables)
    engine.load(path / manifest.database_file)
    for name in manifest.media_names():
        if storage.exists(name):
            storage.delete(name)
        with (path / MEDIA_DIR / name).open("rb") as content:
            saved = storage.save(name, File(content, name=name))
        if saved != name:
            raise BackupError(f"上传文件 {name} 被存储改名为 {saved}，无法按原名恢复",
                              code="backup.storage_renamed")
    report = verify_restored(manifest, storage=storage)
    report.pending_migrations = pending
    return report


def verify_restored(manifest: Manifest, *, storage=default_storage) -> RestoreReport:
    """Compare the configured database and storage with ``manifest``: row counts per table, the
    audit chain (whole and ending at the manifest's head) and the files' digests."""
    connection = connections[DEFAULT_DB_ALIAS]
    report = RestoreReport(manifest)
    with connection.cursor() as cursor:
        counts = count_rows(cursor, connection.ops.quote_name,
                            connection.introspection.table_names(cursor))
    differing = [f"{table}：清单 {manifest.row_counts.get(table, '无此表')}，恢复后 "
                 f"{counts.get(table, '无此表')}"
                 for table in sorted(set(counts) | set(manifest.row_counts))
                 if counts.get(table) != manifest.row_counts.get(table)]
    report.checks.append(Check(
        "行数", not differing,
        "；".join(differing) if differing
        else f"{len(counts)} 张表共 {sum(counts.values())} 行，与清单一致"))

    chain = verify_chain()
    report.checks.append(Check(
        "审计链", chain.ok,
        f"共校验 {chain.checked} 条记录，完整" if chain.ok
        else f"第 {chain.first_broken_seq} 条记录处断裂：{chain.reason}（{chain.reason_code}）"))

    head = AuditHead.objects.filter(pk=HEAD_PK).values_list("last_seq", "last_hash").first()
    expected = (manifest.audit_head["seq"], manifest.audit_head["hash"])
    report.checks.append(Check(
        "审计链头", head == expected,
        f"第 {expected[0]} 条，{expected[1][:16]}…，与清单一致" if head == expected
        else f"清单为第 {expected[0]} 条 {expected[1][:16]}…，恢复后为 "
             f"{f'第 {head[0]} 条 {head[1][:16]}…' if head else '无链头'}"))

    wrong = []
    for name in manifest.media_names():
        expected_digest = manifest.files[f"{MEDIA_DIR}/{name}"]["digest"]
        if not storage.exists(name):
            wrong.append(f"{name} 缺失")
        elif digest_stream(storage.open(name, "rb"), manifest.digest_algorithm) != expected_digest:
            wrong.append(f"{name} 摘要不符")
    report.checks.append(Check(
        "上传文件", not wrong,
        "；".join(wrong) if wrong else f"{len(manifest.media_names())} 个文件，摘要与清单一致"))
    return report
