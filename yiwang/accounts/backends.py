"""One log-in for everyone: a citizen types an ID or mobile number, staff their user name."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from yiwang.common.personal_data import blind_index

from .models import Citizen


def normalise_identifier(identifier: str) -> str:
    return (identifier or "").strip().upper()


def user_for_identifier(identifier: str):
    identifier = (identifier or "").strip()
    if len(identifier) == 18:
        citizen = (Citizen.objects.select_related("user")
                   .filter(id_number=normalise_identifier(identifier)).first())
        return citizen.user if citizen else None
    if len(identifier) == 11 and identifier.isdigit():
        citizen = Citizen.objects.select_related("user").filter(mobile=identifier).first()
        return citizen.user if citizen else None
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
    """The name django-axes counts failures under: the same for 2201…x and 2201…X, and for an ID
    or mobile number its blind index, so that axes' tables keep no personal number."""
    identifier = normalise_identifier((credentials or {}).get("username", ""))
    if len(identifier) == 18:
        return "id:" + blind_index(identifier, "id_number")
    if len(identifier) == 11 and identifier.isdigit():
        return "mobile:" + blind_index(identifier, "mobile")
    return identifier
