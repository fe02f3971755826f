import pytest

from .factories import World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def clock(monkeypatch):
    """Set the time the services see: ``clock("2026-09-29 10:00")``."""
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    def set_time(text: str):
        moment = dt.datetime.fromisoformat(text).replace(tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_time
