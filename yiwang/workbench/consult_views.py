"""未解答的咨询: the questions the portal's consultation box could not answer, for the catalogue
editors to act on (an FAQ, an alias, a synonym) and mark handled."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.catalog import consult
from yiwang.common.errors import DomainError
from yiwang.common.forms import PageNumberField

from .views import staff_who

STATUS_CHOICES = [("open", "待处理"), ("handled", "已处理"), ("all", "全部")]

editors_only = staff_who(consult.can_see_unanswered, "只有事项编辑可以查看未解答的咨询")


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label="问题", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_CHOICES)
    page = PageNumberField()


@editors_only
def question_list(request):
    form = QuestionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    context = {"form": form, "page": None}
    status = 200 if form.is_valid() or not request.GET else 400
    if status == 200:
        try:
            context["page"] = consult.unanswered_questions(
                request.user, q=filters.get("q", ""), status=filters.get("status") or "open",
                page=filters.get("page") or 1)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
    return render(request, "workbench/consult_questions.html", context, status=status)


@editors_only
@require_POST
def question_handle(request, pk: int):
    try:
        entry = consult.mark_handled(pk, actor=request.user, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("workbench:consult-questions")
    messages.success(request, f"已将“{entry.text[:30]}”标记为已处理")
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/workbench/consult/") else "workbench:consult-questions")
