"""Staff case API: the task queue, claiming, and every handling step from 受理 to 送达, 承诺核查 and
撤销, plus the review workflow of an item. Mounted under /api/staff/, where the middleware asks
for the second factor. A case of another department does not exist for a clerk (404); an action
their role does not allow is 403; a step the case's state does not allow is 409. Each operation
calls one service and answers with the updated case."""

from __future__ import annotations

from typing import Literal

from django.http import FileResponse
from ninja import Query, Router, Schema
from ninja.security import django_auth

from yiwang.catalog.models import ServiceItem
from yiwang.common.errors import NotFound, PermissionDenied
from yiwang.common.pagination import paginate
from yiwang.common.schemas import Id, PageNumber, PageSize, file_answer

from . import access, queues, services, uploads
from .models import TaskKind
from .schemas import (
    AcceptIn,
    CommitmentCheckIn,
    CorrectionIn,
    DecideIn,
    DeliverIn,
    NoteIn,
    ReasonIn,
    ReviewIn,
    SpecialEndIn,
    SpecialIn,
    StaffCaseDetail,
    StepOut,
    TaskOut,
    TaskPage,
    WorkflowIn,
    staff_case_detail,
    task_out,
)

router = Router(tags=["办件办理（工作人员）"], auth=django_auth)

class TaskFilters(Schema):
    tab: Literal["all", "open", "mine"] = "all"
    kind: TaskKind | None = None
    department: Id | None = None
    warning: Literal["red", "yellow"] | None = None
    q: str = ""
    page: PageNumber = 1
    page_size: PageSize = 20


@router.get("/cases/tasks", response=TaskPage,
            summary="我的待办（超期和即将到期的排在最前；tab=open 待认领，tab=mine 我认领的）")
def task_queue(request, filters: Query[TaskFilters]):
    # The workbench's queue, so that the page and the API list, filter and count alike.
    tasks = queues.queue(request.user, tab=filters.tab, kind=filters.kind or "",
                                 department=filters.department, warning=filters.warning or "",
                                 q=filters.q)
    page = paginate(tasks.select_related("case__region"), filters.page, filters.page_size)
    counts = queues.queue_counts(request.user)
    counts["kinds"] = [{"kind": kind, "label": label, "count": n} for kind, label, n in counts["kinds"]]
    return {**page.as_json(task_out), "counts": counts}


def _task_answer(request, task) -> dict:
    return task_out(access.staff_task(request.user, task.pk))


@router.post("/cases/tasks/{task_id}/claim", response=TaskOut, summary="认领任务")
def claim_task(request, task_id: Id):
    return _task_answer(request, services.claim(access.staff_task(request.user, task_id), request.user))


@router.post("/cases/tasks/{task_id}/release", response=TaskOut, summary="释放任务")
def release_task(request, task_id: Id):
    return _task_answer(request, services.release(access.staff_task(request.user, task_id),
                                                  request.user))


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _case(request, case_id: int):
    return access.staff_case(request.user, case_id)


def _answer(request, case_id: int) -> dict:
    """The case after an action, personal data masked: only the audited read reveals it."""
    return staff_case_detail(_case(request, case_id), reveal=False)


def _case_task(request, case_id: int, task_id: int):
    case = _case(request, case_id)
    task = access.staff_task(request.user, task_id)
    if task.case_id != case.pk:
        raise NotFound("任务不存在或您无权查看", code="task.not_found")
    return task


@router.get("/cases/{case_id}", response=StaffCaseDetail, summary="办件详情（查看申请人信息，留痕）")
def staff_case_view(request, case_id: Id):
    return staff_case_detail(services.view_case(request.user, case_id, ip=_ip(request)), reveal=True)


@router.get("/cases/{case_id}/files/{file_id}", summary="下载申请材料（留痕）",
            openapi_extra=file_answer("申请材料文件", uploads.ALLOWED.values()))
def download_case_file(request, case_id: Id, file_id: Id):
    case_file = services.open_file(request.user, case_id, file_id, ip=_ip(request))
    return FileResponse(case_file.file.open("rb"), as_attachment=True,
                        filename=case_file.original_name, content_type=case_file.content_type)


