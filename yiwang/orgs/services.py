"""Departments and the permission check shared by every service."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q

from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.common.identifiers import validate_uscc
from yiwang.regions.models import Region

from .models import Department, Membership, RegionMembership, RegionRole, Role


@transaction.atomic
def create_department(*, name: str, uscc: str, code: str, region: Region, **extra) -> Department:
    uscc = validate_uscc(uscc)
    if not re.fullmatch(r"[0-9]{2}", code or ""):
        raise ValidationError("部门编码应为2位数字", code="department.code_format")
    if not (name or "").strip():
        raise ValidationError("请填写部门名称", code="department.name_required")
    if Department.objects.filter(uscc=uscc).exists():
        raise Conflict(f"统一社会信用代码“{uscc}”已被其他部门使用", code="department.duplicate_uscc")
    if Department.objects.filter(region=region, code=code).exists():
        raise Conflict(f"{region.name}已有部门编码为“{code}”的部门", code="department.duplicate_code")
    return Department.objects.create(name=name.strip(), uscc=uscc, code=code, region=region,
                                     **extra)


def has_role(user, department: Department, *roles: str) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, department=department, role__in=roles).exists()


def require_role(user, department: Department, *roles: str) -> None:
    """Raise PermissionDenied unless ``user`` holds one of ``roles`` in ``department``."""
    if not has_role(user, department, *roles):
        names = "、".join(Role(r).label for r in roles)
        raise PermissionDenied(
            f"您不是{department.name}的{names}，无权执行此操作", code="permission.role_required"
        )


def departments_for(user, *roles: str):
    """Departments in which ``user`` holds one of ``roles`` (all departments for a superuser)."""
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def administered_departments(user):
    """Departments whose staff ``user`` may manage: as 部门管理员 of the department, or as
    区域管理员 of its region or a region above it (every department for a superuser)."""
    if user.is_superuser:
        return Department.objects.all()
    regions = Q(pk__in=[])
    for region in scope_regions(user, RegionRole.REGION_ADMIN):
        regions |= Q(region__path__startswith=region.path)
    return Department.objects.filter(
        Q(memberships__user=user, memberships__role=Role.DEPARTMENT_ADMIN) | regions).distinct()


def grant_role(user, department: Department, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, department=department, role=role)
    return membership


def grant_region_role(user, region: Region, role: str) -> RegionMembership:
    membership, _ = RegionMembership.objects.get_or_create(user=user, region=region, role=role)
    return membership


def is_staff_member(user) -> bool:
    """Holds any department, region or service-hall role (``hall.HallMember``: a hall's own
    staff belong to no department), or is a system administrator: such a user must pass the
    second factor before any staff page (统一身份认证, staff log-in)."""
    if not user or not user.is_authenticated:
        return False
    return (user.is_superuser or user.is_staff or user.memberships.exists()
            or user.region_memberships.exists() or user.hall_memberships.exists())


def scope_regions(user, *roles: str) -> list[Region]:
    """The regions over which ``user`` holds one of the region ``roles``."""
    return [m.region for m in RegionMembership.objects.filter(user=user, role__in=roles)
            .select_related("region")]
