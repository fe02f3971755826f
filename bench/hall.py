"""Hall benchmark (排队叫号基准): a simulated hall day on PostgreSQL — 20 windows, 3,000 tickets
arriving by a realistic two-peak curve, 20 clerks calling at once — beside the raw cost of one
``SELECT … FOR UPDATE SKIP LOCKED`` pick on the same database in the same run.

    .venv/bin/python bench/hall.py [--tickets 3000] [--clerks 20] [--display-calls 500]
    .venv/bin/python bench/hall.py --quick       # a short smoke run: 600 tickets, 100 display calls

Prints
  (a) taking tickets: ``tickets.take_ticket`` one after another (number from the counter upsert,
      elderly group from the ID number, audit record), tickets per second;
  (b) calling: ``--clerks`` threads, each a clerk signed in to its own window, each looping
      ``calling.call_next`` → ``calling.finish`` until nobody waits; calls per second (call_next
      + finish pairs per wall-clock second), and p50/p99 of one ``call_next`` under that
      concurrency; every ticket must be called exactly once;
  (c) the raw pick: the same tickets set back to waiting, the same threads running only
      ``BEGIN; SELECT id … ORDER BY … LIMIT 1 FOR UPDATE SKIP LOCKED; UPDATE … ; COMMIT`` in SQL,
      picks per second and p50/p99, so (b) can be read as a multiple of what the database itself
      costs;
  (d) display latency: the display's event stream (``views.display._events``, streaming as under
      ASGI) runs in its own thread and event loop while the clerks call ``--display-calls``
      tickets at a hall's pace (each clerk waits 0–2 s between calls); for each call the time from
      its commit (``call_next`` returning) to the stream's event that contains it, p50/p99
      (target p99 ≤ 1 s). The stream polls the database every ``POLL_SECONDS`` (0.2 s).

Production settings (YIWANG_DEBUG=0); notifications queued to Django's DummyBackend, never
delivered. The PostgreSQL database yiwang_bench_hall (127.0.0.1:5432, user postgres) is created
and dropped by the script; var/ lives in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import random
import sys
import threading
import time
from pathlib import Path

from _common import PG_SERVER, percentile, pg_admin, setup_production_site, temporary_workdir

PG_DATABASE = "yiwang_bench_hall"
WINDOWS = 20
ELDERLY_SHARE = 0.15
MOBILE_SHARE = 0.3
DISPLAY_TARGET_SECONDS = 1.0


# --- the hall and its day ----------------------------------------------------------------------

def build_hall(day: dt.date):
    """长春市政务服务中心-like: queues A 企业开办, B 社会事务, C 公安; windows 1–14 serve A and B,
    15–20 serve B and C; every clerk signed in. Open all day every day, so that the simulated
    day needs no particular date."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from yiwang.hall.models import (
        DayKind,
        HallMember,
        HallRole,
        OpeningPeriod,
        Queue,
        Shift,
        Window,
        WindowKind,
        WindowSession,
    )
    from yiwang.orgs.models import ServiceHall
    from yiwang.regions.models import Region, RegionLevel

    region = Region.objects.create(code="220100", name="长春市", level=RegionLevel.CITY,
                                   path="220100/", full_name="吉林省长春市")
    hall = ServiceHall.objects.create(name="基准政务服务中心", region=region, address="基准路1号")
    for kind in DayKind.values:
        OpeningPeriod.objects.create(hall=hall, day_kind=kind, start=dt.time(0, 0),
                                     end=dt.time(23, 59, 59))
    queues = {code: Queue.objects.create(hall=hall, code=code, name=name,
                                         window_kind=WindowKind.COMPREHENSIVE, order=n)
              for n, (code, name) in enumerate((("A", "企业开办与经营"), ("B", "社会事务"),
                                                ("C", "公安服务")))}
    clerks, windows = [], []
    for n in range(1, WINDOWS + 1):
        window = Window.objects.create(hall=hall, number=str(n), name=f"综合受理{n}",
                                       kind=WindowKind.COMPREHENSIVE)
        window.queues.add(*([queues["A"], queues["B"]] if n <= 14 else [queues["B"], queues["C"]]))
        clerk = get_user_model().objects.create_user(f"bench_clerk{n}", password=None)
        HallMember.objects.create(hall=hall, user=clerk, role=HallRole.CLERK)
        Shift.objects.create(window=window, user=clerk, date=day)
        WindowSession.objects.create(window=window, user=clerk, started_at=timezone.now())
        clerks.append(clerk)
        windows.append(window)
    return hall, list(queues.values()), clerks, windows


def arrival_times(count: int, day: dt.date, rng: random.Random) -> list[dt.datetime]:
    """Two peaks, as a hall sees them: 55 % in the morning around 9:45 (σ 50 min, 8:30–11:30),
    45 % in the afternoon around 14:30 (σ 60 min, 13:00–17:00)."""
    from django.utils import timezone

    def clipped(mean: float, sigma: float, low: float, high: float) -> float:
        return min(high, max(low, rng.gauss(mean, sigma)))

    minutes = sorted(clipped(585, 50, 510, 690) if rng.random() < 0.55 else
                     clipped(870, 60, 780, 1020) for _ in range(count))
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return [midnight + dt.timedelta(minutes=m) for m in minutes]


