"""The 预约 buttons other apps' pages show: "预约办理" on an item's guide page and "预约到大厅办理"
on the applicant's draft or case page, only where the item is stationed in a hall that takes
bookings. A tag, so the portal's views need not know about halls."""

from django import template
from django.urls import reverse

from yiwang.cases.models import OPEN_STATUSES, Status

from ..services import appointments

register = template.Library()

CASE_STATUSES = (Status.DRAFT, *OPEN_STATUSES)


@register.inclusion_tag("hall/appointments/_book_button.html")
def booking_button(item, case=None):
    if case is not None and case.status not in CASE_STATUSES:
        return {"url": None}
    if item.published_version_id is None or not appointments.halls_for_item(item):
        return {"url": None}
    url = reverse("hall_public:appointment-choose", args=[item.handling_code])
    return {"url": f"{url}?case={case.pk}" if case is not None else url,
            "label": "预约到大厅办理" if case is not None else "预约办理"}
