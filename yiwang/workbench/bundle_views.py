"""一件事 definitions in the workbench: list, create, edit a draft, and the review flow
(submit → approve by someone else → publish), with revisions and 停用.

As for items: a bundle exists for a user only if one of its versions is led by a department
where they are catalogue staff (anything else is "not found"); every action is one service
call of ``yiwang.cases.services``, which alone decides what is allowed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.cases import services
from yiwang.cases.models import Bundle, BundleVersion
from yiwang.catalog import selectors
from yiwang.catalog.models import VersionStatus
from yiwang.catalog.review import authors_of
from yiwang.common.errors import DomainError
from yiwang.orgs.models import Role
from yiwang.orgs.services import has_role

from .bundle_forms import BundleForm
from .forms import TopicsForm
from .views import EDITOR, _errors, _roles, action_urls, flow_steps, review_actions, staff_required


def _staff_bundles(user):
    return (Bundle.objects.filter(versions__lead_department__in=selectors.staff_departments(user))
            .distinct().select_related("published_version"))


def _bundle(user, pk: int) -> Bundle:
    bundle = _staff_bundles(user).filter(pk=pk).first()
    if bundle is None:
        raise Http404("一件事不存在或不属于您所在的部门")
    return bundle


def _version(user, pk: int) -> BundleVersion:
    version = (BundleVersion.objects.select_related("bundle", "lead_department", "created_by")
               .filter(pk=pk, bundle__in=_staff_bundles(user)).first())
    if version is None:
        raise Http404("一件事版本不存在或不属于您所在的部门")
    version.authored_by_me = user.pk in authors_of(version)
    return version


@staff_required
def bundle_list(request):
    bundles = list(_staff_bundles(request.user).prefetch_related("versions"))
    for bundle in bundles:
        bundle.latest = max(bundle.versions.all(), key=lambda v: v.number)
    return render(request, "workbench/bundles/list.html", {
        "bundles": bundles,
        "can_create": selectors.staff_departments(request.user, EDITOR).exists()})


def _editor_departments(user):
    return selectors.staff_departments(user, Role.CATALOG_EDITOR).select_related("region")


@staff_required
def bundle_create(request):
    departments = _editor_departments(request.user)
    if not departments.exists():
        raise PermissionDenied("只有事项编辑可以新建一件事")
    form = BundleForm(request.POST or None, departments=departments)
    return _save_form(request, form, lambda: services.create_bundle(
        slug=form.cleaned_data["slug"], actor=request.user, definition=form.definition(),
        topics=list(form.cleaned_data["topics"])).pk,
        "一件事已创建（草稿），提交审核并发布后市民即可申请", {"creating": True})


def _save_form(request, form: BundleForm, save, done: str, context: dict):
    """The form page, or on a valid POST ``save()`` (which returns the bundle's id) and back to
    the bundle; a refusal of the service lists its problems on the form."""
    errors, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                pk = save()
            except DomainError as exc:
                errors, status = _errors(exc), exc.status
            else:
                messages.success(request, done)
                return redirect("workbench:bundle-detail", pk=pk)
    return render(request, "workbench/bundles/form.html",
                  {"form": form, "errors": errors, **context}, status=status)


def _render_detail(request, bundle: Bundle, *, status: int = 200):
    versions = list(bundle.versions.select_related("lead_department", "created_by")
                    .prefetch_related("entries__item__published_version", "events__actor"))
    version = _version(request.user, versions[0].pk)
    merged = None
    if all(e.item.published_version_id for e in versions[0].entries.all()):
        merged = services.merged_form(version)
    roles = _roles(request.user, version.lead_department)
    return render(request, "workbench/bundles/detail.html", {
        "bundle": bundle, "version": version, "versions": versions, "merged": merged,
        "entries": versions[0].entries.all(), "bundle_roles": roles,
        "flow_steps": flow_steps(version.status), "actions": review_actions(roles, version),
        "action_urls": action_urls("bundle-version", version.pk),
        "topics_form": TopicsForm(initial={"topics": bundle.topics.all()}),
        "can_revise": roles["editor"] and version.status in (
            VersionStatus.PUBLISHED, VersionStatus.WITHDRAWN),
    }, status=status)


@staff_required
def bundle_detail(request, pk: int):
    return _render_detail(request, _bundle(request.user, pk))


def _bundle_action(request, pk: int, run, done: str):
    bundle = _bundle(request.user, pk)
    try:
        run(bundle)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_detail(request, bundle, status=exc.status)
    messages.success(request, done)
    return redirect("workbench:bundle-detail", pk=pk)


@staff_required
@require_POST
def bundle_revise(request, pk: int):
    return _bundle_action(request, pk, lambda bundle: services.start_bundle_revision(
        bundle, actor=request.user), "已建立新的草稿版本")


@staff_required
@require_POST
def bundle_withdraw(request, pk: int):
    return _bundle_action(request, pk, lambda bundle: services.withdraw_bundle(
        bundle, actor=request.user, reason=request.POST.get("reason", "")), "一件事已停用")


@staff_required
@require_POST
def bundle_topics(request, pk: int):
    form = TopicsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "所选的人生事件/主题无效")
        return _render_detail(request, _bundle(request.user, pk), status=400)
    return _bundle_action(request, pk, lambda bundle: services.set_bundle_topics(
        bundle, list(form.cleaned_data["topics"]), actor=request.user), "人生事件/主题已保存")


BUNDLE_VERSION_ACTIONS = {
    "submit": (services.submit_bundle_version, "已提交审核"),
    "approve": (services.approve_bundle_version, "审核通过，可以发布"),
    "reject": (services.reject_bundle_version, "已退回修改"),
    "publish": (services.publish_bundle_version, "已发布，市民现在可以申请这个版本"),
}


@staff_required
@require_POST
def bundle_version_action(request, pk: int, action: str):
    version = _version(request.user, pk)
    run, done = BUNDLE_VERSION_ACTIONS[action]
    return _bundle_action(request, version.bundle_id, lambda bundle: run(
        version, actor=request.user, comment=request.POST.get("comment", "")), done)


@staff_required
def bundle_version_edit(request, pk: int):
    version = _version(request.user, pk)
    if not has_role(request.user, version.lead_department, EDITOR):
        raise PermissionDenied("只有牵头部门的事项编辑可以修改一件事")
    if not version.is_editable:
        messages.error(request, f"该版本当前状态为“{version.get_status_display()}”，只有草稿可以修改")
        return _render_detail(request, version.bundle, status=409)
    departments = _editor_departments(request.user)
    initial = BundleForm.initial_of(services.BundleDefinition.of(version))
    form = BundleForm(request.POST or None, initial=initial, departments=departments, creating=False)
    return _save_form(request, form, lambda: services.update_bundle_draft(
        version, form.definition(), actor=request.user).bundle_id,
        "一件事草稿已保存", {"creating": False, "version": version})
