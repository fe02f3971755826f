"""Log-in audit and single log-out hang on Django's and django-axes' authentication signals, so
every way in or out (our pages, the admin, the OIDC end-session endpoint) is covered."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver
from oauth2_provider.models import get_application_model

from . import services
from .models import AuthEvent
from .oidc import check_grant_type


def client_of(request) -> dict:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR"),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")}


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    services.remember_session(user, request.session.session_key if request else None)
    services.record_event(AuthEvent.Kind.LOGIN, user=user, identifier=user.get_username(),
                          **client_of(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    ended = services.end_every_session(user)
    services.record_event(AuthEvent.Kind.LOGOUT, user=user, identifier=user.get_username(),
                          detail=f"结束全部 {ended} 个会话", **client_of(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    services.record_event(AuthEvent.Kind.LOGIN_FAILED,
                          identifier=(credentials or {}).get("username", ""),
                          **client_of(request))


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # ``username`` is django-axes' opaque account key (backends.axes_username); the audit keeps
    # what was typed, masked like every other log-in name.
    typed = (getattr(request, "axes_credentials", None) or {}).get("username", "")
    services.record_event(AuthEvent.Kind.LOCKED_OUT, identifier=typed, ip=ip_address,
                          user_agent=request.META.get("HTTP_USER_AGENT", "") if request else "")


@receiver(pre_save, sender=get_application_model())
def refuse_unsafe_grant_types(sender, instance, raw=False, **kwargs):
    if not raw:
        check_grant_type(instance)
