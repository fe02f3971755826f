"""The two-department food licence world of tests/cases, with a licence type for its item and a
licence seal of the market department."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.factories import World
from tests.factories import staff
from tests.seals.conftest import png
from yiwang.cases import services as cases
from yiwang.cases.models import CaseTask, TaskKind
from yiwang.licences.models import Licence, LicenceType
from yiwang.orgs.models import Role
from yiwang.seals import services as seals
from yiwang.seals.models import SealKind


class LicenceWorld(World):
    def __init__(self):
        super().__init__()
        # world.item's guide names "spjyxk" as its result licence type.
        self.licence_type = LicenceType.objects.create(
            code="spjyxk", name="食品经营许可证", issuer_kind="市场监督管理部门", validity_years=5,
            fields=[{"name": "shop_name", "label": "店铺名称"},
                    {"name": "area", "label": "经营面积（平方米）"}])
        self.market_admin = staff(self.market, Role.DEPARTMENT_ADMIN, username="market_admin")

    def seal(self, kind: str = SealKind.LICENCE, **overrides):
        today = timezone.localdate()
        fields = {"department": self.market, "name": SealKind(kind).label,
                  "kind": kind, "image": png(), "valid_from": today - dt.timedelta(days=30),
                  "valid_until": today + dt.timedelta(days=3650), "actor": self.market_admin}
        return seals.create_seal(**{**fields, **overrides})

    def decided(self, **form):
        case = self.accepted(**form)
        for department, examiner in ((self.market, self.examiner), (self.health, self.health_examiner)):
            task = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=department)
            cases.complete_review(task, examiner, approve=True)
        return cases.decide(case, self.decider, outcome="approved")

    def certified(self, **form):
        return cases.certify(self.decided(**form), self.certifier)

    def delivered(self, **form):
        return cases.deliver(self.certified(**form), self.certifier, method="online")

    def licence(self, **form) -> Licence:
        return Licence.objects.get(case=self.delivered(**form))


@pytest.fixture
def world(db):
    return LicenceWorld()


@pytest.fixture
def sealed(world):
    """The world with a licence seal of the market department."""
    world.seal()
    return world


@pytest.fixture
def later(monkeypatch):
    """Move the clock the services see ``days`` ahead."""

    def move(days: int):
        moment = timezone.now() + dt.timedelta(days=days)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return move
