"""Fixed-window counters in Django's cache, for the forms that must not be usable at speed
(progress query, registration). One node's default cache counts per process; a deployment with
several web nodes configures a shared cache (Redis, the database) and the limits hold site-wide."""

from __future__ import annotations

from django.core.cache import cache

from .errors import TooManyRequests


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on ``key`` in a ``window``-second window; True once the hits pass ``limit``."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit


def refuse_over_hourly_limit(key: str, *, limit: int, code: str) -> None:
    """Count one submission on ``key``; past ``limit`` in the hour, TooManyRequests (429) ``code``."""
    if over_limit(key, limit=limit, window=3600):
        raise TooManyRequests("提交过于频繁，请一小时后再试", code=code)
