"""好差评公示 (public statistics): monthly figures by region (with its descendants), department
(or hall), item and channel, and the anonymised ratings behind each figure.

Definitions (docs/evaluation.md):
- a rating counts in the month of its ``created_at`` (China time); its rectification counts in
  the same month, so every rate compares one month's ratings with what became of them;
- 好评率 = levels 1–3 ÷ all ratings; 差评整改率 = 差评 whose rectification is 已整改 or 已回访 ÷ 差评;
  整改及时率 = those answered (``replied_at``, China date) on or before ``due_on`` ÷ those
  rectified; 回访率 = 差评 已回访 ÷ 差评. A rate is None when its denominator is 0;
- excluded ratings (申诉成立) count nowhere, a 差评 changed into a 好评 counts as a 好评 and its
  rectification no longer counts.

``RatingStat`` holds these counts per month, region, department, hall, item and channel.
``aggregate_month`` rebuilds a month; the three signals keep the current figures current by
recounting the one group a rating belongs to (its month, region, department, hall and item, all
channels) right after the transaction that changed it commits. Recounting rather than adding
+1/−1 with ``F()``: a count taken from the ratings is right whatever happened before (a lost
signal, a change of level and of rectification at once, an exclusion), where a delta repeats any
earlier mistake forever. Two recounts of one group must not interleave (each could miss the
other's rating and the later write would keep the stale count), nor a recount a rebuild; every
write of a region's figures therefore first locks the ``Region`` row (``SELECT … FOR NO KEY
UPDATE`` on PostgreSQL, ``FOR UPDATE`` on MariaDB; a rebuild locks all of them, in primary-key
order; tests/evaluation/test_stats_concurrency.py). Holding the lock, under READ COMMITTED
(PostgreSQL's default, and the level Django sets on MariaDB/MySQL) the count sees every rating
committed before it, so the last write of a group is always a full count. The lock is taken
after the rating's commit, in a short transaction of its own, so rating never waits on
statistics; if that recount fails the figures stay one rating behind until the nightly
``aggregate_ratings``. (SQLite has no row locks; it runs one writing transaction at a time.)
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields

from django.db import connection, transaction
from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from yiwang.catalog.models import ServiceItem
from yiwang.common.errors import ValidationError
from yiwang.common.identifiers import mask_name, redact_text
from yiwang.common.pagination import Page, parse_page_args
from yiwang.orgs.models import Department, ServiceHall
from yiwang.regions.models import Region

from ..models import (
    BAD_LEVELS,
    GOOD_LEVELS,
    Rating,
    RatingChannel,
    RatingStat,
    Rectification,
    RectificationStatus,
)

log = logging.getLogger(__name__)

DEFAULT_MONTHS = 12
MAX_MONTHS = 36
DONE_STATUSES = (RectificationStatus.RECTIFIED, RectificationStatus.REVISITED)
GROUP_FIELDS = ("region", "department", "hall", "item", "channel")


def replied_by_due(prefix: str = "") -> Q:
    """按期: replied on or before the due day, both days in the platform's time zone.

    Not ``replied_at__date``: on MariaDB/MySQL that converts with CONVERT_TZ, which gives NULL
    where the server has no time zone tables loaded (the default), so nothing would count. The
    local day is the UTC day of the time shifted by the zone's offset (Asia/Shanghai has had no
    daylight saving since 1991), which needs no conversion on any database."""
    shifted = ExpressionWrapper(F(f"{prefix}replied_at") + timezone.localtime().utcoffset(),
                                output_field=DateTimeField())
    return Q(**{f"{prefix}replied_at__isnull": False}) & Q(LessThanOrEqual(
        TruncDate(shifted, tzinfo=dt.UTC), F(f"{prefix}due_on")))
COUNT_FIELDS = ("ratings", "good", "bad", "rectified", "rectified_on_time", "revisited",
                "level_sum")

# The figures a page links to its ratings: which ratings stand behind each number.
FIGURES = {
    "ratings": "全部评价",
    "good": "好评",
    "bad": "差评",
    "rectified": "已整改差评",
    "on_time": "按期整改差评",
    "revisited": "已回访差评",
}

FIGURE_COUNTS = {"ratings": "ratings", "good": "good", "bad": "bad", "rectified": "rectified",
                 "on_time": "rectified_on_time", "revisited": "revisited"}


# --- months ----------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``month`` and of the next one, China time."""
    return tuple(timezone.make_aware(dt.datetime.combine(day, dt.time.min))
                 for day in (month, next_month(month)))