def id_number(born: dt.date, serial: int) -> str:
    from stdnum.cn import ric

    body = f"220100{born:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def take_tickets(hall, queues, arrivals, rng: random.Random) -> dict:
    from yiwang.hall.models import Channel
    from yiwang.hall.services import tickets

    weights = [0.35, 0.45, 0.20]
    started = time.perf_counter()
    for n, arrived in enumerate(arrivals):
        elderly = rng.random() < ELDERLY_SHARE
        born = dt.date(1940 + rng.randrange(15), 1 + rng.randrange(12), 1 + rng.randrange(28)) \
            if elderly else dt.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
        tickets.take_ticket(hall, channel=Channel.TERMINAL, queue=rng.choices(queues, weights)[0],
                            id_number=id_number(born, n) if elderly or rng.random() < 0.5 else "",
                            mobile=f"139{n:08d}" if rng.random() < MOBILE_SHARE else "",
                            now=arrived)
    seconds = time.perf_counter() - started
    return {"tickets": len(arrivals), "seconds": seconds, "per_second": len(arrivals) / seconds}


def in_threads(count: int, work) -> list:
    from django.db import connection

    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # reported below: a failed thread fails the benchmark
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"a clerk thread failed: {errors[0]!r}")
    return results


def reset_waiting(hall) -> None:
    from yiwang.hall.models import Ticket, TicketStatus

    Ticket.objects.filter(hall=hall).update(status=TicketStatus.WAITING, window=None,
                                            served_by=None, call_count=0, called_at=None,
                                            started_at=None, finished_at=None)


# --- (b) calling through the services ------------------------------------------------------------

def drain(clerks, windows, now: dt.datetime) -> dict:
    from yiwang.hall.services import calling

    def clerk_loop(index: int):
        latencies, numbers = [], []
        while True:
            started = time.perf_counter()
            ticket = calling.call_next(clerks[index], windows[index], now=now)
            latencies.append(time.perf_counter() - started)
            if ticket is None:
                return latencies, numbers
            numbers.append(ticket.pk)
            calling.finish(clerks[index], ticket, now=now)

    started = time.perf_counter()
    results = in_threads(len(clerks), clerk_loop)
    seconds = time.perf_counter() - started
    latencies = [x for lat, _ in results for x in lat]
    called = [pk for _, numbers in results for pk in numbers]
    if len(called) != len(set(called)):
        raise SystemExit("a ticket was called twice")
    return {"calls": len(called), "seconds": seconds, "per_second": len(called) / seconds,
            "p50_ms": 1000 * percentile(latencies, 0.5), "p99_ms": 1000 * percentile(latencies, 0.99)}


# --- (c) the raw SKIP LOCKED pick --------------------------------------------------------------

