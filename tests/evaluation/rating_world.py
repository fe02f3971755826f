"""Part A's world: the hall of ``tests.hall.pickup_world`` (the two-department food licence in
吉林省, its staff, 王芳 and 赵强), a supervisor of the province and one of another province, a
region administrator, and helpers that bring a case to 送达 and a ticket to 完成."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from tests.factories import DepartmentFactory, RegionFactory, UserFactory
from tests.hall.pickup_world import HallWorld
from yiwang.cases import services as case_services
from yiwang.cases.models import DeliveryMethod
from yiwang.hall.models import Channel, HallItem, Ticket, TicketStatus
from yiwang.orgs.models import RegionMembership, RegionRole, ServiceHall


def user(username: str):
    made = UserFactory(username=username)
    made.save()  # keeps the factory's password, so force_login's session survives
    return made


class RatingWorld(HallWorld):
    def __init__(self):
        super().__init__()
        self.hall_item = HallItem.objects.get(hall=self.hall, item=self.item)
        self.elsewhere = RegionFactory(code="210000", name="辽宁省")
        self.far_hall = ServiceHall.objects.create(name="辽宁省政务服务中心", region=self.elsewhere,
                                                   address="沈阳市")
        self.far_department = DepartmentFactory(name="辽宁省市场监督管理局", code="31",
                                                region=self.elsewhere)
        self.far_supervisor = user("far_supervisor")
        RegionMembership.objects.create(user=self.far_supervisor, region=self.elsewhere,
                                        role=RegionRole.SUPERVISOR)
        self.region_admin = user("region_admin")
        RegionMembership.objects.create(user=self.region_admin, region=self.province,
                                        role=RegionRole.REGION_ADMIN)
        self.admin = UserFactory(username="root", is_superuser=True, is_staff=True)
        self.admin.save()
        self._sequence = 0

    def delivered(self, applicant=None):
        """A case of ``applicant`` (王芳) delivered online: 送达, rateable."""
        case = self.certified(delivery_method=DeliveryMethod.ONLINE, applicant=applicant)
        case_services.deliver(case, self.certifier, method="online")
        case.refresh_from_db()
        return case

    def ticket(self, *, status=TicketStatus.DONE, user=None, id_number="", mobile="",
               finished_at=None, hall=None):
        """A ticket of the hall served at the 综合窗口 by the hall's clerk."""
        self._sequence += 1
        now = timezone.now()
        done = status == TicketStatus.DONE
        return Ticket.objects.create(
            hall=hall or self.hall, queue=self.hall_item.queue, date=timezone.localdate(now),
            sequence=self._sequence, number=f"A{self._sequence:03d}", channel=Channel.TERMINAL,
            hall_item=self.hall_item, user=user, id_number=id_number, mobile=mobile,
            access_key=secrets.token_urlsafe(16), arrived_at=now - dt.timedelta(minutes=30),
            taken_at=now - dt.timedelta(minutes=30), window=self.desk, served_by=self.clerk,
            status=status, finished_at=(finished_at or now) if done else None)

