"""Search benchmark (搜索基准): 100,000 generated items in a throw-away SQLite database, and the
relevance of citizens' phrasings on the demo catalogue.

    .venv/bin/python bench/search.py [--count 100000] [--reps 30] [--keep] [--relevance-only]

Prints p50/p99 latency of two- and four-character queries and of citizens' phrasings (说法,
which go through segmentation and, when all their words find nothing, partial matching)
  (a) at the engine (``yiwang.catalog.search.search``),
  (b) through the HTTP API (/api/search) on a real server on 127.0.0.1, sequential keep-alive
      requests with http.client,
  (c) of a LIKE scan (Django ORM icontains over the same texts; words only), and
  (d) of a bare tantivy bigram index (tantivy's own ngram tokenizer, no Django; words only),
checks that the engine finds exactly the items the LIKE scan finds for every word and counts the
same services, and prints the index size and the peak RSS of building and of serving. Targets:
HTTP p99 ≤ 10 ms, engine ≤ 2× the bare baseline, recall equal to the oracle.

The relevance table loads the demo catalogue (``load_demo``) into a database of its own and
searches each phrasing of ``search_phrasings.tsv``; the item named beside it must be among the
first five results. Target: a hit rate of at least 95 %.

Each step runs in its own process so that its peak memory is its own: generate, build the index,
build the bare index, LIKE scan, and serve (engine timings, then the HTTP server). The database,
the indexes and var/ live in a temporary directory; var/yiwang.sqlite3 is never touched.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from _common import production_env, run_phase

ROOT = Path(__file__).resolve().parent.parent

QUERIES_2 = ["社保", "护照", "营业", "医保", "执照", "户口", "驾驶", "公积", "婚姻", "补领",
             "变更", "食品", "许可", "养老", "残疾", "税务", "出生", "律师", "排污", "教师"]
QUERIES_4 = ["营业执照", "社会保险", "医疗保险", "普通护照", "食品经营", "出生医学", "结婚登记",
             "住房公积", "机动车驾", "养老保险", "信息查询", "最低生活", "道路运输", "建设工程",
             "税务登记", "居民身份", "残疾人证", "教师资格", "排污许可", "异地就医"]
# Citizens' phrasings: timed like the words above, on the generated catalogue.
QUERIES_PHRASINGS = ["怎么办理营业执照", "社保卡丢了怎么补办", "网上申请普通护照", "我要办身份证",
                     "失业了怎么领失业保险金", "孩子出生办出生医学证明", "开饭店要办什么许可",
                     "公积金怎么提取", "驾驶证到期了换证", "低保在哪里申请"]
KINDS = {"2": "2字", "4": "4字", "p": "说法"}
BARE_VARIANTS = {"ids": False, "snippets": True}  # variant -> whether the text is stored
SYNONYMS = {"社保": "社会保险", "医保": "医疗保险", "身份证": "居民身份证"}
PAGE_SIZE = 20
HTTP_P99_TARGET_MS = 10.0
ENGINE_TO_BARE_TARGET = 2.0
PHRASINGS = Path(__file__).with_name("search_phrasings.tsv")
RELEVANCE_TOP = 5
RELEVANCE_TARGET = 0.95


# --- helpers shared by the phases ----------------------------------------------------------------

def peak_rss_mb(pid: int | str = "self") -> float:
    """VmHWM: the peak resident set size of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def digest(ids) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timings(samples: list[float]) -> dict:
    return {"p50": percentile(samples, 50) * 1000, "p99": percentile(samples, 99) * 1000,
            "mean": statistics.fmean(samples) * 1000, "n": len(samples)}


def kind(query: str) -> str:
    return "p" if query in QUERIES_PHRASINGS else str(len(query))


