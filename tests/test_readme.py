"""The README's commands run as written on a fresh checkout's shell, without the environment a
developer may have exported."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_command(marker: str) -> str:
    """The backquoted command of the README sentence that ends with ``marker``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").replace("\n", "")
    match = re.search(r"`([^`]+)`\s*" + re.escape(marker), text)
    assert match, f"README 中没有“{marker}”的命令"
    return match.group(1)


def test_readme_totp_command_prints_the_code_without_exported_settings(tmp_path):
    command = _readme_command("查看当前口令").split()
    # Our own interpreter stands in for the checkout's .venv, however the README spells it.
    if command[0] == "make":
        command += [f"PY={sys.executable}"]
    else:
        command[0] = sys.executable
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("YIWANG_", "DJANGO_"))}
    env["YIWANG_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert re.search(r"当前动态口令：\d{6}", done.stdout)
