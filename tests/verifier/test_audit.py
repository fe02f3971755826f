"""The stand-alone audit verifier against what the platform exports and publishes.

Each test builds a chain in the database, signs checkpoints, tampers the way someone with write
access to the database would, exports through ``manage.py export_audit`` and the public URLs, and
runs ``python -m verifier audit`` in a separate, isolated Python (-I, an empty environment, the
verifier copied out of the repository), so nothing of the platform can help it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.supervision import tampering
from tests.supervision.tampering import build_chain
from yiwang.seals import crypto
from yiwang.seals.services import SIGNED_FIELDS, canonical_bytes
from yiwang.supervision import checkpoints
from yiwang.supervision.models import AuditHead, AuditRecord

VERIFIER = Path(__file__).resolve().parents[2] / "verifier"
# Debian's own Python 3.11: no tongsuopy there, so SM2 goes through the openssl command.
SYSTEM_PYTHON = shutil.which("python3.11", path="/usr/bin")
# Runs the copied package as ``python -m verifier`` would, then says whether any of the platform
# or of Django was imported on the way.
RUNNER = """
import runpy, sys
sys.path.insert(0, sys.argv.pop(1))
sys.argv[0] = "verifier"
try:
    runpy.run_module("verifier", run_name="__main__", alter_sys=True)
    code = 0
except SystemExit as exc:
    code = exc.code
