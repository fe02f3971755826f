"""曝光纠错: a public report of a wrong guide, a dead link or a bad experience, and what the item's
department does about it.

``report_error`` files it (anyone, with or without an account) and makes it a task for the
editors (事项编辑) of the item's department, due ``COMPLAINTS_ERROR_REPORT_WORKING_DAYS`` working
days later. Without an item, one is looked for in the page address when it is a guide of this
site (``/items/<code>/``, ``/m/items/<code>/``); else the report waits for a 区域管理员 to
``assign_department``. An editor either ``start_correction`` — the next draft of the item's guide
(``catalog.services.start_revision``), linked to the report, which then goes through the normal
review flow — or ``reject_report`` with a reason. When the linked version is published
(``catalog.services.guide_published``) the report is 已纠正, with an outcome naming the version.
The reporter hears of the outcome in-app (an account) and by SMS (a contact phone).

Decisions the contract left open:

- The clock restarts when a 区域管理员 assigns the report: the department's working days count
  from the day it got the task, not from the day nobody could route it.
- A report in 整改中 may still be rejected (the editor found the guide right after all); the
  draft stays, unlinked, for the editors to finish or drop.
- Several reports about one item share the item's open draft: publishing it fixes them all.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts.services import citizen_of
from yiwang.calendar.workdays import add_working_days
from yiwang.catalog import services as catalog
from yiwang.catalog.models import GuideVersion, ServiceItem
from yiwang.common import counters
from yiwang.common.errors import Conflict, DomainError, NotFound, ValidationError
from yiwang.common.identifiers import mask_name
from yiwang.common.ratelimit import refuse_over_hourly_limit
from yiwang.notify.services import notify_user, send_sms
from yiwang.orgs.models import Membership, Role
from yiwang.supervision import audit

from .. import error_report_access as access
from ..models import ErrorReport, ErrorReportKind, ErrorReportStatus, RequestCounter

Status = ErrorReportStatus
OPEN = (Status.SUBMITTED, Status.FIXING)
MAX_TEXT = 2000
MAX_URL = 500
PHONE = re.compile(r"(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})")
# A guide of this site: the portal's item page and the mobile one, by either of the item's codes.
GUIDE_PATH = re.compile(r"^/(?:m/)?items/([0-9A-Za-z]{31,33})/")


# --- filing ------------------------------------------------------------------------------------


def throttle(ip: str | None) -> None:
    """At most ``ERROR_REPORTS_PER_ADDRESS`` reports an hour from one client address (429)."""
    refuse_over_hourly_limit(f"complaints:error_report:{ip or 'unknown'}",
                             limit=settings.ERROR_REPORTS_PER_ADDRESS, code="error_report.rate_limited")


def _text(value: str, *, code: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code=code)
    if len(value) > MAX_TEXT:
        raise ValidationError(f"内容不能超过{MAX_TEXT}字", code="error_report.text_too_long")
    return value


def _own_host(host: str) -> bool:
    hosts = {urlsplit(settings.SITE_URL).hostname, *settings.ALLOWED_HOSTS}
    return host in hosts or any(h.startswith(".") and host.endswith(h) for h in hosts if h)


def item_from_url(url: str) -> ServiceItem | None:
    """The item whose guide ``url`` shows, when it is a guide page of this site."""
    parts = urlsplit(url)
    if parts.netloc and not _own_host(parts.hostname or ""):
        return None
    match = GUIDE_PATH.match(parts.path)
    if match is None:
        return None
    try:
        return catalog.get_item_by_code(match.group(1))
    except DomainError:
        return None


def due_on(start: dt.date, department) -> dt.date:
    region = department.region if department is not None else None
    return add_working_days(start, settings.COMPLAINTS_ERROR_REPORT_WORKING_DAYS, region).due_date


def editors_of(department) -> list:
    return [m.user for m in Membership.objects.filter(
        department=department, role=Role.CATALOG_EDITOR).select_related("user")]


def _tell_editors(report: ErrorReport) -> None:
    about = f"关于“{item_name(report)}”" if report.item_id else ""
    for user in editors_of(report.department):
        notify_user(user, "收到曝光纠错", f"{about}的曝光纠错{report.number}（{report.get_kind_display()}）"
                                          f"请于{report.due_on:%Y-%m-%d}前处理："
                                          f"{reverse('error_reports_staff:detail', args=[report.pk])}")


@transaction.atomic
def report_error(reporter, *, kind: str, item: ServiceItem | None = None, url: str = "",
                 description: str, contact_phone: str = "", now=None) -> ErrorReport:
    """File a report (``reporter`` None when anonymous). Raises ValidationError for a missing
    description, an unknown kind, an address or phone that is not one."""
    if kind not in ErrorReportKind.values:
        raise ValidationError("请选择问题类型", code="error_report.bad_kind")
    description = _text(description, code="error_report.description_required",
                        message="请描述您发现的问题")
    url = (url or "").strip()
    if len(url) > MAX_URL:
        raise ValidationError(f"页面地址不能超过{MAX_URL}个字符", code="error_report.url_too_long")
    if url and not (url.startswith("/") or urlsplit(url).scheme in ("http", "https")):
        raise ValidationError("页面地址应以 http:// 或 https:// 开头", code="error_report.bad_url")
    contact_phone = re.sub(r"\s", "", contact_phone or "")
    if contact_phone and not PHONE.fullmatch(contact_phone):
        raise ValidationError("联系电话应为11位手机号或带区号的固定电话",
                              code="error_report.bad_phone")
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    now = now or timezone.now()
    item = item or (item_from_url(url) if url else None)
    department = item.department if item is not None else None
    today = timezone.localdate(now)
    number = f"JC{today:%Y%m%d}{counters.next_value(RequestCounter, f'JC{today:%Y%m%d}'):04d}"
    report = ErrorReport.objects.create(
        number=number, kind=kind, item=item, url=url, description=description,
        reporter=reporter, contact_phone=contact_phone, department=department,
        created_at=now, due_on=due_on(today, department))
    audit.record("complaints.error_report.submitted", actor=reporter, subject=report,
                 summary=f"曝光纠错{number}（{report.get_kind_display()}）",
                 data={"item": item.pk if item else None,
                       "department": department.pk if department else None})
    if department is not None:
        _tell_editors(report)
    return report


# --- the department's steps --------------------------------------------------------------------


def _lock(report: ErrorReport, *allowed: str) -> ErrorReport:
    ErrorReport.objects.select_for_update().order_by().filter(pk=report.pk).values_list("pk").get()
    locked = ErrorReport.objects.select_related(
        "item__department", "item__published_version", "department__region", "reporter",
        "guide_version").get(pk=report.pk)
    if locked.status not in allowed:
        raise Conflict(f"该纠错当前状态为“{locked.get_status_display()}”，不能执行此操作",
                       code="error_report.wrong_state", details={"status": locked.status})
    return locked


@transaction.atomic
def assign_department(admin, report: ErrorReport, department, *, now=None) -> ErrorReport:
    """A 区域管理员 names the department that answers for a report; its editors are told and the
    working days count from today."""
    report = _lock(report, Status.SUBMITTED)
    access.require(access.can_route(admin, report), "只有区域管理员可以为纠错指定责任部门")
    access.require(access.can_assign(admin, department),
                   f"{department.name}不在您管理的区域内，不能指定为责任部门")
    if report.item_id and report.item.department_id != department.pk:
        raise ValidationError(f"该纠错涉及的事项由{report.item.department.name}负责",
                              code="error_report.item_of_other_department")
    previous = report.department
    report.department = department
    report.due_on = due_on(timezone.localdate(now or timezone.now()), department)
    report.save(update_fields=["department", "due_on"])
    audit.record("complaints.error_report.assigned", actor=admin, subject=report,
                 summary=f"指定责任部门：{department.name}",
                 data={"from": previous.pk if previous else None, "to": department.pk,
                       "due_on": str(report.due_on)})
    _tell_editors(report)
    return report


def _item_for(editor, report: ErrorReport, item_code: str) -> ServiceItem:
    if report.item_id:
        return report.item
    if not (item_code or "").strip():
        raise ValidationError("该纠错未关联事项，请填写要更正的事项编码",
                              code="error_report.item_required")
    item = catalog.get_item_by_code(item_code)
    if item.department_id != report.department_id:
        raise ValidationError(f"事项“{item_code}”不属于{report.department.name}",
                              code="error_report.item_of_other_department")
    return item


@transaction.atomic
def start_correction(editor, report: ErrorReport, *, item_code: str = "") -> GuideVersion:
    """开始纠正: the item's next draft (or the one already open) linked to the report, which is
    整改中 until that version is published. A report without an item needs the code of one of
    the department's items (``item_code``). Starting again returns the linked version."""
    report = _lock(report, *OPEN)
    access.require(access.can_correct(editor, report),
                   f"只有{report.department or '责任部门'}的事项编辑可以纠正")
    if report.status == Status.FIXING:
        return report.guide_version
    item = _item_for(editor, report, item_code)
    version = catalog.start_revision(item, actor=editor)
    report.item, report.guide_version, report.status = item, version, Status.FIXING
    report.handled_by = editor
    report.save(update_fields=["item", "guide_version", "status", "handled_by"])
    audit.record("complaints.error_report.fixing", actor=editor, subject=report,
                 summary=f"开始纠正：{version.name}第{version.number}版",
                 data={"version": version.pk})
    return version


