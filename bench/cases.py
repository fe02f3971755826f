"""Case-handling benchmark (办件基准): full lifecycles on SQLite and PostgreSQL beside pgbench and
SpiffWorkflow, and the public progress query at 10,000 and 1,000,000 cases.

    .venv/bin/python bench/cases.py [--lifecycles 200] [--runs 3] [--large 1000000] [--profile]
    .venv/bin/python bench/cases.py --quick      # a short smoke run: small N, 100,000 cases

Prints
  (a) lifecycles per second — 申请（start_application → save_draft → attach_file → submit）→ 受理
      → two parallel department reviews → 决定（通过）, every step one call of the real services in
      its own transaction, single-threaded in one process; the median of ``--runs`` runs of
      ``--lifecycles`` each, on SQLite and on PostgreSQL;
  (b) ``pgbench -N`` tps on the same PostgreSQL server (1 client, to compare with the one-thread
      loop; 2 clients for reference);
  (c) SpiffWorkflow's create → complete every task → serialize loop for the same two-branch
      process as BPMN, in memory (serialized once per loop, and, for reference, after every step);
  (d) p50/p99 of the public progress lookup (``yiwang.cases.selectors.progress_lookup``) and of
      GET /api/cases/progress on a real server on 127.0.0.1, with 10,000 and with 1,000,000 cases.
Targets: (a) PostgreSQL ≥ 0.2 × (b) at 1 client; (a) ≥ 1 × (c); p99(1M) ≤ 1.5 × p99(10k).

Production settings (YIWANG_DEBUG=0). Notifications are queued to Django's DummyBackend, so the
timed loop pays for writing the messages and enqueueing them but not for delivering them. Every
part runs in its own process; the SQLite database, uploads and var/ live in a temporary directory
and the PostgreSQL databases (yiwang_bench_cases, yiwang_bench_pgbench on 127.0.0.1:5432, user
postgres) are created and dropped by the script; var/yiwang.sqlite3 is never touched.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from _common import production_env, run_phase

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_CASES_DB = "yiwang_bench_cases"
PG_PGBENCH_DB = "yiwang_bench_pgbench"
PGBENCH_TARGET = 0.2
PGBENCH_STATEMENTS = 5  # one -N transaction: BEGIN, UPDATE, SELECT, INSERT, END
SPIFF_TARGET = 1.0
GROWTH_TARGET = 1.5
MISS_SHARE = 0.10
PASSES = 3
PROGRESS_URL = "/api/cases/progress"


# --- helpers shared by the phases ----------------------------------------------------------------

def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timings(samples: list[float]) -> dict:
    return {"p50": percentile(samples, 50) * 1000, "p99": percentile(samples, 99) * 1000,
            "n": len(samples)}


def timed_passes(sample: list, lookup) -> dict:
    """Time ``lookup(number, name, hit)`` over the sample PASSES times; p50 and p99 are the
    medians over the passes, so one pass disturbed by another process does not decide a ratio
    of two p99s."""
    for number, name, hit in sample[:200]:  # warm up connection and caches
        lookup(number, name, hit)
    passes = []
    for _ in range(PASSES):
        samples = []
        for number, name, hit in sample:
            started = time.perf_counter()
            lookup(number, name, hit)
            samples.append(time.perf_counter() - started)
        passes.append(timings(samples))
    return {"p50": statistics.median(t["p50"] for t in passes),
            "p99": statistics.median(t["p99"] for t in passes),
            "p99_passes": [t["p99"] for t in passes], "n": len(sample)}


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


# --- phases (each a child process) ---------------------------------------------------------------

def phase_lifecycle(lifecycles: int, runs: int, warmup: int, profile: bool) -> None:
    setup_django()
    import cProfile
    import io
    import pstats

    from _cases_world import World
    from django.core.management import call_command
    from django.db import connection

    from yiwang.cases.models import Case, Status

    call_command("migrate", verbosity=0)
    world = World.create()
    for _ in range(warmup):
        world.lifecycle()
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(lifecycles):
            world.lifecycle()
        rates.append(lifecycles / (time.perf_counter() - started))

    # One more lifecycle, untimed, with every statement counted (and kept, to spot repeats).
    statements: dict[str, list[str]] = {}
    current: list[str] = []

    def count(execute, sql, params, many, context):
        current.append(sql)
        return execute(sql, params, many, context)

    def step(name: str) -> None:
        if name:
            statements[name] = current.copy()
        current.clear()

    with connection.execute_wrapper(count):
        case = world.lifecycle(step)
    if case.status != Status.APPROVED:
        raise SystemExit(f"the lifecycle ended in {case.status}")
    result = {"vendor": connection.vendor, "rates": rates, "median": statistics.median(rates),
              "lifecycles": lifecycles, "runs": runs,
              "queries": {name: len(sqls) for name, sqls in statements.items()}}
    if profile:
        result["repeated"] = {name: repeats(sqls) for name, sqls in statements.items()}
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(lifecycles):
            world.lifecycle()
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
        stats.print_stats(15)
        stats.print_stats(str(ROOT / "yiwang"), 15)  # the same, our own functions only
        result["profile"] = text.getvalue()
    result["cases"] = Case.objects.count()
    emit(result)


def repeats(sqls: list[str]) -> list[list]:
    """Statements run more than once in one step, with how often (a hint of a lookup repeated)."""
    counted: dict[str, int] = {}
    for sql in sqls:
        counted[sql] = counted.get(sql, 0) + 1
    return sorted(([n, sql] for sql, n in counted.items() if n > 1), reverse=True)


def lookup_function():
    """The public progress lookup, or while the selector is not there yet the single query it is
    expected to make (said so in the output)."""
    try:
        from yiwang.cases.selectors import progress_lookup
    except ImportError:
        from yiwang.cases.models import Case

        def progress_lookup(number, name):
            return (Case.objects.select_related("version", "department")
                    .filter(number=number, applicant_name=name).first())

        return progress_lookup, "Case.objects.filter(number=…, applicant_name=…)（选择器尚不存在）"
    return progress_lookup, "yiwang.cases.selectors.progress_lookup"


def phase_progress(fill_from: int, fill_to: int, lookups: int, seed: int) -> None:
    """Add filler cases ``fill_from`` … ``fill_to - 1``, then time the progress lookup for random
    existing numbers with the right name and for misses (a wrong name, an unknown number)."""
    setup_django()
    from _cases_world import World, fill_cases, fill_name, fill_number
    from django.db import connection

    from yiwang.cases.models import Case
    from yiwang.common.errors import DomainError

    world = World.load()
    started = time.perf_counter()
    fill_cases(world, fill_from, fill_to)
    fill_seconds = time.perf_counter() - started
    prefix = world.item.implementation_code
    rng = random.Random(seed)
    misses = round(lookups * MISS_SHARE)
    sample = [(fill_number(prefix, i), fill_name(i), True)
              for i in rng.sample(range(fill_to), lookups)]
    for n in range(misses):
        i = rng.randrange(fill_to)
        sample.append((fill_number(prefix, i), fill_name(i + 1), False) if n % 2
                      else (fill_number(prefix, fill_to + i), fill_name(fill_to + i), False))
    rng.shuffle(sample)
    lookup, label = lookup_function()

    def checked(number: str, name: str, hit: bool) -> None:
        try:
            found = lookup(number, name) is not None
        except DomainError:
            found = False
        if found != hit:
            raise SystemExit(f"progress lookup of {number} {name}: expected found={hit}")

    emit({"vendor": connection.vendor, "cases": Case.objects.count(), "fill_seconds": fill_seconds,
          "timings": timed_passes(sample, checked), "label": label, "sample": sample})


def phase_serve() -> None:
    """Serve the site on a free port of 127.0.0.1 until stdin closes."""
    import logging
    import threading
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic for the API
    setup_django()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        disable_nagle_algorithm = True  # as gunicorn does; see bench/search.py

        def log_message(self, *args):
            pass

    logging.getLogger("django.request").setLevel(logging.ERROR)  # every miss is a 404 warning
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    emit({"port": server.server_address[1]})
    sys.stdin.read()
    server.shutdown()


def phase_spiff(loops: int, runs: int) -> None:
    from _cases_spiff import measure

    emit(measure(loops, runs))


# --- the parent: databases, pgbench, HTTP timing, the table --------------------------------------

def pg_admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def recreate(database: str) -> None:
    pg_admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", f"CREATE DATABASE {database}")


def drop(database: str) -> None:
    pg_admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def pgbench(seconds: int) -> dict:
    """Scale 10, then the simple-update (-N) script with one client and with two."""
    connect = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
    recreate(PG_PGBENCH_DB)
    subprocess.run(["pgbench", *connect, "-i", "-s", "10", "-q", PG_PGBENCH_DB], check=True,
                   capture_output=True)
    out = {}
    for clients in (1, 2):
        completed = subprocess.run(["pgbench", *connect, "-N", "-c", str(clients), "-j", str(clients),
                                    "-T", str(seconds), PG_PGBENCH_DB], check=True,
                                   capture_output=True, text=True)
        tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", completed.stdout)
        out[clients] = float(tps.group(1))
    return out


def time_http(port: int, sample: list) -> dict:
    """Sequential keep-alive GETs of the sample; a hit must answer 200 and a miss 404, else the
    endpoint is missing or wrong and HTTP is skipped with the reason (a missing URL is a 404 to
    the first lookup, which is a hit)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(number: str, name: str) -> tuple[int, bytes]:
        connection.request("GET", PROGRESS_URL + "?" + urllib.parse.urlencode(
            {"number": number, "name": name}))
        response = connection.getresponse()
        return response.status, response.read()

    class Unexpected(Exception):
        pass

    def checked(number: str, name: str, hit: bool) -> None:
        status, body = get(number, name)
        if status != (200 if hit else 404):
            raise Unexpected(f"GET {PROGRESS_URL}（{number} {name}，{'存在' if hit else '不存在'}）"
                             f"返回 {status}：{body[:120].decode(errors='replace')}")

    try:
        return timed_passes(sample, checked)
    except Unexpected as exc:
        return {"skipped": str(exc)}
    finally:
        connection.close()


