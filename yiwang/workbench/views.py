"""Staff pages: the item list, the guide editor and the review flow.

Each view parses the request, finds the object among the items of the user's departments (any
other item is "not found") and calls one catalogue service. The services decide what is allowed;
a refusal comes back as a message on the page with the service's status code (403, 409, 400).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiwang.cases import queues
from yiwang.catalog import selectors, services
from yiwang.catalog.guide import compare_guides, guide_to_dict
from yiwang.catalog.models import GuideVersion, ServiceItem, VersionStatus
from yiwang.common.errors import DomainError, NotFound
from yiwang.common.pagination import paginate
from yiwang.orgs.models import Role
from yiwang.orgs.services import departments_for, has_role, is_staff_member

from .forms import (
    ItemCreateForm,
    ItemFilterForm,
    TopicsForm,
    apply_row_command,
    bind_guide,
    display_sections,
    empty_guide,
    parse_guide,
)
from .templatetags.workbench_tags import staff_roles

EDITOR, REVIEWER = Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED)


def staff_required(view):
    """Signed in and catalogue editor or reviewer somewhere (or superuser); otherwise 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.staff_departments(request.user).exists():
            raise PermissionDenied("您不是任何部门的事项编辑或审核人员")
        return view(request, *args, **kwargs)

    return wrapper


def any_staff_required(view):
    """Any staff member: the home page leads each role to its own pages."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied("仅限工作人员")
        return view(request, *args, **kwargs)

    return wrapper


def staff_who(allowed, refusal: str):
    """A view decorator: staff for whom ``allowed(user)`` holds; other staff get 403 with
    ``refusal``, everyone else what ``any_staff_required`` gives them."""

    def decorator(view):
        @any_staff_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _found(lookup, *args):
    try:
        return lookup(*args)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _errors(exc: DomainError) -> list[str]:
    """Every problem of a refused guide (guide.invalid lists them all), else the one message."""
    details = exc.details if isinstance(exc.details, dict) else {}
    return list(details.get("errors") or [exc.message])


def _roles(user, department) -> dict[str, bool]:
    return {"editor": has_role(user, department, EDITOR),
            "reviewer": has_role(user, department, REVIEWER)}


@any_staff_required
def home(request):
    """Each staff member lands on what they do: case handlers on their 待办 with its counts,
    supervisors on supervision, catalogue editors and reviewers on the catalogue's figures. Only
    the sections of the user's roles are shown (and computed)."""
    roles = staff_roles(request.user)
    return render(request, "workbench/home.html", {
        "roles": roles,
        "counts": (selectors.workbench_counts(request.user)
                   if roles["editor"] or roles["reviewer"] else None),
        "departments": departments_for(request.user, *Role.values).select_related("region"),
        "region_roles": request.user.region_memberships.select_related("region"),
        "hall_members": (request.user.hall_memberships.select_related("hall")
                         if roles["hall"] else []),
        "case_counts": queues.queue_counts(request.user) if roles["cases"] else None,
    })


@staff_required
def item_list(request):
    departments = selectors.staff_departments(request.user)
    form = ItemFilterForm(request.GET, departments=departments)
    if not form.is_valid():
        return render(request, "workbench/item_list.html", {"form": form, "page": None},
                      status=400)
    filters = form.cleaned_data
    items = selectors.filter_staff_items(
        request.user, q=filters["q"], status=filters["status"], item_type=filters["item_type"],
        department_id=filters["department"].pk if filters["department"] else None)
    page = paginate(items, filters["page"] or 1)
    return render(request, "workbench/item_list.html", {"form": form, "page": page})


def _editor_post(request) -> tuple[dict[str, Any], bool]:
    """The posted guide, and whether the post only asked to add or remove a row (no-JS path)."""
    command = request.POST.get("_rows", "")
    guide = parse_guide(request.POST, keep_blank_rows=bool(command))
    if command:
        return apply_row_command(guide, command), True
    return guide, False


