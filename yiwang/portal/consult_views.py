"""智能咨询 pages: the question box's page (PC and mobile) and the answer it shows in place.

Without JavaScript the box's form is an ordinary GET to the page, which comes back with the
answer; with htmx only the answer fragment is fetched and swapped in."""

from __future__ import annotations

from django.shortcuts import render

from yiwang.accounts.views import client_ip
from yiwang.catalog import consult
from yiwang.common.errors import DomainError

from .search_region import chosen_region

EXAMPLES = ["身份证丢了怎么办", "注册公司需要实缴注册资本吗", "社保卡办好以后多久能拿到"]


def consult_page(request, mobile: bool = False):
    question = request.GET.get("q")
    context = {"q": question or "", "examples": EXAMPLES, "mobile": mobile}
    status = 200
    if question is not None:
        try:
            consult.throttle(client_ip(request))
            context["answer"] = consult.answer(question, region=chosen_region(request))
        except DomainError as exc:
            context["error"], status = exc, exc.status
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers: the fragment carries the error message in place, while
        # the page itself (without JavaScript) and the API answer with the error's status.
        return render(request, "portal/_consult_answer.html", context)
    template = "portal/mobile/consult.html" if mobile else "portal/consult.html"
    return render(request, template, context, status=status)
