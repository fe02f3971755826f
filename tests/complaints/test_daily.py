"""The 12345 daily sweep as the command and the task run it, at a fixed moment."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.complaints.factories import HotlineWorld
from yiwang.complaints.models import HotlineRequest, RequestStatus
from yiwang.complaints.tasks import hotline_daily

# Monday 7 December 2026 10:00: a 投诉 is due Monday the 14th.
NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 10, 0))
WEDNESDAY = dt.datetime(2026, 12, 16, 9, 0)


@pytest.fixture
def w(db):
    world = HotlineWorld()
    world.late = world.submit(now=NOW)[0]
    world.answered_long_ago = world.answered()
    HotlineRequest.objects.filter(pk=world.answered_long_ago.pk).update(
        answered_at=NOW - dt.timedelta(days=8))
    return world


def test_the_command_escalates_and_closes_at_the_given_moment(w):
    out = StringIO()
    call_command("hotline_daily", now=WEDNESDAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == "超期督办1件，评价期满办结1件"
    w.late.refresh_from_db()
    w.answered_long_ago.refresh_from_db()
    assert w.late.escalated_at == timezone.make_aware(WEDNESDAY)
    assert w.answered_long_ago.status == RequestStatus.CLOSED
    out = StringIO()
    call_command("hotline_daily", now=WEDNESDAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == "超期督办0件，评价期满办结0件"


def test_the_command_refuses_a_bad_moment(w):
    with pytest.raises(CommandError):
        call_command("hotline_daily", now="next tuesday")


def test_the_task_runs_the_sweep_now(w, settings):
    # The request registered on 7 December 2026 is overdue by any "now" after the 14th; the
    # test's clock may be earlier, so only the closing is certain.
    result = hotline_daily.call()
    assert result["closed"] == 1
    assert result["escalated"] == (1 if timezone.localdate() > w.late.due_on else 0)
