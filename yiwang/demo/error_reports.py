"""The demo's 曝光纠错 (/jiucuo/), through the services as the public and the editors would use
them: a report on 长春市公安局's 往来港澳通行证 guide corrected by ``gaj_editor`` and published by
``gaj_reviewer`` (已纠正, the column links the corrected guide), one on its 普通护照 guide that
was not taken up (不予采纳), one on 吉林省市场监督管理厅's 企业变更登记 waiting for ``scjg_editor``,
and one about no guide at all, waiting for 长春市's 区域管理员 (``admin_changchun``) to name a
department. Loads once: nothing is added when the column already has reports."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from yiwang.accounts.models import Citizen
from yiwang.catalog import services as catalog
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import ServiceItem
from yiwang.complaints.models import ErrorReport
from yiwang.complaints.services import error_reports
from yiwang.orgs.models import Department

from .places import KIND_BY_KEY, department_uscc

POLICE = ("police", "220100")  # 长春市公安局
MARKET = ("market", "220000")  # 吉林省市场监督管理厅


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _item(department: tuple[str, str], name: str) -> ServiceItem:
    kind, region = department
    return ServiceItem.objects.get(
        department=Department.objects.get(uscc=department_uscc(region, KIND_BY_KEY[kind].code)),
        published_version__name=name)


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days, hours=2)


def _fixed() -> None:
    """王芳's report on the 港澳通行证 guide, corrected and published."""
    wang = Citizen.objects.get(name="王芳")
    item = _item(POLICE, "往来港澳通行证及签注签发")
    report = error_reports.report_error(
        wang.user, kind="wrong_guide", item=item, url=f"/items/{item.handling_code}/",
        description="指南写的办理时间是工作日，但出入境大厅周六上午也可以办理，请更新。",
        contact_phone=wang.mobile, now=_days_ago(6))
    editor, reviewer = _user("gaj_editor"), _user("gaj_reviewer")
    draft = error_reports.start_correction(editor, report)
    catalog.update_draft(draft, {**guide_to_dict(draft),
                                 "office_hours": "工作日 8:30-17:00；周六 9:00-12:00（仅受理港澳签注）"},
                         actor=editor)
    catalog.submit_version(draft, actor=editor, comment=f"根据曝光纠错{report.number}更正办理时间")
    catalog.approve_version(draft, actor=reviewer, comment="已与出入境大厅核实")
    catalog.publish_version(draft, actor=reviewer)


def _rejected() -> None:
    item = _item(POLICE, "普通护照签发")
    report = error_reports.report_error(
        None, kind="bad_experience", item=item,
        description="护照工本费120元太贵了，建议降低。", now=_days_ago(4))
    error_reports.reject_report(
        _user("gaj_editor"), report,
        "普通护照工本费执行国家发展改革委、财政部统一制定的收费标准，指南所列金额无误。"
        "您的建议已转交价格主管部门参考。")


def load_error_reports() -> None:
    """Load the demo's 曝光纠错 (see the module docstring)."""
    if ErrorReport.objects.exists():
        return
    _fixed()
    _rejected()
    item = _item(MARKET, "企业变更登记")
    error_reports.report_error(
        None, kind="dead_link", item=item, url=f"/items/{item.handling_code}/",
        description="申请材料中“公司变更登记申请书”的空白表格下载链接打不开。",
        contact_phone="13804310099", now=_days_ago(1))
    error_reports.report_error(
        None, kind="bad_experience", url="",
        description="在手机上查询办件进度时，输入办件编号后页面一直转圈，换了两个浏览器都不行。",
        now=_days_ago(2))
