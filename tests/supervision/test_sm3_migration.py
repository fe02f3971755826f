"""A chain written before SM3 keeps verifying after the migration, and continues in SM3 with
times strictly after its last record."""

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from yiwang.supervision import audit
from yiwang.supervision.audit import ChainReport, verify_chain

BEFORE = [("supervision", "0001_initial")]
AFTER = [("supervision", "0002_audit_sm3_times_checkpoints")]


def old_hash(fields: dict) -> str:
    """The hash the code before SM3 gave a record."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_old_records_keep_sha256_and_the_chain_continues_in_sm3_after_them(monkeypatch):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Record, Head = old.get_model("supervision", "AuditRecord"), old.get_model("supervision", "AuditHead")
    # The clock of the upgraded server lags the last old record: the new record must still follow it.
    last_at = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
    prev = "0" * 64
    for seq in (1, 2):
        fields = {"seq": seq, "at": last_at.isoformat(timespec="microseconds"), "kind": "case.accepted",
                  "actor_id": None, "actor_name": "", "on_behalf": "", "subject_type": "", "subject_id": "",
                  "summary": "旧记录", "data": {}, "ip": None, "prev_hash": prev}
        prev = old_hash(fields)
        Record.objects.create(seq=seq, at=last_at, kind="case.accepted", summary="旧记录", data={},
                              prev_hash=fields["prev_hash"], hash=prev)
    Head.objects.update_or_create(pk=1, defaults={"last_seq": 2, "last_hash": prev})

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert verify_chain() == ChainReport(ok=True, checked=2)
    monkeypatch.setattr(audit.timezone, "now", lambda: last_at - dt.timedelta(hours=1))
    entry = audit.record("case.accepted")
    assert (entry.hash_algorithm, entry.prev_hash) == ("sm3", prev)
    assert entry.at == last_at + dt.timedelta(microseconds=1)
    assert verify_chain() == ChainReport(ok=True, checked=3)
