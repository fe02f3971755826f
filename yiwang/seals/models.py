from django.conf import settings
from django.db import models


class SealKind(models.TextChoices):
    """印章类型."""

    OFFICIAL = "official", "公章"
    APPROVAL = "approval", "审批专用章"
    BUSINESS = "business", "业务专用章"
    LICENCE = "licence", "电子证照专用章"
    # Signs what the platform itself attests (the audit chain's checkpoints), with nobody at the
    # keyboard; the only kind that ever signs unattended (services.sign_as_platform).
    AUDIT = "audit", "平台存证专用章"


class SealStatus(models.TextChoices):
    ACTIVE = "active", "启用"
    SUSPENDED = "suspended", "暂停使用"
    REVOKED = "revoked", "已注销"


class Seal(models.Model):
    """电子印章: one seal of a department, its image and its SM2 key pair.

    ``seal_code`` is the department's USCC and a two-digit serial. The private key is stored only
    encrypted (AES-256-GCM under ``settings.SEAL_KEY_ENCRYPTION_KEY``, see ``crypto``); the public
    key is public, so anyone can check a signature. ``department_name`` and ``department_uscc`` are
    fixed at 制发, like the text of a physical seal, so a department that is renamed or given a new
    USCC does not break earlier signatures. Status
    changes go through the services, which keep ``SealEvent`` history; a revoked seal stays
    revoked."""

    department = models.ForeignKey("orgs.Department", verbose_name="所属部门",
                                   on_delete=models.PROTECT, related_name="seals")
    name = models.CharField("印章名称", max_length=60,
                            help_text="印面横排的文字，如“电子证照专用章”；部门名称另在印面环排，不重复填写")
    department_name = models.CharField(
        "印面部门名称", max_length=100,
        help_text="制发时所属部门的名称，即印面上的文字。部门改名不改变它：签章和公布的公钥都用它，"
                  "改名前签发的证照因此仍可验证；需要新名称的印章应另行制发")
    department_uscc = models.CharField(
        "印面统一社会信用代码", max_length=18,
        help_text="制发时所属部门的统一社会信用代码。部门换发代码不改变它：签章和公布的公钥都用它")
    kind = models.CharField("印章类型", max_length=16, choices=SealKind.choices)
    seal_code = models.CharField("印章编码", max_length=20, unique=True,
                                 help_text="部门统一社会信用代码 + 2 位序号")
    image = models.FileField("印模图像", upload_to="seals/", max_length=200)
    public_key_pem = models.TextField("SM2 公钥（PEM）")
    encrypted_private_key = models.BinaryField("SM2 私钥（加密存储）", editable=False)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    status = models.CharField("状态", max_length=16, choices=SealStatus.choices,
                              default=SealStatus.ACTIVE)
    status_reason = models.CharField("状态原因", max_length=200, blank=True)
    status_changed_at = models.DateTimeField("状态变更时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制发人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("制发时间", auto_now_add=True)

    class Meta:
        verbose_name = "电子印章"
        verbose_name_plural = "电子印章"
        ordering = ["seal_code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                   name="seal_validity_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.seal_code}）"

    @property
    def short_name(self) -> str:
        """The seal's own name without its department: seals made before create_seal refused a
        name that repeats the department carry it in ``name`` and keep it, since their
        signatures sign that name."""
        return self.name.removeprefix(self.department_name) or self.name

    @property
    def full_name(self) -> str:
        """印章全称, as read on the seal: the department on it, then the seal's name."""
        return f"{self.department_name}{self.short_name}"


class SealEvent(models.Model):
    """One status change of a seal (制发, 暂停, 恢复, 注销): who, when, from what, to what, why."""

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人", max_length=150)
    from_status = models.CharField("原状态", max_length=16, choices=SealStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=SealStatus.choices)
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = "印章状态变更"
        verbose_name_plural = "印章状态变更"
        ordering = ["seal", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.seal.seal_code} {self.from_status or '—'} → {self.to_status}"


class SealUse(models.Model):
    """用印记录: one signature made with a seal. ``signature_id`` is the SM3 of the DER signature,
    so a signature presented for verification finds its record by its seal, time and id;
    ``data_hash`` is the SM3 of the signed data's canonical bytes. A signature that verifies but
    has no record was made outside the service, with a leaked key."""

    # No index of its own: seal_use_lookup starts with the seal.
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="uses", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用印人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("用印人", max_length=150)
    purpose = models.CharField("用途", max_length=200)
    data_hash = models.CharField("数据摘要（SM3）", max_length=64)
    signature_id = models.CharField("签名标识（SM3）", max_length=64)
    signed_at = models.DateTimeField("用印时间")

    class Meta:
        verbose_name = "用印记录"
        verbose_name_plural = "用印记录"
        ordering = ["-signed_at", "-pk"]
        # The one index a use is found by, in the order uses are written: an index on a random
        # hash alone (the signature id, the data hash) would put every new row on a page of its
        # own, and each such page is written again at every commit.
        constraints = [models.UniqueConstraint(fields=["seal", "signed_at", "signature_id"],
                                               name="seal_use_lookup")]

    def __str__(self) -> str:
        return f"{self.seal.seal_code} · {self.actor_name} · {self.purpose}"
