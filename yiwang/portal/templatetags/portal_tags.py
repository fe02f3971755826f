"""Display helpers for the public pages: Chinese labels for stored codes, safe links and
pagination URLs that keep the current filters."""

from __future__ import annotations

import re

from django import template

from yiwang.catalog.formdef import FIELD_TYPES
from yiwang.catalog.guide import CHANNELS
from yiwang.exchange.selectors import provided_sources

register = template.Library()

@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current URL's query string with another page number, so filters survive paging."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def channel_label(code: str) -> str:
    return CHANNELS.get(code, code)


@register.filter
def field_type_label(code: str) -> str:
    return FIELD_TYPES.get(code, code)


@register.filter
def workdays(days: int) -> str:
    return f"{days}个工作日" if days else "即时办结"


@register.filter
def safe_link(url: str) -> str:
    """Only web and site-relative addresses become links: an editor's "javascript:" must not."""
    url = (url or "").strip()
    return url if re.match(r"(https?://|/(?!/))", url) else ""


@register.filter
def tel_href(phone: str) -> str:
    """A tel: link for the first number in a field that may hold several ("0431-1234、12345")."""
    first = re.search(r"\+?[0-9][0-9-]{2,}", phone or "")
    return "tel:" + first.group().replace("-", "") if first else ""


@register.simple_tag(takes_context=True)
def exemption_source_name(context, source: str) -> str:
    """What may replace a material, named for the applicant, or "" when the platform does not
    provide its source (it is then not offered, so not promised either). The provided sources
    are read once per request, however many materials the page lists."""
    request = context.get("request")
    names = getattr(request, "_provided_sources", None)
    if names is None:
        names = provided_sources()
        if request is not None:
            request._provided_sources = names
    return names.get(source, "")
