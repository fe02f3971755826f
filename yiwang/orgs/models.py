from django.conf import settings
from django.db import models


class Department(models.Model):
    """实施部门. ``code`` is the two-digit department code that forms the first part of the
    主项 in a GB/T 39554 basic code; departments of the same kind in different regions share it,
    so the same item has the same basic code everywhere."""

    name = models.CharField("部门名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    code = models.CharField("部门编码", max_length=2, help_text="两位数字，用于事项基本编码")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="departments")
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    supervision_phone = models.CharField("监督电话", max_length=40, blank=True)
    description = models.TextField("职能简介", blank=True)
    website = models.URLField("网站", blank=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["region__code", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="uniq_department_code_in_region"),
        ]

    def __str__(self) -> str:
        return self.name


class HallLevel(models.TextChoices):
    CENTER = "center", "政务服务中心"
    TOWN = "town", "便民服务中心"
    VILLAGE = "village", "便民服务站"


class ServiceHall(models.Model):
    """政务服务大厅: a 政务服务中心 (province, city, county), a 便民服务中心 (town, 街道) or a
    便民服务站 (village, 社区). Its windows, queues, items and opening periods are in ``hall``;
    the policies its booking and calling follow are here, one set per hall."""

    name = models.CharField("大厅名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=HallLevel.choices,
                             default=HallLevel.CENTER)
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="halls")
    address = models.CharField("地址", max_length=200)
    opening_hours = models.CharField("办公时间说明", max_length=200, blank=True,
                                     help_text="办事指南中显示的文字；预约和取号按大厅的办公时段")
    phone = models.CharField("电话", max_length=40, blank=True)
    remote_queueing = models.BooleanField("允许网上取号", default=False)
    booking_days_ahead = models.PositiveSmallIntegerField("可提前预约工作日数", default=7)
    booking_cutoff_minutes = models.PositiveSmallIntegerField(
        "取消/改约截止（开始前分钟）", default=60)
    no_show_limit = models.PositiveSmallIntegerField("30日内爽约次数上限", default=3,
                                                     help_text="达到后暂停预约")
    suspension_days = models.PositiveSmallIntegerField("暂停预约天数", default=30)
    max_calls = models.PositiveSmallIntegerField("过号前叫号次数", default=3)

    class Meta:
        verbose_name = "政务服务大厅"
        verbose_name_plural = "政务服务大厅"
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles a staff member holds in one department (部门角色)."""

    CATALOG_EDITOR = "catalog_editor", "事项编辑"
    CATALOG_REVIEWER = "catalog_reviewer", "事项审核"
    DEPARTMENT_ADMIN = "department_admin", "部门管理员"
    ACCEPTOR = "acceptor", "受理员"
    EXAMINER = "examiner", "审查员"
    DECIDER = "decider", "决定人"
    CERTIFIER = "certifier", "制证员"
    WINDOW_CLERK = "window_clerk", "窗口人员"
    ARCHIVIST = "archivist", "档案员"
    EVALUATION = "evaluation", "好差评管理员"
    HOTLINE = "hotline", "12345承办员"


class RegionRole(models.TextChoices):
    """Roles held over a region and everything below it (区域角色). 系统管理员 is Django's
    superuser flag: it is not scoped."""

    REGION_ADMIN = "region_admin", "区域管理员"
    SUPERVISOR = "supervisor", "监察员"
    ARCHIVIST = "region_archivist", "档案管理员"
    HOTLINE_OPERATOR = "hotline_operator", "12345话务员"
    HOTLINE_ADMIN = "hotline_admin", "12345热线管理员"


class Membership(models.Model):
    """A staff user's role in one department. A user may hold several roles and departments."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "部门人员角色"
        verbose_name_plural = "部门人员角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="uniq_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class RegionMembership(models.Model):
    """A staff user's role over a region: a county supervisor sees that county, a province
    supervisor the whole province."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="region_memberships")
    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.CASCADE,
                               related_name="memberships")
    role = models.CharField("角色", max_length=32, choices=RegionRole.choices)

    class Meta:
        verbose_name = "区域人员角色"
        verbose_name_plural = "区域人员角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"],
                                    name="uniq_region_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.get_role_display()}"
