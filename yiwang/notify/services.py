"""The one interface every app uses to tell someone something."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .backends import DeliveryError, backend_for
from .models import Channel, Message

REDACTED = "（内容已隐去）"


def _queue(message: Message) -> Message:
    from .tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message


def send_sms(mobile: str, text: str, *, user=None, sensitive: bool = False) -> Message:
    return _queue(Message.objects.create(channel=Channel.SMS, address=mobile, body=text,
                                         user=user, sensitive=sensitive))


def send_email(address: str, subject: str, text: str, *, user=None) -> Message:
    return _queue(Message.objects.create(channel=Channel.EMAIL, address=address, subject=subject,
                                         body=text, user=user))


def notify_user(user, subject: str, text: str) -> Message:
    """An in-app message (站内消息) to ``user``."""
    return _queue(Message.objects.create(channel=Channel.INBOX, user=user, subject=subject,
                                         body=text))


def deliver(message_id: int) -> Message:
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.status == Message.Status.SENT:
            return message
        try:
            backend_for(message.channel).send(message)
        except DeliveryError as exc:
            message.status, message.error = Message.Status.FAILED, str(exc)[:200]
        else:
            message.status, message.sent_at = Message.Status.SENT, timezone.now()
            if message.sensitive and not settings.DEV_OUTBOX_ENABLED:
                message.body = REDACTED
        message.save(update_fields=["status", "error", "sent_at", "body"])
        return message


def dev_outbox(limit: int = 50):
    """Recent SMS and email, newest first: the development stand-in for a phone."""
    return Message.objects.exclude(channel=Channel.INBOX)[:limit]
