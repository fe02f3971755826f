"""The 评价本次办理 block of the citizen's case page: after 办结, 送达 or 不予受理 the form, or the
rating given and 修改评价 while the window is open. A tag, so the portal's views need not know
about ratings."""

from django import template
from django.urls import reverse

from ..rating_views import form_context
from ..services import ratings

register = template.Library()


@register.inclusion_tag("evaluation/_case_rating.html", takes_context=True)
def case_rating(context, case):
    request = context.get("request")
    offer = ratings.offer_for_case(request.user, case) if request is not None else None
    if offer is None:
        return {"offer": None}
    return {**offer, **form_context(offer["rating"]), "offer": offer, "case": case,
            "next": reverse("portal:case-detail", args=[case.pk]), "csrf_token": context.get("csrf_token"),
            "form_id": "case"}
