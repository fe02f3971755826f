"""智能咨询 API: GET /api/consult?q=…&region=: the answer to one question from the published
guides and their 常见问题, or ``known: false`` with the 12345 hotline (the question is then
logged for the catalogue editors). Public; a client may ask ``CONSULT_QUESTIONS_PER_MINUTE``
questions a minute (429 beyond)."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import BaseModel

from yiwang.accounts.views import client_ip
from yiwang.common.schemas import error_responses

from . import consult

router = Router(tags=["智能咨询"])


class ConsultParams(Schema):
    q: str = ""
    region: str | None = None


class ItemLinkOut(BaseModel):
    name: str
    handling_code: str
    department: str
    url: str


class PassageOut(BaseModel):
    kind: str
    label: str
    title: str
    text: str


class AnswerOut(BaseModel):
    question: str
    known: bool
    score: float
    message: str
    item: ItemLinkOut | None
    passage: PassageOut | None
    url: str
    related: list[ItemLinkOut]
    hotline: str


def _link(link: consult.ItemLink) -> ItemLinkOut:
    return ItemLinkOut(name=link.name, handling_code=link.handling_code,
                       department=link.department, url=link.url)


@router.get("", response={200: AnswerOut, **error_responses(429, 503)}, summary="智能咨询",
            description="用一句话提问（不超过200字），从已发布的办事指南和常见问题中找出最相关的段落，"
                        "返回所在事项及链接；找不到可靠答案时 known 为 false，建议拨打12345，"
                        "并记录问题供事项编辑完善指南。")
def consult_question(request, params: Query[ConsultParams]):
    consult.throttle(client_ip(request))
    answer = consult.answer(params.q, region=params.region)
    passage = answer.passage
    return AnswerOut(
        question=answer.question, known=answer.known, score=answer.score,
        message=answer.message, url=answer.url, hotline=answer.hotline,
        item=_link(answer.item) if answer.item else None,
        passage=PassageOut(kind=passage.kind, label=passage.label, title=passage.title,
                           text=passage.text) if passage else None,
        related=[_link(link) for link in answer.related])
