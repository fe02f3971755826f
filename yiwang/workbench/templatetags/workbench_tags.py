"""Show guide values to staff the way the guide reads: choice labels instead of stored codes,
是/否 for flags, one line per process step, fee, form field or channel."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist

from yiwang.accounts.models import AssuranceLevel
from yiwang.cases.access import CASE_ROLES
from yiwang.catalog.formdef import FIELD_TYPES
from yiwang.catalog.guide import CHANNELS, DIFF_FIELDS, field_label
from yiwang.catalog.models import (
    Audience,
    HandlingKind,
    Material,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    RetentionPeriod,
    VersionStatus,
)
from yiwang.exchange.selectors import maintains_registries
from yiwang.licences.selectors import STAFF_ROLES as LICENCE_STAFF_ROLES
from yiwang.orgs.models import RegionRole, Role

register = template.Library()

CHOICES = {
    "audience": Audience, "handling_kind": HandlingKind, "online_depth": OnlineDepth,
    "min_assurance_level": AssuranceLevel,
    "necessity": Necessity, "form": MaterialForm, "source": MaterialSource,
    "retention_period": RetentionPeriod,
}
DAYS = {"legal_time_limit", "promised_time_limit"}


def _label(enum, value: Any) -> str:
    labels = {str(c.value): str(c.label) for c in enum}
    return labels.get(str(value), str(value))


def _form_field_line(f: dict) -> str:
    extras = [f.get("name", ""), FIELD_TYPES.get(f.get("type"), str(f.get("type"))),
              "必填" if f.get("required") else "选填"]
    if f.get("options"):
        extras.append("选项：" + "、".join(map(str, f["options"])))
    if f.get("max_length"):
        extras.append(f"最多{f['max_length']}字")
    if f.get("pattern"):
        extras.append(f"规则 {f['pattern']}")
    return f"{f.get('label', '')}（{'，'.join(extras)}）"


def _lines(field: str, rows: list) -> list[str]:
    if field == "channels":
        return [CHANNELS.get(c, str(c)) for c in rows]
    if field == "process_steps":
        return [f"{i}. {s.get('name', '')}" + (f"：{s['description']}" if s.get("description") else "")
                for i, s in enumerate(rows, start=1)]
    if field == "fees":
        return [f"{f.get('name', '')} {f.get('amount', '')}元"
                + (f"（{f['basis']}）" if f.get("basis") else "") for f in rows]
    if field == "form_definition":
        return [_form_field_line(f) for f in rows]
    if field == "materials":
        return [m.get("name", "") for m in rows]
    if field == "faqs":
        return [f"问：{f.get('question', '')} 答：{f.get('answer', '')}" for f in rows]
    return [str(r) for r in rows]


@register.filter
def guide_value(value: Any, field: str) -> str:
    """A guide or material value as text; lists become one line each (use with linebreaksbr)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "\n".join(_lines(field, value)) if value else "（无）"
    if value in (None, ""):
        return "（未填写）"
    if field in CHOICES:
        return _label(CHOICES[field], value)
    if field in DAYS:
        return f"{value}个工作日"
    return str(value)


@register.filter
def element_label(field: str) -> str:
    """The Chinese name of a guide element, or of a material element."""
    try:
        return field_label(field)
    except FieldDoesNotExist:
        return str(Material._meta.get_field(field).verbose_name)


@register.filter
def changed_elements(changes: dict) -> str:
    # In guide order: PostgreSQL's jsonb does not keep the keys in the order they were written.
    return "、".join(element_label(name) for name in DIFF_FIELDS if name in (changes or {}))


@register.simple_tag
def staff_roles(user) -> dict[str, bool]:
    """Which staff functions the user has somewhere, to show only the links they can use: two
    queries for every page of the workbench, and a third for the staff of no department window
    or region administration: which service-hall roles they hold (政务大厅, a hall's 差评整改)."""
    if user.is_superuser:
        return dict.fromkeys(("editor", "reviewer", "window_clerk", "supervisor", "staff_admin",
                              "cases", "licences", "registries", "archives", "hall",
                              "rectifications", "hotline_operator", "hotline_handler"), True)
    roles = set(user.memberships.values_list("role", flat=True))
    region_roles = set(user.region_memberships.values_list("role", flat=True))
    region_admin = RegionRole.REGION_ADMIN in region_roles
    handles_ratings = bool(roles & {Role.EVALUATION, Role.DEPARTMENT_ADMIN})
    # The service-hall roles, read only for staff of no department window or region
    # administration (a 窗口人员 who also manages a hall finds its 差评整改 by the URL).
    hall_roles = (set() if region_admin or Role.WINDOW_CLERK in roles
                  else set(user.hall_memberships.values_list("role", flat=True)))
    return {"editor": Role.CATALOG_EDITOR in roles, "reviewer": Role.CATALOG_REVIEWER in roles,
            "window_clerk": Role.WINDOW_CLERK in roles,
            "supervisor": RegionRole.SUPERVISOR in region_roles,
            "staff_admin": Role.DEPARTMENT_ADMIN in roles or region_admin,
            "cases": bool(roles & set(CASE_ROLES)),
            "licences": bool(roles & set(LICENCE_STAFF_ROLES)),
            "archives": Role.ARCHIVIST in roles or RegionRole.ARCHIVIST in region_roles,
            "hall": Role.WINDOW_CLERK in roles or region_admin or bool(hall_roles),
            # 差评整改: a department's 好差评管理员 or 部门管理员, a hall's manager.
            "rectifications": handles_ratings or region_admin or "manager" in hall_roles,
            # 12345: the hotline's console and queues; a department's 12345 inbox.
            "hotline_operator": bool(region_roles & {RegionRole.HOTLINE_OPERATOR,
                                                     RegionRole.HOTLINE_ADMIN}),
            "hotline_handler": Role.HOTLINE in roles,
            # A third query, only for 部门管理员: whether one of their departments provides a registry.
            "registries": Role.DEPARTMENT_ADMIN in roles and maintains_registries(user)}


@register.filter
def status_label(status: str) -> str:
    return _label(VersionStatus, status)
