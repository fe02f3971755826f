"""A backup restored into a new database: counts, audit chain, head and files verify there; a set
that does not match its manifest, or a site that cannot load it, is refused before anything is
written; a chain broken before the backup is reported after the restore."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from tests.concurrency import in_threads
from tests.supervision import tampering
from yiwang.backups import engines, services
from yiwang.backups.errors import CorruptSet, IncompatibleSet, ServerVersionMismatch, TargetNotEmpty
from yiwang.backups.manifest import MANIFEST_NAME
from yiwang.cases.models import Case, CaseFile
from yiwang.supervision import audit
from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import AuditHead, AuditRecord

SERVER_ENGINES = pytest.mark.skipif(connection.vendor == "sqlite",
                                    reason="版本检查针对数据库服务器（PostgreSQL、MariaDB）")


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def backup(tmp_path: Path) -> services.BackupSet:
    return services.create_backup(tmp_path / "sets")


def edit_manifest(path: Path, **changes) -> None:
    manifest = json.loads((path / MANIFEST_NAME).read_text())
    manifest.update(changes)
    (path / MANIFEST_NAME).write_text(json.dumps(manifest))


def test_a_set_restored_into_a_new_database_verifies(site, new_database, tmp_path):
    out = run("backup", "--output-dir", str(tmp_path / "sets"))
    assert "备份完成" in out
    [path] = (tmp_path / "sets").iterdir()
    manifest, problems = services.verify_backup(path)
    assert problems == []
    numbers = sorted(Case.objects.values_list("number", flat=True))
    uploads = {f.file.name: f.file.read() for f in CaseFile.objects.exclude(file="")}
    head = AuditHead.objects.get()
    assert len(uploads) == 2
    assert manifest.engine == connection.vendor
    assert manifest.row_counts[Case._meta.db_table] == len(numbers) == 1
    assert manifest.row_counts[AuditRecord._meta.db_table] == AuditRecord.objects.count() >= 3
    assert manifest.audit_head == {"seq": head.last_seq, "hash": head.last_hash}
    assert manifest.media_names() == sorted(uploads)
    assert "0001_initial" in manifest.migrations["cases"]

    with new_database():
        out = run("restore", str(path), "--rebuild-index")
        assert "行数：一致" in out and "审计链：一致" in out and "上传文件：一致" in out
        assert "搜索索引已重建：1 个已发布事项" in out
        assert "恢复完成，核对全部一致" in out
        # Read back in the new database, not from the report.
        assert sorted(Case.objects.values_list("number", flat=True)) == numbers
        assert verify_chain().ok
        assert AuditHead.objects.values_list("last_seq", "last_hash").get() == (
            head.last_seq, head.last_hash)
        assert {name: default_storage.open(name).read() for name in uploads} == uploads

        with pytest.raises(CommandError, match=r"backup\.target_not_empty"):
            run("restore", str(path))
        assert "恢复完成" in run("restore", str(path), "--force")


def test_a_changed_missing_or_added_file_makes_the_set_unusable(site, tmp_path):
    path = backup(tmp_path).path
    upload = next((path / "media").rglob("*.pdf"))
    upload.write_bytes(upload.read_bytes().replace(b"%%EOF", b"%%EOX"))  # same size, other bytes
    (path / "media" / "extra.pdf").write_bytes(b"%PDF-1.4")
    database = path / services.Manifest.read(path).database_file
    database.rename(path / "elsewhere")

    _, problems = services.verify_backup(path)
    assert sorted(p.code for p in problems) == ["backup.digest_mismatch", "backup.file_missing",
                                                "backup.unlisted_file", "backup.unlisted_file"]
    with pytest.raises(CommandError, match="4 处"):
        run("verify_backup", str(path))


def test_a_manifest_naming_a_file_outside_the_set_is_refused(site, tmp_path):
    path = backup(tmp_path).path
    files = services.Manifest.read(path).files
    secret = tmp_path / "outside.txt"
    secret.write_text("不属于备份集")
    edit_manifest(path, files={**files, "media/../../outside.txt": {"size": 18, "digest": "0"}})
    _, problems = services.verify_backup(path)
    assert [p.code for p in problems] == ["backup.bad_path"]
    with pytest.raises(CorruptSet):
        services.restore_backup(path, force=True)


def test_a_corrupted_set_is_refused_before_the_database_is_touched(site, new_database, tmp_path):
    path = backup(tmp_path).path
    database = path / services.Manifest.read(path).database_file
    with database.open("r+b") as dump:
        dump.seek(database.stat().st_size // 2)
        byte = dump.read(1)
        dump.seek(-1, 1)
        dump.write(bytes([byte[0] ^ 0xFF]))
    with new_database() as target:
        with pytest.raises(CorruptSet) as refused:
            services.restore_backup(path)
        assert any(database.name in line for line in refused.value.details)
        assert target.introspection.table_names() == []
        with pytest.raises(CommandError, match=r"backup\.corrupted"):
            run("restore", str(path))


def test_a_chain_broken_before_the_backup_is_reported_after_the_restore(site, new_database,
                                                                        tmp_path):
    tampering.edit(2, summary="改过的摘要")
    path = backup(tmp_path).path
    with new_database():
        report = services.restore_backup(path)
        failed = [check for check in report.checks if not check.ok]
        assert [check.name for check in failed] == ["审计链"]
        assert "第 2 条" in failed[0].detail and "audit.hash_mismatch" in failed[0].detail
        with pytest.raises(CommandError, match="核对未通过"):
            run("restore", str(path), "--force")


def test_a_tail_rewritten_with_its_head_after_the_restore_is_caught_by_the_manifest(
        site, new_database, tmp_path):
    """Rewriting the last record, recomputing its hash and moving the head leaves a chain that
    verifies on its own; the head the manifest recorded does not match it."""
    path = backup(tmp_path).path
    with new_database():
        assert services.restore_backup(path).ok
        last = AuditHead.objects.get().last_seq
        tampering.rehash(last, summary="重写了最后一条")
        AuditHead.objects.update(last_hash=AuditRecord.objects.get(seq=last).hash)
        report = services.verify_restored(services.Manifest.read(path))
        assert {check.name: check.ok for check in report.checks} == {
            "行数": True, "审计链": True, "审计链头": False, "上传文件": True}


@pytest.mark.parametrize(("changes", "error", "code"), [
    pytest.param({"engine": "oracle"}, IncompatibleSet, "backup.incompatible", id="other engine"),
    pytest.param({"migrations": {"cases": ["9999_from_the_future"]}}, IncompatibleSet,
                 "backup.newer_code", id="newer code"),
])
def test_a_set_this_site_cannot_load_is_refused_before_the_database_is_touched(
        site, new_database, tmp_path, changes, error, code):
    path = backup(tmp_path).path
    edit_manifest(path, **changes)
    with new_database() as target:
        with pytest.raises(error) as refused:
            services.restore_backup(path)
        assert refused.value.code == code
        assert target.introspection.table_names() == []


@SERVER_ENGINES
def test_a_set_from_a_newer_server_is_refused(site, new_database, tmp_path):
    path = backup(tmp_path).path
    flavour = "-MariaDB" if connection.vendor == "mysql" else ""
    edit_manifest(path, server_version=f"99.1{flavour}")
    with new_database() as target:
        with pytest.raises(ServerVersionMismatch, match=r"99\.1"):
            services.restore_backup(path)
        assert target.introspection.table_names() == []


def test_a_database_with_tables_is_refused_without_force(site, tmp_path):
    path = backup(tmp_path).path
    with pytest.raises(TargetNotEmpty, match="--force"):
        services.restore_backup(path)
    assert Case.objects.count() == 1


@SERVER_ENGINES
def test_a_write_committed_while_the_backup_runs_is_in_neither_the_dump_nor_the_manifest(
        site, new_database, tmp_path, monkeypatch):
    """The counts and the head are the dump's snapshot's, not the live database's afterwards."""
    real_run_tool = engines.run_tool

    def dump_then_write(command, **kwargs):
        output = real_run_tool(command, **kwargs)
        if any(arg.startswith(("--snapshot", "--single-transaction")) for arg in command):
            _, errors = in_threads(1, lambda _: audit.record("case.accepted", summary="备份期间写入"))
            assert errors == []
        return output

    before = AuditHead.objects.values_list("last_seq", "last_hash").get()
    monkeypatch.setattr(engines, "run_tool", dump_then_write)
    written = backup(tmp_path)
    manifest = written.manifest
    assert AuditRecord.objects.count() == before[0] + 1
    assert manifest.row_counts[AuditRecord._meta.db_table] == before[0]
    assert (manifest.audit_head["seq"], manifest.audit_head["hash"]) == before
    with new_database():
        assert services.restore_backup(written.path).ok
