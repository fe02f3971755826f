"""评价 pages: the invitation link (``/rate/<token>/``, no log-in), rating an event as the signed-in
person (the case page's block posts here, 我的评价 links here to change a rating), 我的评价 and
综合点评. Each view parses the form, calls ``services.ratings`` and shows its refusal on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from yiwang.common.errors import DomainError, NotFound
from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors
from yiwang.orgs.models import Department, ServiceHall

from .models import BAD_LEVELS, Level, RatingChannel
from .services import ratings

LIST_PAGE_SIZE = 10
CHOICES_SHOWN = 30


def signed_in_page(view):
    return login_required(shows_domain_errors(view))


def channel_of(request) -> str:
    """PC or mobile, as the browser says; only what the statistics split by."""
    agent = request.headers.get("User-Agent", "")
    return RatingChannel.MOBILE if "Mobile" in agent or "Android" in agent else RatingChannel.PC


def form_values(request) -> dict:
    return {"level": request.POST.get("level", ""), "reasons": request.POST.getlist("reasons"),
            "text": request.POST.get("text", "")}


def form_context(rating=None, values: dict | None = None) -> dict:
    """What ``evaluation/_form.html`` shows: the levels, the active reasons, and what was chosen
    (the posted values, else the rating being changed)."""
    if values is None and rating is not None:
        values = {"level": str(rating.level), "reasons": [r.code for r in rating.reasons.all()],
                  "text": rating.text}
    values = values or {"level": "", "reasons": [], "text": ""}
    return {"levels": Level.choices, "bad_levels": [str(level) for level in BAD_LEVELS],
            "reasons": ratings.active_reasons(), "values": values, "max_text": ratings.MAX_TEXT}


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# --- the invitation link ---------------------------------------------------------------------------


def rate_by_token(request, token: str):
    """评价 by the link of an SMS or message: no log-in, the token names the person and event."""
    try:
        invited = ratings.rating_by_token(token)
    except DomainError as exc:
        return render(request, "evaluation/token_error.html", {"error": exc}, status=exc.status)
    context = {"event": invited.event, "rating": invited.rating, "token": token}
    if request.method == "POST":
        values = form_values(request)
        try:
            rating = ratings.rate_by_token(token, **values)
        except DomainError as exc:
            if exc.code == "rating.bad_token":
                return render(request, "evaluation/token_error.html", {"error": exc}, status=exc.status)
            return render(request, "evaluation/rate_token.html",
                          {**context, **form_context(values=values), "error": exc}, status=exc.status)
        return render(request, "evaluation/thanks.html", {"rating": rating, "event": invited.event})
    return render(request, "evaluation/rate_token.html", {**context, **form_context(invited.rating)})


# --- signed in ----------------------------------------------------------------------------------


@signed_in_page
def rate_event(request, event_key: str):
    """评价 (or 修改评价) one event as the signed-in person."""
    event = ratings.rateable_event(request.user, event_key)
    rating = ratings.rating_of(request.user, event.key)
    back = _back(request, reverse("evaluation:mine"))
    context = {"event": event, "rating": rating, "next": back, "open": event.is_open()}
    if request.method == "POST":
        values = form_values(request)
        try:
            ratings.rate(request.user, event_key=event.key, channel=channel_of(request), **values)
        except DomainError as exc:
            return render(request, "evaluation/rate.html",
                          {**context, **form_context(values=values), "error": exc}, status=exc.status)
        messages.success(request, "感谢您的评价" if rating is None else "评价已修改")
        return redirect(back)
    return render(request, "evaluation/rate.html", {**context, **form_context(rating)})


@signed_in_page
def mine(request):
    """我的评价, with 修改 while a rating's window is open."""
    page = paginate(ratings.my_ratings(request.user), request.GET.get("page"), LIST_PAGE_SIZE)
    rows = [(rating, ratings.changeable(rating)) for rating in page.items]
    return render(request, "evaluation/mine.html", {"page": page, "rows": rows})


def _overall_target(request):
    chosen = request.POST.get("target") or request.GET.get("target") or ""
    kind, _, pk = chosen.partition(":")
    model = {"hall": ServiceHall, "department": Department}.get(kind)
    target = model.objects.filter(pk=pk).first() if model and pk.isdigit() and len(pk) < 19 else None
    if chosen and target is None:
        raise NotFound("请选择要点评的大厅或部门", code="rating.not_found")
    return target


@signed_in_page
def overall(request):
    """综合点评 of a hall or department: search, choose, rate; once a month each (a second time
    changes this month's)."""
    q = request.GET.get("q", "").strip()[:50]
    target = _overall_target(request)
    context = {"q": q, "target": target}
    if target is None:
        name = Q(name__icontains=q) if q else Q()
        context["halls"] = ServiceHall.objects.filter(name).select_related("region")[:CHOICES_SHOWN]
        context["departments"] = Department.objects.filter(name).select_related(
            "region")[:CHOICES_SHOWN]
        return render(request, "evaluation/overall.html", context)
    key = ratings.overall_key(target)
    rating = ratings.rating_of(request.user, key)
    context.update(rating=rating, target_value=request.POST.get("target") or request.GET.get("target"),
                   event=ratings.rateable_event(request.user, key))
    if request.method == "POST":
        values = form_values(request)
        try:
            ratings.rate(request.user, event_key=key, channel=channel_of(request), **values)
        except DomainError as exc:
            return render(request, "evaluation/overall.html",
                          {**context, **form_context(values=values), "error": exc}, status=exc.status)
        messages.success(request, "感谢您的点评" if rating is None else "点评已修改")
        return redirect("evaluation:mine")
    return render(request, "evaluation/overall.html", {**context, **form_context(rating)})