def rating_month(rating: Rating) -> dt.date:
    return month_start(timezone.localtime(rating.created_at).date())


def parse_month(value: str, name: str = "月份") -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationError(f"{name}应为“年-月”格式，如 2026-01", code="statistics.bad_month",
                              details={"value": value[:20]}) from None


# --- counting --------------------------------------------------------------------------------------


@dataclass
class Counts:
    """The counts of one group of ratings and the rates drawn from them."""

    ratings: int = 0
    good: int = 0
    bad: int = 0
    rectified: int = 0
    rectified_on_time: int = 0
    revisited: int = 0
    level_sum: int = 0

    def add(self, other: Counts | Mapping) -> None:
        for name in COUNT_FIELDS:
            value = getattr(other, name) if isinstance(other, Counts) else other[name]
            setattr(self, name, getattr(self, name) + (value or 0))

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def good_rate(self) -> float | None:
        """好评率"""
        return self._rate(self.good, self.ratings)

    @property
    def rectification_rate(self) -> float | None:
        """差评整改率"""
        return self._rate(self.rectified, self.bad)

    @property
    def timely_rate(self) -> float | None:
        """整改及时率"""
        return self._rate(self.rectified_on_time, self.rectified)

    @property
    def revisit_rate(self) -> float | None:
        """回访率"""
        return self._rate(self.revisited, self.bad)

    @property
    def average_level(self) -> float | None:
        return round(self.level_sum / self.ratings, 2) if self.ratings else None

    def as_dict(self) -> dict:
        return {**{name: getattr(self, name) for name in COUNT_FIELDS if name != "level_sum"},
                "good_rate": self.good_rate, "rectification_rate": self.rectification_rate,
                "timely_rate": self.timely_rate, "revisit_rate": self.revisit_rate}


def _count_groups(ratings) -> dict[tuple, Counts]:
    """The counts of ``ratings`` (a Rating queryset) per group: one GROUP BY over the ratings for
    ratings, 好评, 差评 and the level sum, one over their rectifications for 已整改, 按期 and 已回访."""
    counted = ratings.filter(excluded=False)
    groups: dict[tuple, Counts] = defaultdict(Counts)
    keys = [f"{name}_id" if name != "channel" else name for name in GROUP_FIELDS]
    for row in (counted.order_by().values(*keys)
                .annotate(ratings=Count("id"), good=Count("id", filter=Q(level__in=GOOD_LEVELS)),
                          bad=Count("id", filter=Q(level__in=BAD_LEVELS)), level_sum=Sum("level"))):
        groups[tuple(row[k] for k in keys)].add({**row, "rectified": 0, "rectified_on_time": 0,
                                                 "revisited": 0})
    done = Q(status__in=DONE_STATUSES)
    on_time = done & replied_by_due()
    rectifications = (Rectification.objects.filter(rating__in=counted.filter(level__in=BAD_LEVELS))
                      .order_by().values(*(f"rating__{k}" for k in keys))
                      .annotate(rectified=Count("id", filter=done),
                                rectified_on_time=Count("id", filter=on_time),
                                revisited=Count("id", filter=Q(status=RectificationStatus.REVISITED))))
    for row in rectifications:
        key = tuple(row[f"rating__{k}"] for k in keys)
        groups[key].add({**row, "ratings": 0, "good": 0, "bad": 0, "level_sum": 0})
    return groups


def _stat_rows(month: dt.date, groups: dict[tuple, Counts]) -> list[RatingStat]:
    return [RatingStat(month=month, **dict(zip([f"{n}_id" if n != "channel" else n
                                                for n in GROUP_FIELDS], key, strict=True)),
                       **{name: getattr(counts, name) for name in COUNT_FIELDS})
            for key, counts in groups.items() if counts.ratings]


