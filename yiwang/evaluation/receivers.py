"""Offer the rating at the natural moment: when a case is 送达, 不予受理 or 办结（不通过）, and when
a hall ticket is finished at the window, the person served gets an in-app message and an SMS with
the link ``/rate/<token>/``. Runs inside the transaction that ended the service, and never undoes
it: a person who may not rate (an agent whose authorisation lapsed) simply gets no invitation."""

from __future__ import annotations

import logging

from yiwang.accounts.services import citizen_of
from yiwang.cases.models import Status
from yiwang.common.errors import DomainError
from yiwang.notify.services import notify_user, send_sms

from .models import RatingChannel
from .services import policy, ratings

log = logging.getLogger(__name__)

# 送达 has its own signal; these end a case without a result to deliver.
CLOSED_WITHOUT_DELIVERY = (Status.NOT_ACCEPTED, Status.DENIED)


def _invite(user, event_key: str, mobile: str, what: str, region) -> None:
    channel = RatingChannel.SMS if mobile else RatingChannel.PC
    try:
        token = ratings.invite(user, event_key=event_key, channel=channel)
    except DomainError as exc:
        log.info("No rating invitation for %s: %s", event_key, exc.code)
        return
    link = ratings.rating_link(token)
    days = policy.rating_days(region)
    text = f"{what}，欢迎对本次服务作出评价：{link} （{days}天内有效，无需登录）"
    notify_user(user, "请评价本次服务", text)
    if mobile:
        send_sms(mobile, f"【一网通办】{text}", user=user)


def _case_mobile(case) -> str:
    if case.contact_mobile:
        return case.contact_mobile
    citizen = citizen_of(case.applicant)
    return citizen.mobile if citizen else ""


def invite_for_case(case) -> None:
    _invite(case.applicant, ratings.case_key(case), _case_mobile(case),
            f"您的办件{case.number}（{case.version.name}）已{case.get_status_display()}", case.region)


def on_case_delivered(sender, case, **kwargs) -> None:
    invite_for_case(case)


def on_case_closed(sender, case, **kwargs) -> None:
    if case.status in CLOSED_WITHOUT_DELIVERY:
        invite_for_case(case)


def on_ticket_finished(sender, ticket, **kwargs) -> None:
    if ticket.user_id is None:
        return
    _invite(ticket.user, ratings.ticket_key(ticket), ticket.mobile,
            f"您在{ticket.hall.name}的{ticket.number}号已办理完毕", ticket.hall.region)
