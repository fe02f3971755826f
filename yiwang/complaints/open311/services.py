"""GeoReport v2's rules: which services an outside 311 app may file, how a filed request is
checked (the service's attributes, a location) and becomes a 12345 request
(``services.requests.submit_request``, channel Open311, dispatched by the service's department
when no rule took it), what the public lists show (never a name or a phone), and the API keys of
the apps (only their SHA-256 is stored).

Decisions the contract left open:

- Only requests filed through Open311 are public here, and never a 举报 (a report's content may
  name the people reported) nor an anonymous one; a web, phone or API request is not a 311 one.
- ``service_request_id`` is the 工单编号. ``status`` is ``open`` while the hotline or a
  department has it (待派单, 办理中, 退单待仲裁) and ``closed`` once answered (已答复, 已办结,
  已合并); ``status_notes`` is the public answer (a merged request's, its parent's).
- The name is ``last_name`` + ``first_name`` (姓 then 名); ``phone`` is required, as for every
  request that is not an anonymous 举报 (the answer and the 回访 go to it); ``email`` is not
  kept; ``media_url`` is added to the content as a link for the department.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from yiwang.common.errors import NotFound, PermissionDenied, ValidationError
from yiwang.supervision import audit

from ..models import (
    OPEN_REQUEST_STATUSES,
    HotlineRequest,
    Open311Attribute,
    Open311Client,
    Open311Service,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from ..services import requests as hotline

Datatype = Open311Attribute.Datatype
KEY_BYTES = 32
DEFAULT_DAYS = 90  # the spec's default and widest date range of GET requests
MAX_RESULTS = 1000  # the spec's most requests one GET returns
MAX_IDS = 100
MAX_VALUE = 500
TITLE_CONTENT = 30  # characters of the description in the request's title


def _bad(message: str, code: str, **details) -> ValidationError:
    return ValidationError(message, code=f"open311.{code}", details=details or None)


# --- API keys --------------------------------------------------------------------------------------


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_client(name: str, *, now: dt.datetime | None = None) -> tuple[Open311Client, str]:
    """登记 an outside 311 app: returns it and its API key, this once (only the hash is kept)."""
    name = (name or "").strip()
    if not name:
        raise _bad("请填写应用名称", "name_required")
    key = secrets.token_urlsafe(KEY_BYTES)
    with transaction.atomic():
        client = Open311Client.objects.create(name=name[:100], key_hash=key_hash(key),
                                              created_at=now or timezone.now())
        audit.record("complaints.open311_client_created", subject=client,
                     summary=f"登记Open311客户端“{client.name}”", data={"client": client.pk})
    return client, key


def client_by_key(key: str | None) -> Open311Client:
    """The active app holding ``key``; PermissionDenied ``open311.bad_api_key`` otherwise."""
    client = (Open311Client.objects.filter(key_hash=key_hash(key), active=True).first()
              if key and len(key) <= 200 else None)
    if client is None:
        raise PermissionDenied("api_key 无效", code="open311.bad_api_key")
    return client


# --- services --------------------------------------------------------------------------------------


def services():
    """The active services, with ``metadata`` (has attributes) in one query."""
    return (Open311Service.objects.filter(active=True)
            .annotate(metadata=Exists(Open311Attribute.objects.filter(service=OuterRef("pk")))))


def service(code: str) -> Open311Service:
    found = Open311Service.objects.filter(code=code, active=True).select_related(
        "region", "department").prefetch_related("attributes").first() if code else None
    if found is None:
        raise NotFound(f"没有服务代码为 {code[:40]} 的服务", code="open311.unknown_service")
    return found


# --- filing a request ------------------------------------------------------------------------------


def _number(text: str, what: str, low: int, high: int) -> Decimal:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise _bad(f"{what}不是数字", "bad_location") from None
    if not value.is_finite() or not low <= value <= high:
        raise _bad(f"{what}超出范围", "bad_location")
    return value.quantize(Decimal("0.000001"))


def _location(data) -> tuple[Decimal | None, Decimal | None, str]:
    lat, long = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    address = (data.get("address_string") or "").strip()[:200]
    if bool(lat) != bool(long):
        raise _bad("lat 和 long 须同时提供", "location_required")
    if not lat and not address:
        raise _bad("请提供位置：lat 和 long，或 address_string", "location_required")
    if lat:
        return _number(lat, "纬度", -90, 90), _number(long, "经度", -180, 180), address
    return None, None, address


def _list_keys(attribute: Open311Attribute) -> set[str]:
    return {str(value.get("key")) for value in attribute.values}


def _attribute_value(attribute: Open311Attribute, given: list[str]):
    """One attribute's value as posted, checked against its datatype."""
    if attribute.datatype == Datatype.MULTIVALUELIST:
        unknown = [value for value in given if value not in _list_keys(attribute)]
        if unknown:
            raise _bad(f"{attribute.description}的取值无效", "bad_attribute_value",
                       attribute=attribute.code)
        return given
    value = given[-1][:MAX_VALUE]
    if attribute.datatype == Datatype.SINGLEVALUELIST and value not in _list_keys(attribute):
        raise _bad(f"{attribute.description}的取值无效", "bad_attribute_value",
                   attribute=attribute.code)
    if attribute.datatype == Datatype.NUMBER:
        try:
            float(value)
        except ValueError:
            raise _bad(f"{attribute.description}应为数字", "bad_attribute_value",
                       attribute=attribute.code) from None
    if attribute.datatype == Datatype.DATETIME and parse_datetime(value) is None:
        raise _bad(f"{attribute.description}应为 ISO 8601 日期时间", "bad_attribute_value",
                   attribute=attribute.code)
    return value