@router.post("/cases/{case_id}/accept", response=StaffCaseDetail,
             summary="受理（可容缺受理、即办件当场办结）")
def accept_case(request, case_id: Id, payload: AcceptIn):
    services.accept(_case(request, case_id), request.user, tolerated=payload.tolerated,
                    tolerated_until=payload.tolerated_until, decide_now=payload.decide_now,
                    reason=payload.reason)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/not-accept", response=StaffCaseDetail, summary="不予受理（须说明理由）")
def not_accept_case(request, case_id: Id, payload: ReasonIn):
    services.not_accept(_case(request, case_id), request.user, payload.reason)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/corrections", response=StaffCaseDetail, summary="一次性告知补正")
def request_case_correction(request, case_id: Id, payload: CorrectionIn):
    services.request_correction(_case(request, case_id), request.user,
                                [d.dict() for d in payload.defects], payload.note)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/tasks/{task_id}/review", response=StaffCaseDetail,
             summary="提交本部门审查意见")
def review_case_task(request, case_id: Id, task_id: Id, payload: ReviewIn):
    services.complete_review(_case_task(request, case_id, task_id), request.user,
                             approve=payload.approve, opinion=payload.opinion)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/special", response=StaffCaseDetail, summary="启动特别程序（暂停计时）")
def start_case_special(request, case_id: Id, payload: SpecialIn):
    services.start_special(_case(request, case_id), request.user, kind=payload.kind,
                           reason=payload.reason, expected_days=payload.expected_days)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/special/end", response=StaffCaseDetail, summary="结束特别程序")
def end_case_special(request, case_id: Id, payload: SpecialEndIn):
    services.end_special(_case(request, case_id), request.user, payload.result)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/decide", response=StaffCaseDetail, summary="作出决定（通过/不通过）")
def decide_case(request, case_id: Id, payload: DecideIn):
    services.decide(_case(request, case_id), request.user, outcome=payload.outcome,
                    reason=payload.reason)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/certify", response=StaffCaseDetail, summary="制证")
def certify_case(request, case_id: Id, payload: NoteIn):
    services.certify(_case(request, case_id), request.user, payload.note)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/deliver", response=StaffCaseDetail, summary="送达")
def deliver_case(request, case_id: Id, payload: DeliverIn):
    services.deliver(_case(request, case_id), request.user, method=payload.method, note=payload.note)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/tasks/{task_id}/verify", response=StaffCaseDetail,
             summary="承诺核查")
def verify_case_commitment(request, case_id: Id, task_id: Id, payload: CommitmentCheckIn):
    services.verify_commitment(_case_task(request, case_id, task_id), request.user,
                               confirmed=payload.confirmed, note=payload.note)
    return _answer(request, case_id)


@router.post("/cases/{case_id}/revoke", response=StaffCaseDetail, summary="撤销（监察员）")
def revoke_case(request, case_id: Id, payload: ReasonIn):
    services.revoke(_case(request, case_id), request.user, payload.reason)
    return _answer(request, case_id)


# --- 流程定义 ------------------------------------------------------------------------------------


def _item(item_id: int) -> ServiceItem:
    item = ServiceItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound("事项不存在", code="item.not_found")
    return item


def _steps(steps) -> list[dict]:
    return [{"id": s.pk, "stage": s.stage, "name": s.name, "department_id": s.department_id,
             "department": s.department.name} for s in steps]


@router.get("/catalog-workflows/{item_id}", response=list[StepOut], summary="事项的审批流程")
def item_workflow(request, item_id: Id):
    item = _item(item_id)
    # The same people who may change the workflow read it; set_workflow checks it again itself.
    if not services.can_edit_workflow(request.user, item):
        raise PermissionDenied("只有该事项实施部门的部门管理员或区域管理员可以查看审批流程",
                               code="permission.role_required")
    return _steps(services.workflow_of(item))


@router.put("/catalog-workflows/{item_id}", response=list[StepOut], summary="修改事项的审批流程")
def set_item_workflow(request, item_id: Id, payload: WorkflowIn):
    item = _item(item_id)
    services.set_workflow(item, [s.dict() for s in payload.steps], actor=request.user)
    return _steps(services.workflow_of(item))
