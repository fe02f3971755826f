"""An attachment of a 12345 request, streamed from storage: to the hotline and the handling
departments from the workbench page, to the requester from their own request's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from yiwang.accounts.views import client_ip
from yiwang.common.views import shows_domain_errors

from ..services import requests as hotline
from .portal import own_request
from .workbench import handled_request, staff_page


def _stream(request, found, pk: str) -> FileResponse:
    attachment = hotline.open_attachment(request.user, found, pk, ip=client_ip(request))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已丢失，请联系系统管理员") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


@staff_page
def staff_attachment(request, number: str, pk: str):
    return _stream(request, handled_request(request.user, number), pk)


@login_required
@shows_domain_errors
def own_attachment(request, number: str, pk: str, mobile: bool = False):
    return _stream(request, own_request(request.user, number), pk)
