"""The licence world of tests/licences (the food licence item of tests/cases, its licence type)
with a platform seal and archivists: the market department's
档案员, a province 档案管理员, and archivists who must not see the market's packages (another
department's, another province's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, RegionFactory, UserFactory, staff
from tests.licences.conftest import LicenceWorld
from tests.seals.conftest import png
from yiwang.cases import services as cases
from yiwang.orgs.models import RegionMembership, RegionRole, Role
from yiwang.seals.models import SealKind
from yiwang.seals.services import create_seal


class ArchiveWorld(LicenceWorld):
    def __init__(self):
        super().__init__()
        self.operator = DepartmentFactory(name="吉林省政务服务和数字化建设管理局", code="34",
                                          region=self.province)
        today = timezone.localdate()
        self.platform_seal = create_seal(
            department=self.operator, name=SealKind.AUDIT.label, kind=SealKind.AUDIT, image=png(),
            valid_from=today - dt.timedelta(days=1), valid_until=today + dt.timedelta(days=365),
            actor=UserFactory(username="system_admin", is_superuser=True))
        self.archivist = staff(self.market, Role.ARCHIVIST, username="archivist")
        self.region_archivist = self._region_staff("region_archivist", self.province)
        self.other_archivist = staff(self.other, Role.ARCHIVIST, username="other_archivist")
        elsewhere = RegionFactory(code="230000", name="黑龙江省")
        self.far_archivist = self._region_staff("far_archivist", elsewhere)

    @staticmethod
    def _region_staff(username, region):
        user = UserFactory(username=username)
        user.save()
        RegionMembership.objects.create(user=user, region=region, role=RegionRole.ARCHIVIST)
        return user

    def refused(self, reason="材料不属于本机关受理范围"):
        """A case closed by 不予受理 (its package not yet formed: on_commit has not run)."""
        case = self.submitted()
        return cases.not_accept(case, self.acceptor, reason)

    def denied(self):
        """A case taken through both parallel reviews to 办结（不通过）."""
        from yiwang.cases.models import CaseTask, TaskKind

        case = self.accepted()
        for department, examiner in ((self.market, self.examiner), (self.health, self.health_examiner)):
            task = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=department)
            cases.complete_review(task, examiner, approve=department == self.market, opinion="审查意见")
        return cases.decide(case, self.decider, outcome="denied", reason="卫生条件不符合要求")


@pytest.fixture
def world(db):
    return ArchiveWorld()
