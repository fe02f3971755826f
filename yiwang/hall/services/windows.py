"""Window sign-in (窗口签入/签出). A window is open while a staff member is signed in to it.

Rules: the user may work the window (``access.can_work_window``) and is rostered on it that day
(排班, a ``Shift``); one person per window, one window per person — signing in elsewhere ends
the user's other session. A session counts only on the day it was started: one left open
overnight (the clerk forgot to sign out) is ended by the next sign-in on that window or by that
user, and never keeps a window "open" on a later day.

Serialisation: the user's row is locked first, then the window's, so two sign-ins of one user
(two tabs) and two users on one window each take turns; MariaDB enforces no partial unique
constraint, so these locks are what keep "one open session" true there.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from yiwang.common.errors import Conflict, PermissionDenied
from yiwang.orgs.models import ServiceHall
from yiwang.supervision import audit

from ..access import can_work_window
from ..models import Shift, Window, WindowSession


def _day_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def open_sessions(now: dt.datetime) -> QuerySet[WindowSession]:
    """The sessions open on ``now``'s day (one left open from an earlier day does not count)."""
    return WindowSession.objects.filter(ended_at__isnull=True, started_at__gte=_day_start(now))


def _end(session: WindowSession, now: dt.datetime, actor, reason: str) -> None:
    session.ended_at = max(now, session.started_at)
    session.save(update_fields=["ended_at"])
    audit.record("hall.window_signed_out", actor=actor, subject=session.window,
                 summary=f"{session.window} 签出（{reason}）",
                 data={"session": session.pk, "user": session.user_id, "reason": reason})


def sign_in(user, window: Window, *, now: dt.datetime | None = None) -> WindowSession:
    """Sign ``user`` in to ``window``; their session at another window ends. Signing in again
    where one is already signed in returns the same session."""
    now = now or timezone.now()
    if not can_work_window(user, window):
        raise PermissionDenied(f"您不能在{window.hall.name}{window}工作",
                               code="hall.window_not_allowed")
    today = timezone.localdate(now)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        window = Window.objects.select_for_update().select_related("hall").get(pk=window.pk)
        if not window.active:
            raise Conflict(f"{window}已停用", code="hall.window_inactive")
        if not Shift.objects.filter(window=window, user=user, date=today).exists():
            raise PermissionDenied(f"您今天（{today:%Y-%m-%d}）没有排在{window}，请联系大厅管理员排班",
                                   code="hall.not_rostered")
        current = open_sessions(now).filter(window=window).first()
        if current is not None and current.user_id == user.pk:
            return current
        if current is not None:
            raise Conflict(f"{window}已有其他工作人员签入，请先由其签出",
                           code="hall.window_taken")
        for stale in WindowSession.objects.filter(window=window, ended_at__isnull=True):
            _end(stale, now, user, "前一日未签出")
        for other in WindowSession.objects.filter(user=user, ended_at__isnull=True):
            _end(other, now, user, "签入其他窗口")
        session = WindowSession.objects.create(window=window, user=user, started_at=now)
        audit.record("hall.window_signed_in", actor=user, subject=window,
                     summary=f"{window.hall.name} {window} 签入",
                     data={"session": session.pk, "hall": window.hall_id})
    return session


def sign_out(user, *, now: dt.datetime | None = None) -> WindowSession:
    """End ``user``'s open session (Conflict ``hall.not_signed_in`` if there is none)."""
    now = now or timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        sessions = list(WindowSession.objects.filter(user=user, ended_at__isnull=True)
                        .select_related("window").order_by("-started_at"))
        if not sessions:
            raise Conflict("您没有签入任何窗口", code="hall.not_signed_in")
        for session in sessions:
            _end(session, now, user, "签出")
    return sessions[0]


def current_session(user, *, now: dt.datetime | None = None) -> WindowSession | None:
    """``user``'s open session of today, with its window and hall, or None."""
    if not user or not user.is_authenticated:
        return None
    return (open_sessions(now or timezone.now()).filter(user=user)
            .select_related("window", "window__hall").first())


def require_signed_in(user, window: Window, *, now: dt.datetime | None = None) -> WindowSession:
    """``user``'s session at ``window``; PermissionDenied ``hall.not_signed_in`` without one."""
    session = current_session(user, now=now)
    if session is None or session.window_id != window.pk:
        raise PermissionDenied(f"您没有签入该窗口（{window}）", code="hall.not_signed_in")
    return session


def open_windows(hall: ServiceHall, *, now: dt.datetime | None = None) -> QuerySet[Window]:
    """The windows of ``hall`` someone is signed in to today."""
    signed_in = open_sessions(now or timezone.now()).filter(window__hall=hall).values("window_id")
    return Window.objects.filter(hall=hall, active=True, pk__in=signed_in)
