"""曝光纠错 services: filing a report (number, deadline, department, the item found in a guide
address), the region administrator's assignment, the editor's correction and rejection, the
publication of the corrected guide that fixes the report, who may do what, and the rate limit."""

from __future__ import annotations

import re

import pytest

from tests.complaints.error_report_world import DUE, FILED_AT, ErrorReportWorld
from yiwang.catalog import services as catalog
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import VersionStatus
from yiwang.common.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    ValidationError,
)
from yiwang.complaints import error_report_access as access
from yiwang.complaints.models import ErrorReport, ErrorReportStatus
from yiwang.complaints.services import error_reports
from yiwang.notify.models import Message
from yiwang.supervision.models import AuditRecord

S = ErrorReportStatus


@pytest.fixture
def w(db):
    return ErrorReportWorld()


def inbox(user) -> list[str]:
    return list(Message.objects.filter(user=user, channel="inbox").values_list("body", flat=True))


def sms_to(phone: str) -> list[str]:
    return list(Message.objects.filter(channel="sms", address=phone).values_list("body", flat=True))


def kinds(report) -> list[str]:
    return list(AuditRecord.objects.filter(subject_type="complaints.errorreport",
                                           subject_id=str(report.pk)).values_list("kind", flat=True))


# --- filing --------------------------------------------------------------------------------------


def test_a_report_on_a_guide_goes_to_the_items_department_with_a_number_and_a_deadline(w):
    report = w.report(reporter=w.citizen)
    assert report.number == "JC202612070001"
    assert report.status == S.SUBMITTED
    assert report.department == w.police
    assert report.due_on == DUE
    assert report.reporter == w.citizen
    assert kinds(report) == ["complaints.error_report.submitted"]


def test_numbers_count_up_within_a_day(w):
    first, second = w.report(), w.report()
    assert (first.number, second.number) == ("JC202612070001", "JC202612070002")


def test_the_items_editors_are_told_of_a_new_report_and_nobody_else(w):
    report = w.report()
    assert any(report.number in body for body in inbox(w.editor))
    assert any(report.number in body for body in inbox(w.author))
    assert inbox(w.other_editor) == [] and inbox(w.reviewer) == []


@pytest.mark.parametrize("url", ["/items/{code}/", "/m/items/{code}/#materials",
                                 "http://127.0.0.1:8000/items/{code}/?x=1"])
def test_the_item_is_found_from_a_guide_address_of_this_site(w, url):
    report = w.report(item=None, url=url.format(code=w.item.handling_code))
    assert report.item == w.item
    assert report.department == w.police


@pytest.mark.parametrize("url", ["https://example.com/items/{code}/", "/departments/1/",
                                 "/items/000000000000000000000000000000000/"])
def test_another_site_or_page_or_an_unknown_code_leaves_the_report_for_the_region_admin(w, url):
    report = w.report(item=None, url=url.format(code=w.item.handling_code))
    assert report.item is None and report.department is None
    assert report.status == S.SUBMITTED


def test_an_anonymous_report_without_a_phone_is_accepted(w):
    report = w.report(reporter=None, phone="")
    assert report.reporter is None and report.contact_phone == ""


@pytest.mark.parametrize(("values", "code"), [
    ({"kind": "praise"}, "error_report.bad_kind"),
    ({"description": "   "}, "error_report.description_required"),
    ({"description": "长" * 2001}, "error_report.text_too_long"),
    ({"phone": "12345"}, "error_report.bad_phone"),
    ({"url": "javascript:alert(1)"}, "error_report.bad_url"),
    ({"url": "/" + "a" * 500}, "error_report.url_too_long"),
])
def test_a_report_that_is_not_one_is_refused(w, values, code):
    with pytest.raises(ValidationError) as refused:
        w.report(**values)
    assert refused.value.code == code
    assert not ErrorReport.objects.exists()


def test_submissions_from_one_address_are_limited(w, settings):
    settings.ERROR_REPORTS_PER_ADDRESS = 2
    error_reports.throttle("10.0.0.1")
    error_reports.throttle("10.0.0.1")
    with pytest.raises(TooManyRequests) as refused:
        error_reports.throttle("10.0.0.1")
    assert refused.value.code == "error_report.rate_limited" and refused.value.status == 429
    error_reports.throttle("10.0.0.2")  # another address has its own count


