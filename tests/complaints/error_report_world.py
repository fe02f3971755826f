"""The world of the 曝光纠错 tests: 吉林省 and two of its cities, 长春市公安局 (the item's
department, with an editor and a reviewer, and a published guide) and 长春市市场监督管理局 (another
department, with its own editor), a 区域管理员 of 长春市 and one of 吉林市, and a citizen."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.accounts.factories import citizen
from tests.factories import DepartmentFactory, RegionFactory, UserFactory, guide_data, staff
from yiwang.catalog import services as catalog
from yiwang.complaints.services import error_reports
from yiwang.orgs.models import RegionRole, Role
from yiwang.orgs.services import grant_region_role
from yiwang.regions.models import RegionLevel

# Monday 7 December 2026, 10:00 in Beijing: 5 working days later is Monday 14 December.
FILED_AT = timezone.make_aware(dt.datetime(2026, 12, 7, 10, 0))
DUE = dt.date(2026, 12, 14)


def user(username: str, **flags):
    account = UserFactory(username=username, **flags)
    account.save()  # keeps the factory's password, so force_login's session survives
    return account


class ErrorReportWorld:
    def __init__(self):
        self.province = RegionFactory()
        self.city = RegionFactory(code="220100", name="长春市", level=RegionLevel.CITY,
                                  path="220000/220100/")
        self.other_city = RegionFactory(code="220200", name="吉林市", level=RegionLevel.CITY,
                                        path="220000/220200/")
        self.police = DepartmentFactory(name="长春市公安局", code="11", region=self.city)
        self.market = DepartmentFactory(name="长春市市场监督管理局", code="12", region=self.city)
        self.editor = staff(self.police, Role.CATALOG_EDITOR, username="gaj_editor")
        self.reviewer = staff(self.police, Role.CATALOG_REVIEWER, username="gaj_reviewer")
        self.author = staff(self.police, Role.CATALOG_EDITOR, username="gaj_author")
        self.other_editor = staff(self.market, Role.CATALOG_EDITOR, username="scjg_editor")
        self.region_admin = user("admin_changchun")
        grant_region_role(self.region_admin, self.city, RegionRole.REGION_ADMIN)
        self.other_admin = user("admin_jilin")
        grant_region_role(self.other_admin, self.other_city, RegionRole.REGION_ADMIN)
        self.citizen = citizen("王芳", mobile="13904310002").user
        self.item = self.published(self.police, "居民身份证换领")
        self.market_item = self.published(self.market, "食品经营许可")

    def published(self, department, name: str):
        author = self.author if department == self.police else self.other_editor
        reviewer = self.reviewer if department == self.police else staff(
            department, Role.CATALOG_REVIEWER, username=f"reviewer_{department.pk}")
        item = catalog.create_item(department=department, item_type="01", level="3",
                                   guide=guide_data(name=name), actor=author)
        version = item.versions.get()
        catalog.submit_version(version, actor=author)
        catalog.approve_version(version, actor=reviewer)
        catalog.publish_version(version, actor=reviewer)
        item.refresh_from_db()
        return item

    def report(self, *, item="default", reporter=None, phone="13904310002", now=FILED_AT,
               **values):
        values = {"kind": "wrong_guide", "description": "办事指南中的承诺时限与窗口告知的不一致",
                  **values}
        return error_reports.report_error(
            reporter, item=self.item if item == "default" else item, contact_phone=phone,
            now=now, **values)

    def publish(self, version, actor=None):
        """Take a corrected draft through the review flow to publication."""
        catalog.submit_version(version, actor=actor or self.editor)
        catalog.approve_version(version, actor=self.reviewer)
        return catalog.publish_version(version, actor=self.reviewer)