def _attributes(found: Open311Service, posted: dict[str, list[str]]) -> dict:
    """``attribute[code]`` values (``attribute[code][]`` for a multivaluelist) of the service's
    attributes: a required one missing is refused, as is a value outside a list."""
    values = {}
    for attribute in found.attributes.all():
        given = [value.strip() for value in posted.get(attribute.code, []) if value.strip()]
        if not given:
            if attribute.required:
                raise _bad(f"请填写{attribute.description}（attribute[{attribute.code}]）",
                           "attribute_required", attribute=attribute.code)
            continue
        values[attribute.code] = _attribute_value(attribute, given)
    return values


def posted_attributes(data) -> dict[str, list[str]]:
    """``attribute[code]`` and ``attribute[code][]`` fields of a form, by code."""
    found: dict[str, list[str]] = {}
    for field in data:
        if field.startswith("attribute[") and field.endswith("]"):
            code = field[len("attribute["):].removesuffix("[]").removesuffix("]")
            found.setdefault(code, []).extend(data.getlist(field))
    return found


@dataclass(frozen=True)
class Filed:
    request: HotlineRequest
    token: str
    notice: str


def _media_url(data) -> str:
    url = (data.get("media_url") or "").strip()
    if url and (not url.startswith(("https://", "http://")) or len(url) > MAX_VALUE):
        raise _bad("media_url 应为 http(s) 链接", "bad_media_url")
    return url


def file_request(client: Open311Client, data, *, now: dt.datetime | None = None) -> Filed:
    """POST requests: a 12345 request of the service ``data["service_code"]`` filed by
    ``client``'s user; dispatched by a rule, else to the service's department when it has one."""
    hotline.throttle(f"open311:{client.pk}", settings.COMPLAINTS_OPEN311_REQUESTS_PER_HOUR)
    found = service((data.get("service_code") or "").strip())
    latitude, longitude, address = _location(data)
    attributes = _attributes(found, posted_attributes(data))
    description = (data.get("description") or "").strip()
    media = _media_url(data)
    content = "\n".join(part for part in (description or found.name,
                                          f"图片：{media}" if media else "") if part)
    title = f"{found.name}：{description[:TITLE_CONTENT]}" if description else found.name
    name = f"{(data.get('last_name') or '').strip()}{(data.get('first_name') or '').strip()}"
    with transaction.atomic():
        request, token = hotline.submit_request(
            None, kind=found.kind, title=title[:hotline.MAX_TITLE], content=content,
            channel=RequestChannel.OPEN311, region=found.region, requester_name=name,
            requester_phone=data.get("phone") or "", address=address, latitude=latitude,
            longitude=longitude, open311_service=found, attributes=attributes, now=now)
        if request.status == RequestStatus.REGISTERED and found.department is not None:
            hotline.dispatch(None, request, found.department,
                             instructions=f"Open311服务“{found.name}”默认派往", now=now)
            request.refresh_from_db()
        audit.record("complaints.open311_filed", subject=request,
                     summary=f"Open311客户端“{client.name}”提交{request.number}",
                     data={"client": client.pk, "service": found.code})
    notice = f"已登记为12345工单{request.number}，将于{request.due_on:%Y年%m月%d日}前答复"
    return Filed(request=request, token=token, notice=notice)


