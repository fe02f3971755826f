"""The citizen's case page shows where and with which code a 窗口领取 result is collected; the
portal template loads this tag, so the portal's views need not know the hall."""

from django import template

from ..services import pickup as pickups

register = template.Library()


@register.inclusion_tag("hall/pickup/_case_notice.html")
def pickup_notice(case):
    waiting = pickups.waiting_for_applicant(case) if case.number else None
    return {"pickup": waiting, "place": pickups.place(waiting) if waiting else ""}