# --- the region administrator ----------------------------------------------------------------------


def test_the_region_admin_assigns_a_report_without_an_item_and_its_editors_are_told(w):
    report = w.report(item=None)
    report = error_reports.assign_department(w.region_admin, report, w.market, now=FILED_AT)
    assert report.department == w.market
    assert report.due_on == DUE
    assert any(report.number in body for body in inbox(w.other_editor))
    assert "complaints.error_report.assigned" in kinds(report)


@pytest.mark.parametrize("who", ["other_admin", "editor", "citizen"])
def test_only_a_region_admin_over_the_department_may_assign(w, who):
    report = w.report(item=None)
    with pytest.raises(PermissionDenied) as refused:
        error_reports.assign_department(getattr(w, who), report, w.market)
    assert refused.value.code == "error_report.forbidden"


def test_a_region_admin_rejects_an_unassigned_report_which_no_editor_may_touch(w):
    report = w.report(item=None)
    for who in (w.editor, w.other_editor):
        with pytest.raises(PermissionDenied):
            error_reports.reject_report(who, report, "与政务服务无关")
    report = error_reports.reject_report(w.other_admin, report, "与政务服务无关")
    assert report.status == S.REJECTED and report.handled_by == w.other_admin


def test_once_assigned_only_an_admin_over_the_department_may_reassign_it(w):
    report = error_reports.assign_department(w.region_admin, w.report(item=None), w.market)
    with pytest.raises(PermissionDenied):
        error_reports.assign_department(w.other_admin, report, w.police)
    report = error_reports.assign_department(w.region_admin, report, w.police)
    assert report.department == w.police


def test_a_report_about_an_item_cannot_be_given_to_another_department(w):
    with pytest.raises(ValidationError) as refused:
        error_reports.assign_department(w.region_admin, w.report(), w.market)
    assert refused.value.code == "error_report.item_of_other_department"


# --- the editors -----------------------------------------------------------------------------------


def test_starting_the_correction_opens_the_next_draft_linked_to_the_report(w):
    report = w.report()
    version = error_reports.start_correction(w.editor, report)
    report.refresh_from_db()
    assert (version.number, version.status) == (2, VersionStatus.DRAFT)
    assert report.status == S.FIXING and report.guide_version == version
    assert report.handled_by == w.editor
    assert error_reports.start_correction(w.editor, report) == version  # again: the same draft


@pytest.mark.parametrize("who", ["other_editor", "reviewer", "region_admin", "citizen"])
def test_only_an_editor_of_the_items_department_may_correct(w, who):
    report = w.report()
    with pytest.raises(PermissionDenied) as refused:
        error_reports.start_correction(getattr(w, who), report)
    assert refused.value.code == "error_report.forbidden"
    report.refresh_from_db()
    assert report.status == S.SUBMITTED and w.item.versions.count() == 1


def test_a_report_without_an_item_is_corrected_on_an_item_the_editor_names(w):
    report = error_reports.assign_department(w.region_admin, w.report(item=None), w.police)
    with pytest.raises(ValidationError) as refused:
        error_reports.start_correction(w.editor, report)
    assert refused.value.code == "error_report.item_required"
    with pytest.raises(ValidationError) as refused:
        error_reports.start_correction(w.editor, report, item_code=w.market_item.handling_code)
    assert refused.value.code == "error_report.item_of_other_department"
    version = error_reports.start_correction(w.editor, report, item_code=w.item.handling_code)
    report.refresh_from_db()
    assert report.item == w.item and report.guide_version == version


def test_rejecting_needs_a_reason_and_tells_the_reporter(w):
    report = w.report(reporter=w.citizen)
    with pytest.raises(ValidationError) as refused:
        error_reports.reject_report(w.editor, report, "  ")
    assert refused.value.code == "error_report.reason_required"
    report = error_reports.reject_report(w.editor, report, "经核实，指南所列时限与法定时限一致")
    assert report.status == S.REJECTED and report.resolved_at is not None
    assert report.outcome == "经核实，指南所列时限与法定时限一致"
    assert any("不予采纳" in body for body in inbox(w.citizen))
    assert any(report.number in body for body in sms_to("13904310002"))


