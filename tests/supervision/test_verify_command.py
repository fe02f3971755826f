import json

import pytest
from django.core.management import execute_from_command_line

from . import tampering
from .tampering import build_chain


def verify_audit(*options: str) -> int:
    """Run the command as ``manage.py`` does and return its exit status."""
    try:
        execute_from_command_line(["manage.py", "verify_audit", *options])
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_an_intact_chain_exits_0_and_says_how_many_records_were_checked(db, capsys):
    build_chain(3)
    assert verify_audit() == 0
    assert "审计链完整：共校验 3 条记录" in capsys.readouterr().out


def test_a_tampered_chain_exits_1_and_names_the_first_broken_record(db, capsys):
    build_chain(4)
    tampering.edit(2, summary="篡改")
    assert verify_audit() == 1
    err = capsys.readouterr().err
    assert "审计链在第 2 条记录处断裂：第2条记录的内容与其哈希值不符" in err
    assert "audit.hash_mismatch" in err


@pytest.mark.parametrize(("tamper", "expected"), [
    (lambda: None, {"ok": True, "checked": 4, "first_broken_seq": None, "first_broken_id": None,
                    "reason": "", "reason_code": ""}),
    (lambda: tampering.truncate(3), {"ok": False, "checked": 2, "first_broken_seq": 3,
                                     "first_broken_id": None, "reason_code": "audit.truncated"}),
], ids=["intact", "truncated"])
def test_json_prints_the_report(db, capsys, tamper, expected):
    build_chain(4)
    tamper()
    assert verify_audit("--json") == (0 if expected["ok"] else 1)
    report = json.loads(capsys.readouterr().out)
    assert report.items() >= expected.items()