def read_phrasings(path: Path = PHRASINGS) -> list[tuple[str, str]]:
    """(phrasing, item name) rows of the tab-separated file; # starts a comment line."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            phrasing, item = line.split("\t")
            rows.append((phrasing.strip(), item.strip()))
    return rows


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


def variants(query: str) -> list[str]:
    """The LIKE oracle expands synonyms the way the engine does (see search.synonyms)."""
    found = [query]
    for word, expansion in SYNONYMS.items():
        if word in query and query.replace(word, expansion) not in found:
            found.append(query.replace(word, expansion))
    return found


# --- phases (each a child process) ---------------------------------------------------------------

def phase_generate(count: int, seed: int) -> None:
    setup_django()
    from django.core.management import call_command

    from yiwang.catalog.models import Synonym
    from yiwang.demo.generator import generate_items

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    created = generate_items(count, seed=seed)
    for term, expansion in SYNONYMS.items():
        Synonym.objects.create(term=term, expansions=expansion)
    from django.conf import settings

    emit({"items": created, "seconds": time.perf_counter() - started, "rss": peak_rss_mb(),
          "db_bytes": Path(settings.DATABASES["default"]["NAME"]).stat().st_size})


def phase_index() -> None:
    setup_django()
    from yiwang.catalog.search import rebuild
    from yiwang.catalog.search.store import size_on_disk

    started = time.perf_counter()
    indexed = rebuild()
    emit({"items": indexed, "seconds": time.perf_counter() - started, "bytes": size_on_disk(),
          "rss": peak_rss_mb()})


BARE_FIELDS = """
    SELECT i.id, v.name, v.aliases, v.conditions, v.legal_basis, v.result_name, v.process_steps,
           (SELECT group_concat(m.name, char(10)) FROM catalog_material m WHERE m.version_id = v.id)
    FROM catalog_serviceitem i JOIN catalog_guideversion v ON v.id = i.published_version_id
