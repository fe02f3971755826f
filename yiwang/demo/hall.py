"""The demo's service halls: 长春市政务服务中心 with its opening hours, queues, windows, the
items of the 长春市 departments stationed in it and a roster for the coming weeks, and the 前进街道
便民服务中心 with a consult window and a village 帮办代办员.

Written straight to the tables (the services of ``hall.services.setup`` want a manager at work
and audit every row; the demo is one transaction of seed data). The roster covers today and the
next 20 days whatever day the demo is loaded, so the hall staff can sign in to their windows
at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.catalog.models import ItemType, ServiceItem
from yiwang.hall.models import (
    Category,
    DayKind,
    HallItem,
    HallMember,
    HallRole,
    OpeningPeriod,
    Queue,
    Shift,
    Terminal,
    Window,
    WindowKind,
)
from yiwang.hall.services.terminals import credential_hash
from yiwang.orgs.models import Department, ServiceHall

from .identities import DEMO_TOTP_KEY_HEX
from .places import KIND_BY_KEY, department_uscc

CITY, TOWN = "220100", "220104001"
ROSTER_DAYS = 21  # today and the next 20 days
HOURS = ((DayKind.WORKDAY, "08:30", "11:30"), (DayKind.WORKDAY, "13:00", "17:00"),
         (DayKind.SATURDAY, "09:00", "15:00"))
# Item types nobody applies for at a window: a department starts them itself.
NOT_APPLIED_FOR = (ItemType.PENALTY, ItemType.ENFORCEMENT, ItemType.INSPECTION)
# 开办餐饮店: the food and the hygiene licence are taken in together at the 企业开办 windows.
ENTERPRISE_ITEMS = (("market", "食品经营许可"), ("health", "公共场所卫生许可"))


@dataclass(frozen=True)
class HallStaff:
    username: str
    name: str
    region: str  # the hall's region
    role: str
    window: str  # the window number rostered, "" for none


HALL_STAFF = (
    HallStaff("zx_manager", "周婷", CITY, HallRole.MANAGER, ""),
    HallStaff("zx_clerk", "李娜", CITY, HallRole.CLERK, "1"),
    HallStaff("zx_clerk2", "王磊", CITY, HallRole.CLERK, "2"),
    HallStaff("zx_pickup", "陈晨", CITY, HallRole.CLERK, "8"),
    HallStaff("dbry_qianjin", "刘桂兰", TOWN, HallRole.PROXY, "1"),
)
# The 评价器 at window 1 of 长春市政务服务中心. A demo site, not a secret: the README gives the code
# and the secret to activate it with (a real pad's secret is shown once, at registration).
DEMO_PAD_CODE, DEMO_PAD_SECRET = "ZD220100PAD1", "jilin-yiwang-pad"
# Department staff at the hall's 专业窗口 (their department roles come from identities.STAFF).
SPECIALISED_STAFF = (("gaj_acceptor", "4"),)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _department(kind: str) -> Department:
    return Department.objects.get(uscc=department_uscc(CITY, KIND_BY_KEY[kind].code))


def _queue(hall, code, name, kind, category="", department=None, order=0) -> Queue:
    return Queue.objects.create(hall=hall, code=code, name=name, window_kind=kind,
                                category=category, department=department, order=order)


def _window(hall, number, name, kind, queues, department=None) -> Window:
    window = Window.objects.create(hall=hall, number=number, name=name, kind=kind,
                                   department=department)
    window.queues.set(queues)
    return window


def _city_hall(hall: ServiceHall) -> dict[str, Window]:
    police = _department("police")
    hall.remote_queueing = True
    hall.save(update_fields=["remote_queueing"])
    OpeningPeriod.objects.bulk_create([OpeningPeriod(hall=hall, day_kind=kind, start=_time(start),
                                                     end=_time(end)) for kind, start, end in HOURS])
    enterprise = _queue(hall, "A", "企业开办与经营", WindowKind.COMPREHENSIVE, Category.ENTERPRISE, order=1)
    social = _queue(hall, "B", "社会事务", WindowKind.COMPREHENSIVE, Category.SOCIAL, order=2)
    police_queue = _queue(hall, "C", "公安服务", WindowKind.SPECIALISED, department=police, order=3)
    pickup = _queue(hall, "Q", "出件", WindowKind.PICKUP, order=8)
    consult = _queue(hall, "Z", "咨询", WindowKind.CONSULT, order=9)
    windows = {number: _window(hall, number, "综合受理", WindowKind.COMPREHENSIVE,
                               [enterprise, social]) for number in ("1", "2", "3")}
    windows["4"] = _window(hall, "4", "公安服务", WindowKind.SPECIALISED, [police_queue],
                           department=police)
    windows["8"] = _window(hall, "8", "统一出件", WindowKind.PICKUP, [pickup])
    windows["9"] = _window(hall, "9", "咨询帮办", WindowKind.CONSULT, [consult])

    enterprise_items = {_item_pk(kind, name) for kind, name in ENTERPRISE_ITEMS}
    items = (ServiceItem.objects.filter(department__region__code=CITY,
                                        published_version__isnull=False)
             .exclude(item_type__in=NOT_APPLIED_FOR).order_by("implementation_code"))
    entries = []
    for item in items:
        if item.pk in enterprise_items:
            queue, minutes = enterprise, 30
        elif item.department_id == police.pk:
            queue, minutes = police_queue, 10
        else:
            queue, minutes = social, 15
        entries.append(HallItem(hall=hall, item=item, window_kind=queue.window_kind,
                                category=queue.category, queue=queue, average_minutes=minutes))
    HallItem.objects.bulk_create(entries)
    return windows


def _item_pk(kind: str, name: str) -> int:
    return ServiceItem.objects.values_list("pk", flat=True).get(
        department=_department(kind), published_version__name=name)


def _town_hall(hall: ServiceHall) -> dict[str, Window]:
    OpeningPeriod.objects.bulk_create([OpeningPeriod(hall=hall, day_kind=kind, start=_time(start),
                                                     end=_time(end))
                                       for kind, start, end in HOURS if kind == DayKind.WORKDAY])
    consult = _queue(hall, "Z", "咨询与帮办代办", WindowKind.CONSULT)
    return {"1": _window(hall, "1", "咨询帮办", WindowKind.CONSULT, [consult])}


def load_halls(password_hash: str, kept: list[str]) -> int:
    """Set up the two demo halls and their staff; returns the number of accounts made. An
    account that already exists keeps its password (noted in ``kept``)."""
    windows = {CITY: _city_hall(ServiceHall.objects.get(region__code=CITY)),
               TOWN: _town_hall(ServiceHall.objects.get(region__code=TOWN))}
    users = get_user_model().objects
    made = 0
    rostered = []
    for staff in HALL_STAFF:
        user, created = users.get_or_create(username=staff.username, defaults={
            "password": password_hash, "first_name": staff.name})
        if not created:
            kept.append(staff.username)
        made += created
        hall_windows = windows[staff.region]
        HallMember.objects.create(hall=next(iter(hall_windows.values())).hall, user=user,
                                  role=staff.role)
        TOTPDevice.objects.get_or_create(user=user, defaults={
            "name": "演示动态口令", "key": DEMO_TOTP_KEY_HEX, "confirmed": True})
        if staff.window:
            rostered.append((hall_windows[staff.window], user))
    for username, number in SPECIALISED_STAFF:
        rostered.append((windows[CITY][number], users.get(username=username)))
    manager = users.get(username="zx_manager")
    today = timezone.localdate()
    Shift.objects.bulk_create([
        Shift(window=window, user=user, date=today + dt.timedelta(days=n), created_by=manager)
        for window, user in rostered for n in range(ROSTER_DAYS)])
    pad_window = windows[CITY]["1"]
    Terminal.objects.create(code=DEMO_PAD_CODE, name="1号窗口评价器", hall=pad_window.hall,
                            region=pad_window.hall.region, location="1号窗口台面", window=pad_window,
                            key_hash=credential_hash(DEMO_PAD_CODE, DEMO_PAD_SECRET),
                            registered_by=manager)
    return made


def hall_logins() -> list[tuple[str, str]]:
    """(role and where, log-in name) of the demo hall staff, for ``load_demo --print-logins``."""
    halls = dict(ServiceHall.objects.filter(region__code__in=(CITY, TOWN))
                 .values_list("region__code", "name"))
    logins = []
    for staff in HALL_STAFF:
        where = halls.get(staff.region, "")
        window = f"，排班 {staff.window}号窗口" if staff.window else ""
        logins.append((f"{HallRole(staff.role).label}（{where}{window}）", staff.username))
    return logins
