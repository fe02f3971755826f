"""Every test of 12345, 曝光纠错 and Open311 starts and ends with empty rate-limit counters (kept
in the cache, which the database's rollback does not reset)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_rate_limits():
    cache.clear()
    yield
    cache.clear()
