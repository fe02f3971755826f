"""Running work in threads that start together, for the tests of what concurrent requests do to
one database (PostgreSQL and MariaDB: SQLite's in-memory test database is not shared between
threads)."""

import threading

from django.db import connection


def in_threads(count: int, work) -> tuple[list, list[Exception]]:
    """Call ``work(index)`` in ``count`` threads released at the same moment by a barrier; the
    results in the order the calls finished, and the exceptions raised. Each thread closes its
    own database connection."""
    barrier, errors, results = threading.Barrier(count), [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
