"""电子档案 pages, mounted under /workbench/archives/ so that the staff second factor guards them:
the list, a package's page (manifest, 四性检测, download, 销毁审批) and the disposal records.

Each view parses the request, finds the package among those the archivist may see (any other is
"not found") and calls one service; a refusal comes back as a message with the service's status."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from yiwang.common.errors import DomainError, NotFound
from yiwang.common.pagination import paginate

from . import access, selectors, services
from .forms import ArchiveFilterForm, DisposalForm


def archivist_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_archivist(request.user):
            raise PermissionDenied("仅限档案员和档案管理员")
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None

    return wrapper


@archivist_required
@require_GET
def package_list(request):
    form = ArchiveFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "archives/list.html", {"form": form, "page": None}, status=400)
    filters = form.cleaned_data
    packages = selectors.search_packages(request.user, q=filters["q"], retention=filters["retention"],
                                         year=filters["year"])
    return render(request, "archives/list.html",
                  {"form": form, "page": paginate(packages, filters["page"] or 1)})


def _detail(request, pk, *, form=None, status=200):
    package = access.package_for(request.user, pk)
    return render(request, "archives/detail.html", {
        "package": package, "view": selectors.package_view(package),
        "check": package.latest_check, "check_count": package.checks.count(),
        "approvals": list(package.approvals.all()),
        "approved_by_me": package.approvals.filter(approver=request.user).exists(),
        "form": form or DisposalForm(),
    }, status=status)


@archivist_required
@require_GET
def package_detail(request, pk: int):
    return _detail(request, pk)


@archivist_required
@require_GET
def package_download(request, pk: int):
    package, data = services.open_package_file(request.user, pk, ip=request.META.get("REMOTE_ADDR"))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package.number}.zip"'
    return response


@archivist_required
@require_POST
def package_recheck(request, pk: int):
    check = services.recheck(request.user, pk)
    if check.passed:
        messages.success(request, "四性检测已完成：通过")
    else:
        messages.error(request, "四性检测已完成：未通过，请查看检测报告")
    return redirect("archives:detail", pk=pk)


@archivist_required
@require_POST
def package_dispose(request, pk: int):
    form = DisposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写销毁意见（不超过500字）")
        return _detail(request, pk, form=form, status=400)
    try:
        record = services.approve_disposal(request.user, pk, reason=form.cleaned_data["reason"])
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, pk, form=form, status=exc.status)
    if record is None:
        messages.success(request, "已审批销毁，还需另一位档案人员审批后才会销毁")
        return redirect("archives:detail", pk=pk)
    messages.success(request, f"档案{record.number}已销毁，销毁记录已保存")
    return redirect("archives:disposals")


@archivist_required
@require_GET
def disposal_list(request):
    form = ArchiveFilterForm(request.GET)
    page = form.cleaned_data["page"] if form.is_valid() else None
    records = access.visible_disposals(request.user).select_related("department")
    return render(request, "archives/disposals.html", {"page": paginate(records, page or 1)})
