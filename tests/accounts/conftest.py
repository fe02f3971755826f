import re

import pytest
from django.core.cache import cache

from yiwang.notify.models import Message


@pytest.fixture
def last_code(db):
    """The code in the newest SMS, as the applicant reads it off their phone."""

    def read(mobile: str) -> str:
        message = Message.objects.filter(channel="sms", address=mobile).first()
        return re.search(r"验证码是(\d{6})", message.body).group(1)

    return read


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Registration counts attempts in the cache, which outlives a test's database rows."""
    cache.clear()
    yield
    cache.clear()
