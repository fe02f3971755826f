from django.conf import settings
from django.db import models
from django.db.models import Q


class DayKind(models.TextChoices):
    """What an override says about a day: a day off although it is a weekday, or a working day
    although it is a weekend (调休: the Saturday or Sunday worked to make a holiday longer)."""

    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班日"


class DaySource(models.TextChoices):
    PACKAGE = "package", "chinese-calendar 内置数据"
    IMPORTED = "imported", "导入的放假安排"
    MANUAL = "manual", "管理员维护"


class CalendarDay(models.Model):
    """One day whose status differs from the weekday rule, or corrects what the package says.

    ``region`` empty means nationwide (全国). A row for a region applies to that region and every
    region under it (``Region.path`` prefix) and beats a nationwide row for the same date; of two
    region rows the one of the deeper region wins (see ``workdays``)."""

    date = models.DateField("日期")
    region = models.ForeignKey(
        "regions.Region", verbose_name="适用区划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="calendar_days", help_text="留空表示全国适用",
    )
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=64, blank=True, help_text="如 春节、国庆节")
    source = models.CharField("来源", max_length=16, choices=DaySource.choices,
                              default=DaySource.MANUAL)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "日历调整日"
        verbose_name_plural = "日历调整日"
        ordering = ["date", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["date", "region"], name="uniq_calendar_day_region"),
            # NULL is distinct from NULL in a unique index, so nationwide rows need their own.
            models.UniqueConstraint(fields=["date"], condition=Q(region__isnull=True),
                                    name="uniq_calendar_day_nationwide"),
        ]

    def __str__(self) -> str:
        where = self.region.full_name if self.region_id else "全国"
        return f"{self.date:%Y-%m-%d} {self.name or self.get_kind_display()}（{where}）"


class KnownYear(models.Model):
    """Records that the State Council arrangement for ``year`` has been entered for ``region``
    (empty = nationwide) and everything below it: deadlines in that year are final, no longer
    provisional, and the fixed-date fallback is no longer applied to it."""

    year = models.PositiveSmallIntegerField("年份")
    region = models.ForeignKey(
        "regions.Region", verbose_name="适用区划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="calendar_years", help_text="留空表示全国适用",
    )
    source = models.CharField("来源", max_length=16, choices=DaySource.choices,
                              default=DaySource.IMPORTED)
    note = models.TextField("备注", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "已公布年度安排"
        verbose_name_plural = "已公布年度安排"
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="uniq_known_year_region"),
            models.UniqueConstraint(fields=["year"], condition=Q(region__isnull=True),
                                    name="uniq_known_year_nationwide"),
        ]

    def __str__(self) -> str:
        where = self.region.full_name if self.region_id else "全国"
        return f"{self.year}年放假安排（{where}）"
