"""Delivery backends, one per channel, chosen in settings (``NOTIFY_SMS_BACKEND``). A real SMS
gateway adapter implements ``send(message)`` and raises ``DeliveryError`` on failure."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from yiwang.common.identifiers import mask_phone

logger = logging.getLogger("yiwang.notify")


class DeliveryError(Exception):
    pass


class ConsoleSmsBackend:
    """Development: the text goes to the console log (number masked) and stays in the outbox."""

    def send(self, message) -> None:
        logger.info("短信 → %s：%s", mask_phone(message.address), message.body)


class EmailBackend:
    def send(self, message) -> None:
        send_mail(message.subject or "一网通办通知", message.body, None, [message.address])


class InboxBackend:
    """The row itself is the in-app message."""

    def send(self, message) -> None:
        return None


def backend_for(channel: str):
    path = {"sms": settings.NOTIFY_SMS_BACKEND,
            "email": "yiwang.notify.backends.EmailBackend",
            "inbox": "yiwang.notify.backends.InboxBackend"}[channel]
    return import_string(path)()
