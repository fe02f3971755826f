"""Run ruff and the test suite on every database that answers on this machine.

SQLite always; PostgreSQL at 127.0.0.1:5432 (user postgres) and MariaDB at 127.0.0.1:3306 (root)
when they accept a connection. Prints which databases were covered and exits non-zero if any
run failed. The databases' runs go at the same time (YIWANG_TEST_SERIAL=1: one after another).
With YIWANG_REQUIRE_ALL_DATABASES=1 (CI), a database that does not answer, or a
driver that cannot be installed, is a failure rather than a skip.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = os.environ.get("YIWANG_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/yiwang")
MYSQL_URL = os.environ.get("YIWANG_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/yiwang")
STRICT = os.environ.get("YIWANG_REQUIRE_ALL_DATABASES") == "1"


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def mysql_driver_ready() -> tuple[bool, str]:
    probe = [PYTHON, "-c", "import MySQLdb"]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return True, ""
    print("安装 MariaDB 驱动 mysqlclient（需要 pkg-config 和 libmariadb-dev）…", flush=True)
    install = subprocess.run(
        [PYTHON, "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements-mysql.lock")],
        capture_output=True, text=True,
    )
    if install.returncode != 0:
        return False, ("mysqlclient 无法编译安装；请先执行 "
                       "apt-get install pkg-config libmariadb-dev")
    return True, ""


def start_pytest(label: str, database_url: str | None, extra: list[str], log) -> subprocess.Popen:
    env = dict(os.environ)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    command = [PYTHON, "-m", "pytest", *extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def run_all(runs: list[tuple[str, str | None]], extra: list[str]) -> dict[str, bool]:
    """Each database's run in a process of its own, all at once (they wait on their database
    servers and browsers as much as on the processor, so together they take far less than one
    after another; YIWANG_TEST_SERIAL=1 runs them in turn). Each run's output is printed whole
    when it ends, so the runs do not interleave."""
    serial = os.environ.get("YIWANG_TEST_SERIAL") == "1"
    results: dict[str, bool] = {}
    pending = []
    with contextlib.ExitStack() as logs:
        for label, url in runs:
            log = logs.enter_context(tempfile.TemporaryFile())
            print(f"=== 开始测试: {label} ===", flush=True)
            pending.append((label, start_pytest(label, url, extra, log), log))
            if serial:
                results.update(finish(*pending.pop()))
        for label, process, log in pending:
            results.update(finish(label, process, log))
    return results


def finish(label: str, process: subprocess.Popen, log) -> dict[str, bool]:
    process.wait()
    log.seek(0)
    print(f"\n=== 测试数据库: {label} ===", flush=True)
    sys.stdout.buffer.write(log.read())
    sys.stdout.flush()
    return {label: process.returncode == 0}


def main(argv: list[str]) -> int:
    print("=== ruff ===", flush=True)
    lint_ok = subprocess.run([PYTHON, "-m", "ruff", "check", "."], cwd=ROOT).returncode == 0
    results: dict[str, str] = {}
    failed = not lint_ok

    runs = [("SQLite", None)]
    if answers("127.0.0.1", 5432):
        runs.append(("PostgreSQL", PG_URL))
    else:
        results["PostgreSQL"] = "未运行（127.0.0.1:5432 无响应）"
    if answers("127.0.0.1", 3306):
        ok, why = mysql_driver_ready()
        if ok:
            runs.append(("MariaDB", MYSQL_URL))
        else:
            results["MariaDB"] = f"未运行（{why}）"
    else:
        results["MariaDB"] = "未运行（127.0.0.1:3306 无响应）"

    for label, ok in run_all(runs, argv).items():
        results[label] = "通过" if ok else "失败"
        failed |= not ok

    print("\n=== 覆盖的数据库 ===")
    print(f"ruff: {'通过' if lint_ok else '失败'}")
    for label in ("SQLite", "PostgreSQL", "MariaDB"):
        print(f"{label}: {results[label]}")
        if STRICT and results[label].startswith("未运行"):
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
