"""帮办代办: a person authorises a hall's window clerk or a village 代办员 to apply for them.

The signed paper authorisation is scanned at the counter; its SM3 digest is kept beside it and
the platform seal (平台存证专用章) signs the record — who, for whom, which items, until when and
the document's digest — so a later change of any of them, or of the scan, shows. A case made
under an authorisation records it (``cases.Case.proxy_authorization``) and its history names the
代办 as a company agent's case names the agent."""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import Citizen, ProxyAuthorization
from yiwang.cases.uploads import check_upload
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_id
from yiwang.seals import crypto
from yiwang.seals.services import sign_as_platform
from yiwang.supervision import audit

from ..models import HallItem, HallMember, HallRole

# Who registers an authorisation at a hall, and who may be named the proxy.
REGISTRARS = (HallRole.CLERK, HallRole.MANAGER, HallRole.PROXY)
PROXIES = (HallRole.CLERK, HallRole.PROXY)
MAX_DAYS = 366
SIGN_PURPOSE = "帮办代办授权书存证"


def _hall_roles(user, hall) -> set[str]:
    return set(HallMember.objects.filter(user=user, hall=hall).values_list("role", flat=True))


def signed_data(authorization: ProxyAuthorization) -> dict:
    """What the platform seal signs: enough to tell that nobody changed whom, for what, until
    when, and on which signed paper."""
    return {"kind": "hall.proxy_authorization", "id": authorization.pk,
            "principal": authorization.principal_id, "proxy": authorization.proxy_id,
            "hall": authorization.hall_id, "item_codes": list(authorization.item_codes),
            "valid_until": authorization.valid_until.isoformat(),
            "document_sm3": authorization.document_sm3}


def _clean_codes(hall, item_codes) -> list[str]:
    codes = sorted({str(c).strip() for c in item_codes or () if str(c).strip()})
    if not codes:
        raise ValidationError("请选择授权代办的事项", code="proxy.items_required")
    stationed = set(HallItem.objects.filter(hall=hall, active=True)
                    .values_list("item__basic_code", flat=True))
    unknown = [c for c in codes if c not in stationed]
    if unknown:
        raise ValidationError(f"以下事项未进驻本大厅，不能授权代办：{'、'.join(unknown)}",
                              code="proxy.item_not_stationed", details={"codes": unknown})
    return codes


@transaction.atomic
def grant_proxy(clerk, *, principal: Citizen, proxy, hall, item_codes, valid_until: dt.date,
                document, today: dt.date | None = None) -> ProxyAuthorization:
    """登记帮办代办授权. ``clerk`` works in ``hall`` (窗口人员, 管理员 or 代办员); ``proxy`` is a
    clerk or 代办员 of the same hall; the items are stationed there; the authorisation runs at
    most a year. The scan ``document`` is checked like any uploaded material."""
    today = today or timezone.localdate()
    if not _hall_roles(clerk, hall) & set(REGISTRARS):
        raise PermissionDenied("只有本大厅的工作人员可以登记帮办代办授权",
                               code="permission.hall_role_required")
    if not _hall_roles(proxy, hall) & set(PROXIES):
        raise ValidationError("代办人应为本大厅的窗口人员或帮办代办员", code="proxy.not_hall_staff")
    if proxy.pk == principal.user_id:
        raise ValidationError("委托人不能授权本人代办", code="proxy.self")
    if valid_until < today:
        raise ValidationError("授权截止日期不能早于今天", code="proxy.until_in_past")
    if (valid_until - today).days > MAX_DAYS:
        raise ValidationError("单次帮办代办授权最长一年", code="proxy.until_too_far")
    codes = _clean_codes(hall, item_codes)
    checked = check_upload(document)
    data = b"".join(document.chunks())
    authorization = ProxyAuthorization(
        principal=principal.user, proxy=proxy, hall=hall, item_codes=codes,
        valid_until=valid_until, document_sm3=crypto.sm3_hex(data), created_by=clerk)
    authorization.document.save(f"{authorization.document_sm3[:16]}"
                                f"{checked.name[checked.name.rfind('.'):]}",
                                ContentFile(data), save=False)
    authorization.save()
    authorization.signature = json.dumps(sign_as_platform(signed_data(authorization),
                                                          purpose=SIGN_PURPOSE), ensure_ascii=False)
    authorization.save(update_fields=["signature"])
    audit.record("hall.proxy_granted", actor=clerk, subject=authorization,
                 summary=f"登记帮办代办授权：委托人{mask_id(principal.id_number)}",
                 data={"hall": hall.pk, "proxy": proxy.get_username(), "item_codes": codes,
                       "valid_until": valid_until.isoformat(),
                       "document_sm3": authorization.document_sm3})
    return authorization


@transaction.atomic
def revoke_proxy(clerk, authorization: ProxyAuthorization, *, reason: str = "") -> ProxyAuthorization:
    """撤销授权 (the principal asks at a counter of the hall that registered it). Cases already made
    under it keep it; no new one can be."""
    authorization = ProxyAuthorization.objects.select_for_update().get(pk=authorization.pk)
    if not _hall_roles(clerk, authorization.hall) & set(REGISTRARS):
        raise NotFound("授权不存在", code="proxy.not_found")
    if authorization.revoked_at is not None:
        raise Conflict("该授权已撤销", code="proxy.already_revoked")
    authorization.revoked_at = timezone.now()
    authorization.save(update_fields=["revoked_at"])
    audit.record("hall.proxy_revoked", actor=clerk, subject=authorization,
                 summary=f"撤销帮办代办授权 #{authorization.pk}", data={"reason": reason[:200]})
    return authorization


def proxy_state(authorization: ProxyAuthorization, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if authorization.revoked_at is not None:
        return "revoked"
    if authorization.valid_until < today:
        return "expired"
    return "active"


def require_usable(authorization: ProxyAuthorization, *, principal_user, item_code: str,
                   today: dt.date | None = None) -> ProxyAuthorization:
    """The authorisation may be used now for ``principal_user`` on the item ``item_code``;
    otherwise ``proxy.wrong_principal``, ``proxy.revoked``, ``proxy.expired`` or
    ``proxy.out_of_scope``."""
    if authorization.principal_id != principal_user.pk:
        raise NotFound("该帮办代办授权不是此人的授权", code="proxy.wrong_principal")
    state = proxy_state(authorization, today)
    if state == "revoked":
        raise PermissionDenied("该帮办代办授权已撤销", code="proxy.revoked")
    if state == "expired":
        raise PermissionDenied(f"该帮办代办授权已于{authorization.valid_until:%Y年%m月%d日}到期",
                               code="proxy.expired")
    if authorization.item_codes and item_code not in authorization.item_codes:
        raise PermissionDenied("该事项不在帮办代办授权范围内", code="proxy.out_of_scope")
    return authorization


def authorizations_for(principal_user, hall) -> list[ProxyAuthorization]:
    """The person's authorisations registered at ``hall``, newest first."""
    return list(ProxyAuthorization.objects.filter(principal=principal_user, hall=hall)
                .select_related("proxy"))
