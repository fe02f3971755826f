"""Helpers for the views of every app: a DomainError raised while a page is built becomes the
error page with the error's HTTP status and Chinese message.

The error page is the portal's (``portal/error.html``, ``portal/mobile/error.html``): the pages
that use this decorator are public or citizen pages under the portal's frame. The templates are
named, not imported, so ``common`` still imports no app."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import render

from .errors import DomainError

ERROR_TITLES = {400: "请求有误", 403: "无权访问", 404: "未找到", 409: "无法完成", 413: "内容过大",
                503: "服务暂不可用"}
ERROR_TEMPLATE = "portal/error.html"
MOBILE_ERROR_TEMPLATE = "portal/mobile/error.html"


def shows_domain_errors(view):
    """Render a DomainError raised by ``view`` as the (PC or, for ``mobile=True`` views, mobile)
    error page with the error's status."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            context = {"error": exc, "error_title": ERROR_TITLES.get(exc.status, "出错了"),
                       "q": request.GET.get("q", "")}
            template = MOBILE_ERROR_TEMPLATE if kwargs.get("mobile", False) else ERROR_TEMPLATE
            return render(request, template, context, status=exc.status)

    return wrapper