@transaction.atomic
def reject_report(editor, report: ErrorReport, reason: str, *, now=None) -> ErrorReport:
    """不予采纳, with the reason shown in the column and sent to the reporter."""
    reason = _text(reason, code="error_report.reason_required", message="请说明不予采纳的理由")
    report = _lock(report, *OPEN)
    access.require(access.can_reject(editor, report), "您无权处理该纠错")
    previous = report.status
    report.status, report.outcome, report.guide_version = Status.REJECTED, reason, None
    report.handled_by, report.resolved_at = editor, now or timezone.now()
    report.save(update_fields=["status", "outcome", "guide_version", "handled_by", "resolved_at"])
    audit.record("complaints.error_report.rejected", actor=editor, subject=report,
                 summary="不予采纳", data={"from": previous})
    _tell_reporter(report, f"您提交的曝光纠错{report.number}经核实不予采纳，理由：{reason}")
    return report


def on_guide_published(sender, version: GuideVersion, actor=None, **kwargs) -> None:
    """``catalog.services.guide_published`` receiver, inside the publication's transaction: the
    reports linked to the version are 已纠正."""
    reports = list(ErrorReport.objects.select_for_update().filter(
        guide_version=version, status=Status.FIXING).order_by("pk"))
    now = timezone.now()
    for report in reports:
        report.status, report.resolved_at = Status.FIXED, now
        report.outcome = (f"已更正办事指南：{version.name}第{version.number}版已于"
                          f"{timezone.localtime(now):%Y-%m-%d}发布。")
        report.save(update_fields=["status", "resolved_at", "outcome"])
        audit.record("complaints.error_report.fixed", actor=actor, subject=report,
                     summary=report.outcome, data={"version": version.pk})
        _tell_reporter(report, f"您提交的曝光纠错{report.number}已纠正。{report.outcome}"
                               f"查看：{settings.SITE_URL}{public_url(report)}")


