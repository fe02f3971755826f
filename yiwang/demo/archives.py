"""The demo's electronic archive: the platform seal (政务服务平台专用章 of 吉林省政务服务和数字化建设
管理局, the platform's operator) and the archival package of every demo case that closed, formed
by ``archives.services`` as the task would after the closing transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from yiwang.archives.services import form_missing_packages
from yiwang.orgs.models import Department
from yiwang.seals.models import Seal, SealKind
from yiwang.seals.services import PLATFORM_SEAL_NAME, create_seal

from .licences import SEAL_YEARS, seal_image
from .places import KIND_BY_KEY, department_uscc

PROVINCE = "220000"


def load_archives(admin_username: str) -> int:
    """Make the platform seal (unless there is one) and archive the closed demo cases; returns
    the number of packages formed."""
    if not Seal.objects.filter(name=PLATFORM_SEAL_NAME).exists():
        operator = Department.objects.get(
            uscc=department_uscc(PROVINCE, KIND_BY_KEY["government_services"].code))
        today = timezone.localdate()
        create_seal(department=operator, name=PLATFORM_SEAL_NAME, kind=SealKind.BUSINESS,
                    image=ContentFile(seal_image(), name="seal.png"), valid_from=today,
                    valid_until=today + dt.timedelta(days=365 * SEAL_YEARS),
                    actor=get_user_model().objects.get(username=admin_username))
    formed, failed = form_missing_packages()
    if failed:
        raise RuntimeError(f"演示办件归档失败：{failed}")
    return len(formed)
