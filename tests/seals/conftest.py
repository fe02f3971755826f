"""Two departments, their staff and a seal of the first one."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import DepartmentFactory, RegionFactory, UserFactory, staff
from yiwang.orgs.models import Role
from yiwang.seals import services
from yiwang.seals.models import SealKind


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, red) PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def png(name: str = "印模.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content,
                              content_type="image/png")


class SealWorld:
    def __init__(self):
        self.province = RegionFactory()
        self.market = DepartmentFactory(name="吉林省市场监督管理局", code="31", region=self.province)
        self.health = DepartmentFactory(name="吉林省卫生健康委员会", code="32", region=self.province)
        self.admin = staff(self.market, Role.DEPARTMENT_ADMIN, username="market_admin")
        self.certifier = staff(self.market, Role.CERTIFIER, username="certifier")
        self.examiner = staff(self.market, Role.EXAMINER, Role.DECIDER, username="examiner")
        self.health_certifier = staff(self.health, Role.CERTIFIER, Role.DEPARTMENT_ADMIN,
                                      username="health_certifier")
        self.root = UserFactory(username="root", is_superuser=True, is_staff=True)
        self.root.save()

    def seal(self, department=None, *, valid_from=None, valid_until=None, **overrides):
        department = department or self.market
        today = timezone.localdate()
        fields = {"name": "电子证照专用章", "kind": SealKind.LICENCE, "image": png(),
                  "valid_from": valid_from or today - dt.timedelta(days=30),
                  "valid_until": valid_until or today + dt.timedelta(days=365),
                  "actor": self.admin if department == self.market else self.health_certifier}
        return services.create_seal(department=department, **{**fields, **overrides})


@pytest.fixture
def world(db):
    return SealWorld()


@pytest.fixture
def seal(world):
    return world.seal()


@pytest.fixture
def licence_data():
    return {"licence_no": "1.2.156.3005.2.spjyxk.11220000000000001X.000001.1.K",
            "holder": "长春市净月潭绿色食品有限公司", "issued_on": "2026-09-29",
            "scope": ["热食类食品制售", "冷食类食品制售"], "seats": 40, "chain": False}
