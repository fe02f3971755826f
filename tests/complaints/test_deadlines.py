"""Reply deadlines: a region's ReplyDeadline for the kind, else the nearest ancestor's, else
``settings.COMPLAINTS_REPLY_WORKING_DAYS``; counted in working days."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.complaints.factories import HotlineWorld
from yiwang.calendar.models import CalendarDay
from yiwang.complaints.models import ReplyDeadline, RequestKind
from yiwang.complaints.services import deadlines

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def w(db):
    return HotlineWorld()


def test_without_rows_the_settings_decide(w, settings):
    settings.COMPLAINTS_REPLY_WORKING_DAYS = {**settings.COMPLAINTS_REPLY_WORKING_DAYS,
                                              "complaint": 5, "consult": 1}
    assert deadlines.reply_working_days(w.chaoyang, RequestKind.COMPLAINT) == 5
    assert deadlines.reply_due(w.chaoyang, RequestKind.CONSULT, MONDAY) == dt.date(2026, 12, 8)
    assert deadlines.reply_due(w.chaoyang, RequestKind.COMPLAINT, MONDAY) == dt.date(2026, 12, 14)


def test_the_nearest_regions_row_wins(w):
    ReplyDeadline.objects.create(region=w.province, kind=RequestKind.COMPLAINT, working_days=7)
    assert deadlines.reply_working_days(w.chaoyang, RequestKind.COMPLAINT) == 7
    ReplyDeadline.objects.create(region=w.changchun, kind=RequestKind.COMPLAINT, working_days=3)
    assert deadlines.reply_working_days(w.chaoyang, RequestKind.COMPLAINT) == 3
    assert deadlines.reply_working_days(w.jilin, RequestKind.COMPLAINT) == 7
    ReplyDeadline.objects.create(region=w.chaoyang, kind=RequestKind.COMPLAINT, working_days=2)
    assert deadlines.reply_due(w.chaoyang, RequestKind.COMPLAINT, MONDAY) == dt.date(2026, 12, 9)
    # Another kind is not affected.
    assert deadlines.reply_working_days(w.chaoyang, RequestKind.REPORT) == 15


def test_holidays_of_the_region_are_skipped(w):
    CalendarDay.objects.create(date=dt.date(2026, 12, 8), kind="holiday", name="测试假日",
                               region=w.changchun)
    assert deadlines.reply_due(w.changchun, RequestKind.CONSULT, MONDAY) == dt.date(2026, 12, 9)
