"""The demo's 好差评: a year of ratings across the province's departments and channels so the
public statistics page (/evaluation/) has shape, and a few 差评 of 长春市市场监督管理局 (综合点评 by
the demo citizens, through the rating and rectification services) in different states for its
好差评管理员 (``scjg_evaluation``): one 待核实, one 整改中, one 已整改 awaiting the rater's verdict,
and one with a pending appeal (申诉) for the 监察员 (``sup_province``) to decide.

The year of history is written with ``bulk_create`` and then counted by
``statistics.aggregate_month`` month by month: ``ratings.rate`` has no way to date a rating in
the past and would take a few hundred transactions, signals and audit records. It stands for
ratings imported from the province's previous 好差评 system, whose raters are not known here."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from yiwang.accounts.models import Citizen
from yiwang.catalog.models import ServiceItem
from yiwang.evaluation.models import (
    BAD_LEVELS,
    Appeal,
    BadReviewReason,
    Rating,
    RatingChannel,
    RatingKind,
    Rectification,
    RectificationStatus,
)
from yiwang.evaluation.services import ratings, rectification, statistics
from yiwang.evaluation.services import reasons as reason_list
from yiwang.orgs.models import Department

from .places import KIND_BY_KEY, department_uscc

SEED = 15
HISTORY = 600  # ratings over the last 12 months
# 长春市's own departments, where the demo's services and people are, get most of them.
CITY_WEIGHT = 6
MONTHS = 12
CITY = "220100"
# Channels weighted as a province's 好差评 system sees them: most at the window pad.
CHANNELS = ((RatingChannel.HALL, 40), (RatingChannel.PC, 20), (RatingChannel.MOBILE, 20),
            (RatingChannel.SMS, 10), (RatingChannel.TERMINAL, 6), (RatingChannel.HOTLINE, 4))
LEVELS = ((1, 55), (2, 25), (3, 10), (4, 7), (5, 3))
BAD_TEXTS = ("窗口说材料不全，让我第二次再来", "排队一个多小时才轮到", "网上填报页面老是提交失败",
             "工作人员态度生硬，没有一次性告知", "承诺时限过了还没办好")
GOOD_TEXTS = ("", "", "办得很快，谢谢", "工作人员很耐心", "网上就办完了，不用跑腿")
# (citizen, level, reasons, text, how far the 市场监管 gets with it)
LIVE = (
    ("张伟", 4, ["attitude"], "咨询食品经营许可时窗口人员不耐烦，没有讲清楚要带哪些材料", "pending"),
    ("刘洋", 5, ["many_trips", "extra_materials"], "跑了三趟，每次都被要求补一份新材料", "rectifying"),
    ("陈静", 4, ["long_wait"], "上午排队等了一个半小时", "rectified"),
    ("王芳", 5, ["other"], "差评！！！", "appealed"),
)


def _weighted(rng: random.Random, choices):
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _history(rng: random.Random, now: dt.datetime) -> set[dt.date]:
    departments = list(Department.objects.select_related("region").order_by("pk"))
    weights = [CITY_WEIGHT if d.region.code == CITY else 1 for d in departments]
    items = {}
    for pk, department in ServiceItem.objects.filter(
            published_version__isnull=False).order_by("pk").values_list("pk", "department"):
        items.setdefault(department, []).append(pk)
    reasons = list(BadReviewReason.objects.filter(active=True).order_by("order"))
    rows, bad = [], []
    for n in range(HISTORY):
        department = rng.choices(departments, weights=weights)[0]
        at = now - dt.timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
        channel = _weighted(rng, CHANNELS)
        level = _weighted(rng, LEVELS)
        in_hall = channel in (RatingChannel.HALL, RatingChannel.TERMINAL)
        rating = Rating(
            kind=RatingKind.EVENT if in_hall else RatingKind.OVERALL, channel=channel,
            event_key=f"import:{n + 1}", level=level, department=department,
            region=department.region, item_id=rng.choice(items.get(department.pk) or [None]),
            text=rng.choice(BAD_TEXTS if level in BAD_LEVELS else GOOD_TEXTS),
            event_at=at - dt.timedelta(hours=2), created_at=at, updated_at=at)
        rows.append(rating)
        if level in BAD_LEVELS:
            bad.append(rating)
    Rating.objects.bulk_create(rows, batch_size=500)
    # bulk_create sets the primary keys only on some databases: read them back by event key.
    saved = dict(Rating.objects.filter(event_key__startswith="import:")
                 .values_list("event_key", "pk"))
    Rating.reasons.through.objects.bulk_create([
        Rating.reasons.through(rating_id=saved[r.event_key], badreviewreason_id=rng.choice(reasons).pk)
        for r in bad])
    # Most old 差评 were rectified and revisited, some late, a few never: 整改率 below 100 %.
    rects = []
    for rating in bad:
        opened = rating.created_at
        due = timezone.localdate(opened) + dt.timedelta(days=7)
        outcome = rng.random()
        rect = Rectification(rating_id=saved[rating.event_key], department=rating.department,
                             region=rating.region, opened_at=opened, due_on=due,
                             status=RectificationStatus.RECTIFYING, finding="已核实")
        if outcome < 0.85:
            replied = opened + dt.timedelta(days=rng.randint(1, 12))
            rect.reply, rect.replied_at = "已整改并向评价人说明", min(replied, now)
            rect.status = (RectificationStatus.REVISITED if outcome < 0.7
                           else RectificationStatus.RECTIFIED)
        rects.append(rect)
    Rectification.objects.bulk_create(rects)
    return {statistics.month_start(timezone.localdate(r.created_at)) for r in rows}


def _live(admin) -> None:
    """This month's 差评 of 长春市市场监督管理局, through the services as a citizen would give them
    and its 好差评管理员 would handle them."""
    market = Department.objects.get(uscc=department_uscc(CITY, KIND_BY_KEY["market"].code))
    key = ratings.overall_key(market)
    for name, level, reasons, text, stage in LIVE:
        user = Citizen.objects.select_related("user").get(name=name).user
        rating = ratings.rate(user, event_key=key, level=level, reasons=reasons, text=text,
                              channel=RatingChannel.PC)
        rect = rating.rectification
        if stage == "appealed":
            rectification.appeal(admin, rating, Appeal.Ground.MALICIOUS,
                                 "评价内容与本部门服务无关，评价人当月未在本部门办理任何业务")
            continue
        if stage in ("rectifying", "rectified"):
            rect = rectification.verify(admin, rect, "经调取窗口记录核实，情况属实")
        if stage == "rectified":
            rectification.reply(admin, rect, "已增开两个企业开办窗口，并在窗口公示一次性告知清单。"
                                             "感谢您的监督。")


def load_evaluation() -> None:
    """Load the demo's 好差评 (see the module docstring)."""
    reason_list.ensure_standard()  # a flushed test database has lost the migration's rows
    months = _history(random.Random(SEED), timezone.now())
    for month in sorted(months):
        statistics.aggregate_month(month)
    _live(get_user_model().objects.get(username="scjg_evaluation"))
