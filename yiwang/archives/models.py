"""The archival package of a closed case, its 四性检测 reports, and its disposal. State changes
happen only in ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.catalog.models import RetentionPeriod


class ArchivePackage(models.Model):
    """归档信息包: one closed case as a zip of its metadata, form, materials, results, history and
    audit records, each file with its SM3 digest in ``manifest.json``, which the platform seal
    signs (``signature.json``). The columns copy what the list pages search and show, so the
    archive reads the same whatever later happens to the case's item or department; the zip is
    the record. ``sm3`` is the digest of the zip as stored: the disposal record keeps it."""

    case = models.OneToOneField("cases.Case", verbose_name="办件", on_delete=models.PROTECT,
                                related_name="archive_package")
    number = models.CharField("办件编号", max_length=50, unique=True)
    item_name = models.CharField("事项名称", max_length=200)
    department = models.ForeignKey("orgs.Department", verbose_name="实施部门",
                                   on_delete=models.PROTECT, related_name="archive_packages")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="archive_packages")
    applicant_name = models.CharField("申请人", max_length=200, blank=True)
    outcome = models.CharField("办理结果", max_length=40)
    closed_at = models.DateTimeField("办结时间")
    retention = models.CharField("保管期限", max_length=3, choices=RetentionPeriod.choices)
    retention_until = models.DateField("保管期限届满日", null=True, blank=True,
                                       help_text="永久保管的为空")
    file = models.FileField("归档信息包", upload_to="archives/%Y/%m/", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    sm3 = models.CharField("信息包 SM3", max_length=64)
    manifest_sm3 = models.CharField("清单 SM3", max_length=64)
    file_count = models.PositiveIntegerField("文件数")
    seal_code = models.CharField("签章印章编码", max_length=20)
    formed_at = models.DateTimeField("归档时间")

    class Meta:
        verbose_name = "归档信息包"
        verbose_name_plural = "归档信息包"
        ordering = ["-closed_at", "-id"]
        indexes = [models.Index(fields=["department", "-closed_at"], name="archive_department_recent")]

    def __str__(self) -> str:
        return f"{self.number} {self.item_name}"

    @property
    def retention_ended(self) -> bool:
        """Whether the retention period is over (never for 永久)."""
        return self.retention_until is not None and timezone.localdate() > self.retention_until

    @property
    def latest_check(self) -> ArchiveCheck | None:
        return self.checks.order_by("-checked_at", "-id").first()


class ArchiveCheck(models.Model):
    """四性检测 (DA/T 70): one run of the authenticity, integrity, usability and security checks
    over a stored package. Made when the package is formed and whenever someone runs it again."""

    package = models.ForeignKey(ArchivePackage, on_delete=models.CASCADE, related_name="checks")
    passed = models.BooleanField("检测通过")
    report = models.JSONField("检测报告")
    checked_at = models.DateTimeField("检测时间")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检测人", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "四性检测记录"
        verbose_name_plural = "四性检测记录"
        ordering = ["package_id", "-checked_at", "-id"]


class DisposalApproval(models.Model):
    """One approval to destroy a package whose retention has ended (销毁审批). Two by two different
    authorised people destroy it; the approvals are copied into the ``DisposalRecord``."""

    package = models.ForeignKey(ArchivePackage, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人",
                                 on_delete=models.PROTECT, related_name="+")
    approver_name = models.CharField("审批人", max_length=150)
    reason = models.CharField("销毁意见", max_length=500)
    approved_at = models.DateTimeField("审批时间")

    class Meta:
        verbose_name = "销毁审批"
        verbose_name_plural = "销毁审批"
        ordering = ["package_id", "approved_at", "id"]
        constraints = [models.UniqueConstraint(fields=["package", "approver"],
                                               name="uniq_disposal_approver")]


class DisposalRecord(models.Model):
    """销毁记录: what was destroyed, when and on whose approvals, with the package's digests. It
    refers to no package row (that is gone) and keeps the department and region as plain
    references for scoping, so it outlives everything it describes."""

    number = models.CharField("办件编号", max_length=50)
    item_name = models.CharField("事项名称", max_length=200)
    department = models.ForeignKey("orgs.Department", verbose_name="实施部门",
                                   on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="+")
    closed_at = models.DateTimeField("办结时间")
    retention = models.CharField("保管期限", max_length=3, choices=RetentionPeriod.choices)
    retention_until = models.DateField("保管期限届满日")
    package_sm3 = models.CharField("信息包 SM3", max_length=64)
    manifest_sm3 = models.CharField("清单 SM3", max_length=64)
    file_count = models.PositiveIntegerField("文件数")
    approvals = models.JSONField("审批", help_text='[{"user_id": 1, "name": "…", "at": "…", "reason": "…"}]')
    disposed_at = models.DateTimeField("销毁时间")

    class Meta:
        verbose_name = "销毁记录"
        verbose_name_plural = "销毁记录"
        ordering = ["-disposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} 销毁于 {self.disposed_at:%Y-%m-%d}"
