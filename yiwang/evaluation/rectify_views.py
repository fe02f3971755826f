"""Pages of 差评整改 and 申诉: the workbench's lists and forms for the departments (and halls) that
answer for a 差评 and for the supervisors who decide appeals, and the rater's own view of the fix.
Every step is a service call (``services.rectification``); a rectification the user may not
handle does not exist for them (404), a role they lack is 403."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.cases.access import staff_cases
from yiwang.common.errors import DomainError, ValidationError
from yiwang.common.pagination import paginate

from . import access
from .models import Appeal, AppealStatus, Rating, Rectification, RectificationStatus
from .services import rectification as rectify

T = "evaluation/rectify/"


class QueueFilters(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "事项名称、办件编号或大厅"}))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *rectify.STATUS_FILTERS.items()])
    warning = forms.ChoiceField(label="预警", required=False,
                                choices=[("", "全部"), *rectify.WARNING_FILTERS.items()])


class AppealFilters(forms.Form):
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[*AppealStatus.choices, ("all", "全部")])


def rating_facts(user, rating: Rating) -> dict:
    case = rating.case if rating.case_id and staff_cases(user).filter(pk=rating.case_id).exists() \
        else None
    return {"rating": rating, "rater": rectify.masked_rater(rating), "about": rectify.label(rating),
            "reasons": [r.name for r in rating.reasons.all()], "case": case,
            "case_number": rating.case.number if rating.case_id else ""}


# --- 差评整改 (departments, halls) ----------------------------------------------------------------


@login_required
def rectification_list(request):
    if not access.handles_ratings(request.user):
        return render(request, T + "staff_list.html",
                      {"error": "您不是好差评管理员、部门管理员或大厅管理员"}, status=403)
    filters = QueueFilters(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    context, status = {"form": filters}, 200
    try:
        page = paginate(rectify.queue(request.user, status=chosen.get("status", ""),
                                      warning=chosen.get("warning", ""), q=chosen.get("q", "")),
                        request.GET.get("page") or 1)
    except DomainError as exc:
        context["error"], status = exc.message, exc.status
    else:
        context["page"] = page
        context["rows"] = [{"rect": r, "about": rectify.label(r.rating),
                            "rater": rectify.masked_rater(r.rating)} for r in page.items]
    return render(request, T + "staff_list.html", context, status=status)


ACTIONS = {
    "verify": lambda user, rect, post: rectify.verify(user, rect, post.get("finding", "")),
    "reply": lambda user, rect, post: rectify.reply(user, rect, post.get("reply", "")),
    "revisit": lambda user, rect, post: rectify.record_revisit(
        user, rect, post.get("method", ""), post.get("note", ""), post.get("verdict", "")),
    "appeal": lambda user, rect, post: rectify.appeal(
        user, rect.rating, post.get("ground", ""), post.get("statement", "")),
}
DONE = {"verify": "已核实，整改开始", "reply": "已答复评价人", "revisit": "已记录回访",
        "appeal": "申诉已提交，等待监察员复核"}


def _posted(request, context: dict, act, done: str, url_name: str, pk: int):
    """A page's form action: ``act()``, then the message ``done`` and a redirect to the page
    (``url_name`` of ``pk``); a refusal puts its message and what was posted in ``context`` for
    the page to show again. Returns (the redirect or None, the page's status)."""
    context["posted"] = request.POST
    try:
        act()
    except DomainError as exc:
        context["error"] = exc.message
        return None, exc.status
    messages.success(request, done)
    return redirect(url_name, pk=pk), 200


def _act_on_rectification(action: str, user, rect, post) -> None:
    if action not in ACTIONS:
        raise ValidationError("未知的操作", code="rectification.bad_action")
    ACTIONS[action](user, rect, post)


@login_required
@require_http_methods(["GET", "POST"])
def rectification_detail(request, pk: int):
    try:
        rect = access.handled_rectification(request.user, pk)
    except DomainError as exc:
        return render(request, T + "staff_list.html", {"error": exc.message}, status=exc.status)
    context, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        done, status = _posted(
            request, context, lambda: _act_on_rectification(action, request.user, rect,
                                                            request.POST),
            DONE.get(action, ""), "evaluation_staff:rectification", rect.pk)
        if done:
            return done
        context["failed"] = action
        rect = access.handled_rectification(request.user, pk)
    rating = rect.rating
    context.update(rating_facts(request.user, rating), rect=rect,
                   warning=rectify.warning(rect),
                   appeals=list(rating.appeals.select_related("decided_by")),
                   may_appeal=(rating.is_bad and not rating.excluded
                               and not rating.appeals.filter(status=AppealStatus.PENDING).exists()),
                   grounds=Appeal.Ground.choices, methods=Rectification.RevisitMethod.choices,
                   verdicts=Rectification.Verdict.choices, S=RectificationStatus)
    return render(request, T + "staff_detail.html", context, status=status)


# --- 申诉复核 (supervisors) -----------------------------------------------------------------------


@login_required
def appeal_list(request):
    if not access.reviews_appeals(request.user):
        return render(request, T + "appeal_list.html", {"error": "您不是监察员，无权复核申诉"},
                      status=403)
    filters = AppealFilters(request.GET)
    chosen = filters.cleaned_data.get("status") if filters.is_valid() else AppealStatus.PENDING
    context, status = {"form": filters}, 200
    try:
        page = paginate(rectify.appeal_queue(request.user, status=chosen or AppealStatus.PENDING),
                        request.GET.get("page") or 1)
    except DomainError as exc:
        context["error"], status = exc.message, exc.status
    else:
        context["page"] = page
        context["rows"] = [{"appeal": a, "about": rectify.label(a.rating)} for a in page.items]
    return render(request, T + "appeal_list.html", context, status=status)


def _decide(user, appeal, post) -> None:
    outcome = post.get("outcome", "")
    if outcome not in ("upheld", "rejected"):
        raise ValidationError("请选择申诉是否成立", code="appeal.bad_outcome")
    rectify.decide_appeal(user, appeal, outcome == "upheld", post.get("decision", ""))


@login_required
@require_http_methods(["GET", "POST"])
def appeal_decide(request, pk: int):
    try:
        appeal = access.reviewable_appeal(request.user, pk)
    except DomainError as exc:
        return render(request, T + "appeal_list.html", {"error": exc.message}, status=exc.status)
    context, status = {}, 200
    if request.method == "POST":
        done, status = _posted(request, context, lambda: _decide(request.user, appeal, request.POST),
                               "复核意见已保存", "evaluation_staff:appeal", appeal.pk)
        if done:
            return done
        appeal.refresh_from_db()
    context.update(rating_facts(request.user, appeal.rating), appeal=appeal)
    return render(request, T + "appeal_decide.html", context, status=status)


# --- the rater ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rater_view(request, pk: int):
    try:
        rect = access.rater_rectification(request.user, pk)
    except DomainError as exc:
        return render(request, T + "rater.html", {"error": exc.message}, status=exc.status)
    context, status = {}, 200
    if request.method == "POST":
        done, status = _posted(
            request, context, lambda: rectify.confirm(request.user, rect,
                                                      request.POST.get("verdict", "")),
            "感谢您对整改结果的评价", "evaluation:rectification", rect.pk)
        if done:
            return done
        rect = access.rater_rectification(request.user, pk)
    context.update(rect=rect, rating=rect.rating, about=rectify.label(rect.rating),
                   reasons=[r.name for r in rect.rating.reasons.all()],
                   awaits_verdict=rectify.awaits_verdict(rect) and not rect.rating.excluded,
                   verdicts=Rectification.Verdict.choices)
    return render(request, T + "rater.html", context, status=status)