def _tell_reporter(report: ErrorReport, text: str) -> None:
    if report.reporter_id:
        notify_user(report.reporter, "曝光纠错处理结果", text)
    if report.contact_phone:
        send_sms(report.contact_phone, f"【一网通办】{text}", user=report.reporter)


# --- reading -----------------------------------------------------------------------------------


def public_url(report: ErrorReport) -> str:
    return reverse("error_reports:detail", args=[report.number])


def item_name(report: ErrorReport) -> str:
    item = report.item
    if item is None:
        return ""
    version = item.published_version or item.versions.order_by("-number").first()
    return version.name if version else item.handling_code


def reporter_label(report: ErrorReport, *, masked: bool = True) -> str:
    """The reporter as the column (masked) or the department (not) shows them."""
    if report.reporter_id is None:
        return "匿名"
    citizen = citizen_of(report.reporter)
    name = citizen.name if citizen else report.reporter.get_full_name() or "网友"
    return mask_name(name) if masked else name


def is_overdue(report: ErrorReport, today: dt.date | None = None) -> bool:
    return report.status in OPEN and report.due_on < (today or timezone.localdate())


def public_reports(*, status: str = "") -> QuerySet[ErrorReport]:
    reports = ErrorReport.objects.select_related("item__published_version", "department",
                                                 "guide_version", "reporter__citizen")
    return reports.filter(status=status) if status in Status.values else reports


def public_report(number: str) -> ErrorReport:
    report = public_reports().filter(number=number).first()
    if report is None:
        raise NotFound("纠错信息不存在", code="error_report.not_found")
    return report


STAFF_FILTERS = {"open": "待处理和整改中", "overdue": "已超期", "unassigned": "待指定部门",
                 **dict(Status.choices)}


def staff_queue(user, *, status: str = "", q: str = "", today: dt.date | None = None):
    """The workbench list: ``user``'s reports with the filter ``status`` (a status, or one of
    ``STAFF_FILTERS``) and the search ``q`` (number, text, item name or code), newest first."""
    reports = access.staff_reports(user).select_related(
        "item__published_version", "department", "guide_version", "reporter__citizen")
    today = today or timezone.localdate()
    if status == "open":
        reports = reports.filter(status__in=OPEN)
    elif status == "overdue":
        reports = reports.filter(status__in=OPEN, due_on__lt=today)
    elif status == "unassigned":
        reports = reports.filter(department__isnull=True, status__in=OPEN)
    elif status in Status.values:
        reports = reports.filter(status=status)
    q = (q or "").strip()
    if q:
        reports = reports.filter(Q(number__icontains=q) | Q(description__icontains=q)
                                 | Q(item__published_version__name__icontains=q)
                                 | Q(item__handling_code=q))
    return reports.order_by("-created_at", "-pk")
