"""The citizen's side of data sharing: the log of who used their data (谁使用了我的数据). Using a
licence in place of a material is a step of the application, on the portal's case pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors

from . import selectors

LIST_PAGE_SIZE = 20


@login_required
@require_GET
@shows_domain_errors
def uses(request):
    page = paginate(selectors.uses_of(request.user), request.GET.get("page"), LIST_PAGE_SIZE)
    return render(request, "exchange/uses.html", {"page": page})