def _locked_regions():
    """Regions locked for writing their figures. On PostgreSQL ``FOR NO KEY UPDATE``: it does not
    conflict with the ``FOR KEY SHARE`` a new rating's foreign key takes on its region, so ratings
    (and anything else pointing at the region) are inserted while a recount runs. MariaDB's
    foreign-key check takes a shared lock, so there a rating waits for the short recount."""
    return Region.objects.select_for_update(no_key=connection.features.has_select_for_no_key_update)


def aggregate_month(month: dt.date) -> int:
    """Rebuild the RatingStat rows of ``month`` (any day of it) from the ratings; returns how many
    rows it wrote. Locks every region (see the module docstring) so no recount interleaves."""
    month = month_start(month)
    since, until = month_bounds(month)
    with transaction.atomic():
        list(_locked_regions().order_by("pk").values_list("pk", flat=True))
        groups = _count_groups(Rating.objects.filter(created_at__gte=since, created_at__lt=until))
        RatingStat.objects.filter(month=month).delete()
        rows = RatingStat.objects.bulk_create(_stat_rows(month, groups), batch_size=1000)
    return len(rows)


def recount_group(rating: Rating) -> None:
    """Recount the figures of ``rating``'s group (its month, region, department, hall and item;
    every channel, so a rating moved to another channel leaves none stale)."""
    month = rating_month(rating)
    since, until = month_bounds(month)
    group = {"region_id": rating.region_id, "department_id": rating.department_id,
             "hall_id": rating.hall_id, "item_id": rating.item_id}
    with transaction.atomic():
        list(_locked_regions().filter(pk=rating.region_id).values_list("pk", flat=True))
        groups = _count_groups(Rating.objects.filter(created_at__gte=since, created_at__lt=until,
                                                     **group))
        RatingStat.objects.filter(month=month, **group).delete()
        RatingStat.objects.bulk_create(_stat_rows(month, groups))


def _recount_after_commit(rating: Rating) -> None:
    def recount():
        try:
            recount_group(rating)
        except Exception:  # the rating stands; the nightly rebuild catches the figures up
            log.exception("好差评统计未能更新（评价 %s），将由 aggregate_ratings 补齐", rating.pk)

    transaction.on_commit(recount)


def on_rating_given(sender, rating, created=True, previous_level=None, **kwargs) -> None:
    _recount_after_commit(rating)


def on_rating_excluded(sender, rating, **kwargs) -> None:
    _recount_after_commit(rating)


def on_rectification_changed(sender, rectification, previous_status=None, **kwargs) -> None:
    _recount_after_commit(rectification.rating)


# --- filters ---------------------------------------------------------------------------------------


@dataclass
class Filters:
    """What a visitor chose: a region (with everything under it), a department, an item, a
    channel, and the months from ``start`` to ``end`` (first days)."""

    start: dt.date
    end: dt.date
    region: Region | None = None
    department: Department | None = None
    item: ServiceItem | None = None
    channel: str = ""
    month: dt.date | None = None  # a drill-down into one month of the range

    @property
    def months(self) -> list[dt.date]:
        return month_range(self.start, self.end)

    def as_params(self) -> dict[str, str]:
        """The query string that chooses these filters again (links, downloads)."""
        params = {"start": f"{self.start:%Y-%m}", "end": f"{self.end:%Y-%m}"}
        for name in ("region", "department", "item"):
            if getattr(self, name) is not None:
                params[name] = str(getattr(self, name).code if name == "region"
                                   else getattr(self, name).pk)
        if self.channel:
            params["channel"] = self.channel
        if self.month:
            params["month"] = f"{self.month:%Y-%m}"
        return params

    def describe(self) -> dict:
        return {"start": f"{self.start:%Y-%m}", "end": f"{self.end:%Y-%m}",
                "region": self.region.code if self.region else None,
                "region_name": self.region.full_name if self.region else None,
                "department": self.department.pk if self.department else None,
                "department_name": self.department.name if self.department else None,
                "item": self.item.pk if self.item else None,
                "item_name": item_name(self.item) if self.item else None,
                "channel": self.channel or None,
                "channel_name": RatingChannel(self.channel).label if self.channel else None}


