"""The usage log (数据使用记录). Rows are written only by ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DataUse(models.Model):
    """One use by a department of a citizen's (or company's) licence or registry data, for one
    case: what the holder reads as “谁使用了我的数据”."""

    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="数据主体（个人）", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="data_uses")
    holder_company = models.ForeignKey("accounts.Company", verbose_name="数据主体（单位）", null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="data_uses")
    licence = models.ForeignKey("licences.Licence", verbose_name="电子证照", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="uses")
    data_source = models.CharField("数据", max_length=200)
    department = models.ForeignKey("orgs.Department", verbose_name="使用部门", on_delete=models.PROTECT,
                                   related_name="data_uses")
    case = models.ForeignKey("cases.Case", verbose_name="办件", on_delete=models.PROTECT,
                             related_name="data_uses")
    purpose = models.CharField("用途", max_length=200)
    used_at = models.DateTimeField("使用时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "数据使用记录"
        verbose_name_plural = "数据使用记录"
        ordering = ["-used_at", "-id"]
        indexes = [
            models.Index(fields=["holder_user", "-used_at"], name="data_use_holder_recent"),
            models.Index(fields=["holder_company", "-used_at"], name="data_use_company_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.data_source}"
