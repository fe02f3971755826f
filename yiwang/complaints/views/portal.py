"""12345 pages of the portal (namespace ``complaints``, PC under /12345/ and mobile under
/m/12345/): 我要反映, the confirmation with the number, 我的诉求, a request's page with the public
流转记录 and the rating form, and the same page by the SMS link's token without an account.

Every view parses the form and calls one service (``services.requests``); a refusal is shown on
the form with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from yiwang.accounts.selectors import home_region
from yiwang.cases.access import applicant_cases
from yiwang.common.errors import DomainError, NotFound
from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors

from .. import selectors
from ..forms import CitizenRequestForm, RatingForm, region_choices
from ..models import HotlineRequest, RequestChannel, RequestStatus
from ..services import requests as hotline

PAGE_SIZE = 10
CASES_OFFERED = 30
# The raw follow-up token of the request just submitted in this session ({number: token}), for
# the confirmation page's link (only the token's hash is stored with the request).
TOKENS_KEY = "hotline_tokens"


def frame(mobile: bool) -> dict:
    """What the templates need to be the PC or the mobile page."""
    return {"mobile": mobile, "base": "complaints/portal/mobile_base.html" if mobile
            else "complaints/portal/base.html",
            "ns": "complaints:m_" if mobile else "complaints:"}


def name(mobile: bool, page: str) -> str:
    return f"complaints:{'m_' if mobile else ''}{page}"


def own_request(user, number: str) -> HotlineRequest:
    """The signed-in requester's request; someone else's does not exist for them."""
    found = HotlineRequest.objects.filter(number=number, requester=user).select_related(
        "department", "parent", "region", "case", "item").first()
    if found is None:
        raise NotFound("诉求不存在", code="complaint.not_found")
    return found


def _default_region(user):
    """The city (else the province) of the account's home region, first in the list otherwise."""
    choices = list(region_choices())
    home = home_region(user)
    within = [r for r in choices if home is not None and home.path.startswith(r.path)]
    return max(within, key=lambda r: len(r.path)) if within else (choices[0] if choices else None)


@login_required
@shows_domain_errors
@require_http_methods(["GET", "POST"])
def submit(request, mobile: bool = False):
    """我要反映."""
    cases = list(applicant_cases(request.user).filter(number__isnull=False)
                 .select_related("item").order_by("-pk")[:CASES_OFFERED])
    if request.method == "POST":
        form = CitizenRequestForm(request.POST, cases=cases)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                hotline.throttle_account(request.user)
                created, token = hotline.submit_request(
                    request.user, kind=data["kind"], title=data["title"], content=data["content"],
                    channel=RequestChannel.MOBILE if mobile else RequestChannel.WEB,
                    region=data["region"], anonymous=data["anonymous"], case=data["case"],
                    item=data["item"], address=data["address"],
                    attachments=request.FILES.getlist("attachments"))
            except DomainError as exc:
                form.show(exc)
                status = exc.status
            else:
                request.session[TOKENS_KEY] = {created.number: token}
                return redirect(name(mobile, "submitted"), number=created.number)
    else:
        form = CitizenRequestForm(cases=cases, initial={"region": _default_region(request.user)})
        status = 200
    return render(request, "complaints/portal/submit.html", {"form": form, **frame(mobile)},
                  status=status)


@login_required
@shows_domain_errors
def submitted(request, number: str, mobile: bool = False):
    """The confirmation: the number, the deadline, and the link to follow it without an account."""
    found = own_request(request.user, number)
    token = request.session.get(TOKENS_KEY, {}).get(number)
    link = request.build_absolute_uri(reverse(name(mobile, "token"), args=[token])) if token else ""
    return render(request, "complaints/portal/submitted.html",
                  {"hotline_request": found, "link": link, **frame(mobile)})


@login_required
@shows_domain_errors
def mine(request, mobile: bool = False):
    """我的诉求."""
    page = paginate(selectors.mine(request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "complaints/portal/mine.html", {"page": page, **frame(mobile)})


def _show(request, found: HotlineRequest, *, rate, mobile: bool, token: str = ""):
    """A request's page for its requester, with the rating form when it is answered; ``rate``
    records the rating posted."""
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rate(**form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, "感谢您的评价")
                return redirect(request.path)
        else:
            status = 400
    context = {"hotline_request": found, "answer": selectors.shown_answer(found), "form": form,
               "token": token, "events": selectors.public_events(found),
               "attachments": found.attachments.all(),
               "may_rate": found.status == RequestStatus.ANSWERED and not found.rated_at
               and not found.anonymous, **frame(mobile)}
    return render(request, "complaints/portal/detail.html", context, status=status)


@login_required
@shows_domain_errors
@require_http_methods(["GET", "POST"])
def detail(request, number: str, mobile: bool = False):
    """The requester's request: where it stands, the 流转记录, the answer and the rating."""
    found = own_request(request.user, number)
    return _show(request, found, mobile=mobile, rate=lambda **values: hotline.rate_answer(
        found, user=request.user, **values))


@shows_domain_errors
@require_http_methods(["GET", "POST"])
def by_token(request, token: str, mobile: bool = False):
    """The same page by the link of the SMS, without an account."""
    found = hotline.request_by_token(token)
    return _show(request, found, mobile=mobile, token=token,
                 rate=lambda **values: hotline.rate_answer(found, token=token, **values))