def raw_picks(windows, day: dt.date, threads: int) -> dict:
    from django.db import connection, transaction

    from yiwang.hall.models import Ticket

    table = Ticket._meta.db_table
    queue_ids = [list(w.queues.values_list("pk", flat=True)) for w in windows]
    pick = (f"SELECT id FROM {table} WHERE queue_id = ANY(%s) AND date = %s AND status = 'waiting' "
            "ORDER BY arrived_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
    mark = f"UPDATE {table} SET status = 'done' WHERE id = %s"

    def loop(index: int):
        latencies, picked = [], 0
        while True:
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(pick, [queue_ids[index % len(queue_ids)], day])
                row = cursor.fetchone()
                if row is not None:
                    cursor.execute(mark, [row[0]])
            latencies.append(time.perf_counter() - started)
            if row is None:
                return latencies, picked
            picked += 1

    started = time.perf_counter()
    results = in_threads(threads, loop)
    seconds = time.perf_counter() - started
    latencies = [x for lat, _ in results for x in lat]
    picked = sum(n for _, n in results)
    return {"picks": picked, "seconds": seconds, "per_second": picked / seconds,
            "p50_ms": 1000 * percentile(latencies, 0.5), "p99_ms": 1000 * percentile(latencies, 0.99)}


# --- (d) display latency -----------------------------------------------------------------------

def display_latency(hall, clerks, windows, now: dt.datetime, calls: int, rng_seed: int) -> dict:
    """The stream in its own thread; clerks call at a hall's pace until ``calls`` calls are made;
    each call's latency is the time from its commit (call_next returning) to the first event
    whose ``last_call_id`` reaches the call."""
    from django.db import connection

    from yiwang.hall.models import Call
    from yiwang.hall.services import calling
    from yiwang.hall.views import display

    seen: list[tuple[int, float]] = []  # (last_call_id, monotonic time) of each event
    stop = threading.Event()

    def watch():
        async def consume():
            events = display._events(hall, "", seconds=3600, stop_after_first=False)
            pending = None
            while not stop.is_set():
                pending = pending or asyncio.ensure_future(anext(events))
                done, _ = await asyncio.wait({pending}, timeout=0.2)
                if pending in done:
                    chunk, pending = pending.result(), None
                    if chunk.startswith("id: "):
                        last = int(chunk.split('"last_call_id": ', 1)[1].split(",", 1)[0])
                        seen.append((last, time.monotonic()))
            if pending is not None:  # waiting for the next change: cancel it, ending the stream
                pending.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await pending
            await events.aclose()

        try:
            asyncio.run(consume())
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    time.sleep(1)  # the first event (the board as it is) has been sent
    lock, budget, made = threading.Lock(), [calls], []

    def clerk_loop(index: int):
        rng = random.Random(rng_seed + index)
        while True:
            with lock:
                if budget[0] == 0:
                    return
                budget[0] -= 1
            time.sleep(rng.uniform(0, 2))
            started = time.monotonic()
            ticket = calling.call_next(clerks[index], windows[index], now=now)
            committed = time.monotonic()
            if ticket is None:
                return
            made.append((Call.objects.filter(ticket=ticket).values_list("pk", flat=True).last(),
                         started, committed))
            calling.finish(clerks[index], ticket, now=now)

    in_threads(len(clerks), clerk_loop)
    time.sleep(1)
    stop.set()
    watcher.join()
    latencies = []
    for call_id, started, committed in made:
        shown = next((at for last, at in seen if last >= call_id and at >= started), None)
        if shown is None:
            raise SystemExit(f"call {call_id} never reached the display stream")
        # From the commit; an event can beat call_next's return to Python, which counts as 0.
        latencies.append(max(0.0, shown - committed))
    return {"calls": len(latencies), "events": len(seen),
            "p50_ms": 1000 * percentile(latencies, 0.5), "p99_ms": 1000 * percentile(latencies, 0.99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--clerks", type=int, default=WINDOWS)
    parser.add_argument("--display-calls", type=int, default=500)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database and work directory")
    args = parser.parse_args()
    if args.quick:
        args.tickets, args.display_calls = 600, 100
    if args.clerks > WINDOWS:
        raise SystemExit(f"at most {WINDOWS} clerks: one per window")
    pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)", f"CREATE DATABASE {PG_DATABASE}")
    try:
        with temporary_workdir("yiwang-bench-hall-", keep=args.keep) as workdir:
            setup_production_site(workdir, database_url=f"{PG_SERVER}/{PG_DATABASE}")
            run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def run(args) -> None:
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(args.seed)
    day = timezone.localdate()
    hall, queues, clerks, windows = build_hall(day)
    clerks, windows = clerks[:args.clerks], windows[:args.clerks]
    arrivals = arrival_times(args.tickets, day, rng)
    # The clerks call at 17:00: everyone has arrived; the policy still orders by booking tier,
    # priority group and ageing (at 17:00 most ordinary tickets have aged into the priority tier).
    closing = timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))
    print(f"PostgreSQL {connection.cursor().connection.info.server_version}, {args.tickets} tickets, "
          f"{args.clerks} clerks at {WINDOWS} windows", flush=True)
    taken = take_tickets(hall, queues, arrivals, rng)
    print(f"(a) take_ticket: {taken['per_second']:.0f} tickets/s ({taken['seconds']:.1f} s)", flush=True)
    served = drain(clerks, windows, closing)
    if served["calls"] != args.tickets:
        raise SystemExit(f"{served['calls']} of {args.tickets} tickets called")
    print(f"(b) call_next + finish, {args.clerks} clerks: {served['per_second']:.0f} calls/s; "
          f"call_next p50 {served['p50_ms']:.1f} ms, p99 {served['p99_ms']:.1f} ms", flush=True)
    reset_waiting(hall)
    raw = raw_picks(windows, day, args.clerks)
    print(f"(c) raw SELECT … FOR UPDATE SKIP LOCKED pick + UPDATE, {args.clerks} threads: "
          f"{raw['per_second']:.0f} picks/s; p50 {raw['p50_ms']:.2f} ms, p99 {raw['p99_ms']:.2f} ms",
          flush=True)
    reset_waiting(hall)
    shown = display_latency(hall, clerks, windows, closing, args.display_calls, args.seed)
    verdict = "OK" if shown["p99_ms"] <= DISPLAY_TARGET_SECONDS * 1000 else "MISSED"
    print(f"(d) call → display event over {shown['calls']} calls ({shown['events']} events): "
          f"p50 {shown['p50_ms']:.0f} ms, p99 {shown['p99_ms']:.0f} ms "
          f"(target p99 ≤ {DISPLAY_TARGET_SECONDS * 1000:.0f} ms: {verdict})", flush=True)
    print(f"service call_next p99 / raw pick p99 = {served['p99_ms'] / raw['p99_ms']:.1f}×; "
          f"calls/s = {served['per_second'] / raw['per_second']:.2f} × raw picks/s")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
