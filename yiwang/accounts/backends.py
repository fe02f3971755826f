"""One log-in for everyone: a citizen types an ID or mobile number, staff their user name."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import Citizen


def normalise_identifier(identifier: str) -> str:
    return (identifier or "").strip().upper()


def user_for_identifier(identifier: str):
    """The account a log-in name belongs to: a citizen's 身份证号 (either case of X) or 手机号, else
    a user name. A user name that happens to look like an ID or mobile number (18 characters, 11
    digits) still logs in when no citizen has that number."""
    identifier = (identifier or "").strip()
    citizen = None
    if len(identifier) == 18:
        citizen = (Citizen.objects.select_related("user")
                   .filter(id_number=normalise_identifier(identifier)).first())
    elif len(identifier) == 11 and identifier.isdigit():
        citizen = Citizen.objects.select_related("user").filter(mobile=identifier).first()
    if citizen is not None:
        return citizen.user
    # Exact match: user names are case-sensitive in Django, and case-insensitive lookups differ
    # between database collations (MariaDB's utf8mb4_bin compares bytes).
    return get_user_model().objects.filter(username=identifier).first()


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = user_for_identifier(username)
        if user is None:
            # The same work as a real check, so timing does not tell which numbers exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials) -> str:
    """The name django-axes counts log-in failures under: the account, not the string typed.

    Every identifier of one account (居民身份证号 in either case, 手机号, the user name) counts
    towards the same lock-out, so five wrong passwords by ID number and more by mobile number
    lock the account. A name that resolves to no account is counted as typed (normalised), so
    it locks after the same number of failures and the lock-out page cannot tell an existing
    account from a missing one. What can be learnt is only that two identifiers belong to one
    account, after failing the limit with one of them.

    The name is an HMAC under SECRET_KEY, so the lock-out tables (and django-axes' JSON answer)
    hold no ID or mobile number and do not show whether the name was an account. Resolved once
    per request: django-axes asks several times."""
    identifier = (credentials or {}).get("username", "")
    cache = request.__dict__.setdefault("_axes_account_keys", {}) if request is not None else {}
    if identifier not in cache:
        user = user_for_identifier(identifier)
        subject = f"user:{user.pk}" if user is not None else f"name:{normalise_identifier(identifier)}"
        cache[identifier] = hmac.new(settings.SECRET_KEY.encode(), subject.encode(),
                                     hashlib.sha256).hexdigest()[:40]
    return cache[identifier]