# --- the public lists ------------------------------------------------------------------------------


def public_requests():
    """What GET requests may show: Open311 requests, no 举报, nothing anonymous."""
    return (HotlineRequest.objects.filter(open311_service__isnull=False)
            .exclude(kind=RequestKind.REPORT).exclude(anonymous=True)
            .select_related("open311_service", "department", "parent")
            .annotate(updated_at=Max("events__at")))


def _when(text: str, what: str) -> dt.datetime:
    value = parse_datetime(text.strip()) if text else None
    if value is None:
        raise _bad(f"{what}应为 W3C 格式的日期时间（如 2026-12-07T10:00:00+08:00）", "bad_date")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def find_requests(params, *, now: dt.datetime | None = None):
    """GET requests: by ``service_request_id`` (a comma list: then the other filters are
    ignored, as the spec says), else by ``service_code``, ``start_date``/``end_date`` (at most 90
    days; the last 90 by default) and ``status`` (open, closed); newest first, at most 1000."""
    found = public_requests()
    ids = [number.strip() for number in (params.get("service_request_id") or "").split(",")
           if number.strip()]
    if ids:
        return list(found.filter(number__in=ids[:MAX_IDS]))
    if code := (params.get("service_code") or "").strip():
        found = found.filter(open311_service__code__in=code.split(","))
    end = _when(params["end_date"], "end_date") if params.get("end_date") else (now or timezone.now())
    start = (_when(params["start_date"], "start_date") if params.get("start_date")
             else end - dt.timedelta(days=DEFAULT_DAYS))
    if start > end or end - start > dt.timedelta(days=DEFAULT_DAYS):
        raise _bad("start_date 至 end_date 不能超过90天", "bad_date")
    found = found.filter(created_at__gte=start, created_at__lte=end)
    statuses = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise _bad("status 只能是 open 或 closed", "bad_status")
    if statuses == {"open"}:
        found = found.filter(status__in=OPEN_REQUEST_STATUSES)
    elif statuses == {"closed"}:
        found = found.exclude(status__in=OPEN_REQUEST_STATUSES)
    return list(found.order_by("-created_at", "-pk")[:MAX_RESULTS])


def find_request(number: str) -> HotlineRequest:
    found = public_requests().filter(number=number).first() if number else None
    if found is None:
        raise NotFound(f"没有工单 {number[:30]}", code="open311.unknown_request")
    return found


def by_token(token: str) -> HotlineRequest:
    """GET tokens: the request a POST's token names, if it is a public Open311 request."""
    request = hotline.request_by_token(token)
    return find_request(request.number)


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def status_notes(request: HotlineRequest) -> str:
    if request.status == RequestStatus.MERGED and request.parent is not None:
        return f"已合并至工单{request.parent.number}。{request.parent.answer}".strip()
    return request.answer


def public_view(request: HotlineRequest) -> dict:
    """One request as GET requests shows it (GeoReport v2's fields; no name, no phone)."""
    service = request.open311_service
    return {
        "service_request_id": request.number,
        "status": "open" if request.status in OPEN_REQUEST_STATUSES else "closed",
        "status_notes": status_notes(request),
        "service_name": service.name, "service_code": service.code,
        "description": request.content,
        "agency_responsible": request.department.name if request.department else "",
        "service_notice": "",
        "requested_datetime": _iso(request.created_at),
        "updated_datetime": _iso(getattr(request, "updated_at", None) or request.created_at),
        "expected_datetime": _iso(timezone.make_aware(
            dt.datetime.combine(request.due_on, dt.time(23, 59, 59)))),
        "address": request.address, "address_id": "", "zipcode": "",
        "lat": float(request.latitude) if request.latitude is not None else None,
        "long": float(request.longitude) if request.longitude is not None else None,
        "media_url": "",
    }

