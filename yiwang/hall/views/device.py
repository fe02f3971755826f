"""The device side of a terminal, shared by the kiosk (自助终端) and the window pad (评价器).

A device is activated once with the terminal's code and secret (``/kiosk/activate/``); it then
carries a signed cookie naming the terminal and the start of the credential hash it was activated
with, and every request looks the terminal up again (``terminals.recheck``), so a revoked or
re-registered terminal stops at its next touch. A terminal bound to a window is a pad: it opens
the pad's page, and the kiosk's pages send it there (and the other way round)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render

from yiwang.accounts.views import client_ip
from yiwang.common.errors import PermissionDenied

from ..services import terminals

COOKIE = "yiwang_kiosk"
COOKIE_SALT = "yiwang.hall.kiosk"
COOKIE_MAX_AGE = 400 * 24 * 3600  # browsers cap cookies at 400 days; re-activate after that
HASH_PREFIX = 16
KIOSK_HOME, PAD_HOME = "hall_public:kiosk-home", "hall_public:pad"


def home_of(terminal) -> str:
    return PAD_HOME if terminal.window_id else KIOSK_HOME


def device_view(*, pad: bool):
    """The terminal behind the cookie as ``request.terminal``: a device without one goes to
    activation; a revoked or re-registered one gets the refusal page, loses its cookie and
    forgets its session; a pad on a kiosk page (or a kiosk on the pad's) goes to its own home."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                code, _, prefix = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT).partition(":")
            except (KeyError, signing.BadSignature):
                return redirect("hall_public:kiosk-activate")
            try:
                request.terminal = terminals.recheck(code, prefix)
            except PermissionDenied as exc:
                request.session.flush()
                response = render(request, "hall/kiosk/refused.html", {"error": exc}, status=403)
                response.delete_cookie(COOKIE)
                return response
            if (request.terminal.window_id is not None) != pad:
                return redirect(home_of(request.terminal))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def activate(request):
    """启用终端: the installer enters the code and secret that ``register_terminal`` printed; the
    device then opens the kiosk's start screen, or a pad's page."""
    context = {"code": request.POST.get("code", "").strip()}
    if request.method == "POST":
        try:
            terminal = terminals.activate(context["code"], request.POST.get("secret", ""),
                                          ip=client_ip(request))
        except PermissionDenied as exc:
            return render(request, "hall/kiosk/activate.html", {**context, "error": exc},
                          status=exc.status)
        request.session.flush()  # whoever the device knew before is forgotten
        response = redirect(home_of(terminal))
        response.set_signed_cookie(COOKIE, f"{terminal.code}:{terminal.key_hash[:HASH_PREFIX]}",
                                   salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE, httponly=True,
                                   samesite="Strict", secure=settings.SESSION_COOKIE_SECURE)
        return response
    return render(request, "hall/kiosk/activate.html", context)
