"""Hall figures with exact numbers: one hall, two days, three windows, tickets, bookings and
cases accepted at the windows."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.hall.pickup_world import HallWorld, hall_user
from yiwang.cases import services
from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.hall.models import (
    Appointment,
    AppointmentStatus,
    HallItem,
    HallRole,
    Ticket,
    TicketStatus,
    Window,
    WindowCase,
    WindowKind,
)
from yiwang.hall.services import figures as hall_figures
from yiwang.orgs.models import RegionMembership, RegionRole, ServiceHall
from yiwang.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY1, DAY2 = dt.date(2026, 9, 29), dt.date(2026, 9, 30)


def at(day, clock):
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=TZ)


class FiguresWorld(HallWorld):
    def __init__(self):
        super().__init__()
        self.police = Window.objects.create(hall=self.hall, number="4", name="公安专业窗口",
                                            kind=WindowKind.SPECIALISED, department=self.other)
        self.food = HallItem.objects.get(hall=self.hall, item=self.item)
        queue = self.food.queue
        self.sequence = 0

        def ticket(day, status, *, window=None, item=self.food, arrived="09:00", called=None,
                   started=None, finished=None):
            self.sequence += 1
            Ticket.objects.create(
                hall=self.hall, queue=queue, date=day, sequence=self.sequence,
                number=f"A{self.sequence:03d}", status=status, channel="terminal", hall_item=item,
                window=window, access_key=f"key{self.sequence}", arrived_at=at(day, arrived),
                taken_at=at(day, arrived), called_at=called and at(day, called),
                started_at=started and at(day, started), finished_at=finished and at(day, finished))

        ticket(DAY1, TicketStatus.DONE, window=self.desk, called="09:05", started="09:06",
               finished="09:16")
        ticket(DAY1, TicketStatus.DONE, window=self.desk, called="09:10", started="09:10",
               finished="09:30")
        ticket(DAY1, TicketStatus.MISSED, window=self.desk, called="09:30")
        ticket(DAY1, TicketStatus.WAITING, arrived="10:00")
        ticket(DAY1, TicketStatus.TRANSFERRED, window=self.desk, called="09:01")
        ticket(DAY2, TicketStatus.DONE, window=self.police, item=None, called="09:02",
               started="09:02", finished="09:06")

        for n, (day, status) in enumerate([(DAY1, AppointmentStatus.CHECKED_IN),
                                           (DAY1, AppointmentStatus.NO_SHOW),
                                           (DAY1, AppointmentStatus.CANCELLED),
                                           (DAY2, AppointmentStatus.BOOKED)]):
            Appointment.objects.create(code=f"B{n}", hall=self.hall, hall_item=self.food,
                                       user=self.user, date=day, start=dt.time(9), end=dt.time(10),
                                       status=status)

        first = self.submitted()
        second = services.submit(self.draft(applicant=self.stranger.user), self.stranger.user,
                                 key=None)
        for case, window, action, when in (
                (first, self.desk, WindowCase.Action.RECEIVED, at(DAY1, "09:20")),
                (first, self.desk, WindowCase.Action.ACCEPTED, at(DAY1, "09:25")),
                (second, self.police, WindowCase.Action.ACCEPTED, at(DAY2, "23:30")),
                (second, self.desk, WindowCase.Action.ACCEPTED, at(DAY2, "23:50"))):
            WindowCase.objects.create(hall=self.hall, window=window, case=case, action=action,
                                      clerk=self.clerk, at=when)


@pytest.fixture
def world(db):
    return FiguresWorld()


def _numbers(row):
    return (row.tickets, row.served, row.missed, row.wait_average, row.wait_p90,
            row.service_average, row.service_p90, row.bookings, row.bookings_used, row.no_shows,
            row.accepted, row.accepted_comprehensive, row.one_window_share)


def test_figures_of_the_range(world):
    [total] = hall_figures.figures(world.hall, DAY1, DAY2)
    # waits 5, 10, 30, 2 minutes; service 10, 20, 4; the 转窗 ticket is not counted.
    assert _numbers(total) == (5, 3, 1, 11.8, 30.0, 11.3, 20.0, 3, 1, 1, 2, 1, 0.5)


def test_figures_per_day(world):
    first, second = hall_figures.figures(world.hall, DAY1, DAY2, by="day")
    assert first.key == DAY1 and first.label == "09-29"
    assert _numbers(first) == (4, 2, 1, 15.0, 30.0, 15.0, 20.0, 2, 1, 1, 1, 1, 1.0)
    # 23:30 Beijing time is still the 30th; the second acceptance of one case is not counted.
    assert _numbers(second) == (1, 1, 0, 2.0, 2.0, 4.0, 4.0, 1, 0, 0, 1, 0, 0.0)
    [only] = hall_figures.figures(world.hall, DAY1, DAY1, by="day")
    assert only.accepted == 1 and only.tickets == 4


def test_figures_per_window_and_per_item(world):
    desk, police = hall_figures.figures(world.hall, DAY1, DAY2, by="window")
    assert (desk.key, police.key) == (world.desk, world.police)  # the 出件窗口 had nothing
    assert desk.label == "1号 综合受理"
    assert _numbers(desk) == (3, 2, 1, 15.0, 30.0, 15.0, 20.0, 0, 0, 0, 1, 1, 1.0)
    assert _numbers(police) == (1, 1, 0, 2.0, 2.0, 4.0, 4.0, 0, 0, 0, 1, 0, 0.0)
    [food] = hall_figures.figures(world.hall, DAY1, DAY2, by="item")
    assert food.key == world.food and food.label == "食品经营许可"
    assert _numbers(food) == (4, 2, 1, 15.0, 30.0, 15.0, 20.0, 3, 1, 1, 2, 1, 0.5)


def test_percentile_is_nearest_rank():
    assert hall_figures.percentile([], 90) is None
    assert hall_figures.percentile([7], 90) == 7
    assert hall_figures.percentile(range(1, 11), 90) == 9
    assert hall_figures.percentile(range(1, 12), 90) == 10


def test_bad_ranges_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        hall_figures.figures(world.hall, DAY2, DAY1)
    assert caught.value.code == "figures.range_reversed"
    with pytest.raises(ValidationError) as caught:
        hall_figures.figures(world.hall, DAY1, DAY1 + dt.timedelta(days=92))
    assert caught.value.code == "figures.range_too_long"
    with pytest.raises(ValidationError):
        hall_figures.figures(world.hall, DAY1, DAY2, by="month")


def test_managers_and_the_regions_supervisors_see_the_figures(world):
    manager = hall_user(world.hall, "hall_manager", HallRole.MANAGER)
    hall_figures.require_figures_access(manager, world.hall)
    hall_figures.require_figures_access(world.supervisor, world.hall)
    city = Region.objects.create(code="220100", name="长春市", level=RegionLevel.CITY,
                                 parent=world.province, path="220000/220100/",
                                 full_name="吉林省长春市")
    city_hall = ServiceHall.objects.create(name="长春市政务服务中心", region=city, address="长春市")
    elsewhere = UserFactory(username="sup_city")
    RegionMembership.objects.create(user=elsewhere, region=city, role=RegionRole.SUPERVISOR)
    assert list(hall_figures.figure_halls(elsewhere)) == [city_hall]
    assert set(hall_figures.figure_halls(world.supervisor)) == {world.hall, city_hall}
    other_manager = hall_user(city_hall, "city_manager", HallRole.MANAGER)
    for user in (world.clerk, elsewhere, other_manager, world.acceptor):
        with pytest.raises(PermissionDenied):
            hall_figures.require_figures_access(user, world.hall)


def test_the_figures_page_draws_bars(world, client):
    manager = hall_user(world.hall, "hall_manager", HallRole.MANAGER)
    client.force_login(manager)
    url = reverse("hall:figures")
    page = client.get(url, {"hall": world.hall.pk, "start": DAY1, "end": DAY2, "by": "day"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text and "09-29" in text and "50%" in text and "11.8" in text
    bad = client.get(url, {"hall": world.hall.pk, "start": DAY2, "end": DAY1})
    assert bad.status_code == 400 and "开始日期不能晚于结束日期" in bad.content.decode()
    client.force_login(world.clerk)
    assert client.get(url, {"hall": world.hall.pk}).status_code == 403
