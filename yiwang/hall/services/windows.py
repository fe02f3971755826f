"""Window sign-in (窗口签入).

Minimal stand-in written by part C (calling) against the shared contract, so that calling and
its tests run before part A's module is merged; part A's version replaces this file."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.common.errors import Conflict, PermissionDenied

from ..models import Shift, Window, WindowSession


def current_session(user) -> WindowSession | None:
    return (WindowSession.objects.filter(user=user, ended_at=None).select_related("window__hall")
            .first())


def require_signed_in(user, window) -> WindowSession:
    session = WindowSession.objects.filter(user=user, window=window, ended_at=None).first()
    if session is None:
        raise PermissionDenied("您没有签入该窗口", code="hall.not_signed_in")
    return session


def sign_in(user, window, *, now=None) -> WindowSession:
    """签入 (stand-in): a shift for the window today is needed; the user's other open session
    ends; someone else signed in to the window is a conflict."""
    now = now or timezone.now()
    with transaction.atomic():
        Window.objects.select_for_update().filter(pk=window.pk).values_list("pk").get()
        if not Shift.objects.filter(window=window, user=user, date=timezone.localdate(now)).exists():
            raise PermissionDenied("您今天没有排班在该窗口", code="hall.not_rostered")
        if WindowSession.objects.filter(window=window, ended_at=None).exclude(user=user).exists():
            raise Conflict("该窗口已有人签入", code="hall.window_taken")
        WindowSession.objects.filter(user=user, ended_at=None).update(ended_at=now)
        return WindowSession.objects.create(window=window, user=user, started_at=now)


def sign_out(user, *, now=None) -> None:
    WindowSession.objects.filter(user=user, ended_at=None).update(ended_at=now or timezone.now())
