"""Window sign-in (窗口签入).

Minimal stand-in written by part C (calling) against the shared contract: only the read side
that calling needs (``current_session``, ``require_signed_in``); part A's version, with sign-in
and sign-out, replaces this file."""

from __future__ import annotations

from yiwang.common.errors import PermissionDenied

from ..models import WindowSession


def current_session(user) -> WindowSession | None:
    return (WindowSession.objects.filter(user=user, ended_at=None).select_related("window__hall")
            .first())


def require_signed_in(user, window) -> WindowSession:
    session = WindowSession.objects.filter(user=user, window=window, ended_at=None).first()
    if session is None:
        raise PermissionDenied("您没有签入该窗口", code="hall.not_signed_in")
    return session