@staff_required
def item_create(request):
    departments = selectors.staff_departments(request.user, EDITOR)
    if not departments.exists():
        raise PermissionDenied("您不是任何部门的事项编辑")
    form = ItemCreateForm(request.POST or None, departments=departments)
    guide, errors, status = empty_guide(), [], 200
    if request.method == "POST":
        guide, row_command = _editor_post(request)
        if row_command:
            pass
        elif not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            try:
                item = services.create_item(
                    department=data["department"], item_type=data["item_type"],
                    level=data["level"], basic_code=data["basic_code"].strip() or None,
                    nationally_set=data["nationally_set"], topics=list(data["topics"]),
                    guide=guide, actor=request.user)
            except DomainError as exc:
                errors, status = _errors(exc), exc.status
            else:
                messages.success(request, f"事项已创建，业务办理项编码 {item.handling_code}")
                return redirect("workbench:item-detail", pk=item.pk)
    return render(request, "workbench/item_form.html", {
        "form": form, "sections": bind_guide(guide), "errors": errors,
    }, status=status)


def _with_previous(versions) -> list[GuideVersion]:
    """Newest-first versions, each knowing the id of the one before it (for “与上一版对比”)."""
    versions = list(versions)
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        newer.previous_id = older.pk if older else None
    return versions


def _render_item(request, item: ServiceItem, *, status: int = 200):
    item = selectors.staff_item(request.user, item.pk)
    roles = _roles(request.user, item.department)
    latest_status = item.latest_status
    return render(request, "workbench/item_detail.html", {
        "item": item,
        "versions": _with_previous(item.versions.select_related("created_by").order_by("-number")),
        "roles": roles,
        "can_edit_draft": roles["editor"] and latest_status == VersionStatus.DRAFT,
        "can_revise": roles["editor"] and latest_status not in OPEN_STATUSES,
        "can_withdraw": roles["reviewer"] and item.published_version_id is not None,
        "topics_form": TopicsForm(initial={"topics": item.topics.all()}),
    }, status=status)


@staff_required
def item_detail(request, pk: int):
    return _render_item(request, _found(selectors.staff_item, request.user, pk))


def _item_action(request, pk: int, run, done: str = ""):
    """Run one item-level service; on refusal show the item page with the reason. ``run`` may
    answer with its own response; otherwise the item page follows."""
    item = _found(selectors.staff_item, request.user, pk)
    try:
        result = run(item)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_item(request, item, status=exc.status)
    if done:
        messages.success(request, done)
    return result or redirect("workbench:item-detail", pk=item.pk)


@staff_required
@require_POST
def item_withdraw(request, pk: int):
    def run(item):
        services.withdraw_item(item, actor=request.user, reason=request.POST.get("reason", ""))

    return _item_action(request, pk, run, "事项已撤回，公众不再能看到它")


@staff_required
@require_POST
def item_revise(request, pk: int):
    """“编辑” on a published or withdrawn item: start (or reopen) the next draft and open it."""

    def run(item):
        version = services.start_revision(item, actor=request.user)
        if version.is_editable:
            messages.success(request, f"正在编辑第{version.number}版草稿，发布前公众仍看到原版本")
            return redirect("workbench:version-edit", pk=version.pk)
        messages.info(request, f"第{version.number}版正在审核中，审核结束前不能再修改")
        return redirect("workbench:version-detail", pk=version.pk)

    return _item_action(request, pk, run)


@staff_required
@require_POST
def item_topics(request, pk: int):
    form = TopicsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "所选的人生事件/主题无效")
        return _render_item(request, _found(selectors.staff_item, request.user, pk), status=400)

    def run(item):
        services.set_topics(item, list(form.cleaned_data["topics"]), actor=request.user)

    return _item_action(request, pk, run, "人生事件/主题已保存")


def review_actions(roles: dict[str, bool], version) -> set[str]:
    """Which buttons of the review flow to show for a version (of a guide or a 一件事) with
    ``authored_by_me`` set. Only a hint for the person: every action is checked again by its
    service, which alone decides."""
    actions = set()
    if roles["editor"] and version.status == VersionStatus.DRAFT:
        actions |= {"edit", "submit"}
    if roles["reviewer"] and version.status in (VersionStatus.SUBMITTED, VersionStatus.APPROVED):
        actions.add("reject")
        if version.status == VersionStatus.APPROVED:
            actions.add("publish")
        elif not version.authored_by_me:
            actions.add("approve")
    return actions


