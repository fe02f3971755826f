"""The demo's electronic licences: the licence types the demo's items result in, and a licence
seal (电子证照专用章) for the two 长春市 departments that issue them, so that certifying a demo
case issues a sealed licence."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from yiwang.licences.models import LicenceType
from yiwang.orgs.models import Department
from yiwang.seals.models import SealKind
from yiwang.seals.services import create_seal

ISSUED_FIELDS = [{"name": "premises", "label": "经营场所"}, {"name": "category", "label": "经营项目"}]
LICENCE_TYPES = (
    ("spjyxkz", "食品经营许可证", "市场监督管理部门", "长春市市场监督管理局",
     ISSUED_FIELDS),
    ("ggcswsxkz", "公共场所卫生许可证", "卫生健康部门", "长春市卫生健康委员会",
     [ISSUED_FIELDS[0], {"name": "category", "label": "场所类别"}]),
)
SEAL_YEARS = 5


def seal_image(size: int = 96) -> bytes:
    """A red ring on transparent ground, as PNG: a stand-in for a scanned seal impression."""
    centre, outer, inner = (size - 1) / 2, size / 2 - 1, size / 2 - 7

    def pixel(x: int, y: int) -> bytes:
        distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
        return b"\xd0\x10\x10\xff" if inner <= distance <= outer else b"\x00\x00\x00\x00"

    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def load_licences(admin_username: str) -> int:
    """The licence types and one licence seal per issuing department; the number of seals made."""
    admin = get_user_model().objects.get(username=admin_username)
    today = timezone.localdate()
    made = 0
    for code, name, issuer_kind, department_name, fields in LICENCE_TYPES:
        LicenceType.objects.get_or_create(code=code, defaults={
            "name": name, "issuer_kind": issuer_kind, "fields": fields, "validity_years": 5})
        department = Department.objects.get(name=department_name)
        if department.seals.filter(kind=SealKind.LICENCE).exists():
            continue
        create_seal(department=department, name=SealKind.LICENCE.label, kind=SealKind.LICENCE,
                    image=ContentFile(seal_image(), name="seal.png"), valid_from=today,
                    valid_until=today + dt.timedelta(days=365 * SEAL_YEARS), actor=admin)
        made += 1
    return made