def test_another_departments_editor_may_not_reject(w):
    with pytest.raises(PermissionDenied):
        error_reports.reject_report(w.other_editor, w.report(), "不是我们的")


def test_a_report_under_correction_may_still_be_rejected_and_its_draft_is_unlinked(w):
    report = w.report()
    version = error_reports.start_correction(w.editor, report)
    report = error_reports.reject_report(w.editor, report, "指南无误")
    assert report.guide_version is None
    w.publish(version)
    report.refresh_from_db()
    assert report.status == S.REJECTED


def test_a_closed_report_takes_no_further_step(w):
    report = error_reports.reject_report(w.editor, w.report(), "指南无误")
    for step in (lambda: error_reports.start_correction(w.editor, report),
                 lambda: error_reports.reject_report(w.editor, report, "再次"),
                 lambda: error_reports.assign_department(w.region_admin, report, w.police)):
        with pytest.raises(Conflict) as refused:
            step()
        assert refused.value.code == "error_report.wrong_state"


# --- publication -----------------------------------------------------------------------------------


def test_publishing_the_corrected_guide_fixes_the_report_and_tells_the_reporter(w):
    report = w.report(reporter=w.citizen)
    version = error_reports.start_correction(w.editor, report)
    catalog.update_draft(version, {**guide_to_dict(version), "promised_time_limit": 10},
                         actor=w.editor)
    catalog.submit_version(version, actor=w.editor)
    catalog.approve_version(version, actor=w.reviewer)
    report.refresh_from_db()
    assert report.status == S.FIXING  # approved is not published
    catalog.publish_version(version, actor=w.reviewer)
    report.refresh_from_db()
    assert report.status == S.FIXED and report.resolved_at is not None
    assert re.search(r"居民身份证换领第2版已于\d{4}-\d{2}-\d{2}发布", report.outcome)
    assert any("已纠正" in body for body in inbox(w.citizen))
    assert any(f"/jiucuo/{report.number}/" in body for body in sms_to("13904310002"))
    assert kinds(report)[-1] == "complaints.error_report.fixed"
    w.item.refresh_from_db()
    assert w.item.published_version.promised_time_limit == 10


def test_reports_sharing_the_draft_are_all_fixed_and_others_are_untouched(w):
    first, second, waiting = w.report(), w.report(), w.report()
    version = error_reports.start_correction(w.editor, first)
    assert error_reports.start_correction(w.editor, second) == version
    w.publish(version)
    statuses = dict(ErrorReport.objects.values_list("pk", "status"))
    assert statuses == {first.pk: S.FIXED, second.pk: S.FIXED, waiting.pk: S.SUBMITTED}


def test_a_publication_that_fails_fixes_nothing(w):
    report = w.report()
    version = error_reports.start_correction(w.editor, report)
    catalog.submit_version(version, actor=w.editor)
    with pytest.raises(Conflict):
        catalog.publish_version(version, actor=w.reviewer)  # not approved yet
    report.refresh_from_db()
    assert report.status == S.FIXING


# --- who sees what ---------------------------------------------------------------------------------


def test_the_workbench_shows_each_editor_their_departments_reports_and_admins_the_unassigned(w):
    police, unassigned = w.report(), w.report(item=None)
    market = w.report(item=w.market_item)
    seen = {name: set(access.staff_reports(getattr(w, name)).values_list("pk", flat=True))
            for name in ("editor", "other_editor", "reviewer", "region_admin", "other_admin",
                         "citizen")}
    assert seen == {"editor": {police.pk}, "other_editor": {market.pk}, "reviewer": set(),
                    "region_admin": {police.pk, unassigned.pk, market.pk},
                    "other_admin": {unassigned.pk}, "citizen": set()}
    with pytest.raises(NotFound):
        access.staff_report(w.other_editor, police.pk)


def test_overdue_reports_are_flagged_until_they_are_closed(w):
    report = w.report()
    assert not error_reports.is_overdue(report, DUE)
    assert error_reports.is_overdue(report, DUE.replace(day=15))
    overdue = error_reports.staff_queue(w.editor, status="overdue", today=DUE.replace(day=15))
    assert list(overdue) == [report]
    error_reports.reject_report(w.editor, report, "指南无误")
    report.refresh_from_db()
    assert not error_reports.is_overdue(report, DUE.replace(day=15))
