"""The figures follow the three signals: a rating given or changed, a rating excluded, a
rectification's progress — recounted once the transaction that changed them commits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from tests.evaluation.stats_world import at, build_world, given, rate, rectify
from yiwang.evaluation import signals
from yiwang.evaluation.models import Rating, RatingStat, Rectification, RectificationStatus
from yiwang.evaluation.services import statistics

JAN = dt.date(2026, 1, 1)


@pytest.fixture
def world(db):
    return build_world()


def january(**kw):
    return statistics.figures(months=(JAN, JAN), **kw).total


def county_rating(world, level, **kw):
    return rate(level=level, when=at("2026-01-05"), region=world["county"],
                department=world["county_department"], item=world["item"], **kw)


def test_a_rating_given_counts_after_its_transaction_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as pending:
        rating = county_rating(world, 1)
        given(rating)
    assert len(pending) == 1 and not RatingStat.objects.exists()  # not before the commit
    pending[0]()
    total = january(region=world["city"])
    assert (total.ratings, total.good, total.good_rate) == (1, 1, 1.0)


def test_a_changed_level_exclusion_and_rectification_move_the_figures(
        world, django_capture_on_commit_callbacks):
    run = django_capture_on_commit_callbacks(execute=True)
    with run:
        good = county_rating(world, 2)
        given(good)
        bad = county_rating(world, 5)
        given(bad)
    assert (january().ratings, january().bad, january().rectification_rate) == (2, 1, 0.0)

    with django_capture_on_commit_callbacks(execute=True):
        rectification = rectify(bad, status=RectificationStatus.RECTIFIED, due="2026-01-12",
                                replied=at("2026-01-09"))
        with transaction.atomic():
            signals.rectification_changed.send(sender=Rectification, rectification=rectification,
                                               previous_status=RectificationStatus.RECTIFYING)
    total = january()
    assert (total.rectified, total.rectified_on_time, total.timely_rate) == (1, 1, 1.0)

    with django_capture_on_commit_callbacks(execute=True):
        Rectification.objects.filter(pk=rectification.pk).update(status=RectificationStatus.REVISITED)
        rectification.refresh_from_db()
        with transaction.atomic():
            signals.rectification_changed.send(sender=Rectification, rectification=rectification,
                                               previous_status=RectificationStatus.RECTIFIED)
    assert january().revisit_rate == 1.0

    with django_capture_on_commit_callbacks(execute=True):  # 差评 changed to 基本满意
        Rating.objects.filter(pk=bad.pk).update(level=3)
        bad.refresh_from_db()
        given(bad, created=False, previous_level=5)
    total = january()
    assert (total.ratings, total.good, total.bad, total.rectified, total.revisited) == (2, 2, 0, 0, 0)
    assert total.rectification_rate is None

    with django_capture_on_commit_callbacks(execute=True):  # 申诉成立
        Rating.objects.filter(pk=good.pk).update(excluded=True)
        good.refresh_from_db()
        with transaction.atomic():
            signals.rating_excluded.send(sender=Rating, rating=good)
    assert (january().ratings, january().good) == (1, 1)


def test_a_rolled_back_rating_never_counts(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as pending:
        try:
            with transaction.atomic():
                given(county_rating(world, 1))
                raise RuntimeError("the rating failed later on")
        except RuntimeError:
            pass
    assert pending == [] and january().ratings == 0


def test_a_recount_touches_only_its_own_group(world, django_capture_on_commit_callbacks):
    other = rate(level=4, when=at("2026-01-20"), region=world["other"],
                 department=world["other_department"])
    statistics.aggregate_month(JAN)
    Rating.objects.filter(pk=other.pk).update(level=1)  # no signal: stays as last counted
    with django_capture_on_commit_callbacks(execute=True):
        given(county_rating(world, 1))
    assert january(region=world["other"]).bad == 1
    assert january(region=world["county"]).ratings == 1


def test_a_failed_recount_leaves_the_rating_and_is_logged(world, django_capture_on_commit_callbacks,
                                                           monkeypatch, caplog):
    def broken(rating):
        raise RuntimeError("database went away")

    monkeypatch.setattr(statistics, "recount_group", broken)
    with django_capture_on_commit_callbacks(execute=True):
        rating = county_rating(world, 1)
        given(rating)
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert "aggregate_ratings" in caplog.text
