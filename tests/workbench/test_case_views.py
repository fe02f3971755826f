"""The workbench case pages: the queue, the case page and each of its actions, the printable
notices, the supervisors' list and the workflow editor — through the pages, as staff use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cases.factories import PDF
from tests.factories import staff
from tests.workbench.case_states import Desk
from yiwang.cases import services
from yiwang.cases.models import Case, CaseFile, CaseTask, Correction, Status, TaskKind, TaskStatus
from yiwang.catalog.models import GuideVersion
from yiwang.common.identifiers import mask_id
from yiwang.orgs.models import Role
from yiwang.supervision.models import AuditRecord


@pytest.fixture
def world(db):
    return Desk()


@pytest.fixture
def as_user(client):
    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login


def text(response) -> str:
    return response.content.decode()


def page(response) -> str:
    assert response.status_code == 200, text(response)[:2000]
    return text(response)


def _due(case, days):
    Case.objects.filter(pk=case.pk).update(due_date=None if days is None else
                                           timezone.localdate() + dt.timedelta(days=days))


# --- the queue -------------------------------------------------------------------------------------


def test_queue_puts_overdue_and_near_due_first_and_counts_them(world, as_user):
    later, none, overdue, today = (world.accepted() for _ in range(4))
    _due(later, 30), _due(none, None), _due(overdue, -3), _due(today, 0)
    body = page(as_user(world.examiner).get("/workbench/cases/"))
    positions = [body.index(c.number) for c in (overdue, today, later, none)]
    assert positions == sorted(positions)
    assert mask_id(overdue.applicant_id_number) in body and overdue.applicant_id_number not in body
    assert "食品安全审查" in body and "吉林省市场监督管理局" in body and "（已超期）" in body

    counts = as_user(world.examiner).get("/workbench/cases/").context["counts"]
    assert (counts["red"], counts["yellow"], counts["open"], counts["mine"]) == (1, 1, 4, 0)
    assert ("review", "审查", 4) in counts["kinds"]


def test_queue_filters_by_tab_kind_warning_and_search(world, as_user):
    overdue, other = world.accepted(), world.accepted()
    _due(overdue, -1)
    services.claim(world.task(other, TaskKind.REVIEW, world.market), world.examiner)
    client = as_user(world.examiner)

    def numbers(query):
        return {t.case.number for t in client.get(f"/workbench/cases/?{query}").context["page"].items}

    assert numbers("tab=mine") == {other.number}
    assert numbers("tab=open") == {overdue.number}
    assert numbers("warning=red") == {overdue.number}
    assert numbers("kind=decide") == set()
    # The date and sequence: the last six digits alone can also occur inside the 实施编码 (the
    # department's USCC comes from a factory sequence), which made this test depend on test order.
    assert numbers(f"q={other.number[-14:]}") == {other.number}
    assert numbers("q=食品经营") == {overdue.number, other.number}
    assert client.get("/workbench/cases/?warning=purple").status_code == 400


def test_queue_query_count_does_not_grow_with_rows(world, as_user, django_assert_max_num_queries):
    client = as_user(world.acceptor)
    world.submitted()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/workbench/cases/").status_code == 200
        return len(queries)

    one = count()
    for _ in range(5):
        world.submitted()
    with django_assert_max_num_queries(one):
        client.get("/workbench/cases/")
    assert one <= 16


def test_claim_and_release_through_the_queue(world, as_user):
    case = world.submitted()
    task = world.task(case, TaskKind.ACCEPT)
    client = as_user(world.acceptor)
    body = page(client.post(f"/workbench/cases/tasks/{task.pk}/claim/", follow=True))
    assert "已认领" in body and "释放" in body
    task.refresh_from_db()
    assert task.status == TaskStatus.CLAIMED and task.assignee == world.acceptor
    assert "已释放回待认领" in page(client.post(f"/workbench/cases/tasks/{task.pk}/release/", follow=True))
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.assignee is None


def test_second_clerk_claiming_the_same_task_is_told_who_holds_it(world, as_user):
    task = world.task(world.submitted(), TaskKind.ACCEPT)
    world.acceptor.first_name = "李明"
    world.acceptor.save()
    as_user(world.acceptor).post(f"/workbench/cases/tasks/{task.pk}/claim/")
    second = staff(world.market, Role.ACCEPTOR, username="acceptor2")
    response = as_user(second).post(f"/workbench/cases/tasks/{task.pk}/claim/")
    assert response.status_code == 409
    assert "该任务已由李明认领，请先由其释放" in text(response)
    task.refresh_from_db()
    assert task.assignee == world.acceptor


def test_bulk_claim_claims_the_open_tasks_and_lists_the_refused(world, as_user):
    first, second, taken = (world.task(world.submitted(), TaskKind.ACCEPT) for _ in range(3))
    services.claim(taken, staff(world.market, Role.ACCEPTOR, username="acceptor2"))
    body = page(as_user(world.acceptor).post("/workbench/cases/claim/", {
        "task": [first.pk, second.pk, taken.pk]}, follow=True))
    assert "已认领2项任务" in body and "1项未能认领" in body and taken.case.number in body
    assert CaseTask.objects.filter(assignee=world.acceptor).count() == 2


def test_staff_without_a_case_role_is_refused(world, as_user):
    case = world.submitted()
    client = as_user(world.market_editor)
    assert client.get("/workbench/cases/").status_code == 403
    assert client.get(f"/workbench/cases/{case.pk}/").status_code == 403
    assert "办件待办" not in page(client.get("/workbench/"))


def test_home_shows_case_counts_to_case_staff(world, as_user):
    world.submitted()
    response = as_user(world.acceptor).get("/workbench/")
    assert "办件待办" in page(response) and response.context["case_counts"]["open"] == 1


def test_case_handlers_land_on_their_tasks_without_catalogue_counters(world, as_user):
    world.submitted()
    response = as_user(world.acceptor).get("/workbench/")
    html = page(response)
    assert response.context["counts"] is None and "我的草稿" not in html and "已发布事项" not in html
    assert html.index("办件待办") < html.index("进入待办") and "吉林省市场监督管理局" in html
    assert "现场核验</a>" in html  # the acceptor is a 窗口人员 too


def test_supervisors_land_on_supervision_and_editors_on_the_catalogue(world, as_user):
    supervision = page(as_user(world.supervisor).get("/workbench/"))
    assert "办件监督</a>" in supervision and "办件待办" not in supervision
    assert "（监察员）" in supervision
    assert "我的草稿" not in supervision
    catalogue = page(as_user(world.market_editor).get("/workbench/"))
    assert "我的草稿" in catalogue and "新建事项</a>" in catalogue and "办件待办" not in catalogue


# --- the case page ---------------------------------------------------------------------------------


def test_case_page_shows_everything_and_audits_the_view(world, as_user):
    case = world.accepted()
    Case.objects.filter(pk=case.pk).update(deadline_provisional=True)
    body = page(as_user(world.health_examiner).get(f"/workbench/cases/{case.pk}/"))
    assert case.applicant_id_number in body  # in full: this view is audited
    assert "店铺名称" in body and "净月潭小吃店" in body
    assert "营业执照.pdf" in body and "卫生审查" in body and "吉林省卫生健康委员会" in body
    assert "（暂定）" in body and "自次日起计算10个工作日" in body
    assert AuditRecord.objects.filter(kind="case.personal_data_viewed", subject_id=str(case.pk),
                                      actor_id=world.health_examiner.pk).exists()


def test_another_departments_case_and_files_are_not_found(world, as_user):
    case = world.submitted()
    client = as_user(world.outsider)
    assert client.get(f"/workbench/cases/{case.pk}/").status_code == 404
    assert client.get(f"/workbench/cases/{case.pk}/files/{case.files.first().pk}/").status_code == 404
    assert not AuditRecord.objects.filter(kind="case.file_downloaded").exists()


def test_a_material_downloads_as_an_attachment_and_the_download_is_audited(world, as_user):
    case = world.submitted()
    old, current = case.files.all()[:2]
    CaseFile.objects.filter(pk=old.pk).update(superseded=True)
    client = as_user(world.acceptor)
    assert "已替换" in page(client.get(f"/workbench/cases/{case.pk}/"))
    response = client.get(f"/workbench/cases/{case.pk}/files/{current.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditRecord.objects.filter(kind="case.file_downloaded", subject_id=str(case.pk),
                                      actor_id=world.acceptor.pk, data__file=current.pk).exists()
    assert client.get(f"/workbench/cases/{case.pk}/files/99999/").status_code == 404


# --- acceptance ------------------------------------------------------------------------------------


def test_accept_through_the_page_starts_the_clock(world, as_user):
    case = world.submitted()
    client = as_user(world.acceptor)
    assert "受理意见" in page(client.get(f"/workbench/cases/{case.pk}/"))
    body = page(client.post(f"/workbench/cases/{case.pk}/accept/", {"reason": "材料齐全"}, follow=True))
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.due_date is not None
    assert "已受理" in body and "材料齐全" in body
    notice = page(client.get(f"/workbench/cases/{case.pk}/documents/acceptance/"))
    assert "受理通知书" in notice and "决定予以受理" in notice and f"{case.due_date:%Y年%-m月%-d日}" in notice


def test_missing_tolerated_material_needs_tolerated_acceptance_with_a_date(world, as_user):
    case = world.submitted(files=("营业执照",))
    client = as_user(world.acceptor)
    refused = client.post(f"/workbench/cases/{case.pk}/accept/", {})
    assert refused.status_code == 400 and "以下容缺材料尚未提交：健康证明" in text(refused)
    until = timezone.localdate() + dt.timedelta(days=10)
    client.post(f"/workbench/cases/{case.pk}/accept/", {"tolerated": "on", "tolerated_until": until})
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.tolerated and case.tolerated_until == until
    assert "健康证明" in page(client.get(f"/workbench/cases/{case.pk}/documents/acceptance/"))


def test_an_immediate_item_can_be_decided_on_the_spot(world, as_user):
    GuideVersion.objects.filter(item=world.item).update(handling_kind="1")
    case = world.submitted()
    client = as_user(world.acceptor)
    assert "当场办结" in page(client.get(f"/workbench/cases/{case.pk}/"))
    client.post(f"/workbench/cases/{case.pk}/accept/", {"decide_now": "on"})
    case.refresh_from_db()
    assert case.status == Status.APPROVED


def test_one_window_accepts_every_case_of_a_bundle(world, as_user):
    cases = world.bundled()
    client = as_user(world.acceptor)
    assert "一窗受理全部" in page(client.get(f"/workbench/cases/{cases[0].pk}/"))
    body = page(client.post(f"/workbench/cases/{cases[0].pk}/accept-bundle/", follow=True))
    assert "已一窗受理" in body
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)) == {
        Status.ACCEPTED}
    alone = world.submitted()
    refused = client.post(f"/workbench/cases/{alone.pk}/accept-bundle/")
    assert refused.status_code == 400 and "该办件不属于“一件事”申请" in text(refused)


def test_not_accepting_records_the_reason_and_prints_the_decision(world, as_user):
    case = world.submitted()
    client = as_user(world.acceptor)
    assert client.post(f"/workbench/cases/{case.pk}/not-accept/", {"reason": ""}).status_code == 400
    body = page(client.post(f"/workbench/cases/{case.pk}/not-accept/",
                            {"reason": "不属于本机关职权范围"}, follow=True))
    assert "已作出不予受理决定" in body
    case.refresh_from_db()
    assert case.status == Status.NOT_ACCEPTED
    decision = page(client.get(f"/workbench/cases/{case.pk}/documents/refusal/"))
    assert "不予受理决定书" in decision and "不属于本机关职权范围" in decision and "行政复议" in decision
    assert client.get(f"/workbench/cases/{case.pk}/documents/correction/").status_code == 404


# --- corrections, review, special procedures -------------------------------------------------------


def test_correction_checklist_is_prefilled_from_prereview_and_sent_at_once(world, as_user):
    case = world.submitted()
    Case.objects.filter(pk=case.pk).update(form_data={**case.form_data, "phone": "12345"})
    client = as_user(world.acceptor)
    response = client.get(f"/workbench/cases/{case.pk}/")
    lines = {line["key"]: line for line in response.context["actions"]["request_correction"]}
    assert lines["field:phone"]["checked"] and lines["field:phone"]["message"] in page(response)
    assert not lines["field:shop_name"]["checked"]
    licence = case.version.materials.get(name="营业执照")
    response = client.post(f"/workbench/cases/{case.pk}/request-correction/", {
        "defect": ["field:phone", f"material:{licence.pk}"], "message-field:phone": "请填写正确的手机号码",
        f"message-material:{licence.pk}": "营业执照已过期", "other": "请补充法定代表人签字\n"}, follow=True)
    assert "已一次性告知申请人补正" in page(response)
    case.refresh_from_db()
    assert case.status == Status.CORRECTING
    assert [d["message"] for d in Correction.objects.get(case=case).defects] == [
        "请填写正确的手机号码", "营业执照已过期", "请补充法定代表人签字"]
    notice = page(client.get(f"/workbench/cases/{case.pk}/documents/correction/"))
    assert "一次性告知书" in notice and "营业执照：营业执照已过期" in notice


def test_a_rejection_in_one_branch_is_visible_to_the_other(world, as_user):
    case = world.accepted()
    task = world.task(case, TaskKind.REVIEW, world.health)
    response = as_user(world.health_examiner).post(f"/workbench/cases/{case.pk}/complete-review/", {
        "task": task.pk, "approve": "no", "opinion": "后厨排水不符合卫生要求"}, follow=True)
    assert "审查意见已提交" in page(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.REJECTED
    body = page(as_user(world.examiner).get(f"/workbench/cases/{case.pk}/"))
    assert "后厨排水不符合卫生要求" in body and "不同意" in body


def test_deciding_a_case_in_correction_is_refused_with_its_state(world, as_user):
    case = world.correcting()
    response = as_user(world.decider).post(f"/workbench/cases/{case.pk}/decide/", {"outcome": "approved"})
    assert response.status_code == 409
    assert "该办件当前状态为补正中，不能作出决定" in text(response)


def test_a_special_procedure_stops_the_clock_until_it_ends(world, as_user):
    case = world.accepted()
    client = as_user(world.examiner)
    assert client.post(f"/workbench/cases/{case.pk}/start-special/", {
        "kind": "expert", "reason": "需专家评审", "expected_days": "0"}).status_code == 400
    body = page(client.post(f"/workbench/cases/{case.pk}/start-special/", {
        "kind": "expert", "reason": "需专家评审", "expected_days": "5"}, follow=True))
    assert "已启动特别程序" in body and "专家评审" in body
    case.refresh_from_db()
    assert case.status == Status.SPECIAL
    assert "特别程序已结束，恢复计时" in page(client.post(f"/workbench/cases/{case.pk}/end-special/",
                                                   {"result": "评审通过"}, follow=True))
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED  # where it was before the procedure
    assert case.special_procedures.get().result == "评审通过"


# --- decision, certificate, delivery, verification, revocation -------------------------------------


def test_decide_certify_and_deliver_through_the_pages(world, as_user):
    case = world.reviewed()
    assert "已作出决定" in page(as_user(world.decider).post(
        f"/workbench/cases/{case.pk}/decide/", {"outcome": "approved"}, follow=True))
    client = as_user(world.certifier)
    assert "已制证" in page(client.post(f"/workbench/cases/{case.pk}/certify/", follow=True))
    assert "窗口领取" in page(client.get(f"/workbench/cases/{case.pk}/"))
    assert "已送达" in page(client.post(f"/workbench/cases/{case.pk}/deliver/", {"method": "window"},
                                        follow=True))
    case.refresh_from_db()
    assert case.status == Status.DELIVERED
    assert case.events.get(action="deliver").data["method"] == "窗口领取"


def test_denial_needs_a_reason(world, as_user):
    case = world.reviewed()
    client = as_user(world.decider)
    refused = client.post(f"/workbench/cases/{case.pk}/decide/", {"outcome": "denied"})
    assert refused.status_code == 400 and "请填写不通过的理由" in text(refused)
    client.post(f"/workbench/cases/{case.pk}/decide/", {"outcome": "denied", "reason": "场所不符合要求"})
    case.refresh_from_db()
    assert case.status == Status.DENIED and case.outcome_reason == "场所不符合要求"


def test_a_false_commitment_is_recorded(world, as_user):
    case = world.committed()
    task = world.task(case, TaskKind.VERIFY)
    client = as_user(world.examiner)
    assert "承诺核查" in page(client.get(f"/workbench/cases/{case.pk}/"))
    client.post(f"/workbench/cases/{case.pk}/verify-commitment/", {
        "task": task.pk, "confirmed": "no", "note": "现场无独立后厨"})
    task.refresh_from_db()
    assert task.status == TaskStatus.REJECTED and task.opinion == "现场无独立后厨"


def test_supervisor_lists_the_regions_cases_and_revokes_one(world, as_user):
    overdue, fine = world.accepted(), world.submitted()
    _due(overdue, -2)
    client = as_user(world.supervisor)
    body = page(client.get("/workbench/cases/all/"))
    assert overdue.number in body and fine.number in body
    assert body.index(overdue.number) < body.index(fine.number)
    assert {c.number for c in client.get("/workbench/cases/all/?warning=red").context["page"].items} == {
        overdue.number}
    assert {c.number for c in client.get("/workbench/cases/all/?status=received").context["page"].items} == {
        fine.number}
    assert "撤销办件" in page(client.get(f"/workbench/cases/{overdue.pk}/"))
    body = page(client.post(f"/workbench/cases/{overdue.pk}/revoke/", {"reason": "以欺骗手段取得"},
                            follow=True))
    assert "办件已撤销" in body
    overdue.refresh_from_db()
    assert overdue.status == Status.REVOKED
    assert "撤销办件" not in page(as_user(world.decider).get(f"/workbench/cases/{fine.pk}/"))


# --- the workflow editor ---------------------------------------------------------------------------


def _steps(*rows):
    """The editor's rows as the page posts them: every row an existing (initial) one."""
    data = {"steps-TOTAL_FORMS": str(len(rows)), "steps-INITIAL_FORMS": str(len(rows))}
    for i, (stage, name, department) in enumerate(rows):
        data |= {f"steps-{i}-stage": stage, f"steps-{i}-name": name, f"steps-{i}-department": department}
    return data


