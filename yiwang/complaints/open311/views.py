"""The GeoReport v2 endpoints: each parses the query or the form, calls ``services`` and answers
in the format its extension names; a DomainError is a GeoReport error with its status. No CSRF:
an outside app posts with its API key, never with a browser's cookies."""

from __future__ import annotations

from functools import wraps

from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from yiwang.common.errors import DomainError

from . import services
from .formats import error, respond

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-07T00:00:00+08:00"


def endpoint(*methods: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, fmt: str, *args, **kwargs):
            if request.method not in methods:
                return error(fmt, 405, f"不支持 {request.method} 方法")
            try:
                return view(request, fmt, *args, **kwargs)
            except DomainError as exc:
                return error(fmt, exc.status, exc.message)

        return csrf_exempt(wrapper)

    return decorator


@endpoint("GET")
def discovery(request, fmt: str):
    """The discovery document: where the v2 endpoint is and which formats it speaks."""
    base = request.build_absolute_uri(reverse("open311:services", args=["json"]))
    return respond(fmt, "discovery", {
        "changeset": CHANGESET, "contact": "政务服务便民热线 12345",
        "key_service": "API key：由12345热线管理员用 manage.py open311_client 登记应用后发放",
        "endpoints": [{"specification": SPECIFICATION, "url": base.rsplit("/", 1)[0],
                       "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}]})


def _service(found) -> dict:
    return {"service_code": found.code, "service_name": found.name,
            "description": found.description, "metadata": bool(found.metadata),
            "type": "realtime", "keywords": ",".join(found.keywords.split()),
            "group": found.group}


@endpoint("GET")
def service_list(request, fmt: str):
    return respond(fmt, "services", [_service(found) for found in services.services()])


@endpoint("GET")
def service_definition(request, fmt: str, code: str):
    found = services.service(code)
    return respond(fmt, "service_definition", {"service_code": found.code, "attributes": [
        {"variable": True, "code": attribute.code, "datatype": attribute.datatype,
         "required": attribute.required, "datatype_description": attribute.datatype_description,
         "order": attribute.order, "description": attribute.description,
         "values": [{"key": value.get("key"), "name": value.get("name")}
                    for value in attribute.values]}
        for attribute in found.attributes.all()]})


@endpoint("GET", "POST")
def request_list(request, fmt: str):
    """GET: the public requests by the spec's filters; POST: file one (``api_key``)."""
    if request.method == "POST":
        client = services.client_by_key(request.POST.get("api_key"))
        filed = services.file_request(client, request.POST)
        return respond(fmt, "service_requests", [{
            "service_request_id": filed.request.number, "token": filed.token,
            "service_notice": filed.notice, "account_id": None}], status=201)
    return respond(fmt, "service_requests",
                   [services.public_view(found) for found in services.find_requests(request.GET)])


@endpoint("GET")
def request_detail(request, fmt: str, number: str):
    return respond(fmt, "service_requests", [services.public_view(services.find_request(number))])


@endpoint("GET")
def token(request, fmt: str, token: str):
    found = services.by_token(token)
    return respond(fmt, "service_requests", [{"service_request_id": found.number, "token": token}])