"""


def bare_schema(store_text: bool):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("item_id", stored=True, fast=True)
    builder.add_text_field("name", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", stored=store_text, tokenizer_name="bigram")
    return builder.build()


def bare_analyzer():
    import tantivy

    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(2, 2))
            .filter(tantivy.Filter.lowercase()).build())


def phase_bare_build(database: Path, workdir: Path) -> None:
    """Plain tantivy indexes: one text field, tantivy's bigram tokenizer, no Django. One keeps
    only id and name (the fastest possible lookup); the other also stores the text, as a set-up
    that shows highlighted results must."""
    import sqlite3

    import tantivy

    started = time.perf_counter()
    writers = {}
    for variant, store_text in BARE_VARIANTS.items():
        path = workdir / f"bare-{variant}"
        path.mkdir(parents=True)
        index = tantivy.Index(bare_schema(store_text), path=str(path))
        index.register_tokenizer("bigram", bare_analyzer())
        writers[variant] = index.writer(heap_size=128_000_000, num_threads=2)
    connection = sqlite3.connect(database)
    for item_id, name, aliases, conditions, basis, result, steps, materials in (
            connection.execute(BARE_FIELDS)):
        texts = [name, aliases, conditions, basis, result, materials or ""]
        texts += [str(step.get(k, "")) for step in json.loads(steps) for k in ("name", "description")]
        for writer in writers.values():
            doc = tantivy.Document()
            doc.add_unsigned("item_id", item_id)  # Document(item_id=…) would make it signed
            doc.add_text("name", name)
            doc.add_text("text", "\n".join(texts))
            writer.add_document(doc)
    for writer in writers.values():
        writer.commit()
        writer.wait_merging_threads()
    emit({"seconds": time.perf_counter() - started, "rss": peak_rss_mb(),
          "bytes": {v: dir_size(workdir / f"bare-{v}") for v in BARE_VARIANTS}})


def phase_like(reps: int) -> None:
    """The LIKE scan over the same texts the engine searches, timed; its answer is the oracle."""
    setup_django()
    from django.db.models import Q

    from yiwang.catalog.models import GuideFaq, GuideVersion, Material, ServiceItem, VersionStatus
    from yiwang.catalog.search.documents import service_key

    def like(query: str) -> set[int]:
        condition = Q()
        for variant in variants(query):
            condition |= (Q(name__icontains=variant) | Q(aliases__icontains=variant)
                          | Q(conditions__icontains=variant) | Q(legal_basis__icontains=variant)
                          | Q(result_name__icontains=variant)
                          # JSONField text on SQLite has non-ASCII characters as \\uXXXX escapes.
                          | Q(process_steps__icontains=json.dumps(variant)[1:-1])
                          | Q(pk__in=Material.objects.filter(name__icontains=variant)
                              .values("version_id"))
                          | Q(pk__in=GuideFaq.objects.filter(
                              Q(question__icontains=variant) | Q(answer__icontains=variant))
                              .values("version_id")))
        return set(GuideVersion.objects.filter(condition, status=VersionStatus.PUBLISHED)
                   .values_list("item_id", flat=True))

    def services(ids: set[int]) -> int:
        """One service is one result: the number of distinct 基本编码 + 业务办理项 among ``ids``."""
        keys = set()
        for chunk in range(0, len(ids), 5000):
            keys |= {service_key(basic, code) for basic, code in ServiceItem.objects.filter(
                pk__in=sorted(ids)[chunk:chunk + 5000]).values_list("basic_code", "handling_code")}
        return len(keys)

    oracle, samples = {}, {"2": [], "4": []}
    for query in QUERIES_2 + QUERIES_4:
        for _ in range(reps):
            started = time.perf_counter()
            ids = like(query)
            samples[str(len(query))].append(time.perf_counter() - started)
        oracle[query] = {"count": len(ids), "digest": digest(ids), "services": services(ids)}
    emit({"oracle": oracle, "timings": {k: timings(v) for k, v in samples.items()},
          "rss": peak_rss_mb()})


def phase_relevance() -> None:
    """Load the demo catalogue and search each phrasing; its rank (0: not in the first five)."""
    setup_django()
    from io import StringIO

    from django.core.management import call_command

    from yiwang.catalog.search import rebuild, search

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    rebuild()
    rows = []
    for phrasing, item in read_phrasings():
        results = search(phrasing, page_size=RELEVANCE_TOP)
        names = [hit.name for hit in results.hits]
        rows.append({"phrasing": phrasing, "item": item, "match": results.match,
                     "rank": names.index(item) + 1 if item in names else 0,
                     "first": names[0] if names else ""})
    emit({"rows": rows})


def phase_serve(reps: int) -> None:
    """Time the engine, check its recall, then serve HTTP until stdin closes."""
    import warnings

    # whitenoise warns that collectstatic has not run; the API serves no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    setup_django()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    from yiwang.catalog.search import search
    from yiwang.catalog.search.engine import matching_ids

    found = {}
    for query in QUERIES_2 + QUERIES_4:
        ids = matching_ids(query)
        results = search(query)
        found[query] = {"count": len(ids), "digest": digest(ids), "total": results.total}
    matches = {query: search(query).match for query in QUERIES_PHRASINGS}
    samples = {k: [] for k in KINDS}
    for _ in range(2):  # warm up
        for query in QUERIES_2 + QUERIES_4 + QUERIES_PHRASINGS:
            search(query, page_size=PAGE_SIZE)
    for _ in range(reps):
        for query in QUERIES_2 + QUERIES_4 + QUERIES_PHRASINGS:
            started = time.perf_counter()
            search(query, page_size=PAGE_SIZE)
            samples[kind(query)].append(time.perf_counter() - started)

    class QuietHandler(WSGIRequestHandler):
        # As production servers do (gunicorn sets TCP_NODELAY): without it the separate writes of
        # headers and body meet the client's delayed ACK and every response waits ~40 ms.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    emit({"found": found, "matches": matches,
          "timings": {k: timings(v) for k, v in samples.items()},
          "port": server.server_address[1]})
    sys.stdin.read()  # the parent closes stdin when it is done
    server.shutdown()


# --- the parent: run the phases, time HTTP and the bare index, print the table -------------------

def time_http(port: int, reps: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(query: str) -> None:
        connection.request("GET", "/api/search?" + urllib.parse.urlencode(
            {"q": query, "page_size": PAGE_SIZE}))
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status} for {query}: {body[:200]!r}")

    samples = {k: [] for k in KINDS}
    for _ in range(2):
        for query in QUERIES_2 + QUERIES_4 + QUERIES_PHRASINGS:
            get(query)
    for _ in range(reps):
        for query in QUERIES_2 + QUERIES_4 + QUERIES_PHRASINGS:
            started = time.perf_counter()
            get(query)
            samples[kind(query)].append(time.perf_counter() - started)
    connection.close()
    return {k: timings(v) for k, v in samples.items()}


def time_bare(workdir: Path, reps: int) -> dict:
    """Two bare tantivy variants: "ids" fetches the top hits' id and name only; "snippets"
    also makes tantivy's own highlighted snippet for each, which is the work our engine does too
    (a result list with highlights), so the engine target compares to it."""
    import tantivy

    def run(searcher, schema, query: str, snippets: bool) -> None:
        # The usual bigram query (all bigrams of the term must occur), for the term and its
        # synonyms, so that both sides search the same words.
        alternatives = []
        for variant in variants(query):
            grams = [tantivy.Query.term_query(schema, "text", variant[i:i + 2])
                     for i in range(len(variant) - 1)]
            alternatives.append(grams[0] if len(grams) == 1 else tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, gram) for gram in grams]))
        parsed = alternatives[0] if len(alternatives) == 1 else tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, alternative) for alternative in alternatives])
        result = searcher.search(parsed, limit=PAGE_SIZE, count=True)
        if snippets:
            generator = tantivy.SnippetGenerator.create(searcher, parsed, schema, "text")
        for _score, address in result.hits:
            doc = searcher.doc(address)
            doc.get_first("item_id"), doc.get_first("name")
            if snippets:
                generator.snippet_from_doc(doc).to_html()

    out = {}
    for variant, snippets in BARE_VARIANTS.items():
        index = tantivy.Index.open(str(workdir / f"bare-{variant}"))
        index.register_tokenizer("bigram", bare_analyzer())
        schema = index.schema
        searcher = index.searcher()
        samples = {"2": [], "4": []}
        for _ in range(2):
            for query in QUERIES_2 + QUERIES_4:
                run(searcher, schema, query, snippets)
        for _ in range(reps):
            for query in QUERIES_2 + QUERIES_4:
                started = time.perf_counter()
                run(searcher, schema, query, snippets)
                samples[str(len(query))].append(time.perf_counter() - started)
        out[variant] = {k: timings(v) for k, v in samples.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reps", type=int, default=30, help="repetitions of each query")
    parser.add_argument("--like-reps", type=int, default=3, help="repetitions of each LIKE scan")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--workdir", help="directory to work in; a bench.sqlite3 already there is "
                                          "reused instead of generating again (implies --keep)")
    parser.add_argument("--no-baselines", action="store_true",
                        help="skip the LIKE scan and the bare tantivy index (and so the recall "
                             "and engine-to-bare checks): at a million items they take longest")
    parser.add_argument("--relevance-only", action="store_true",
                        help="only the relevance table on the demo catalogue")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        workdir = Path(args.workdir)
        {"generate": lambda: phase_generate(args.count, args.seed),
         "index": phase_index,
         "bare-build": lambda: phase_bare_build(workdir / "bench.sqlite3", workdir),
         "like": lambda: phase_like(args.like_reps),
         "relevance": phase_relevance,
         "serve": lambda: phase_serve(args.reps)}[args.phase]()
        return

    if args.workdir:
        workdir = Path(args.workdir).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        args.keep = True
    else:
        workdir = Path(tempfile.mkdtemp(prefix="yiwang-bench-"))
    for stale in ("index", "relevance-index", *(f"bare-{v}" for v in BARE_VARIANTS)):
        shutil.rmtree(workdir / stale, ignore_errors=True)
    (workdir / "relevance.sqlite3").unlink(missing_ok=True)
    env = {**os.environ, **production_env(workdir),
           "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
           "YIWANG_VAR_DIR": str(workdir / "var"),
           "YIWANG_SEARCH_INDEX_DIR": str(workdir / "index"),
           # The index is rebuilt by a task: run it at once, in the phase that asks for it.
           "YIWANG_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    common = ["--workdir", str(workdir), "--reps", str(args.reps), "--like-reps",
              str(args.like_reps), "--count", str(args.count), "--seed", str(args.seed)]
    serve = None
    try:
        print(f"工作目录 {workdir}", flush=True)
        print("相关性：载入演示目录并搜索群众说法…", flush=True)
        relevance = run_phase(__file__, {
            **env, "DATABASE_URL": f"sqlite:///{workdir / 'relevance.sqlite3'}",
            "YIWANG_SEARCH_INDEX_DIR": str(workdir / "relevance-index")}, "--phase", "relevance",
            *common)
        if args.relevance_only:
            report_relevance(relevance)
            return
        generated_json = workdir / "generated.json"
        if (workdir / "bench.sqlite3").exists() and generated_json.exists():
            generated = json.loads(generated_json.read_text())
            print(f"沿用已生成的 {generated['items']} 个事项", flush=True)
        else:
            print(f"生成 {args.count} 个事项…", flush=True)
            generated = run_phase(__file__, env, "--phase", "generate", *common)
            generated_json.write_text(json.dumps(generated))
            print(f"  {generated['items']} 项，{generated['seconds']:.1f} 秒", flush=True)
        print("建立搜索索引…", flush=True)
        built = run_phase(__file__, env, "--phase", "index", *common)
        print(f"  {built['items']} 项，{built['seconds']:.1f} 秒", flush=True)
        bare_built = like = bare = None
        if not args.no_baselines:
            print("建立对照用的裸 tantivy 二元组索引…", flush=True)
            bare_built = run_phase(__file__, env, "--phase", "bare-build", *common)
            print("LIKE 扫描（同时作为召回率基准）…", flush=True)
            like = run_phase(__file__, env, "--phase", "like", *common)
        print("搜索引擎计时并启动 HTTP 服务…", flush=True)
        serve = subprocess.Popen([sys.executable, __file__, "--phase", "serve", *common], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = serve.stdout.readline()
        if not line.startswith("RESULT "):
            raise SystemExit("serve phase failed")
        served = json.loads(line[len("RESULT "):])
        print(f"HTTP 计时（127.0.0.1:{served['port']}，顺序请求，长连接）…", flush=True)
        http_timings = time_http(served["port"], args.reps)
        serving_rss = peak_rss_mb(serve.pid)
        if not args.no_baselines:
            print("裸 tantivy 计时…", flush=True)
            bare = time_bare(workdir, args.reps)
        report(args, generated, built, bare_built, like, served, http_timings, bare, serving_rss)
        report_relevance(relevance)
    finally:
        if serve is not None:
            serve.stdin.close()
            serve.wait(timeout=30)
        if args.keep:
            print(f"保留工作目录 {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(args, generated, built, bare_built, like, served, http_timings, bare, serving_rss):
    rows = [("(a) 搜索引擎 search()", served["timings"]), ("(b) HTTP /api/search", http_timings)]
    if like is not None:
        rows += [("(c) LIKE 扫描（ORM icontains）", like["timings"]),
                 ("(d) 裸 tantivy：命中+摘要高亮", bare["snippets"]),
                 ("    裸 tantivy：仅取编号和名称", bare["ids"])]
    print()
    print(f"== 搜索基准：{generated['items']} 个已发布事项，每个查询重复 {args.reps} 次"
          + (f"（LIKE {args.like_reps} 次）" if like is not None else "（未做 LIKE 和裸 tantivy 对照）")
          + f"，每页 {PAGE_SIZE} 条，含总数 ==")
    print(f"{'':30}" + "".join(f"{KINDS[k] + ' ' + p:>9}" for k in KINDS for p in ("p50", "p99"))
          + "   (毫秒)")
    for label, t in rows:
        print(f"{label:<{30 - sum(1 for ch in label if ord(ch) > 0x2e7f)}}"
              + "".join(f"{t[k][p]:>11.2f}" if k in t else f"{'-':>11}" for k in KINDS
                        for p in ("p50", "p99")))

    print()
    print("召回率（引擎命中的事项集合 与 LIKE 结果集合 比较，含同义词扩展；"
          "服务数 = 同一事项多地实施只算一个）：")
    all_equal = True
    for query in QUERIES_2 + QUERIES_4 if like is not None else []:
        ours, oracle = served["found"][query], like["oracle"][query]
        equal = ours["digest"] == oracle["digest"] and ours["total"] == oracle["services"]
        all_equal &= equal
        print(f"  {query:<6} 引擎 {ours['count']:>7}  LIKE {oracle['count']:>7}  "
              f"服务 {ours['total']}/{oracle['services']}  "
              f"{'相等' if equal else '不相等'}")
    print("说法的匹配方式：" + "，".join(f"{q} {m}" for q, m in served["matches"].items()))

    print()
    if "seconds" in generated:
        print(f"生成 {generated['seconds']:.1f} 秒（峰值内存 {generated['rss']:.0f} MiB）")
    print(f"索引大小：{built['bytes'] / 1_048_576:.1f} MiB（建索引 {built['seconds']:.1f} 秒）；"
          + (f"裸 tantivy 索引 {bare_built['bytes']['ids'] / 1_048_576:.1f} MiB"
             f"（另存全文 {bare_built['bytes']['snippets'] / 1_048_576:.1f} MiB）；"
             if bare_built else "")
          + f"SQLite 数据库 {generated['db_bytes'] / 1_048_576:.0f} MiB")
    print(f"峰值内存 RSS：建索引 {built['rss']:.0f} MiB，服务（引擎 + HTTP）{serving_rss:.0f} MiB"
          + (f"，LIKE 扫描 {like['rss']:.0f} MiB" if like else ""))

    engine, web = served["timings"], http_timings
    checks = [
        (f"HTTP p99 ≤ {HTTP_P99_TARGET_MS:g} 毫秒",
         all(web[k]["p99"] <= HTTP_P99_TARGET_MS for k in KINDS),
         "，".join(f"{KINDS[k]} {web[k]['p99']:.2f}" for k in KINDS)),
    ]
    if bare is not None:
        report_baselines(checks, engine, bare, all_equal)
    print()
    print("目标：")
    for label, met, detail in checks:
        print(f"  [{'达到' if met else '未达到'}] {label}：{detail}")
    if bare is not None:
        ids = bare["ids"]
        print("  （参考：相对“仅取编号和名称”的裸 tantivy："
              + "，".join(f"{k}字 {p} {engine[k][p] / ids[k][p]:.1f}×" for k in ("2", "4")
                         for p in ("p50", "p99")) + "）")


def report_baselines(checks: list, engine: dict, bare: dict, all_equal: bool) -> None:
    baseline = bare["snippets"]
    checks += [
        (f"引擎 ≤ {ENGINE_TO_BARE_TARGET:g}× 裸 tantivy（命中+摘要高亮，p50 与 p99）",
         all(engine[k][p] <= ENGINE_TO_BARE_TARGET * baseline[k][p] for k in ("2", "4")
             for p in ("p50", "p99")),
         "，".join(f"{k}字 {p} {engine[k][p] / baseline[k][p]:.2f}×" for k in ("2", "4")
                   for p in ("p50", "p99"))),
        ("召回率与 LIKE 结果相等", all_equal, f"{len(QUERIES_2 + QUERIES_4)} 个查询"),
    ]


def report_relevance(relevance: dict) -> None:
    rows = relevance["rows"]
    print()
    print(f"== 相关性：{len(rows)} 条群众说法（{PHRASINGS.name}），演示目录，应有事项须在前 "
          f"{RELEVANCE_TOP} 条 ==")
    for row in rows:
        place = f"第{row['rank']}" if row["rank"] else "未命中"
        print(f"  {place:<4} {row['match']:<8} {row['phrasing']} → {row['item']}"
              + ("" if row["rank"] else f"（第一条：{row['first'] or '无结果'}）"))
    rate = sum(1 for row in rows if row["rank"]) / len(rows)
    print(f"  [{'达到' if rate >= RELEVANCE_TARGET else '未达到'}] 命中率 {rate:.1%}"
          f"（目标 ≥ {RELEVANCE_TARGET:.0%}）")


if __name__ == "__main__":
    main()