def _positive_id(value: str, what: str, code: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 2**63 - 1:
        raise ValidationError(f"{what}编号不正确", code=code, details={"value": value[:20]})
    return int(value)


def parse_filters(params: Mapping[str, str], *, today: dt.date | None = None) -> Filters:
    """Filters from a query string: ``region`` (区划代码), ``department`` and ``item`` (ids),
    ``channel``, ``start`` and ``end`` (YYYY-MM; the last 12 months by default), ``month`` (one
    month of the range). Bad or unknown input raises ``ValidationError`` (400) with a Chinese
    message."""
    def get(name):
        return (params.get(name) or "").strip()

    this_month = month_start(today or timezone.localdate())
    end = parse_month(get("end"), "结束月份") if get("end") else this_month
    if get("start"):
        start = parse_month(get("start"), "开始月份")
    else:
        start = end
        for _ in range(DEFAULT_MONTHS - 1):
            start = (start - dt.timedelta(days=1)).replace(day=1)
    if start > end:
        raise ValidationError("开始月份不能晚于结束月份", code="statistics.range_reversed")
    if len(month_range(start, end)) > MAX_MONTHS:
        raise ValidationError(f"一次最多统计{MAX_MONTHS}个月", code="statistics.range_too_long")
    filters = Filters(start=start, end=end)
    if get("month"):
        filters.month = parse_month(get("month"))
        if not start <= filters.month <= end:
            raise ValidationError("所选月份不在统计期间内", code="statistics.month_outside")
    if get("region"):
        code = get("region")
        if not code.isdigit() or len(code) > 12:
            raise ValidationError("区划代码应为6至12位数字", code="statistics.bad_region")
        filters.region = Region.objects.filter(code=code).first()
        if filters.region is None:
            raise ValidationError("没有这个区划", code="statistics.region_not_found")
    if get("department"):
        pk = _positive_id(get("department"), "部门", "statistics.bad_department")
        filters.department = Department.objects.filter(pk=pk).first()
        if filters.department is None:
            raise ValidationError("没有这个部门", code="statistics.department_not_found")
    if get("item"):
        pk = _positive_id(get("item"), "事项", "statistics.bad_item")
        filters.item = ServiceItem.objects.select_related("published_version").filter(pk=pk).first()
        if filters.item is None:
            raise ValidationError("没有这个事项", code="statistics.item_not_found")
    if get("channel"):
        if get("channel") not in RatingChannel.values:
            raise ValidationError("评价渠道不正确", code="statistics.bad_channel",
                                  details={"allowed": RatingChannel.values})
        filters.channel = get("channel")
    return filters


def _narrow(queryset, filters: Filters, prefix: str = ""):
    """``queryset`` (RatingStat or Rating) narrowed to the filters' region, department, item and
    channel; months are the caller's (the two tables keep them differently)."""
    if filters.region is not None:
        queryset = queryset.filter(**{f"{prefix}region__path__startswith": filters.region.path})
    if filters.department is not None:
        queryset = queryset.filter(**{f"{prefix}department": filters.department})
    if filters.item is not None:
        queryset = queryset.filter(**{f"{prefix}item": filters.item})
    if filters.channel:
        queryset = queryset.filter(**{f"{prefix}channel": filters.channel})
    return queryset


def _stats(filters: Filters):
    months = (filters.month, filters.month) if filters.month else (filters.start, filters.end)
    return _narrow(RatingStat.objects.filter(month__range=months), filters).order_by()


_SUMS = {name: Sum(name) for name in COUNT_FIELDS}


# --- the figures -----------------------------------------------------------------------------------


@dataclass
class Figures:
    filters: Filters
    total: Counts
    months: list[tuple[dt.date, Counts]]
    by_region: list[tuple[str, Region | None, Counts]] = field(default_factory=list)
    by_department: list[tuple[str, dict, Counts]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "filters": self.filters.describe(),
            "total": self.total.as_dict(),
            "months": [{"month": f"{month:%Y-%m}", **counts.as_dict()} for month, counts in self.months],
            "by_region": [{"region": region.code if region else None, "name": label,
                           **counts.as_dict()} for label, region, counts in self.by_region],
            "by_department": [{**party, "name": label, **counts.as_dict()}
                              for label, party, counts in self.by_department],
        }


def figures(region=None, department=None, item=None, channel="", months=None, *,
            filters: Filters | None = None, breakdowns: bool = True) -> Figures:
    """The totals and the month-by-month series for the filters (``months`` = (first, last) month;
    the last 12 by default), with, if ``breakdowns``, the ranking by region (the chosen region's
    children, or the top regions) and by responsible department or hall.

    One GROUP BY over RatingStat (month, region, department, hall: a few hundred rows for a
    province's year) gives all three; the rest is sums here."""
    if filters is None:
        start, end = months or (None, None)
        filters = parse_filters({"start": f"{start:%Y-%m}" if start else "",
                                 "end": f"{end:%Y-%m}" if end else ""})
        filters.region, filters.department, filters.item = region, department, item
        filters.channel = channel or ""
    keys = ("month", "region_id", "department_id", "hall_id") if breakdowns else ("month",)
    sums = list(_stats(filters).values(*keys).annotate(**_SUMS))
    per_month: dict[dt.date, Counts] = defaultdict(Counts)
    for row in sums:
        per_month[row["month"]].add(row)
    series, total = [], Counts()
    for month in filters.months:
        total.add(per_month[month])
        series.append((month, per_month[month]))
    result = Figures(filters=filters, total=total, months=series)
    if breakdowns:
        result.by_region = _by_region(filters, sums)
        result.by_department = _by_department(sums)
    return result


def _ranked(rows):
    """Best 好评率 first; equal rates by more ratings; groups without ratings last."""
    return sorted(rows, key=lambda row: (row[2].good_rate is None, -(row[2].good_rate or 0),
                                         -row[2].ratings, row[0]))


def _by_region(filters: Filters, sums: list[dict]) -> list[tuple[str, Region | None, Counts]]:
    """One row per child of the chosen region (ratings of its own offices in a row 本级), or per
    top region when none is chosen; each with everything under it."""
    if not sums:
        return []
    paths = dict(Region.objects.filter(pk__in={row["region_id"] for row in sums})
                 .values_list("pk", "path"))
    base = filters.region.path if filters.region else ""
    rows: dict[str, Counts] = defaultdict(Counts)
    for row in sums:
        rest = paths[row["region_id"]][len(base):]
        rows[rest.split("/", 1)[0] if rest else ""].add(row)
    regions = {r.code: r for r in Region.objects.filter(code__in=[c for c in rows if c])}
    result = []
    for code, counts in rows.items():
        if code:
            region = regions.get(code)
            result.append((region.name if region else code, region, counts))
        else:
            result.append((f"{filters.region.name}（本级）", filters.region, counts))
    return _ranked(result)


def _by_department(sums: list[dict]) -> list[tuple[str, dict, Counts]]:
    departments = dict(Department.objects.filter(pk__in={r["department_id"] for r in sums})
                       .values_list("pk", "name"))
    halls = dict(ServiceHall.objects.filter(pk__in={r["hall_id"] for r in sums if not r["department_id"]})
                 .values_list("pk", "name"))
    rows: dict[tuple, Counts] = defaultdict(Counts)
    for row in sums:
        key = ("department", row["department_id"]) if row["department_id"] else ("hall", row["hall_id"])
        rows[key].add(row)
    result = []
    for (kind, pk), counts in rows.items():
        label = departments.get(pk) if kind == "department" else f"{halls.get(pk, '')}（大厅）"
        result.append((label or "", {"department": pk if kind == "department" else None,
                                     "hall": pk if kind == "hall" else None}, counts))
    return _ranked(result)


def item_name(item: ServiceItem) -> str:
    version = item.published_version
    return version.name if version else item.handling_code


def find_items(query: str, *, limit: int = 20) -> list[ServiceItem]:
    """Items whose published name contains ``query`` or whose handling code is ``query``: what
    the item search of the public page offers."""
    query = query.strip()[:100]
    if not query:
        return []
    return list(ServiceItem.objects.select_related("published_version")
                .filter(Q(published_version__name__icontains=query) | Q(handling_code=query))
                .order_by("published_version__name", "pk")[:limit])


# --- the ratings behind a figure -------------------------------------------------------------------

# 18- and 15-digit 居民身份证号, mobile numbers, e-mail addresses: masked wherever a rater wrote them.
@dataclass
class PublicRating:
    """One rating as the public sees it: who rated masked (王*), no event key, no case, no staff
    member, the text with its numbers masked."""

    rated_on: dt.date
    rater: str
    level: int
    level_label: str
    channel: str
    region: str
    party: str
    item: str
    reasons: list[str]
    text: str
    rectification: str
    rectified_on: dt.date | None
    on_time: bool | None

    def as_dict(self) -> dict:
        return {f.name: (getattr(self, f.name).isoformat() if isinstance(getattr(self, f.name), dt.date)
                         else getattr(self, f.name)) for f in fields(self)}


def _behind(filters: Filters, figure: str):
    if figure not in FIGURES:
        raise ValidationError("统计项不正确", code="statistics.bad_figure",
                              details={"allowed": list(FIGURES)})
    since = month_bounds(filters.month or filters.start)[0]
    until = month_bounds(filters.month or filters.end)[1]
    ratings = _narrow(Rating.objects.filter(excluded=False, created_at__gte=since,
                                            created_at__lt=until), filters)
    done = Q(rectification__status__in=DONE_STATUSES)
    return ratings.filter({
        "ratings": Q(),
        "good": Q(level__in=GOOD_LEVELS),
        "bad": Q(level__in=BAD_LEVELS),
        "rectified": Q(level__in=BAD_LEVELS) & done,
        "on_time": Q(level__in=BAD_LEVELS) & done & replied_by_due("rectification__"),
        "revisited": Q(level__in=BAD_LEVELS, rectification__status=RectificationStatus.REVISITED),
    }[figure])


def ratings_behind(filters: Filters, figure: str = "ratings", page=1, page_size=20) -> Page:
    """The ratings that make up ``figure`` under ``filters`` (the newest first), anonymised
    (``PublicRating``), a page at a time."""
    page_n, size_n = parse_page_args(page, page_size)
    ratings = _behind(filters, figure)
    # The total is the figure itself (RatingStat): a COUNT over a year of a province's ratings
    # would cost more than the page of twenty.
    total = getattr(figures(filters=filters, breakdowns=False).total, FIGURE_COUNTS[figure])
    chosen = list(ratings.select_related("rater__citizen", "region", "department", "hall",
                                         "item__published_version", "rectification")
                  .prefetch_related("reasons").order_by("-created_at", "-pk")
                  [(page_n - 1) * size_n:page_n * size_n])
    return Page([_public(rating) for rating in chosen], total, page_n, size_n)


def _rater_label(rating: Rating) -> str:
    citizen = getattr(rating.rater, "citizen", None) if rating.rater_id else None
    if citizen is not None and citizen.name:
        return mask_name(citizen.name)
    return "匿名评价人"


def _public(rating: Rating) -> PublicRating:
    rectification = getattr(rating, "rectification", None) if rating.is_bad else None
    replied = (timezone.localtime(rectification.replied_at).date()
               if rectification is not None and rectification.replied_at else None)
    done = rectification is not None and rectification.status in DONE_STATUSES
    return PublicRating(
        rated_on=timezone.localtime(rating.created_at).date(), rater=_rater_label(rating),
        level=rating.level, level_label=rating.get_level_display(),
        channel=rating.get_channel_display(), region=rating.region.full_name or rating.region.name,
        party=rating.department.name if rating.department_id else f"{rating.hall.name}（大厅）",
        item=item_name(rating.item) if rating.item_id else "",
        reasons=[reason.name for reason in rating.reasons.all()],
        text=redact_text(rating.text),
        rectification=rectification.get_status_display() if rectification is not None else "",
        rectified_on=replied if done else None,
        on_time=(replied <= rectification.due_on) if done and replied else None)


def months_to_aggregate(month: str | None = None, *, today: dt.date | None = None) -> list[dt.date]:
    """``month`` (YYYY-MM), or this month and the last: a rectification of last month's 差评 may
    finish this month."""
    if month:
        return [parse_month(month)]
    this_month = month_start(today or timezone.localdate())
    return [month_start(this_month - dt.timedelta(days=1)), this_month]


def recount_all(months: Iterable[dt.date]) -> dict[dt.date, int]:
    """``aggregate_month`` for each of ``months``: the command's and the task's work."""
    return {month_start(month): aggregate_month(month) for month in months}
