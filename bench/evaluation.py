"""好差评 statistics benchmark (好差评公示基准): 1,000,000 ratings over 12 months and 5 cities on
PostgreSQL, the monthly aggregation and the public statistics page, beside a plain GROUP BY over
the same ratings in the same run.

    .venv/bin/python bench/evaluation.py            # 1,000,000 ratings
    .venv/bin/python bench/evaluation.py --quick    # a smoke run: 100,000 ratings

Prints
  (a) loading: the ratings and the rectifications of their 差评 written with COPY;
  (b) ``statistics.aggregate_month`` for each of the 12 months (the nightly rebuild), each month's
      time and the total, and the RatingStat rows it leaves;
  (c) the baseline: one plain ``GROUP BY`` month over the rating table joined to its
      rectifications, for the same figures (ratings, 好评, 差评, 已整改, 按期, 已回访) of the whole
      province over the 12 months — what every page view would cost without RatingStat — p50 of
      5 runs; and the same for one city (its regions by path prefix);
  (d) the public statistics page ``/evaluation/`` through Django's test client (the whole
      middleware, view, template and SVG), over a set of filter choices (everything, each city,
      each county, departments, items, channels): cold — each choice once, the first request
      after Django's cache is cleared and the database connection closed (a fresh PostgreSQL
      backend: no catalogue or plan cache; one uncounted request of another period before them
      takes the process's start-up out), and warm — each choice 10 more times; p50/p99
      (target p99 ≤ 200 ms); also the JSON download and the drill-down ``/evaluation/ratings/``
      warm;
  (e) the recount one rating costs after its transaction commits (``statistics.recount_group``),
      p50/p99 over 200 ratings.
The page's province total is checked against the baseline's.

Production settings (YIWANG_DEBUG=0). The PostgreSQL database yiwang_bench_evaluation
(127.0.0.1:5432, user postgres) is created and dropped by the script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

from _common import PG_SERVER, percentile, pg_admin, setup_production_site, temporary_workdir

PG_DATABASE = "yiwang_bench_evaluation"
CITIES = (("220100", "长春市"), ("220200", "吉林市"), ("220300", "四平市"), ("220400", "辽源市"),
          ("220500", "通化市"))
COUNTIES_PER_CITY = 3
DEPARTMENTS_PER_CITY = 8
ITEMS_PER_DEPARTMENT = 5
LEVEL_WEIGHTS = (0.60, 0.20, 0.10, 0.06, 0.04)  # 非常满意 … 非常不满意
CHANNELS = ("pc", "mobile", "hall", "terminal", "sms", "hotline")
CHANNEL_WEIGHTS = (0.3, 0.35, 0.2, 0.05, 0.05, 0.05)
HALL_SHARE = 0.05  # ratings of a hall's queueing, no department
YEAR = 2025
TARGET_MS = 200


def setup_site(workdir: Path) -> None:
    setup_production_site(workdir, database_url=f"{PG_SERVER}/{PG_DATABASE}",
                          YIWANG_ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    from django.conf import settings

    # Static file URLs without collectstatic's manifest (a dict look-up either way): the benchmark
    # measures the page, not the static files.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


# --- the world ---------------------------------------------------------------------------------


def build_world() -> dict:
    """吉林省 with 5 cities of 3 counties each; 8 departments per city (its own and its counties'),
    5 items each; a hall per city."""
    from stdnum.cn import uscc

    from yiwang.catalog.models import GuideVersion, ServiceItem, VersionStatus
    from yiwang.orgs.models import Department, ServiceHall
    from yiwang.regions.models import Region, RegionLevel

    province = Region.objects.create(code="220000", name="吉林省", level=RegionLevel.PROVINCE,
                                     path="220000/", full_name="吉林省")
    departments, halls, items = [], [], []
    for city_code, city_name in CITIES:
        city = Region.objects.create(code=city_code, name=city_name, level=RegionLevel.CITY,
                                     parent=province, path=f"220000/{city_code}/",
                                     full_name=f"吉林省{city_name}")
        regions = [city] + [Region.objects.create(
            code=f"{city_code[:4]}{n:02d}", name=f"{city_name}第{n}区", level=RegionLevel.COUNTY,
            parent=city, path=f"{city.path}{city_code[:4]}{n:02d}/",
            full_name=f"吉林省{city_name}第{n}区") for n in range(1, COUNTIES_PER_CITY + 1)]
        halls.append(ServiceHall.objects.create(name=f"{city_name}政务服务中心", region=city,
                                                address=f"{city_name}人民大街1号"))
        for n in range(DEPARTMENTS_PER_CITY):
            serial = len(departments) + 1
            body = f"11220000{serial:09d}"
            region = regions[n % len(regions)]
            department = Department.objects.create(
                name=f"{region.name}第{n + 1}局", uscc=body + uscc.calc_check_digit(body),
                code=f"{n + 10:02d}", region=region)
            departments.append(department)
            for _ in range(ITEMS_PER_DEPARTMENT):
                k = len(items) + 1
                item = ServiceItem.objects.create(
                    basic_code=f"{k:012d}", implementation_code=f"1122{k:027d}",
                    handling_code=f"1122{k:027d}01", item_type="01", level="3",
                    department=department, region=region)
                item.published_version = GuideVersion.objects.create(
                    item=item, number=1, status=VersionStatus.PUBLISHED, name=f"基准事项{k}号")
                item.save(update_fields=["published_version"])
                items.append(item)
    return {"province": province, "departments": departments, "halls": halls, "items": items}


def load_ratings(world: dict, count: int, rng: random.Random) -> dict:
    """``count`` ratings spread evenly over the 12 months of YEAR, written with COPY, and a
    rectification for each 差评 (10 % pending, 10 % rectifying, 50 % rectified, 30 % revisited;
    answered 1–8 days after the rating, due in 5)."""
    from django.db import connection
    from django.utils import timezone

    from yiwang.evaluation.models import Rating, Rectification

    start = timezone.make_aware(dt.datetime(YEAR, 1, 1))
    seconds = (timezone.make_aware(dt.datetime(YEAR + 1, 1, 1)) - start).total_seconds()
    items, halls = world["items"], world["halls"]
    rating_columns = ("id", "kind", "channel", "event_key", "level", "text", "hall_id", "item_id",
                      "department_id", "region_id", "event_at", "created_at", "updated_at",
                      "excluded")
    rect_columns = ("rating_id", "department_id", "hall_id", "region_id", "status", "opened_at",
                    "due_on", "finding", "reply", "replied_at", "revisit_method", "revisit_note",
                    "verdict")
    statuses = ("pending", "rectifying", "rectified", "rectified", "rectified", "rectified",
                "rectified", "revisited", "revisited", "revisited")
    bad_rows = []
    started = time.perf_counter()
    raw = connection.cursor().cursor
    with raw.copy(f"COPY {Rating._meta.db_table} ({', '.join(rating_columns)}) FROM STDIN") as copy:
        for pk in range(1, count + 1):
            created = start + dt.timedelta(seconds=rng.random() * seconds)
            level = rng.choices((1, 2, 3, 4, 5), LEVEL_WEIGHTS)[0]
            if rng.random() < HALL_SHARE:
                hall = rng.choice(halls)
                party = (hall.pk, None, None, hall.region_id, "event")
            else:
                item = rng.choice(items)
                party = (None, item.pk, item.department_id, item.department.region_id, "case")
            bad = level >= 4
            excluded = bad and rng.random() < 0.05
            copy.write_row((pk, party[4], rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0], f"bench:{pk}",
                            level, "等候时间太长，窗口人员解释不清" if bad else "", party[0], party[1],
                            party[2], party[3], created - dt.timedelta(hours=1), created, created,
                            excluded))
            if bad:
                bad_rows.append((pk, party, created))
    with raw.copy(f"COPY {Rectification._meta.db_table} ({', '.join(rect_columns)}) FROM STDIN") as copy:
        for pk, (hall, _, department, region, _), created in bad_rows:
            status = rng.choice(statuses)
            replied = (created + dt.timedelta(days=rng.uniform(1, 8))
                       if status in ("rectified", "revisited") else None)
            due = timezone.localtime(created).date() + dt.timedelta(days=5)
            copy.write_row((pk, department, hall, region, status, created, due, "", "", replied,
                            "", "", ""))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Rating._meta.db_table}', 'id'), %s)",
                       [count])
        cursor.execute(f"ANALYZE {Rating._meta.db_table}; ANALYZE {Rectification._meta.db_table}")
    return {"ratings": count, "bad": len(bad_rows), "seconds": time.perf_counter() - started}


# --- (b) aggregation, (c) the baseline -----------------------------------------------------------


def aggregate() -> list[tuple[dt.date, float, int]]:
    from yiwang.evaluation.services import statistics

    timings = []
    for month in range(1, 13):
        started = time.perf_counter()
        rows = statistics.aggregate_month(dt.date(YEAR, month, 1))
        timings.append((dt.date(YEAR, month, 1), time.perf_counter() - started, rows))
    return timings


BASELINE = """
SELECT date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai') AS month,
       count(*) AS ratings,
       count(*) FILTER (WHERE r.level <= 3) AS good,
       count(*) FILTER (WHERE r.level >= 4) AS bad,
       count(c.id) FILTER (WHERE c.status IN ('rectified', 'revisited')) AS rectified,
       count(c.id) FILTER (WHERE c.status IN ('rectified', 'revisited')
                           AND (c.replied_at AT TIME ZONE 'Asia/Shanghai')::date <= c.due_on)
           AS on_time,
       count(c.id) FILTER (WHERE c.status = 'revisited') AS revisited
FROM evaluation_rating r
LEFT JOIN evaluation_rectification c ON c.rating_id = r.id AND r.level >= 4
{join}
WHERE NOT r.excluded AND r.created_at >= %s AND r.created_at < %s {where}
GROUP BY 1 ORDER BY 1
"""


def baseline(region_path: str | None = None, runs: int = 5) -> tuple[float, list]:
    from django.db import connection
    from django.utils import timezone

    since = timezone.make_aware(dt.datetime(YEAR, 1, 1))
    until = timezone.make_aware(dt.datetime(YEAR + 1, 1, 1))
    sql = BASELINE.format(join="JOIN regions_region g ON g.id = r.region_id" if region_path else "",
                          where="AND g.path LIKE %s" if region_path else "")
    params = [since, until] + ([region_path + "%"] if region_path else [])
    timings, rows = [], []
    for _ in range(runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        timings.append(time.perf_counter() - started)
    return percentile(timings, 0.5), rows


# --- (d) the page ------------------------------------------------------------------------------


def choices(world: dict) -> list[dict]:
    from yiwang.regions.models import Region

    period = {"start": f"{YEAR}-01", "end": f"{YEAR}-12"}
    found = [dict(period)]
    found += [{**period, "region": r.code} for r in Region.objects.exclude(code="220000")]
    found += [{**period, "department": d.pk} for d in world["departments"][::4]]
    found += [{**period, "item": i.pk} for i in world["items"][::40]]
    found += [{**period, "channel": c} for c in CHANNELS]
    found += [{**period, "region": "220100", "channel": "mobile"},
              {"start": f"{YEAR}-07", "end": f"{YEAR}-09", "region": "220200"}]
    return found


def timed_get(client, url: str, params: dict) -> float:
    started = time.perf_counter()
    response = client.get(url, params)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} {params}: HTTP {response.status_code}")
    return elapsed


def page_latency(world: dict, url: str, *, warm_rounds: int = 10, extra=None) -> dict:
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client

    client = Client()
    queries = [{**q, **(extra or {})} for q in choices(world)]
    cold, warm = [], []
    # One request first, not counted: the process's own start-up (imports, the compiled templates,
    # the URL resolver) is no cache a visitor finds empty.
    timed_get(client, url, {"start": f"{YEAR - 2}-01", "end": f"{YEAR - 2}-01"})
    for params in queries:
        cache.clear()
        connections.close_all()
        cold.append(timed_get(client, url, params))
    for _ in range(warm_rounds):
        for params in queries:
            warm.append(timed_get(client, url, params))
    return {"choices": len(queries),
            "cold_p50": 1000 * percentile(cold, 0.5), "cold_p99": 1000 * percentile(cold, 0.99),
            "warm_p50": 1000 * percentile(warm, 0.5), "warm_p99": 1000 * percentile(warm, 0.99)}


def recount_latency(rng: random.Random, count: int, samples: int = 200) -> dict:
    from yiwang.evaluation.models import Rating
    from yiwang.evaluation.services import statistics

    timings = []
    for pk in rng.sample(range(1, count + 1), samples):
        rating = Rating.objects.get(pk=pk)
        started = time.perf_counter()
        statistics.recount_group(rating)
        timings.append(time.perf_counter() - started)
    return {"p50_ms": 1000 * percentile(timings, 0.5), "p99_ms": 1000 * percentile(timings, 0.99)}


def run(args) -> None:
    from django.db import connection
    from django.test import Client

    from yiwang.evaluation.models import RatingStat

    rng = random.Random(args.seed)
    print(f"PostgreSQL {connection.cursor().connection.info.server_version}, {args.ratings:,} ratings "
          f"over 12 months, {len(CITIES)} cities", flush=True)
    world = build_world()
    loaded = load_ratings(world, args.ratings, rng)
    print(f"(a) COPY {loaded['ratings']:,} ratings + {loaded['bad']:,} rectifications: "
          f"{loaded['seconds']:.1f} s", flush=True)
    months = aggregate()
    total = sum(seconds for _, seconds, _ in months)
    print(f"(b) aggregate_month × 12: {total:.2f} s in all; per month "
          f"min {1000 * min(s for _, s, _ in months):.0f} ms, "
          f"max {1000 * max(s for _, s, _ in months):.0f} ms; "
          f"{RatingStat.objects.count():,} RatingStat rows", flush=True)
    whole, rows = baseline()
    city, _ = baseline("220000/220100/")
    print(f"(c) baseline plain GROUP BY month over the rating table (+ rectifications), 12 months: "
          f"whole province p50 {1000 * whole:.0f} ms, one city p50 {1000 * city:.0f} ms", flush=True)
    page_total = Client().get("/evaluation/statistics.json",
                              {"start": f"{YEAR}-01", "end": f"{YEAR}-12"}).json()["total"]
    base_total = [sum(row[i] for row in rows) for i in range(1, 7)]
    mine = [page_total[k] for k in ("ratings", "good", "bad", "rectified", "rectified_on_time",
                                    "revisited")]
    if mine != base_total:
        raise SystemExit(f"the page's figures {mine} differ from the GROUP BY's {base_total}")
    page = page_latency(world, "/evaluation/")
    verdict = "OK" if page["warm_p99"] <= TARGET_MS and page["cold_p99"] <= TARGET_MS else "MISSED"
    print(f"(d) /evaluation/ over {page['choices']} filter choices: cold p50 {page['cold_p50']:.0f} ms, "
          f"p99 {page['cold_p99']:.0f} ms; warm p50 {page['warm_p50']:.0f} ms, "
          f"p99 {page['warm_p99']:.0f} ms (target p99 ≤ {TARGET_MS} ms: {verdict})", flush=True)
    data = page_latency(world, "/evaluation/statistics.json", warm_rounds=3)
    drill = page_latency(world, "/evaluation/ratings/", warm_rounds=3, extra={"figure": "bad"})
    print(f"    statistics.json warm p50 {data['warm_p50']:.0f} ms, p99 {data['warm_p99']:.0f} ms; "
          f"drill-down (差评, page 1) cold p99 {drill['cold_p99']:.0f} ms, warm p50 "
          f"{drill['warm_p50']:.0f} ms, p99 {drill['warm_p99']:.0f} ms", flush=True)
    recount = recount_latency(rng, args.ratings)
    print(f"(e) recount of one rating's group after its commit: p50 {recount['p50_ms']:.1f} ms, "
          f"p99 {recount['p99_ms']:.1f} ms", flush=True)
    print(f"page warm p50 / baseline whole-province GROUP BY p50 = "
          f"{page['warm_p50'] / (1000 * whole):.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database and work directory")
    args = parser.parse_args()
    if args.quick:
        args.ratings = 100_000
    pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)", f"CREATE DATABASE {PG_DATABASE}")
    try:
        with temporary_workdir("yiwang-bench-evaluation-", keep=args.keep) as workdir:
            setup_site(workdir)
            run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