def check_prerequisites() -> None:
    import importlib.util

    import psycopg

    missing = [what for what, there in (
        ("SpiffWorkflow（.venv/bin/pip install -r requirements-bench.txt）",
         importlib.util.find_spec("SpiffWorkflow")),
        ("pgbench（apt-get install postgresql-client）", shutil.which("pgbench"))) if not there]
    try:
        pg_admin("SELECT 1")
    except psycopg.OperationalError as exc:
        missing.append(f"PostgreSQL（{PG_SERVER}，用户 postgres，trust 认证）：{exc}")
    if missing:
        raise SystemExit("缺少：" + "；".join(missing))


def progress_series(env: dict, common: list[str], args, cases_before: int) -> list[dict]:
    """At each size: fill up to it, time the selector in a child, then HTTP against a server."""
    results, filled = [], 0
    for size in (args.small, args.large):
        target = max(filled, size - cases_before)
        print(f"  填充到 {size:,} 个办件并计时…", flush=True)
        result = run_phase(__file__, env, "--phase", "progress", "--fill-from", str(filled), "--fill-to",
                           str(target), *common)
        filled = target
        serve = subprocess.Popen([sys.executable, __file__, "--phase", "serve"], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            line = serve.stdout.readline()
            if not line.startswith("RESULT "):
                raise SystemExit("serve phase failed")
            result["http"] = time_http(json.loads(line[len("RESULT "):])["port"], result["sample"])
        finally:
            serve.stdin.close()
            serve.wait(timeout=30)
        del result["sample"]
        result["size"] = size
        results.append(result)
        print(f"    {result['cases']:,} 个办件（填充 {result['fill_seconds']:.1f} 秒），"
              f"选择器 p99 {result['timings']['p99']:.2f} 毫秒", flush=True)
    return results


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=200, help="lifecycles per timed run")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the median is reported")
    parser.add_argument("--warmup", type=int, default=20, help="untimed lifecycles first")
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--spiff-loops", type=int, default=2000, help="SpiffWorkflow loops per run")
    parser.add_argument("--small", type=int, default=10_000, help="cases for the first progress timing")
    parser.add_argument("--large", type=int, default=1_000_000, help="cases for the second one")
    parser.add_argument("--lookups", type=int, default=2000, help="existing numbers looked up "
                        f"(plus {round(MISS_SHARE * 100)}%% misses)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-sqlite-progress", action="store_true",
                        help="time the progress query on PostgreSQL only")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 30 lifecycles, 5 s pgbench, 100,000 cases, 500 lookups")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one run of lifecycles (cProfile, top 15 by cumulative)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--fill-from", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--fill-to", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.lifecycles, args.warmup, args.pgbench_seconds = 30, 5, 5
        args.spiff_loops, args.large, args.lookups = 300, 100_000, 500

    if args.phase:
        {"lifecycle": lambda: phase_lifecycle(args.lifecycles, args.runs, args.warmup, args.profile),
         "progress": lambda: phase_progress(args.fill_from, args.fill_to, args.lookups, args.seed),
         "serve": phase_serve,
         "spiff": lambda: phase_spiff(args.spiff_loops, args.runs)}[args.phase]()
        return

    check_prerequisites()
    workdir = Path(tempfile.mkdtemp(prefix="yiwang-bench-cases-"))
    base = {**os.environ, **production_env(workdir),
            "YIWANG_SEARCH_INDEX_DIR": str(workdir / "index"),
            # The benchmark is the only client; the per-address limit would refuse it.
            "YIWANG_PROGRESS_QUERIES_PER_MINUTE": "1000000000"}
    envs = {"sqlite": {**base, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
                       "YIWANG_VAR_DIR": str(workdir / "var-sqlite")},
            "postgresql": {**base, "DATABASE_URL": f"{PG_SERVER}/{PG_CASES_DB}",
                           "YIWANG_VAR_DIR": str(workdir / "var-postgresql")}}
    common = ["--lifecycles", str(args.lifecycles), "--runs", str(args.runs), "--warmup",
              str(args.warmup), "--lookups", str(args.lookups), "--seed", str(args.seed),
              "--spiff-loops", str(args.spiff_loops), *(["--profile"] if args.profile else [])]
    started = time.perf_counter()
    load = os.getloadavg()[0]
    lifecycle, progress = {}, {}
    try:
        print(f"工作目录 {workdir}；开始时 1 分钟平均负载 {load:.2f}（{os.cpu_count()} 核）", flush=True)
        recreate(PG_CASES_DB)
        for vendor, env in envs.items():
            print(f"办件全流程：{vendor}，{args.runs} 轮 × {args.lifecycles} 件…", flush=True)
            lifecycle[vendor] = run_phase(__file__, env, "--phase", "lifecycle", *common)
            print(f"  {lifecycle[vendor]['median']:.1f} 件/秒", flush=True)
        print(f"pgbench -N（-s 10，{args.pgbench_seconds} 秒）…", flush=True)
        tps = pgbench(args.pgbench_seconds)
        print(f"  1 个客户端 {tps[1]:.0f} tps，2 个客户端 {tps[2]:.0f} tps", flush=True)
        print("SpiffWorkflow 循环…", flush=True)
        spiff = run_phase(__file__, base, "--phase", "spiff", *common)
        print(f"  {spiff['at_end']['median']:.0f} 次/秒", flush=True)
        for vendor in envs if not args.no_sqlite_progress else ["postgresql"]:
            print(f"进度查询：{vendor}…", flush=True)
            progress[vendor] = progress_series(envs[vendor], common, args,
                                               lifecycle[vendor]["cases"])
    finally:
        for database in (PG_CASES_DB, PG_PGBENCH_DB):
            drop(database)
        if args.keep:
            print(f"保留工作目录 {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report(args, lifecycle, tps, spiff, progress, time.perf_counter() - started, load)


def report(args, lifecycle, tps, spiff, progress, seconds, load_before):
    for vendor, result in lifecycle.items():
        print(f"\n== 每一步的 SQL 语句数（{vendor}，一件办件） ==")
        for name, count in [*result["queries"].items(), ("合计", sum(result["queries"].values()))]:
            print(f"  {pad(name, 30)}{count:>4}")
        if "profile" in result:
            print("  同一步里执行了不止一次的语句（提示重复的查找；通知、任务和审计记录本就有两条）：")
            for name, repeated in result["repeated"].items():
                for n, sql in repeated:
                    print(f"    {n}× {name}：{sql[:100]}")
            print(f"\n== cProfile：{vendor}，{args.lifecycles} 件，按累计时间前 15 ==")
            print(result["profile"].strip())

    ours = {vendor: result["median"] for vendor, result in lifecycle.items()}
    spiff_rate = spiff["at_end"]["median"]
    rows = []  # (label, figure, target, met or None)

    def row(label, figure, target="", met=None):
        rows.append((label, figure, target, met))

    for vendor, rate in ours.items():
        spread = "–".join(f"{r:.1f}" for r in (min(lifecycle[vendor]["rates"]),
                                                max(lifecycle[vendor]["rates"])))
        row(f"办件全流程 {vendor}", f"{rate:.1f} 件/秒（{spread}）")
    row("pgbench -N，1 个客户端", f"{tps[1]:.0f} tps")
    row("pgbench -N，2 个客户端（参考）", f"{tps[2]:.0f} tps")
    row("postgresql 全流程 ÷ pgbench -N（1 客户端）", f"{ours['postgresql'] / tps[1]:.3f}",
        f"≥ {PGBENCH_TARGET}", ours["postgresql"] / tps[1] >= PGBENCH_TARGET)
    # The same comparison per unit of work, for reference: a lifecycle is one service transaction
    # per step; on PostgreSQL each also sends BEGIN and COMMIT, which the counter does not see.
    steps = len(lifecycle["postgresql"]["queries"])
    statements = sum(lifecycle["postgresql"]["queries"].values()) + 2 * steps
    row("（参考）每秒服务事务 ÷ pgbench 每秒事务",
        f"{steps * ours['postgresql']:.0f} ÷ {tps[1]:.0f} = {steps * ours['postgresql'] / tps[1]:.3f}")
    row("（参考）每秒 SQL 语句 ÷ pgbench 每秒语句",
        f"{statements * ours['postgresql']:.0f} ÷ {PGBENCH_STATEMENTS * tps[1]:.0f} = "
        f"{statements * ours['postgresql'] / (PGBENCH_STATEMENTS * tps[1]):.3f}")
    row(f"SpiffWorkflow {spiff['version']}：创建-完成-序列化", f"{spiff_rate:.0f} 次/秒")
    row("SpiffWorkflow：每步后序列化（参考）", f"{spiff['every_step']['median']:.0f} 次/秒")
    for vendor, rate in ours.items():
        row(f"{vendor} 全流程 ÷ SpiffWorkflow", f"{rate / spiff_rate:.3f}", f"≥ {SPIFF_TARGET:g}",
            rate / spiff_rate >= SPIFF_TARGET)
    notes = set()
    for vendor, (small, large) in progress.items():
        notes.add(small["label"])
        for way in ("timings", "http"):
            label = "选择器" if way == "timings" else f"HTTP {PROGRESS_URL}"
            if "skipped" in small[way] or "skipped" in large[way]:
                row(f"进度查询 {vendor} {label}", "跳过：" + (small[way].get("skipped")
                                                           or large[way]["skipped"]))
                continue
            for r in (small, large):
                row(f"进度查询 {vendor} {label}，{r['cases']:,} 件",
                    f"p50 {r[way]['p50']:.2f} / p99 {r[way]['p99']:.2f} 毫秒（各轮 p99 "
                    + "、".join(f"{p:.2f}" for p in r[way]["p99_passes"]) + "）")
            growth = large[way]["p99"] / small[way]["p99"]
            row(f"进度查询 {vendor} {label}：p99 增长", f"{growth:.2f}×", f"≤ {GROWTH_TARGET:g}×",
                growth <= GROWTH_TARGET)

    print(f"\n== 办件基准：每轮 {args.lifecycles} 件 × {args.runs} 轮取中位数（单进程单线程）；"
          f"进度查询 {args.lookups} 个存在的编号 + {MISS_SHARE:.0%} 未命中，{PASSES} 轮取中位数 ==")
    widths = [max(display_width(r[k]) for r in rows) + 2 for k in (0, 1, 2)]
    for label, figure, target, met in rows:
        verdict = "" if met is None else ("PASS" if met else "FAIL")
        print((pad(label, widths[0]) + pad(figure, widths[1]) + pad(target, widths[2])
               + verdict).rstrip())
    print()
    print(f"说明：每件办件 {steps} 次服务调用（{steps} 个事务，PostgreSQL 上共 {statements} 条 SQL "
          "语句，含 BEGIN/COMMIT），写入办件、材料文件、任务、办件记录、审计链和通知消息；通知进入 "
          "DummyBackend 队列，不在计时内投递。pgbench -N 每个事务 "
          f"{PGBENCH_STATEMENTS} 条语句（BEGIN、UPDATE、SELECT、INSERT、END）。SpiffWorkflow "
          "只在内存中运行并序列化为 JSON，不写数据库。")
    for note in sorted(notes):
        print(f"进度查询的计时对象：{note}")
    print(f"总用时 {seconds / 60:.1f} 分钟；1 分钟平均负载 开始 {load_before:.2f}，"
          f"结束 {os.getloadavg()[0]:.2f}（其他进程会拉低数字）")


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2e7f else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(1, width - display_width(text))


if __name__ == "__main__":
    main()
