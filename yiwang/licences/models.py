"""Licence types, the licences issued, their history and their share links. State changes happen
only in ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.common.fields import EncryptedJSONField, EncryptedTextField, PersonalDataModel


class LicenceType(models.Model):
    """证照类型: what a licence of this kind says (``fields``, taken by name from the case's
    application form), who issues it and for how long. An item's guide names it by ``code`` in
    ``result_licence_type``."""

    code = models.CharField("证照类型代码", max_length=20, unique=True,
                            help_text="小写字母开头的小写字母或数字，如 spjyxkz")
    name = models.CharField("证照名称", max_length=100)
    issuer_kind = models.CharField("发证机关类别", max_length=60, blank=True,
                                   help_text="如“市场监督管理部门”")
    fields = models.JSONField("证照字段", default=list, blank=True,
                              help_text='[{"name": "shop_name", "label": "店铺名称"}, …]')
    validity_years = models.PositiveSmallIntegerField("有效期（年）", null=True, blank=True,
                                                      help_text="留空表示长期有效")
    template = models.CharField("版式模板", max_length=100, default="licences/_licence.html")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "证照类型"
        verbose_name_plural = "证照类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class HolderKind(models.TextChoices):
    PERSON = "person", "自然人"
    COMPANY = "company", "法人"


class LicenceStatus(models.TextChoices):
    """证照状态. 已过期 is not stored: it follows from ``valid_until``."""

    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂停"
    REVOKED = "revoked", "已注销"


class Licence(PersonalDataModel):
    """电子证照: one licence issued by a department to a person or a company, with the seal's
    signature over its content (``services.signed_content``) and a second, compact one for the QR
    code. Visible in the holder's wallet once delivered (送达). ``type_name``, ``issuer_name`` and
    ``issuer_uscc`` keep the licence type's name and the issuer's name and USCC as signed, so
    renaming the type or the department, or a department's new USCC, does not break the
    signature, and the licence goes on saying what it said when it was issued."""

    identifier = models.CharField("证照标识", max_length=80, unique=True)
    licence_type = models.ForeignKey(LicenceType, verbose_name="证照类型", on_delete=models.PROTECT,
                                     related_name="licences")
    type_name = models.CharField("证照名称", max_length=100,
                                 help_text="签发时证照类型的名称，签章所覆盖的就是它；证照类型改名不改变它")
    serial = models.PositiveIntegerField("序号")
    version = models.PositiveSmallIntegerField("版本号", default=1)
    holder_kind = models.CharField("持证主体类别", max_length=10, choices=HolderKind.choices)
    holder_name = models.CharField("持证主体", max_length=200)
    holder_id_number = EncryptedTextField("持证主体证件号码", max_length=18)
    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="持证人账号", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="licences")
    holder_company = models.ForeignKey("accounts.Company", verbose_name="持证单位", null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="licences")
    issuer = models.ForeignKey("orgs.Department", verbose_name="发证机关", on_delete=models.PROTECT,
                               related_name="licences")
    issuer_name = models.CharField("发证机关名称", max_length=100,
                                   help_text="签发时发证机关的名称，签章所覆盖的就是它；部门改名不改变它")
    issuer_uscc = models.CharField("发证机关统一社会信用代码", max_length=18,
                                   help_text="签发时发证机关的统一社会信用代码，签章所覆盖的就是它；"
                                             "部门换发代码不改变它")
    paper_number = models.CharField("原证书编号", max_length=60, null=True, blank=True,
                                    help_text="历史纸质证照入库时原纸质证书的编号；平台签发的证照为空")
    case = models.OneToOneField("cases.Case", verbose_name="办件", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="licence")
    data = EncryptedJSONField("证照信息", default=dict, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="留空表示长期有效")
    status = models.CharField("状态", max_length=10, choices=LicenceStatus.choices,
                              default=LicenceStatus.VALID)
    status_reason = models.CharField("状态原因", max_length=200, blank=True)
    signature = models.JSONField("签章", default=dict)
    qr_signature = models.JSONField("二维码签章", default=dict)
    issued_at = models.DateTimeField("签发时间")
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["licence_type", "issuer", "serial", "version"],
                                    name="uniq_licence_serial"),
            # A paper licence enters once. Not a conditional constraint: MariaDB has no partial
            # indexes and Django would skip it there. A plain unique works on all three because
            # NULLs (licences the platform issued) are distinct in SQLite, PostgreSQL and MariaDB,
            # so the column must hold NULL, never "", when there is no paper number.
            models.UniqueConstraint(fields=["licence_type", "issuer", "paper_number"],
                                    name="uniq_licence_paper_number"),
        ]

    def __str__(self) -> str:
        return f"{self.type_name} {self.identifier}"

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def status_label(self) -> str:
        if self.status == LicenceStatus.VALID and self.expired:
            return "已过期"
        return self.get_status_display()


class LicenceEvent(models.Model):
    """One entry of a licence's history: 签发, 送达, 暂停, 恢复, 注销."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间")
    action = models.CharField("事项", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField("原状态", max_length=10, choices=LicenceStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=LicenceStatus.choices)
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "证照记录"
        verbose_name_plural = "证照记录"
        ordering = ["licence", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.licence.identifier} {self.action}"


class ShareLink(models.Model):
    """A time-limited link the holder gives a third party to see one licence. Only the SHA-256 of
    the token is stored: the link is shown once, when made, and a leaked database opens nothing."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True)
    note = models.CharField("分享对象", max_length=60, blank=True)
    expires_at = models.DateTimeField("失效时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分享人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("分享时间", auto_now_add=True)

    class Meta:
        verbose_name = "证照分享链接"
        verbose_name_plural = "证照分享链接"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.licence.identifier} 分享 #{self.pk}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