leaked = sorted(name for name in sys.modules if name.split(".")[0] in ("django", "yiwang", "tests"))
print("LEAKED", leaked, file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def exported(tmp_path, client):
    """Export the records and the checkpoints as a verifier would get them: the records from the
    command, the checkpoints and the key downloaded from the public URLs."""

    def export(*, first: int = 1, last: int | None = None, page_size: int = 500) -> Path:
        options = {"output": str(tmp_path / "records.jsonl"), "first": first}
        if last is not None:
            options["last"] = last
        call_command("export_audit", **options)
        pages, after = [], 0
        while after is not None:
            document = client.get("/audit/checkpoints.json", {"after": after, "limit": page_size}).json()
            pages.append(document)
            after = document["next_after"]
        for number, document in enumerate(pages):
            (tmp_path / f"checkpoints-{number}.json").write_text(json.dumps(document, ensure_ascii=False))
        (tmp_path / "platform.pem").write_text(client.get("/audit/public-key.pem").content.decode())
        return tmp_path

    return export


def verify(folder: Path, *, python: str = sys.executable, keys: tuple[str, ...] = ("platform.pem",)) -> Run:
    isolated = folder / "isolated"
    if not isolated.exists():
        shutil.copytree(VERIFIER, isolated / "verifier", ignore=shutil.ignore_patterns("__pycache__"))
    args = ["audit", "--records", str(folder / "records.jsonl")]
    for page in sorted(folder.glob("checkpoints-*.json")):
        args += ["--checkpoints", str(page)]
    for key in keys:
        args += ["--public-key", str(folder / key)]
    result = subprocess.run([python, "-I", "-c", RUNNER, str(isolated), *args], capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin"}, cwd=folder, timeout=120)
    assert "LEAKED []" in result.stderr, result.stderr
    return Run(result.returncode, result.stdout, result.stderr)


def anchored_chain(records: int = 5, after: int = 0) -> int:
    """``records`` records, a checkpoint (the platform seal's creation is a record too), then
    ``after`` more: the checkpoint's seq."""
    build_chain(records)
    seq = checkpoints.create_checkpoint(force=True).seq
    if after:
        build_chain(after)
    return seq


def test_an_untouched_anchored_chain_verifies_in_isolation(db, platform_seal, exported):
    anchored = anchored_chain()
    result = verify(exported())
    assert result.code == 0, result.out + result.err
    assert f"第 1 至 {anchored} 条记录未被改动" in result.out
    assert "核验通过" in result.out and "尚未锚定" not in result.out


@pytest.mark.skipif(SYSTEM_PYTHON is None or shutil.which("openssl") is None,
                    reason="needs Debian's python3.11 (without tongsuopy) and openssl")
def test_the_verifier_runs_on_a_python_without_tongsuopy_through_openssl(db, platform_seal, exported):
    anchored_chain()
    folder = exported()
    result = verify(folder, python=SYSTEM_PYTHON)
    assert result.code == 0, result.out + result.err
    assert "SM2 验签：openssl" in result.out
    tampering.rewrite_tail(2, summary="改写")
    exported()
    assert verify(folder, python=SYSTEM_PYTHON).code == 1


def test_a_tail_rewritten_with_every_hash_recomputed_fails_at_the_checkpoint(db, platform_seal, exported):
    anchored = anchored_chain(after=2)
    tampering.rewrite_tail(2, summary="改写为不予受理")
    # The chain on its own is consistent again: only the signed checkpoint can tell.
    result = verify(exported())
    assert result.code == 1
    assert f"第 {anchored} 条记录的哈希与该序号的签名检查点" in result.out
    assert "核验未通过" in result.out


def test_a_forged_checkpoint_over_the_rewritten_tail_is_refused(db, platform_seal, exported):
    anchored = anchored_chain()
    tampering.rewrite_tail(2, summary="改写")
    folder = exported()
    # The forger signs a checkpoint of the rewritten head with a key of their own.
    page = folder / "checkpoints-0.json"
    document = json.loads(page.read_text())
    entry = document["checkpoints"][-1]
    entry["data"]["head_hash"] = AuditHead.objects.get().last_hash
    public_pem, sealed = crypto.generate_key_pair()
    entry["signature"]["data_hash"] = crypto.sm3_hex(canonical_bytes(entry["data"]))
    message = canonical_bytes({name: entry["signature"][name] for name in SIGNED_FIELDS})
    entry["signature"]["signature"] = base64.b64encode(crypto.sign(sealed, public_pem, message)).decode()
    page.write_text(json.dumps(document, ensure_ascii=False))
    result = verify(folder)
    assert result.code == 1
    assert f"检查点 #{anchored} 的签名无效" in result.out
    # Handed the forger's key instead, it verifies the signature but not the platform's:
    (folder / "forger.pem").write_text(public_pem)
    assert verify(folder, keys=("forger.pem",)).code == 0


def test_a_checkpoint_whose_data_was_edited_is_refused(db, platform_seal, exported):
    anchored = anchored_chain()
    folder = exported()
    page = folder / "checkpoints-0.json"
    document = json.loads(page.read_text())
    document["checkpoints"][-1]["data"]["at"] = "2099-01-01T00:00:00.000000+00:00"
    page.write_text(json.dumps(document))
    result = verify(folder)
    assert result.code == 1 and f"检查点 #{anchored} 的内容与签名时的摘要不符" in result.out


@pytest.mark.parametrize(("tamper", "message"), [
    (lambda: tampering.delete(3), "第 3 条记录缺失"),
    (lambda: tampering.swap(2, 4), "第 2 条记录的内容与其哈希值不符"),
    (lambda: tampering.edit(4, summary="篡改"), "第 4 条记录的内容与其哈希值不符"),
    (lambda: tampering.rehash(3, prev_hash="e" * 64), "第 3 条记录的前序哈希与第 2 条记录的哈希不符"),
], ids=["deleted", "reordered", "edited", "relinked"])
def test_deleted_reordered_or_edited_records_fail(db, platform_seal, exported, tamper, message):
    anchored_chain()
    tamper()
    result = verify(exported())
    assert result.code == 1 and message in result.out, result.out


def test_lines_reordered_in_the_export_file_fail(db, platform_seal, exported):
    anchored_chain()
    folder = exported()
    lines = (folder / "records.jsonl").read_text().splitlines()
    lines[1], lines[2] = lines[2], lines[1]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n")
    result = verify(folder)
    assert result.code == 1 and "第 2 条记录缺失或不在其位置（第 2 行是第 3 条）" in result.out


def test_records_after_the_last_checkpoint_are_reported_as_not_yet_anchored(db, platform_seal, exported):
    anchored = anchored_chain(after=3)
    result = verify(exported())
    assert result.code == 0
    assert f"第 {anchored + 1} 至 {anchored + 3} 条记录尚未锚定" in result.out
    assert f"第 1 至 {anchored} 条记录未被改动" in result.out


def test_a_range_is_proved_by_the_checkpoint_inside_it_and_linked_to_the_one_before(db, platform_seal,
                                                                                   exported):
    first = anchored_chain()
    second = anchored_chain(records=3)
    result = verify(exported(first=first + 1, page_size=1))  # two pages of one checkpoint each
    assert result.code == 0, result.out
    assert f"第 {first + 1} 至 {second} 条记录未被改动" in result.out
    # Its first record links to the hash the earlier checkpoint signed.
    tampering.rehash(first + 1, prev_hash="d" * 64)
    assert "前序哈希" in verify(exported(first=first + 1)).out


def test_a_checkpoint_left_out_of_the_list_is_noticed(db, platform_seal, exported):
    anchored_chain()
    anchored_chain(records=2)
    third = anchored_chain(records=2)
    folder = exported(page_size=1)
    (folder / "checkpoints-1.json").unlink()
    result = verify(folder)
    assert result.code == 1
    assert f"检查点 #{third} 的前一检查点是" in result.out


def test_old_sha256_records_continued_in_sm3_verify(db, request, exported):
    moment = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    first = tampering.legacy_record(1, moment, "0" * 64)
    tampering.legacy_record(2, moment, first.hash)
    request.getfixturevalue("platform_seal")  # its creation is the first SM3 record
    anchored_chain(records=2)
    assert AuditRecord.objects.filter(hash_algorithm="sha256").count() == 2
    result = verify(exported())
    assert result.code == 0, result.out


def test_a_time_going_backwards_fails(db, platform_seal, exported):
    anchored_chain()
    earlier = AuditRecord.objects.get(seq=2).at
    tampering.rewrite_tail(3, at=earlier)
    result = verify(exported())
    assert result.code == 1 and "第 3 条记录的时间" in result.out and "时间必须沿链递增" in result.out


def test_unreadable_input_exits_with_status_2(db, platform_seal, exported):
    anchored_chain()
    folder = exported()
    (folder / "records.jsonl").write_text('{"seq": 1}\n')
    result = verify(folder)
    assert result.code == 2 and "输入格式错误" in result.err


def test_json_output_names_the_range_the_anchor_and_the_warnings(db, platform_seal, exported, capsys):
    from verifier.__main__ import main

    anchored = anchored_chain(after=1)
    folder = exported()
    code = main(["audit", "--records", str(folder / "records.jsonl"), "--checkpoints",
                 str(folder / "checkpoints-0.json"), "--public-key", str(folder / "platform.pem"), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["ok"], report["first_seq"], report["last_seq"], report["anchored_through"],
            report["checkpoints"], report["problems"]) == (True, 1, anchored + 1, anchored, 1, [])
    assert report["warnings"] == [f"第 {anchored + 1} 至 {anchored + 1} 条记录尚未锚定：其后没有签名检查点，"
                                  "只核对了哈希和链接，不能证明未被改动（待下一个检查点公布后再核验）"]
