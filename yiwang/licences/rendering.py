"""What a licence page shows: its fields, the seal impression and the QR code, both as inline
SVG, so a downloaded licence shows them offline."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils.safestring import mark_safe

from yiwang.common.identifiers import mask_id
from yiwang.seals.drawing import seal_svg
from yiwang.seals.models import Seal

from . import services
from .models import Licence


def qr_text(licence: Licence, base_url: str) -> str:
    """What the QR code says: the verification page's URL, carrying the signed payload."""
    return f"{base_url}{reverse('licences:verify')}?payload={services.qr_payload(licence)}"


def card(licence: Licence, *, base_url: str) -> dict:
    seal = (Seal.objects.filter(seal_code=licence.signature["seal"]["code"])
            .defer("encrypted_private_key").first())
    labels = {f["name"]: f["label"] for f in licence.licence_type.fields}
    qr = segno.make(qr_text(licence, base_url), error="m")
    return {
        "licence": licence,
        "rows": [(labels.get(name, name), value) for name, value in licence.data.items()],
        "holder_id": mask_id(licence.holder_id_number),
        "seal_name": seal.short_name if seal else licence.signature["seal"]["name"],
        "seal_svg": seal_svg(department=seal.department_name, name=seal.short_name) if seal else "",
        "qr_svg": mark_safe(qr.svg_inline(scale=3, omitsize=True)),  # noqa: S308 — segno's own SVG
        "signed_at": licence.signature["signed_at"],
    }
