"""Staff second factor (动态口令, TOTP, RFC 6238) on django-otp's TOTP devices. A token is accepted
once (django-otp keeps the last time step) and wrong tokens slow further tries down
(django-otp's throttling); every success and failure goes to the log-in audit."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.common.errors import TooManyRequests, ValidationError

from . import services
from .models import AuthEvent
from .signals import client_of

DEVICE_NAME = "动态口令"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def pending_device(user) -> TOTPDevice:
    """The device being enrolled: kept across page loads so the QR code does not change."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


def _check(device: TOTPDevice, token: str, request, kind_ok: str) -> None:
    client = client_of(request)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        services.record_event(AuthEvent.Kind.SECOND_FACTOR_FAILED, user=device.user,
                              detail="错误次数过多，暂停验证", **client)
        raise TooManyRequests("动态口令错误次数过多，请稍后再试", code="otp.throttled")
    token = (token or "").strip()
    if not (token.isdigit() and len(token) == device.digits and device.verify_token(token)):
        services.record_event(AuthEvent.Kind.SECOND_FACTOR_FAILED, user=device.user, **client)
        raise ValidationError("动态口令不正确或已使用，请输入验证器上最新的6位数字",
                              code="otp.invalid")
    services.record_event(kind_ok, user=device.user, **client)
    otp_login(request, device)


def verify(request, token: str) -> None:
    """Second step of a staff log-in: mark the session verified or raise."""
    device = confirmed_device(request.user)
    if device is None:
        raise ValidationError("尚未绑定动态口令", code="otp.not_enrolled")
    _check(device, token, request, AuthEvent.Kind.SECOND_FACTOR_OK)


def confirm_enrolment(request, token: str) -> TOTPDevice:
    device = pending_device(request.user)
    _check(device, token, request, AuthEvent.Kind.SECOND_FACTOR_ENROLLED)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    return device
