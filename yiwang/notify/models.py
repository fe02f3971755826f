from django.conf import settings
from django.db import models

from yiwang.common.fields import BlindIndexField, EncryptedTextField, PersonalDataModel


class Channel(models.TextChoices):
    INBOX = "inbox", "站内消息"
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class Message(PersonalDataModel):
    """One message to one recipient on one channel (消息)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收用户", null=True,
                             blank=True, on_delete=models.CASCADE, related_name="messages")
    address = EncryptedTextField("手机号或邮箱", max_length=254, blank=True)
    address_index = BlindIndexField(source="address", normalise="contact", db_index=True)
    subject = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("内容")
    # Verification codes and the like: the text is blanked once delivered, outside development.
    sensitive = models.BooleanField("含敏感内容", default=False)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    error = models.CharField("失败原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "channel", "-created_at"], name="notify_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"
