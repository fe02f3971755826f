"""GeoReport v2's two formats: JSON, and XML with the spec's element names (a list of services is
``<services><service>…``, an attribute's values ``<values><value>…``). Errors in the spec's shape
with the HTTP status: ``[{"code": 400, "description": …}]`` and
``<errors><error><code>400</code><description>…</description></error></errors>``."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element of one item of a list, by the list's element.
ITEM = {"services": "service", "attributes": "attribute", "values": "value",
        "service_requests": "request", "errors": "error", "endpoints": "endpoint",
        "formats": "format"}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _append(parent, tag: str, value) -> None:
    element = ElementTree.SubElement(parent, tag)
    if isinstance(value, list):
        for item in value:
            _append(element, ITEM[tag], item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    """``value`` (a list or a dict) as the document ``<root>``."""
    element = ElementTree.Element(root)
    items = value if isinstance(value, list) else value.items()
    for item in items:
        if isinstance(value, list):
            _append(element, ITEM[root], item)
        else:
            _append(element, *item)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, value, *, status: int = 200) -> HttpResponse:
    """``value`` in ``fmt``; ``root`` names the XML document (JSON has none)."""
    body = (json.dumps(value, ensure_ascii=False) if fmt == "json" else to_xml(root, value))
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": description}], status=status)