def test_department_admin_replaces_the_workflow(world, as_user):
    client = as_user(world.market_admin)
    body = page(client.get(f"/workbench/items/{world.item.pk}/workflow/"))
    assert "食品安全审查" in body and "卫生审查" in body and "保存审批流程" in body
    body = page(client.post(f"/workbench/items/{world.item.pk}/workflow/", _steps(
        ("1", "食品安全审查", world.market.pk), ("2", "卫生复核", world.health.pk)), follow=True))
    assert "审批流程已保存" in body
    assert [(s.stage, s.name, s.department) for s in services.workflow_of(world.item)] == [
        (1, "食品安全审查", world.market), (2, "卫生复核", world.health)]
    refused = client.post(f"/workbench/items/{world.item.pk}/workflow/", _steps(
        ("1", "甲", world.market.pk), ("3", "乙", world.health.pk)))
    assert refused.status_code == 400 and "阶段应从1开始连续编号" in text(refused)


def test_catalogue_editor_sees_the_workflow_but_cannot_change_it(world, as_user):
    client = as_user(world.market_editor)
    assert "审批流程" in page(client.get(f"/workbench/items/{world.item.pk}/"))
    body = page(client.get(f"/workbench/items/{world.item.pk}/workflow/"))
    assert "卫生审查" in body and "保存审批流程" not in body
    refused = client.post(f"/workbench/items/{world.item.pk}/workflow/", _steps(("1", "甲", world.market.pk)))
    assert refused.status_code == 403 and "只有该事项实施部门的部门管理员或区域管理员" in text(refused)
