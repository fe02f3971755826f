"""The world of the 差评整改 and 申诉 tests: the food-licence world of the case tests (吉林省,
its 市场监督管理局 answering for the item and 交通运输厅 as another department), the people who
handle 差评 there, a hall answering for its own queueing, supervisors of the province and of
吉林市, and ratings made with the ORM, announced with ``rating_given`` the way part A's ``rate``
announces them (so these tests need none of part A's code)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from tests.cases.factories import World
from tests.factories import RegionFactory, UserFactory, staff
from yiwang.evaluation import signals
from yiwang.evaluation.models import Rating, RatingChannel, RatingKind
from yiwang.hall.models import HallMember, HallRole
from yiwang.orgs.models import Role, ServiceHall
from yiwang.orgs.services import grant_region_role
from yiwang.regions.models import RegionLevel

# Monday 7 December 2026, 10:00 in Beijing: 15 working days later is Monday 28 December.
RATED_AT = timezone.make_aware(dt.datetime(2026, 12, 7, 10, 0))
DUE = dt.date(2026, 12, 28)
_keys = itertools.count(1)


def _user(username: str):
    user = UserFactory(username=username)
    user.save()  # keeps the factory's password, so force_login's session survives
    return user


class RectifyWorld:
    def __init__(self):
        self.cases = World()
        self.province, self.item = self.cases.province, self.cases.item
        self.city = RegionFactory(code="220200", name="吉林市", level=RegionLevel.CITY,
                                  path="220000/220200/")
        self.market, self.other = self.cases.market, self.cases.other
        self.handler = staff(self.market, Role.EVALUATION, username="eval_market")
        self.dept_admin = staff(self.market, Role.DEPARTMENT_ADMIN, username="admin_market")
        self.outsider = staff(self.other, Role.EVALUATION, Role.DEPARTMENT_ADMIN,
                              username="eval_other")
        self.clerk = self.cases.acceptor  # a case handler of the department, no 好差评 role
        self.supervisor = self.cases.supervisor  # 监察员 of 吉林省
        self.city_supervisor = _user("sup_jilin_city")
        grant_region_role(self.city_supervisor, self.city, "supervisor")
        self.hall = ServiceHall.objects.create(name="吉林省政务服务中心", region=self.province,
                                               address="长春市人民大街1号")
        self.manager = _user("hall_manager")
        HallMember.objects.create(hall=self.hall, user=self.manager, role=HallRole.MANAGER)
        self.other_hall = ServiceHall.objects.create(name="吉林市政务服务中心", region=self.city,
                                                     address="吉林市解放路1号")
        self.other_manager = _user("other_hall_manager")
        HallMember.objects.create(hall=self.other_hall, user=self.other_manager,
                                  role=HallRole.MANAGER)
        self.rater = self.cases.applicant.user  # 王芳
        self.stranger = self.cases.stranger.user

    def rating(self, level: int = 5, *, rater=None, hall=None, case=None, text="等了两个小时没人管",
               at=RATED_AT, region=None) -> Rating:
        """A rating as part A stores it, then ``rating_given`` as part A sends it."""
        department = None if hall is not None else self.market
        rating = Rating.objects.create(
            kind=RatingKind.CASE if case else RatingKind.EVENT, channel=RatingChannel.PC,
            event_key=f"case:{case.pk}" if case else f"ticket:{next(_keys)}", level=level,
            text=text, rater=rater or self.rater, case=case, hall=hall,
            item=None if hall is not None else self.item, department=department,
            region=region or (hall.region if hall is not None else self.province),
            event_at=at, created_at=at, updated_at=at)
        signals.rating_given.send(sender=Rating, rating=rating, created=True, previous_level=None)
        return rating

    def change(self, rating: Rating, level: int, at=None) -> Rating:
        previous = rating.level
        rating.level, rating.updated_at = level, at or rating.updated_at + dt.timedelta(hours=1)
        rating.save()
        signals.rating_given.send(sender=Rating, rating=rating, created=False,
                                  previous_level=previous)
        return rating
