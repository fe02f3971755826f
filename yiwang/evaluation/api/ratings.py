"""评价 API (/api/evaluation): the standard 差评 reasons, rating an event as the signed-in person
(web, mobile app), one's own ratings, and rating through an invitation's token without a session.
Every refusal is a service's ``DomainError`` (``rating.window_closed``, ``rating.not_yours`` …),
answered as 4xx JSON with its code."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from yiwang.common.errors import ValidationError
from yiwang.common.pagination import paginate
from yiwang.common.schemas import INT64_RANGE, Id, PageNumber, PageSize

from ..models import RatingChannel
from ..services import ratings

router = Router(tags=["好差评：评价"])


class ReasonOut(Schema):
    code: str
    name: str


class RatingIn(Schema):
    event_key: str | None = Field(None, max_length=60,
                                  description="评价对象，如 case:12、ticket:7、overall:hall:3:2026-12")
    case_id: Id | None = Field(None, description="办件编号（一事一评），可代替 event_key")
    ticket_id: Id | None = Field(None, description="排队票编号（一次一评），可代替 event_key")
    level: int = Field(..., **INT64_RANGE, description="1 非常满意 … 5 非常不满意；4、5 为差评")
    reasons: list[str] = Field(default_factory=list, max_length=20, description="差评原因代码")
    text: str = Field("", max_length=2000, description="评价内容，差评必填")
    channel: Literal["pc", "mobile"] = RatingChannel.PC


class TokenRatingIn(Schema):
    level: int = Field(..., **INT64_RANGE, description="1 非常满意 … 5 非常不满意")
    reasons: list[str] = Field(default_factory=list, max_length=20)
    text: str = Field("", max_length=2000)


class RatingOut(Schema):
    id: int
    event_key: str
    kind: str
    kind_label: str
    channel: str
    level: int
    level_label: str
    bad: bool
    reasons: list[ReasonOut]
    text: str
    case_id: int | None
    ticket_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    changeable: bool = Field(..., description="是否仍可修改（评价期限内）")


class RatingPage(Schema):
    items: list[RatingOut]
    total: int
    page: int
    page_size: int
    pages: int


class MyRatingsQuery(Schema):
    page: PageNumber = 1
    page_size: PageSize = 20


def rating_out(rating) -> dict:
    return {"id": rating.pk, "event_key": rating.event_key, "kind": rating.kind,
            "kind_label": rating.get_kind_display(), "channel": rating.channel,
            "level": rating.level, "level_label": rating.get_level_display(), "bad": rating.is_bad,
            "reasons": [{"code": r.code, "name": r.name} for r in rating.reasons.all()],
            "text": rating.text, "case_id": rating.case_id, "ticket_id": rating.ticket_id,
            "created_at": rating.created_at, "updated_at": rating.updated_at,
            "changeable": ratings.changeable(rating)}


def _event_key(payload: RatingIn) -> str:
    given = [key for key in (payload.event_key,
                             payload.case_id and f"case:{payload.case_id}",
                             payload.ticket_id and f"ticket:{payload.ticket_id}") if key]
    if len(given) != 1:
        raise ValidationError("请给出 event_key、case_id 或 ticket_id 之一", code="rating.event_required")
    return given[0]


@router.get("/reasons", response=list[ReasonOut], auth=None, summary="差评原因（标准列表）")
def evaluation_reasons(request):
    return [{"code": r.code, "name": r.name} for r in ratings.active_reasons()]


@router.post("/ratings", response={201: RatingOut}, auth=django_auth,
             summary="评价（一事一评、一次一评、综合点评；再次评价即修改）")
def evaluation_rate(request, payload: RatingIn):
    rating = ratings.rate(request.user, event_key=_event_key(payload), level=payload.level,
                          reasons=payload.reasons, text=payload.text, channel=payload.channel)
    return 201, rating_out(rating)


@router.get("/ratings/mine", response=RatingPage, auth=django_auth, summary="我的评价")
def evaluation_my_ratings(request, query: Query[MyRatingsQuery]):
    return paginate(ratings.my_ratings(request.user), query.page, query.page_size).as_json(rating_out)


@router.post("/ratings/by-token/{token}", response={201: RatingOut}, auth=None,
             summary="凭短信或消息中的评价链接评价（无需登录，一次有效）")
def evaluation_rate_by_token(request, token: str, payload: TokenRatingIn):
    rating = ratings.rate_by_token(token, level=payload.level, reasons=payload.reasons,
                                   text=payload.text)
    return 201, rating_out(rating)
