"""流程定义: which departments review an item, in which stages. Administrators edit it as data;
a change applies to cases accepted afterwards (cases under way keep the tasks they have)."""

from __future__ import annotations

from django.db import transaction

from yiwang.catalog.models import ServiceItem
from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.orgs.models import Department
from yiwang.orgs.services import administered_departments

from ..models import WorkflowStep

MAX_STEPS = 20


def can_edit_workflow(user, item: ServiceItem) -> bool:
    return administered_departments(user).filter(pk=item.department_id).exists()


def workflow_of(item: ServiceItem) -> list[WorkflowStep]:
    return list(item.workflow_steps.select_related("department"))


@transaction.atomic
def set_workflow(item: ServiceItem, steps: list[dict], *, actor) -> list[WorkflowStep]:
    """Replace the item's steps: ``[{"stage": 1, "name": "食品安全审查", "department": <id>}, …]``.
    Stages must be numbered 1, 2, … without gaps; one department appears once per stage."""
    from yiwang.supervision import audit

    if not can_edit_workflow(actor, item):
        raise PermissionDenied("只有该事项实施部门的部门管理员或区域管理员可以修改审批流程",
                               code="permission.role_required")
    if not isinstance(steps, list) or len(steps) > MAX_STEPS:
        raise ValidationError(f"审批环节应为不超过{MAX_STEPS}项的列表", code="workflow.invalid")
    errors, cleaned, seen = [], [], set()
    ids = [int(s["department"]) for s in steps
           if isinstance(s, dict) and str(s.get("department", "")).isdigit()]
    departments = Department.objects.in_bulk(ids)
    for index, step in enumerate(steps, start=1):
        where = f"第{index}个环节"
        if not isinstance(step, dict):
            errors.append(f"{where}格式不正确")
            continue
        try:
            stage = int(step.get("stage"))
        except (TypeError, ValueError):
            errors.append(f"{where}的阶段应为正整数")
            continue
        name = str(step.get("name") or "").strip()
        raw = str(step.get("department", ""))
        department = departments.get(int(raw)) if raw.isdigit() else None
        if not name or len(name) > 60:
            errors.append(f"{where}的名称应为1到60个字符")
        if department is None:
            errors.append(f"{where}的办理部门不存在")
        elif (stage, department.pk) in seen:
            errors.append(f"{where}：同一阶段中{department.name}重复")
        else:
            seen.add((stage, department.pk))
        cleaned.append((stage, name, department))
    stages = sorted({s for s, _, _ in cleaned})
    if stages and stages != list(range(1, len(stages) + 1)):
        errors.append("阶段应从1开始连续编号")
    if errors:
        raise ValidationError("；".join(errors), code="workflow.invalid", details={"errors": errors})
    item.workflow_steps.all().delete()
    created = [WorkflowStep.objects.create(item=item, stage=s, name=n, department=d)
               for s, n, d in cleaned]
    audit.record("workflow.changed", actor=actor, subject=item,
                 summary=f"修改事项{item.implementation_code}的审批流程",
                 data={"steps": [{"stage": s, "name": n, "department": d.name} for s, n, d in cleaned]})
    return created
