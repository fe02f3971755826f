"""12345 pages of the workbench (namespace ``hotline``, under /workbench/hotline/, behind the staff
second factor): the operator console, the hotline's queues, a request's page with the actions the
user's role allows, and a department's inbox.

A request the user may not see does not exist for them (404); an action their role does not allow
is refused by the service (403) and shown on the page. Every action is one service call; a
refusal comes back on the page with what was typed."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.common.errors import DomainError, NotFound, PermissionDenied, ValidationError
from yiwang.common.pagination import paginate
from yiwang.orgs.models import Department
from yiwang.orgs.services import scope_regions
from yiwang.regions.models import Region, RegionLevel

from .. import access, selectors
from ..forms import ConsoleForm
from ..models import (
    OPEN_REQUEST_STATUSES,
    Assignment,
    AssignmentStatus,
    HotlineRequest,
    RequestChannel,
    RequestKind,
    RequestStatus,
    Revisit,
    Satisfaction,
)
from ..services import requests as hotline

T = "complaints/hotline/"
PAGE_SIZE = 20
QUEUES = selectors.QUEUES


def staff_page(view):
    """A workbench page: signed in (the second factor is the middleware's), a DomainError shown
    in the workbench's frame with its status."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, T + "error.html", {"error": exc}, status=exc.status)

    return wrapper


def require_operates(user) -> None:
    if not access.operates(user):
        raise PermissionDenied("您不是12345话务员或热线管理员", code="complaint.forbidden")


def masked(hotline_request: HotlineRequest) -> dict:
    """The requester as a list shows them."""
    name, phone = selectors.masked_requester(hotline_request)
    return {"name": name, "phone": phone}


def operated_regions(user):
    """The regions the console may register a call in: the user's regions and those below, down
    to the counties."""
    regions = Region.objects.filter(level__lte=RegionLevel.COUNTY).order_by("code")
    if user.is_superuser:
        return regions
    scope = Q(pk__in=[])
    for region in scope_regions(user, *access.OPERATOR_ROLES):
        scope |= Q(path__startswith=region.path)
    return regions.filter(scope)


def dispatchable(user):
    """The departments the user may dispatch to: those of the regions they operate."""
    return Department.objects.filter(access.regions_q(user)).select_related("region").order_by(
        "region__code", "name")


def tabs(user) -> list[tuple[str, str, int]]:
    """The queues with how many requests each holds now (退单待仲裁 for the 热线管理员 only)."""
    counts = selectors.queue_counts(user)
    return [(name, label, counts[name]) for name, label in QUEUES.items()
            if name != selectors.TO_ARBITRATE or access.arbitrates(user)]


def _next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# --- the operator console ---------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def console(request):
    """登记来电: the form an agent fills while the caller speaks; after saving, the number, the
    suggested department and the buttons to dispatch or to answer a 咨询 at once."""
    require_operates(request.user)
    regions, departments = operated_regions(request.user), dispatchable(request.user)
    saved, status = None, 200
    if request.method == "POST":
        form = ConsoleForm(request.POST, regions=regions, departments=departments)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created, _token = hotline.submit_request(
                    request.user, kind=data["kind"], title=data["title"],
                    content=data["content"], channel=RequestChannel.PHONE, region=data["region"],
                    requester_name=data["requester_name"],
                    requester_phone=data["requester_phone"], case=data["case_number"],
                    item=data["item"], about_department=data["about_department"],
                    address=data["address"])
            except DomainError as exc:
                form.show(exc)
                status = exc.status
            else:
                return redirect(f"{reverse('hotline:console')}?saved={created.number}")
        else:
            status = 400
    else:
        form = ConsoleForm(regions=regions, departments=departments,
                           initial={"region": regions.first(), "kind": RequestKind.COMPLAINT})
        number = request.GET.get("saved", "")
        if number:
            saved = handled_request(request.user, number)
    context = {"form": form, "saved": saved, "queues": tabs(request.user)}
    if saved is not None:
        context.update(_dispatch_context(request.user, saved))
    return render(request, T + "console.html", context, status=status)


def _dispatch_context(user, hotline_request: HotlineRequest) -> dict:
    suggested, rule = hotline.suggest_department(hotline_request)
    return {"suggested": suggested, "rule": rule, "departments": dispatchable(user),
            "may_dispatch": hotline_request.status == RequestStatus.REGISTERED
            and access.can_operate(user, hotline_request.region)}


# --- queues ----------------------------------------------------------------------------------


@staff_page
def queue(request, name: str):
    """待派单, 退单待仲裁, 待回访 and 超期 of the user's regions, searchable, a page at a time."""
    require_operates(request.user)
    if name not in QUEUES:
        raise NotFound("没有这个队列", code="complaint.no_queue")
    q = request.GET.get("q", "").strip()[:50]
    page = paginate(selectors.queue(request.user, name, q=q), request.GET.get("page"), PAGE_SIZE)
    rows = [{"r": r, "open": r.status in OPEN_REQUEST_STATUSES, **masked(r)} for r in page.items]
    return render(request, T + "queue.html", {"queues": tabs(request.user), "name": name,
                                              "title": QUEUES[name],
                                              "q": q, "page": page, "rows": rows})


@staff_page
def inbox(request):
    """The assignments of the user's departments: open ones first, searchable."""
    if not access.handles(request.user):
        raise PermissionDenied("您不是部门的12345承办员", code="complaint.forbidden")
    q = request.GET.get("q", "").strip()[:50]
    show = request.GET.get("show", "open")
    page = paginate(selectors.inbox(request.user, q=q, status="open" if show != "all" else ""),
                    request.GET.get("page"), PAGE_SIZE)
    rows = [{"a": a, "r": a.request, "open": a.status in hotline.OPEN_ASSIGNMENT,
             **masked(a.request)} for a in page.items]
    return render(request, T + "inbox.html", {"q": q, "show": show, "page": page, "rows": rows})


# --- one request -------------------------------------------------------------------------------


def _department(pk: str, departments) -> Department:
    """The department chosen in a form, among ``departments`` (those the form offers; whether a
    sub-unit is below is the service's rule)."""
    found = departments.filter(pk=pk).first() if pk.isdigit() else None
    if found is None:
        raise ValidationError("请选择承办部门", code="complaint.department_required")
    return found


def _returned(hotline_request: HotlineRequest) -> Assignment:
    found = hotline_request.assignments.filter(status=AssignmentStatus.RETURNED,
                                               parent__isnull=True).first()
    if found is None:
        raise ValidationError("该诉求没有待仲裁的退单", code="complaint.not_returned")
    return found


def _merge(user, hotline_request, post) -> None:
    parent = access.visible_request(user, post.get("parent", "").strip())
    hotline.merge(user, hotline_request, parent, note=post.get("note", ""))


def _arbitrate(user, hotline_request, post) -> None:
    upheld = post.get("upheld", "")
    if upheld not in ("yes", "no"):
        raise ValidationError("请选择退单是否成立", code="complaint.upheld_required")
    target = post.get("redispatch_to", "")
    hotline.arbitrate(user, _returned(hotline_request), upheld=upheld == "yes",
                      note=post.get("note", ""),
                      redispatch_to=(_department(target, dispatchable(user))
                                     if upheld == "yes" and target else None))


# What each form of the request page does, and what it says when done.
REQUEST_ACTIONS = {
    "dispatch": (lambda user, r, post: hotline.dispatch(
        user, r, _department(post.get("department", ""), dispatchable(user)),
        instructions=post.get("instructions", "")), "已派单"),
    "answer_at_once": (lambda user, r, post: hotline.answer_at_once(
        user, r, post.get("answer", "")), "已直接答复"),
    "arbitrate": (_arbitrate, "仲裁意见已保存"),
    "merge": (_merge, "已合并"),
    "revisit": (lambda user, r, post: hotline.record_revisit(
        user, r, method=post.get("method", ""), satisfaction=post.get("satisfaction", ""),
        note=post.get("note", "")), "回访已记录"),
    "reopen": (lambda user, r, post: hotline.reopen(user, r, reason=post.get("reason", "")),
               "已重新交办"),
}
ASSIGNMENT_ACTIONS = {
    "accept": (lambda user, a, post: hotline.accept(user, a), "已签收"),
    "return": (lambda user, a, post: hotline.return_assignment(user, a, post.get("reason", "")),
               "已退单，等待热线仲裁"),
    "subdispatch": (lambda user, a, post: hotline.subdispatch(
        user, a, _department(post.get("department", ""), Department.objects),
        instructions=post.get("instructions", "")), "已派至下级单位"),
    "answer": (lambda user, a, post: hotline.answer(user, a, post.get("answer", "")), "已答复"),
}


def _act(request, actions: dict, target, done_url: str, show_again):
    """Run the posted action on ``target``: its message and a redirect, or the page again with
    the refusal and what was posted."""
    action = request.POST.get("action", "")
    if action not in actions:
        return show_again(ValidationError("未知的操作", code="complaint.bad_action"), action)
    act, done = actions[action]
    try:
        act(request.user, target, request.POST)
    except DomainError as exc:
        return show_again(exc, action)
    messages.success(request, done)
    return redirect(_next(request, done_url))


@staff_page
@require_http_methods(["GET", "POST"])
def request_detail(request, number: str):
    """Everything about one request, and the forms of what the user may do with it."""
    found = handled_request(request.user, number)
    url = reverse("hotline:request", args=[found.number])
    if request.method == "POST":
        return _act(request, REQUEST_ACTIONS, found, url,
                    lambda exc, action: _detail(request, found.number, error=exc, failed=action))
    return _detail(request, found.number)


@staff_page
@require_POST
def assignment_action(request, pk: int):
    """签收, 退单, 二级派单 or 答复 of one of the user's departments' assignments."""
    assignment = access.handled_assignment(request.user, pk)
    url = reverse("hotline:request", args=[assignment.request.number])
    return _act(request, ASSIGNMENT_ACTIONS, assignment, url,
                lambda exc, action: _detail(request, assignment.request.number, error=exc,
                                            failed=action, failed_assignment=assignment.pk))


def _subunits(assignment: Assignment):
    """The departments below the assignment's, for 二级派单."""
    region = assignment.department.region
    return Department.objects.filter(region__path__startswith=region.path).exclude(
        region=region).select_related("region").order_by("region__code", "name")


def handled_request(user, number: str) -> HotlineRequest:
    """A request as the workbench shows it: to the hotline of its region and to the departments
    it was assigned to; for anyone else (its requester too, who has the portal's page) it does
    not exist."""
    found = access.visible_request(user, number)
    if not (access.can_operate(user, found.region) or found.assignments.filter(
            department__in=access.handled_departments(user).values("pk")).exists()):
        raise NotFound("诉求工单不存在或您无权查看", code="complaint.not_found")
    return found


def _detail(request, number: str, *, error=None, failed="", failed_assignment=None):
    user = request.user
    found = handled_request(user, number)
    assignments = list(found.assignments.select_related(
        "department", "parent", "dispatched_by", "accepted_by", "returned_by", "arbitrated_by",
        "answered_by"))
    operator = access.can_operate(user, found.region)
    mine = [a for a in assignments if a.status in hotline.OPEN_ASSIGNMENT
            and access.can_handle(user, a.department)]
    returned = next((a for a in assignments if a.status == AssignmentStatus.RETURNED
                     and a.parent_id is None), None)
    context = {
        "r": found, "assignments": assignments, "operator": operator,
        "arbitrator": access.can_arbitrate(user, found.region),
        "returned": returned,
        "mine": [{"a": a, "subunits": _subunits(a)} for a in mine],
        "events": found.events.select_related("department", "actor"),
        "revisits": found.revisits.select_related("by"),
        "attachments": found.attachments.all(),
        "duplicates": found.duplicates.all(),
        "error": error, "failed": failed, "failed_assignment": failed_assignment,
        "posted": request.POST if error else {},
        "S": RequestStatus, "methods": Revisit.Method.choices,
        "satisfactions": Satisfaction.choices,
        "may_revisit": operator and found.status == RequestStatus.ANSWERED and not found.anonymous,
        "may_reopen": operator and found.status in (RequestStatus.ANSWERED, RequestStatus.CLOSED)
        and found.department_id is not None,
        "may_merge": operator and found.status in (RequestStatus.REGISTERED,
                                                   RequestStatus.DISPATCHED,
                                                   RequestStatus.ARBITRATION),
    }
    if operator:
        context.update(_dispatch_context(user, found))
    return render(request, T + "request.html", context, status=error.status if error else 200)
