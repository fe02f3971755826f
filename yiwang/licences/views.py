"""The licence pages: public verification (证照验证), the holder's wallet (我的证照) with the
printable licence, its download and its share links, the public page of a share link, and the
published seal keys. Each view parses, finds the licence through ``selectors`` (someone else's
licence does not exist: 404), calls one service and renders; a DomainError becomes the error page
or the form's message with its HTTP status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yiwang.common.errors import DomainError, NotFound, ValidationError
from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors
from yiwang.seals.services import public_keys

from . import rendering, selectors, services

LIST_PAGE_SIZE = 20


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def verify(request):
    """An identifier typed in, or a QR payload scanned (the QR code opens this page) or pasted."""
    identifier = request.GET.get("identifier", "").strip()
    payload = request.GET.get("payload", "").strip()
    context, status = {"identifier": identifier, "payload": payload}, 200
    try:
        if payload:
            context["check"] = services.verify_payload(payload)
        elif identifier:
            context["check"] = services.verify_licence(identifier)
    except DomainError as exc:
        context["error"], status = exc, exc.status
    return render(request, "licences/verify.html", context, status=status)


@login_required
@shows_domain_errors
def mine(request):
    page = paginate(selectors.wallet_licences(request.user), request.GET.get("page"), LIST_PAGE_SIZE)
    return render(request, "licences/mine.html", {"page": page})


@login_required
@shows_domain_errors
def licence_page(request, pk: int, download: bool = False):
    licence = selectors.wallet_licence(request.user, pk)
    context = {**rendering.card(licence, base_url=_base_url(request)), "download": download,
               "shares": licence.share_links.all()[:20], "check": services.judge(licence)}
    response = render(request, "licences/licence.html", context)
    if download:
        response["Content-Disposition"] = f'attachment; filename="{licence.identifier}.html"'
    return response


def _days(request) -> int:
    try:
        return int(request.POST.get("days") or 7)
    except ValueError as exc:
        raise ValidationError("分享有效期应为天数", code="licence.share_days") from exc


@login_required
@require_POST
@shows_domain_errors
def share_create(request, pk: int):
    licence = selectors.wallet_licence(request.user, pk)
    share, token = services.create_share(licence, user=request.user, days=_days(request),
                                         note=request.POST.get("note", ""))
    link = request.build_absolute_uri(reverse("licences:shared", args=[token]))
    return render(request, "licences/share_created.html", {"licence": licence, "share": share,
                                                          "link": link}, status=201)


@login_required
@require_POST
@shows_domain_errors
def share_revoke(request, pk: int, share_pk: int):
    licence = selectors.wallet_licence(request.user, pk)
    share = licence.share_links.filter(pk=share_pk).first()
    if share is None:
        raise NotFound("分享链接不存在", code="licence.share_unknown")
    services.revoke_share(share, user=request.user)
    messages.success(request, "已撤销该分享链接，持有链接的人将无法再查看证照")
    return redirect("licences:licence", pk=licence.pk)


@require_GET
@shows_domain_errors
def shared(request, token: str):
    share = services.open_share(token)
    context = {**rendering.card(share.licence, base_url=_base_url(request)), "share": share,
               "check": services.judge(share.licence)}
    return render(request, "licences/shared.html", context)


@require_GET
def seal_keys(request):
    """/.well-known/yiwang-seal-keys.json: every seal's public key, for offline verification."""
    response = JsonResponse({"keys": public_keys()}, json_dumps_params={"ensure_ascii": False})
    # Published for any verifier, a web page of another origin included.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
