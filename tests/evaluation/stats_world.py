"""A small world for the 好差评 statistics tests: regions 吉林省 › 长春市 › 朝阳区 and 吉林市, a
department in each of 长春市, 朝阳区 and 吉林市, a hall in 吉林市 and an item of 朝阳区. Ratings and
rectifications are made with the ORM (parts A and B make them in production), the signals sent
here as their services send them.

``january`` rates January 2026 as below (levels 1 best … 5 worst); the figures of 长春市 (with 朝阳区)
are 8 ratings, 4 好评, 4 差评, 3 rectified, 1 on time, 1 revisited:

    朝阳区, 朝阳区政务服务局, item, pc:  1, 2, 3,
                                       4 rectified on time, 5 rectified late and revisited,
                                       4 with its rectification pending,
                                       5 excluded (申诉成立; rectified, never counts)
    长春市, 长春市市场监督管理局, mobile: 1,
                                       4 answered 16 Jan 00:30 China time, due 15 Jan: late
    吉林市, no department, the hall:     2
    February: 朝阳区 hall channel 1
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.db import transaction

from tests.accounts.factories import citizen
from tests.factories import DepartmentFactory, RegionFactory
from yiwang.catalog.models import GuideVersion, ServiceItem, VersionStatus
from yiwang.evaluation import signals
from yiwang.evaluation.models import (
    Rating,
    RatingKind,
    Rectification,
    RectificationStatus,
)
from yiwang.orgs.models import ServiceHall
from yiwang.regions.models import RegionLevel

CHINA = ZoneInfo("Asia/Shanghai")
_keys = itertools.count(1)


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=CHINA)


def build_world() -> dict:
    province = RegionFactory()
    city = RegionFactory(code="220100", name="长春市", level=RegionLevel.CITY, parent=province,
                         path="220000/220100/", full_name="吉林省长春市")
    county = RegionFactory(code="220104", name="朝阳区", level=RegionLevel.COUNTY, parent=city,
                           path="220000/220100/220104/", full_name="吉林省长春市朝阳区")
    other = RegionFactory(code="220200", name="吉林市", level=RegionLevel.CITY, parent=province,
                          path="220000/220200/", full_name="吉林省吉林市")
    city_department = DepartmentFactory(name="长春市市场监督管理局", region=city)
    county_department = DepartmentFactory(name="朝阳区政务服务局", region=county)
    other_department = DepartmentFactory(name="吉林市行政审批局", region=other)
    hall = ServiceHall.objects.create(name="吉林市政务服务中心", region=other, address="吉林市解放北路1号")
    return {"province": province, "city": city, "county": county, "other": other,
            "city_department": city_department, "county_department": county_department,
            "other_department": other_department, "hall": hall,
            "item": make_item(county_department, "个体工商户设立登记"),
            "rater": citizen("王小明").user}


def make_item(department, name: str) -> ServiceItem:
    n = ServiceItem.objects.count() + 1
    item = ServiceItem.objects.create(
        basic_code=f"000{n:09d}"[-12:], implementation_code=f"1122{n:027d}",
        handling_code=f"1122{n:027d}01", item_type="01", level="3", department=department,
        region=department.region)
    version = GuideVersion.objects.create(item=item, number=1, status=VersionStatus.PUBLISHED,
                                          name=name)
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item


def rate(*, level: int, region, when: dt.datetime, department=None, hall=None, item=None,
         channel: str = "pc", text: str = "", rater=None, excluded: bool = False) -> Rating:
    return Rating.objects.create(
        kind=RatingKind.EVENT if hall else RatingKind.CASE, channel=channel,
        event_key=f"test:{next(_keys)}", level=level, text=text, rater=rater, region=region,
        department=department, hall=hall, item=item, event_at=when, created_at=when,
        updated_at=when, excluded=excluded)


def rectify(rating: Rating, *, status: str, due: str, replied: dt.datetime | None = None) -> Rectification:
    """The rating's rectification in ``status``: the one the 差评 opened through ``rating_given``
    (the rectification part's receiver), else a new one."""
    rect, _ = Rectification.objects.update_or_create(rating=rating, defaults=dict(
        department=rating.department, hall=rating.hall, region=rating.region,
        status=status, opened_at=rating.created_at, due_on=dt.date.fromisoformat(due),
        replied_at=replied, reply="已整改" if replied else ""))
    return rect


def january(world: dict) -> dict:
    county = {"region": world["county"], "department": world["county_department"],
              "item": world["item"]}
    made = {}
    for n, level in enumerate((1, 2, 3), start=1):
        made[f"good{n}"] = rate(level=level, when=at(f"2026-01-0{n}"), **county)
    made["on_time"] = rate(level=4, when=at("2026-01-05"), rater=world["rater"],
                           text="窗口让我跑了三次，身份证号220104199001011234，电话13912345678", **county)
    rectify(made["on_time"], status=RectificationStatus.RECTIFIED, due="2026-01-12",
            replied=at("2026-01-10"))
    made["late"] = rate(level=5, when=at("2026-01-06"), **county)
    rectify(made["late"], status=RectificationStatus.REVISITED, due="2026-01-15",
            replied=at("2026-01-20"))
    made["pending"] = rate(level=4, when=at("2026-01-07"), **county)
    rectify(made["pending"], status=RectificationStatus.RECTIFYING, due="2026-01-20")
    made["excluded"] = rate(level=5, when=at("2026-01-08"), excluded=True, **county)
    rectify(made["excluded"], status=RectificationStatus.RECTIFIED, due="2026-01-20",
            replied=at("2026-01-09"))
    city = {"region": world["city"], "department": world["city_department"], "channel": "mobile"}
    made["city_good"] = rate(level=1, when=at("2026-01-09"), **city)
    made["city_bad"] = rate(level=4, when=at("2026-01-10"), **city)
    rectify(made["city_bad"], status=RectificationStatus.RECTIFIED, due="2026-01-15",
            replied=at("2026-01-16", "00:30"))
    made["hall"] = rate(level=2, when=at("2026-01-31", "23:59"), region=world["other"],
                        hall=world["hall"], channel="hall")
    made["february"] = rate(level=1, when=at("2026-02-01", "00:01"), region=world["county"],
                            department=world["county_department"], channel="hall")
    return made


def given(rating: Rating, *, created: bool = True, previous_level: int | None = None) -> None:
    """What part A's ``rate`` does after saving a rating: the signal, in the transaction."""
    with transaction.atomic():
        signals.rating_given.send(sender=Rating, rating=rating, created=created,
                                  previous_level=previous_level)
