"""A hall with a 综合窗口 and a 出件窗口 in the province of ``tests.cases.factories.World``, its
clerks signed in, and 窗口领取 cases of the two-department food licence brought to 制证."""

from __future__ import annotations

from django.utils import timezone

from tests.cases.factories import World
from tests.factories import UserFactory
from yiwang.cases import services
from yiwang.cases.models import CaseTask, DeliveryMethod, TaskKind
from yiwang.hall.models import (
    HallItem,
    HallMember,
    HallRole,
    Queue,
    Window,
    WindowCase,
    WindowKind,
    WindowSession,
)
from yiwang.orgs.models import ServiceHall


def hall_user(hall, username, role=HallRole.CLERK):
    user = UserFactory(username=username)
    user.save()
    HallMember.objects.create(hall=hall, user=user, role=role)
    return user


def sign_in(user, window):
    return WindowSession.objects.create(window=window, user=user, started_at=timezone.now())


class HallWorld(World):
    def __init__(self):
        super().__init__()
        self.hall = ServiceHall.objects.create(name="吉林省政务服务中心", region=self.province,
                                               address="长春市人民大街1号")
        queue = Queue.objects.create(hall=self.hall, code="A", name="企业开办与经营",
                                     window_kind=WindowKind.COMPREHENSIVE, category="enterprise")
        self.pickup_queue = Queue.objects.create(hall=self.hall, code="Q", name="出件",
                                                 window_kind=WindowKind.PICKUP)
        HallItem.objects.create(hall=self.hall, item=self.item, queue=queue, category="enterprise")
        self.desk = Window.objects.create(hall=self.hall, number="1", name="综合受理",
                                          kind=WindowKind.COMPREHENSIVE)
        self.counter = Window.objects.create(hall=self.hall, number="8", name="出件",
                                             kind=WindowKind.PICKUP)
        self.clerk = hall_user(self.hall, "hall_clerk")
        self.pickup_clerk = hall_user(self.hall, "hall_pickup")
        sign_in(self.pickup_clerk, self.counter)
        sign_in(self.clerk, self.desk)

    def certified(self, *, delivery_method=DeliveryMethod.WINDOW, taken_in_at=None, applicant=None):
        """A case of ``applicant`` (王芳) at 送达, taken in at ``taken_in_at`` (a window) if given."""
        user = applicant or self.user
        case = services.submit(self.draft(applicant=user), user, key=None)
        case.delivery_method = delivery_method
        case.save(update_fields=["delivery_method"])
        if taken_in_at is not None:
            WindowCase.objects.create(hall=taken_in_at.hall, window=taken_in_at, case=case,
                                      action=WindowCase.Action.RECEIVED, clerk=self.clerk,
                                      at=timezone.now())
        services.accept(case, self.acceptor)
        for task, user in ((self.task(case, TaskKind.REVIEW, self.market), self.examiner),
                           (self.task(case, TaskKind.REVIEW, self.health), self.health_examiner)):
            services.complete_review(task, user, approve=True)
        services.decide(case, self.decider, outcome="approved")
        services.certify(case, self.certifier)
        case.refresh_from_db()
        return case

    @staticmethod
    def task(case, kind, department):
        return CaseTask.objects.get(case=case, kind=kind, department=department)
