"""The shared registries of the 数据共享交换平台 with their records, and the usage log (数据使用记录).
Rows are written only by ``services``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from yiwang.common.fields import (
    BlindIndexField,
    EncryptedJSONField,
    EncryptedTextField,
    PersonalDataModel,
)
from yiwang.licences.models import HolderKind


class Registry(models.Model):
    """A base or thematic registry (基础库 / 主题库) the exchange platform holds on behalf of the
    department that keeps it: 户籍信息 from the police, 市场主体登记信息 from market regulation. A
    guide's material names it by ``code`` as ``exemption_source = "data:<code>"``. Its records are
    about people (by 居民身份证号) or companies (by 统一社会信用代码), as licences name holders."""

    code = models.CharField("数据项代码", max_length=40, unique=True, validators=[RegexValidator(
        r"^[a-z][a-z0-9_]*$", "小写字母开头的小写字母、数字或下划线")],
        help_text="如 hukou、market_entity；办事指南中写作 data:hukou")
    name = models.CharField("数据项名称", max_length=100)
    provider = models.ForeignKey("orgs.Department", verbose_name="提供部门", on_delete=models.PROTECT,
                                 related_name="registries")
    subject_kind = models.CharField("数据主体类别", max_length=10, choices=HolderKind.choices)
    fields = models.JSONField("数据字段", default=list, blank=True,
                              help_text='[{"name": "address", "label": "户籍地址"}, …]')
    active = models.BooleanField("提供中", default=True)

    class Meta:
        verbose_name = "共享数据项"
        verbose_name_plural = "共享数据项"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class RecordStatus(models.TextChoices):
    VALID = "valid", "有效"
    CANCELLED = "cancelled", "已注销"


class RegistryRecord(PersonalDataModel):
    """One subject's record in a registry as the providing department last sent it. ``updated_at``
    is the registry's own time of the record, not when the platform stored it: a case that used
    the record keeps a snapshot with that time."""

    registry = models.ForeignKey(Registry, verbose_name="共享数据项", on_delete=models.PROTECT,
                                 related_name="records")
    subject_id_number = EncryptedTextField("数据主体证件号码", max_length=18,
                                           help_text="个人为居民身份证号，单位为统一社会信用代码")
    subject_id_number_index = BlindIndexField(source="subject_id_number", normalise="id_number")
    subject_name = models.CharField("数据主体名称", max_length=200)
    data = EncryptedJSONField("数据内容", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=RecordStatus.choices,
                              default=RecordStatus.VALID)
    status_reason = models.CharField("状态原因", max_length=200, blank=True)
    updated_at = models.DateTimeField("数据更新时间")

    class Meta:
        verbose_name = "共享数据记录"
        verbose_name_plural = "共享数据记录"
        ordering = ["registry_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registry", "subject_id_number_index"],
                                    name="uniq_registry_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.registry.name} {self.subject_name}"


class DataUse(models.Model):
    """One use by a department of a citizen's (or company's) licence or registry data, for one
    case: what the holder reads as “谁使用了我的数据”. ``data_source`` names the licence or the
    registry and its providing department in words, so the row reads the same later."""

    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="数据主体（个人）", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="data_uses")
    holder_company = models.ForeignKey("accounts.Company", verbose_name="数据主体（单位）", null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="data_uses")
    licence = models.ForeignKey("licences.Licence", verbose_name="电子证照", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="uses")
    registry_record = models.ForeignKey(RegistryRecord, verbose_name="共享数据记录", null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="uses")
    data_source = models.CharField("数据", max_length=200)
    department = models.ForeignKey("orgs.Department", verbose_name="使用部门", on_delete=models.PROTECT,
                                   related_name="data_uses")
    # A draft may be deleted after its applicant consented: the use stays in the log, naming the
    # item, without the case.
    case = models.ForeignKey("cases.Case", verbose_name="办件", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="data_uses")
    item_name = models.CharField("事项", max_length=200, blank=True)
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