def action_urls(prefix: str, pk: int) -> dict[str, str]:
    """The URL of each review action of a version: ``<prefix>-edit``, ``<prefix>-submit`` …"""
    return {action: reverse(f"workbench:{prefix}-{action}", args=[pk])
            for action in ("edit", *VERSION_ACTIONS)}


def flow_steps(status: str) -> list[tuple[str, str]]:
    steps = [(s.value, s.label) for s in (VersionStatus.DRAFT, VersionStatus.SUBMITTED,
                                          VersionStatus.APPROVED, VersionStatus.PUBLISHED)]
    if status not in dict(steps):
        steps.append((status, VersionStatus(status).label))
    return steps


def _render_version(request, pk: int, *, status: int = 200):
    version = _found(selectors.staff_version, request.user, pk)
    guide = guide_to_dict(version)
    return render(request, "workbench/version_detail.html", {
        "version": version,
        "item": version.item,
        "sections": display_sections(guide),
        "materials": guide["materials"],
        "flow_steps": flow_steps(version.status),
        "actions": review_actions(_roles(request.user, version.item.department), version),
        "action_urls": action_urls("version", version.pk),
    }, status=status)


@staff_required
def version_detail(request, pk: int):
    return _render_version(request, pk)


VERSION_ACTIONS = {
    "submit": (services.submit_version, "已提交审核"),
    "approve": (services.approve_version, "审核通过，可以发布"),
    "reject": (services.reject_version, "已退回修改"),
    "publish": (services.publish_version, "已发布，公众现在看到的是这个版本"),
}


@staff_required
@require_POST
def version_action(request, pk: int, action: str):
    version = _found(selectors.staff_version, request.user, pk)
    run, done = VERSION_ACTIONS[action]
    try:
        run(version, actor=request.user, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_version(request, pk, status=exc.status)
    messages.success(request, done)
    return redirect("workbench:version-detail", pk=pk)


@staff_required
def version_edit(request, pk: int):
    version = _found(selectors.staff_version, request.user, pk)
    if not has_role(request.user, version.item.department, EDITOR):
        raise PermissionDenied("只有本部门的事项编辑可以修改办事指南")
    if not version.is_editable:
        messages.error(request, f"该版本当前状态为“{version.get_status_display()}”，只有草稿可以修改")
        return _render_version(request, pk, status=409)
    guide, errors, status = guide_to_dict(version), [], 200
    if request.method == "POST":
        guide, row_command = _editor_post(request)
        if not row_command:
            try:
                services.update_draft(version, guide, actor=request.user)
            except DomainError as exc:
                errors, status = _errors(exc), exc.status
            else:
                messages.success(request, "办事指南已保存")
                return redirect("workbench:version-detail", pk=pk)
    return render(request, "workbench/version_edit.html", {
        "version": version, "item": version.item, "sections": bind_guide(guide), "errors": errors,
    }, status=status)


@staff_required
def review_queue(request):
    if not selectors.staff_departments(request.user, REVIEWER).exists():
        raise PermissionDenied("只有事项审核人员可以查看审核队列")
    try:
        page = paginate(selectors.review_queue(request.user), request.GET.get("page", 1))
    except DomainError as exc:
        messages.error(request, exc.message)
        return render(request, "workbench/review_queue.html", {"page": None}, status=exc.status)
    return render(request, "workbench/review_queue.html", {"page": page})


@staff_required
def item_history(request, pk: int):
    item = _found(selectors.staff_item, request.user, pk)
    return render(request, "workbench/item_history.html", {
        "item": item, "versions": _with_previous(selectors.item_history(item)),
    })


@staff_required
def item_diff(request, pk: int):
    """Two versions side by side: ``b`` (by default the latest) against ``a`` (by default the
    version before ``b``)."""
    item = _found(selectors.staff_item, request.user, pk)
    versions = list(item.versions.order_by("-number"))
    new = _found(selectors.version_of_item, item, request.GET.get("b") or versions[0].pk)
    before = next((v for v in versions if v.number < new.number), new)
    old = _found(selectors.version_of_item, item, request.GET.get("a") or before.pk)
    return render(request, "workbench/item_diff.html", {
        "item": item, "versions": versions, "old": old, "new": new,
        "diff": compare_guides(guide_to_dict(old), guide_to_dict(new)),
    })
