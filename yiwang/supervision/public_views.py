"""The public face of the audit chain (审计链公示): the signed checkpoints as JSON and as a page,
and the public key they verify with. Open to anyone, signed in or not, from any origin: they
exist so that people outside the platform can check it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from yiwang.common.errors import DomainError

from . import checkpoints

PAGE_SHOWS = 20


def _public(response: HttpResponse, max_age: int = 60) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_GET
def checkpoints_json(request):
    """/audit/checkpoints.json?after=<seq>&limit=<n>: one page of checkpoints, oldest first."""
    try:
        after, limit = checkpoints.parse_page(request.GET.get("after"), request.GET.get("limit"))
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message, "details": exc.details},
                            status=exc.status, json_dumps_params={"ensure_ascii": False})
    document = checkpoints.published(after=after, limit=limit)
    following = document["next_after"]
    query = urlencode({"after": following, "limit": limit})
    document["next"] = (request.build_absolute_uri(f"{reverse('audit:checkpoints-json')}?{query}")
                        if following is not None else None)
    document["public_key"] = request.build_absolute_uri(reverse("audit:public-key"))
    return _public(JsonResponse(document, json_dumps_params={"ensure_ascii": False}))


@require_GET
def public_key(request):
    """/audit/public-key.pem: the SM2 public key of the seal that signs the checkpoints."""
    try:
        pem = checkpoints.public_key_pem()
    except DomainError as exc:
        return HttpResponse(f"{exc.message}（{exc.code}）\n", status=404,
                            content_type="text/plain; charset=utf-8")
    return _public(HttpResponse(pem, content_type="text/plain; charset=us-ascii"), max_age=300)


@require_GET
def checkpoints_page(request):
    """/audit/checkpoints/: what the checkpoints are, the latest ones, how to check them."""
    context = {"checkpoints": checkpoints.recent(PAGE_SHOWS), "json_url": reverse("audit:checkpoints-json"),
               "key_url": reverse("audit:public-key"),
               "every_records": settings.AUDIT_CHECKPOINT_EVERY_RECORDS,
               "every_minutes": settings.AUDIT_CHECKPOINT_EVERY_MINUTES}
    try:
        context["seal"] = checkpoints.signing_seal_name()
    except DomainError:
        context["seal"] = None
    return _public(render(request, "supervision/public/checkpoints.html", context))
