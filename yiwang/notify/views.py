from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from yiwang.common.identifiers import mask_phone

from . import services


def dev_outbox(request):
    """开发用发件箱: the SMS a developer's phone would have received. Development only."""
    if not settings.DEV_OUTBOX_ENABLED:
        raise Http404
    rows = [{"message": m, "address": mask_phone(m.address) if m.channel == "sms" else m.address}
            for m in services.dev_outbox()]
    return render(request, "notify/dev_outbox.html", {"rows": rows})
