"""Pages of 曝光纠错: the public column (/jiucuo/: the reports and their published outcome, a
report's page, the form anyone may use) and the editors' tasks in the workbench
(/workbench/error-reports/). Every step is a service call (``services.error_reports``); a report
the staff member may not handle does not exist for them (404), a step their role does not allow
is 403 with the reason."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.accounts.views import client_ip
from yiwang.catalog import services as catalog
from yiwang.common.errors import DomainError, ValidationError
from yiwang.common.identifiers import mask_phone
from yiwang.common.pagination import paginate
from yiwang.orgs.models import Department

from . import error_report_access as access
from .models import ErrorReportKind, ErrorReportStatus
from .services import error_reports as reports

T = "complaints/error_reports/"


def _paged(request, queryset, context: dict) -> int:
    """Puts the requested page of ``queryset`` in ``context`` (a bad page number is the page's
    error, not a 500); returns the page's status."""
    try:
        context["page"] = page = paginate(queryset, request.GET.get("page") or 1)
    except DomainError as exc:
        context["error"] = exc.message
        return exc.status
    context["rows"] = [_public_row(r) for r in page.items]
    return 200


# --- the public column -------------------------------------------------------------------------


def _public_row(report) -> dict:
    return {"report": report, "about": reports.item_name(report),
            "reporter": reports.reporter_label(report),
            "overdue": reports.is_overdue(report)}


def column(request):
    status = request.GET.get("status", "")
    context = {"statuses": ErrorReportStatus.choices, "status": status}
    code = _paged(request, reports.public_reports(status=status), context)
    return render(request, T + "column.html", context, status=code)


def detail(request, number: str):
    try:
        report = reports.public_report(number)
    except DomainError as exc:
        return render(request, T + "detail.html", {"error": exc.message}, status=exc.status)
    return render(request, T + "detail.html", {"row": _public_row(report), "report": report})


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="问题类型", choices=ErrorReportKind.choices,
                             widget=forms.RadioSelect)
    item = forms.CharField(required=False, widget=forms.HiddenInput)
    url = forms.CharField(label="页面地址（选填）", required=False, max_length=500,
                          widget=forms.TextInput(attrs={"placeholder": "https://…",
                                                        "inputmode": "url"}))
    description = forms.CharField(label="问题描述", max_length=2000, widget=forms.Textarea(
        attrs={"rows": 5, "placeholder": "哪里有误、哪个链接打不开，或您办事时遇到的问题"}))
    contact_phone = forms.CharField(label="联系电话（选填，处理结果将以短信告知）", required=False,
                                    max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "tel",
                                                                  "autocomplete": "tel"}))


def _item(code: str):
    """The item named in the form (its code), or None; an unknown code is the form's error."""
    return catalog.get_item_by_code(code) if code else None


@require_http_methods(["GET", "POST"])
def new(request):
    posted = request.method == "POST"
    context, status = {}, 200
    try:
        item = _item(((request.POST if posted else request.GET).get("item") or "").strip())
    except DomainError as exc:
        item, context["error"], status = None, exc.message, exc.status
    form = ReportForm(request.POST if posted else None,
                      initial={"item": item.handling_code if item else ""})
    if posted and "error" not in context:
        if not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            try:
                reports.throttle(client_ip(request))
                report = reports.report_error(
                    request.user if request.user.is_authenticated else None, kind=data["kind"],
                    item=item, url=data["url"], description=data["description"],
                    contact_phone=data["contact_phone"])
            except DomainError as exc:
                context["error"], status = exc.message, exc.status
            else:
                messages.success(request, f"感谢您的纠错，编号{report.number}。我们将于"
                                          f"{report.due_on:%Y-%m-%d}前处理，结果在本栏目公示。")
                return redirect(reports.public_url(report))
    version = item.published_version if item else None
    context.update(form=form, item=item, item_name=version.name if version else "")
    return render(request, T + "new.html", context, status=status)


# --- the workbench -----------------------------------------------------------------------------


class QueueFilters(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "编号、事项名称或问题描述"}))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *reports.STAFF_FILTERS.items()])


@login_required
def staff_list(request):
    if not access.handles_reports(request.user):
        return render(request, T + "staff_list.html",
                      {"error": "只有事项编辑和区域管理员可以处理曝光纠错"}, status=403)
    filters = QueueFilters(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    context = {"form": filters}
    code = _paged(request, reports.staff_queue(request.user, status=chosen.get("status", ""),
                                               q=chosen.get("q", "")), context)
    return render(request, T + "staff_list.html", context, status=code)


def _start(user, report, post):
    version = reports.start_correction(user, report, item_code=post.get("item_code", ""))
    if version.is_editable:
        return redirect("workbench:version-edit", pk=version.pk), (
            f"已开始纠正：请修改第{version.number}版草稿并提交审核，发布后纠错自动办结")
    return redirect("workbench:version-detail", pk=version.pk), (
        f"第{version.number}版正在审核中，发布后纠错自动办结")


def _reject(user, report, post):
    reports.reject_report(user, report, post.get("reason", ""))
    return None, "已不予采纳，理由将在纠错栏目公示"


def _assign(user, report, post):
    chosen = post.get("department") or ""
    department = Department.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if department is None:
        raise ValidationError("请选择责任部门", code="error_report.department_required")
    reports.assign_department(user, report, department)
    return None, f"已指定{department.name}处理"


ACTIONS = {"start": _start, "reject": _reject, "assign": _assign}


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk: int):
    try:
        report = access.staff_report(request.user, pk)
    except DomainError as exc:
        return render(request, T + "staff_list.html", {"error": exc.message}, status=exc.status)
    context, status = {}, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in ACTIONS:
                raise ValidationError("未知的操作", code="error_report.bad_action")
            target, done = ACTIONS[action](request.user, report, request.POST)
        except DomainError as exc:
            context.update(error=exc.message, failed=action, posted=request.POST)
            status = exc.status
            report = access.staff_report(request.user, pk)
        else:
            messages.success(request, done)
            return target or redirect("error_reports_staff:detail", pk=report.pk)
    may_correct = access.can_correct(request.user, report)
    context.update(
        row=_public_row(report), report=report, may_correct=may_correct,
        may_reject=access.can_reject(request.user, report),
        reporter_name=reports.reporter_label(report, masked=not may_correct),
        phone=(report.contact_phone if may_correct else mask_phone(report.contact_phone)),
        # A report about an item belongs to the item's department: only the others are routed.
        departments=(_assignable(request.user) if report.status == ErrorReportStatus.SUBMITTED
                     and report.item_id is None else []),
        S=ErrorReportStatus)
    return render(request, T + "staff_detail.html", context, status=status)


def _assignable(user) -> list:
    """The departments a region administrator may hand a report to (none for others)."""
    if user.is_superuser:
        return list(Department.objects.select_related("region"))
    regions = Q(pk__in=[])
    for region in access.admin_regions(user):
        regions |= Q(region__path__startswith=region.path)
    return list(Department.objects.filter(regions).select_related("region"))
