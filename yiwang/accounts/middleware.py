"""Staff areas need the second factor: a staff member signed in with a password alone may use
the citizen portal, but not the workbench, the admin or the staff API until the session is
verified with a TOTP token."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect

from yiwang.orgs.services import is_staff_member

# /o/authorize/ too: a staff member signs in to other channels only with the second factor.
STAFF_PREFIXES = ("/workbench/", "/admin/", "/api/staff/", "/o/authorize/")
SECOND_FACTOR_URL = "/accounts/login/otp/"


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (request.path.startswith(STAFF_PREFIXES) and user.is_authenticated
                and not user.is_verified() and is_staff_member(user)):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "auth.second_factor_required",
                                     "message": "请先完成动态口令验证", "details": None},
                                    status=401)
            return redirect(with_next(SECOND_FACTOR_URL, request.get_full_path()))
        return self.get_response(request)
