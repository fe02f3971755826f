"""答复期限: working days by request kind. A region's ``ReplyDeadline`` for the kind wins; a region
without one inherits the nearest ancestor's, then ``settings.COMPLAINTS_REPLY_WORKING_DAYS``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from yiwang.calendar.workdays import add_working_days

from ..access import region_codes
from ..models import ReplyDeadline

# A kind missing from the setting (a deployment that trimmed it) still gets a deadline.
FALLBACK_WORKING_DAYS = 5


def reply_working_days(region, kind: str) -> int:
    codes = region_codes(region)
    own = dict(ReplyDeadline.objects.filter(region__code__in=codes, kind=kind)
               .values_list("region__code", "working_days"))
    for code in reversed(codes):  # the nearest region first
        if code in own:
            return own[code]
    return int(settings.COMPLAINTS_REPLY_WORKING_DAYS.get(kind, FALLBACK_WORKING_DAYS))


def reply_due(region, kind: str, start: dt.date) -> dt.date:
    """The day by which a request of ``kind`` registered in ``region`` on ``start`` is answered."""
    return add_working_days(start, reply_working_days(region, kind), region).due_date
