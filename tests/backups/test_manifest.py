"""What is not a backup set is refused by name, before any file of it is read."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from yiwang.backups.errors import CorruptSet
from yiwang.backups.manifest import FORMAT, MANIFEST_NAME, check_set


def test_a_directory_without_a_manifest_is_not_a_set(tmp_path):
    with pytest.raises(CorruptSet) as refused:
        check_set(tmp_path)
    assert refused.value.code == "backup.no_manifest"
    with pytest.raises(CommandError, match="不是备份集"):
        call_command("verify_backup", str(tmp_path))


@pytest.mark.parametrize("content", [
    pytest.param("{not json", id="not JSON"),
    pytest.param(json.dumps({"format": "other/1"}), id="other format"),
    pytest.param(json.dumps({"format": FORMAT, "engine": "sqlite"}), id="fields missing"),
])
def test_an_unreadable_manifest_refuses_the_set(tmp_path, content):
    (tmp_path / MANIFEST_NAME).write_text(content)
    with pytest.raises(CorruptSet, match="备份清单"):
        check_set(tmp_path)
