"""短信验证码: issue a six-digit code to a mobile number and check it, with the limits that make
guessing and SMS bombing pointless: a code lives five minutes, allows five wrong tries, serves one
purpose once; one number gets a code at most every 60 seconds and ten an hour, and one client
address asks for at most thirty an hour (across numbers)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.common.errors import TooManyRequests, ValidationError
from yiwang.notify.services import send_sms

from .models import VerificationCode

CODE_LIFETIME = timedelta(minutes=5)
MAX_WRONG_TRIES = 5
RESEND_INTERVAL = timedelta(seconds=60)
MAX_PER_HOUR = 10
MAX_PER_ADDRESS_PER_HOUR = 30
MOBILE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
PURPOSE_TEXT = {VerificationCode.Purpose.REGISTER: "注册", VerificationCode.Purpose.LOGIN: "登录",
                VerificationCode.Purpose.RESET_PASSWORD: "重置密码"}


def clean_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if not MOBILE_PATTERN.fullmatch(mobile):
        raise ValidationError("手机号应为11位中国大陆手机号码", code="mobile.invalid")
    return mobile


def _digest(mobile: str, purpose: str, code: str) -> str:
    message = f"{purpose}:{mobile}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def send_code(mobile: str, purpose: str, *, ip: str | None = None) -> VerificationCode:
    """Send a new code; earlier unused codes for the same number and purpose stop working."""
    mobile = clean_mobile(mobile)
    now = timezone.now()
    if ip and VerificationCode.objects.filter(
            ip=ip, created_at__gte=now - timedelta(hours=1)).count() >= MAX_PER_ADDRESS_PER_HOUR:
        raise TooManyRequests("获取验证码过于频繁，请稍后再试", code="code.address_limit")
    recent = VerificationCode.objects.filter(mobile=mobile, created_at__gte=now - timedelta(hours=1))
    last = recent.first()
    if last and now - last.created_at < RESEND_INTERVAL:
        wait = int((RESEND_INTERVAL - (now - last.created_at)).total_seconds()) + 1
        raise TooManyRequests(f"验证码已发送，请{wait}秒后再试", code="code.too_frequent",
                              details={"retry_after": wait})
    if recent.count() >= MAX_PER_HOUR:
        raise TooManyRequests("该手机号一小时内获取验证码次数过多，请稍后再试",
                              code="code.hourly_limit")
    VerificationCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(
        used_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    record = VerificationCode.objects.create(purpose=purpose, mobile=mobile,
                                             code_hash=_digest(mobile, purpose, code),
                                             expires_at=now + CODE_LIFETIME, ip=ip or None)
    send_sms(mobile, f"【一网通办】您的{PURPOSE_TEXT[purpose]}验证码是{code}，5分钟内有效。"
                     "请勿告诉他人。", sensitive=True)
    return record


def consume_code(mobile: str, purpose: str, code: str) -> None:
    """Accept ``code`` once, or raise with the reason. A wrong try is counted even though the
    caller's request fails, so this must not run inside the caller's transaction."""
    mobile = clean_mobile(mobile)
    code = (code or "").strip()
    with transaction.atomic():
        record = (VerificationCode.objects.select_for_update()
                  .filter(mobile=mobile, purpose=purpose).first())
        failure = _failure(record, mobile, purpose, code)
        if failure is None:
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
            return
        if failure.code == "code.wrong":
            record.attempts += 1
            record.save(update_fields=["attempts"])
    raise failure


def _failure(record, mobile: str, purpose: str, code: str) -> ValidationError | None:
    if record is None:
        return ValidationError("请先获取短信验证码", code="code.not_sent")
    if record.used_at is not None:
        return ValidationError("验证码已使用或已失效，请重新获取", code="code.used")
    if record.expires_at <= timezone.now():
        return ValidationError("验证码已过期，请重新获取", code="code.expired")
    if record.attempts >= MAX_WRONG_TRIES:
        return TooManyRequests("验证码错误次数过多，请重新获取", code="code.too_many_attempts")
    if not hmac.compare_digest(record.code_hash, _digest(mobile, purpose, code)):
        left = MAX_WRONG_TRIES - record.attempts - 1
        return ValidationError(f"验证码不正确，还可尝试{left}次", code="code.wrong",
                               details={"tries_left": left})
    return None
