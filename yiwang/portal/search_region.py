"""所在地区 on the search pages: the region whose implementation of a service a result shows.

Chosen on the page (``?near=``, empty to forget it), remembered in the session, and otherwise
taken from the account (``accounts.selectors.home_region``)."""

from __future__ import annotations

from yiwang.accounts.selectors import home_region
from yiwang.regions.models import Region
from yiwang.regions.services import get_region

SESSION_KEY = "search_near"


def chosen_region(request) -> Region | None:
    """The user's region for this request; an unknown ``?near=`` code is a NotFound (404)."""
    if "near" in request.GET:
        code = request.GET["near"]
        if not code:
            request.session.pop(SESSION_KEY, None)
            return home_region(request.user)
        region = get_region(code)
        request.session[SESSION_KEY] = region.code
        return region
    code = request.session.get(SESSION_KEY)
    region = Region.objects.filter(code=code).first() if code else None
    return region or home_region(request.user)
