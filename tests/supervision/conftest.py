"""The platform's 平台存证专用章, for the tests that sign checkpoints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, RegionFactory, UserFactory
from tests.seals.conftest import png
from yiwang.seals import services as seals
from yiwang.seals.models import SealKind


@pytest.fixture
def platform_department(db):
    return DepartmentFactory(name="吉林省政务服务和数字化建设管理局", code="31", region=RegionFactory())


@pytest.fixture
def platform_seal(platform_department):
    # A system administrator: a department's administrator may not make the platform's seal.
    admin = UserFactory(username="platform_admin", is_superuser=True)
    today = timezone.localdate()
    return seals.create_seal(department=platform_department, name=SealKind.AUDIT.label,
                             kind=SealKind.AUDIT, image=png(), valid_from=today - dt.timedelta(days=1),
                             valid_until=today + dt.timedelta(days=365), actor=admin)
