"""Public licence verification API: by identifier, or by the signed payload of the QR code. A
verdict (genuine and valid, or why not) is a 200 answer; an identifier or payload that cannot be
read is a 400, an identifier this platform never issued a 404."""

from __future__ import annotations

from ninja import Query, Router, Schema

from . import services

router = Router(tags=["电子证照验证"])


class LicenceVerifyQuery(Schema):
    identifier: str


class PayloadIn(Schema):
    payload: str


class VerdictOut(Schema):
    ok: bool
    code: str
    reason: str
    identifier: str | None
    licence_type: str | None
    holder: str | None
    issuer: str | None
    valid_from: str | None
    valid_until: str | None
    status: str | None


def _verdict(check: services.LicenceCheck) -> dict:
    licence = check.licence
    answer = {"ok": check.ok, "code": check.code, "reason": check.reason,
              **dict.fromkeys(("identifier", "licence_type", "holder", "issuer", "valid_from",
                               "valid_until", "status"))}
    if licence is not None:
        answer.update(identifier=licence.identifier, licence_type=licence.type_name,
                      holder=services.public_holder(licence), issuer=licence.issuer_name,
                      valid_from=licence.valid_from.isoformat(),
                      valid_until=licence.valid_until.isoformat() if licence.valid_until else None,
                      status=licence.status_label)
    return answer


@router.get("/verify", response=VerdictOut, summary="按证照标识验证电子证照")
def verify_licence(request, query: Query[LicenceVerifyQuery]):
    return _verdict(services.verify_licence(query.identifier))


@router.post("/verify-payload", response=VerdictOut, summary="按二维码签名载荷验证电子证照")
def verify_payload(request, body: PayloadIn):
    return _verdict(services.verify_payload(body.payload))
