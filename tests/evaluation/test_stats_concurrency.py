"""Two ratings of one group committed at once: the recount that counted first must not write
its stale count over the later one's (the region lock, services/statistics.py). On a real server
database (PostgreSQL, MariaDB): SQLite's in-memory test database cannot be shared between threads."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from tests.evaluation.stats_world import at, build_world, given, rate
from yiwang.evaluation.services import statistics

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="需要可多线程共享的数据库（PostgreSQL 或 MariaDB）"),
]


def test_a_recount_waits_for_the_one_holding_the_group(monkeypatch):
    world = build_world()
    group = {"region": world["county"], "department": world["county_department"],
             "item": world["item"]}
    first_counted, second_committed = threading.Event(), threading.Event()
    count_groups = statistics._count_groups

    def counting(ratings):
        counted = count_groups(ratings)
        if threading.current_thread().name == "first":
            # The first has counted one rating; the second commits its own and tries to
            # recount meanwhile; the first writes only after that.
            first_counted.set()
            second_committed.wait(5)
            time.sleep(0.5)
        return counted

    monkeypatch.setattr(statistics, "_count_groups", counting)
    errors = []

    def rating_thread():
        try:
            if threading.current_thread().name == "second":
                first_counted.wait(5)
            with transaction.atomic():
                if threading.current_thread().name == "second":  # runs before its recount
                    transaction.on_commit(second_committed.set)
                given(rate(level=1, when=at("2026-01-05"), **group))
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rating_thread, name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statistics.figures(months=(dt.date(2026, 1, 1),) * 2).total.ratings == 2
