"""容缺受理, 承诺办理, 一件事, 撤回 and 撤销, workflow stages, and the state machine as a whole."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.factories import pdf
from yiwang.cases import services, statemachine
from yiwang.cases.errors import CaseStateError
from yiwang.cases.models import Case, CaseTask, Status, TaskKind, TaskStatus, WorkflowStep
from yiwang.common.errors import PermissionDenied, ValidationError


def _approve_all(world, case):
    for task in CaseTask.objects.filter(case=case, kind=TaskKind.REVIEW, status=TaskStatus.OPEN):
        user = world.examiner if task.department == world.market else world.health_examiner
        services.complete_review(task, user, approve=True)


def test_tolerated_acceptance_needs_a_date_and_decides_as_tolerated_approval(world):
    case = world.submitted(files=("营业执照",))
    with pytest.raises(ValidationError) as exc:
        services.accept(case, world.acceptor)
    assert exc.value.code == "case.tolerated_missing" and "健康证明" in exc.value.message
    with pytest.raises(ValidationError):
        services.accept(case, world.acceptor, tolerated=True)
    services.accept(case, world.acceptor, tolerated=True,
                    tolerated_until=dt.date.today() + dt.timedelta(days=5))
    _approve_all(world, case)
    assert services.decide(case, world.decider, outcome="approved").status == Status.APPROVED_TOLERATED


def test_a_tolerated_material_supplied_before_the_decision_makes_it_a_plain_approval(world):
    case = world.submitted(files=("营业执照",))
    services.accept(case, world.acceptor, tolerated=True,
                    tolerated_until=dt.date.today() + dt.timedelta(days=5))
    material = case.version.materials.get(name="健康证明")
    services.supply_tolerated(case, world.user, material.pk, pdf("健康证明.pdf"))
    _approve_all(world, case)
    assert services.decide(case, world.decider, outcome="approved").status == Status.APPROVED
    assert case.events.filter(action="tolerated_supplied").exists()


def test_commitment_goes_straight_to_the_decision_and_is_verified_afterwards(world):
    from tests.portal.factories import republish

    republish(world.item, commitment_allowed=True)
    case = world.draft()
    services.save_draft(case, world.user, {}, commitment=True, commitment_text="本人承诺符合食品经营条件")
    services.submit(case, world.user)
    services.accept(case, world.acceptor)
    assert not CaseTask.objects.filter(case=case, kind=TaskKind.REVIEW).exists()
    services.decide(case, world.decider, outcome="approved")
    verify = CaseTask.objects.get(case=case, kind=TaskKind.VERIFY)
    assert verify.due_date is not None and verify.status == TaskStatus.OPEN
    services.verify_commitment(verify, world.examiner, confirmed=False, note="现场无冷藏设备")
    assert case.events.filter(action="commitment_verified", label="承诺核查：不属实").exists()
    services.revoke(case, world.supervisor, "承诺不实，依法撤销")
    case.refresh_from_db()
    assert case.status == Status.REVOKED


def test_commitment_is_refused_where_the_guide_does_not_allow_it(world):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(world.draft(), world.user, {}, commitment=True)
    assert exc.value.code == "case.commitment_not_allowed"


def test_stages_run_in_order_and_a_rejection_skips_the_rest_to_the_decision(world):
    WorkflowStep.objects.filter(item=world.item, department=world.health).update(stage=2)
    case = world.accepted()
    health = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=world.health)
    assert health.status == TaskStatus.WAITING
    with pytest.raises(CaseStateError):
        services.complete_review(health, world.health_examiner, approve=True)
    market = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=world.market)
    services.complete_review(market, world.examiner, approve=False, opinion="不符合条件")
    health.refresh_from_db()
    assert health.status == TaskStatus.CANCELLED
    assert CaseTask.objects.get(case=case, kind=TaskKind.DECIDE).status == TaskStatus.OPEN


def test_set_workflow_validates_and_is_for_department_admins(world):
    from tests.factories import staff
    from yiwang.orgs.models import Role

    admin = staff(world.market, Role.DEPARTMENT_ADMIN, username="market_admin")
    with pytest.raises(PermissionDenied):
        services.set_workflow(world.item, [], actor=world.examiner)
    with pytest.raises(ValidationError) as exc:
        services.set_workflow(world.item, [{"stage": 2, "name": "审查", "department": world.market.pk},
                                           {"stage": 2, "name": "", "department": 0}], actor=admin)
    assert "阶段应从1开始连续编号" in exc.value.message and "办理部门不存在" in exc.value.message
    steps = services.set_workflow(world.item, [
        {"stage": 1, "name": "初审", "department": world.market.pk},
        {"stage": 2, "name": "卫生审查", "department": world.health.pk},
        {"stage": 2, "name": "消防审查", "department": world.other.pk}], actor=admin)
    assert [(s.stage, s.department_id) for s in steps] == [
        (1, world.market.pk), (2, world.health.pk), (2, world.other.pk)]


def test_a_bundle_merges_shared_fields_and_materials_and_fans_out(world):
    bundle = world.bundle()
    merged = services.merged_form(bundle.published_version)
    assert [f["name"] for f in merged.fields] == ["applicant_name", "shop_name", "phone", "area", "seats"]
    by_name = {m.name: m for m in merged.materials}
    assert by_name["营业执照"].items == ("食品经营许可", "公共场所卫生许可")
    application = services.start_bundle(world.user, bundle)
    services.save_bundle_draft(application, world.user, world.form(seats="40"))
    with pytest.raises(ValidationError) as exc:
        services.submit_bundle(application, world.user)
    assert {d["label"] for d in exc.value.details["defects"]} == {"营业执照", "卫生管理制度"}
    assert services.attach_bundle_file(application, world.user, by_name["营业执照"].key, pdf()) == 2
    services.attach_bundle_file(application, world.user, by_name["健康证明"].key, pdf("健康证明.pdf"))
    services.attach_bundle_file(application, world.user, by_name["卫生管理制度"].key, pdf("制度.pdf"))
    cases = services.submit_bundle(application, world.user, key="bundle-1")
    assert len({c.number for c in cases}) == 2
    assert {t.department_id for t in CaseTask.objects.filter(kind=TaskKind.ACCEPT, case__in=cases)} == {
        world.market.pk}  # 一窗受理 at the lead department
    assert cases[1].form_data == {"applicant_name": "王芳", "shop_name": "净月潭小吃店",
                                  "phone": "13900000001", "seats": "40"}
    assert services.submit_bundle(application, world.user, key="bundle-1") == cases
    services.accept_bundle(application, world.acceptor)
    progress = services.bundle_progress(application)
    assert progress.label == "办理中（已办结0/2项）"
    assert {c.status for c in progress.cases} == {Status.ACCEPTED}


def test_withdraw_before_decision_cancels_the_tasks(world):
    case = world.accepted()
    services.withdraw(case, world.user, "不再开店")
    assert not CaseTask.objects.filter(case=case, status__in=["open", "claimed"]).exists()
    with pytest.raises(CaseStateError):
        services.withdraw(case, world.user)


def test_an_agent_applies_for_a_company_and_the_company_and_agent_are_recorded(world):
    from tests.accounts.factories import authorize, citizen, company
    from tests.portal.factories import republish

    republish(world.item, audience="company")
    firm = company(world.applicant, name="长春市净月潭绿色食品有限公司")
    agent = citizen("刘洋")
    authorize(firm, agent)
    with pytest.raises(ValidationError):
        services.start_application(agent.user, world.item)
    case = services.start_application(agent.user, world.item, company_id=firm.pk)
    services.save_draft(case, agent.user, world.form())
    services.attach_file(case, agent.user, case.version.materials.get(name="营业执照").pk, pdf())
    services.attach_file(case, agent.user, case.version.materials.get(name="健康证明").pk, pdf())
    services.submit(case, agent.user)
    case.refresh_from_db()
    assert (case.applicant_name, case.contact_name) == ("长春市净月潭绿色食品有限公司", "刘洋")
    event = case.events.get(action="submit")
    assert (event.actor_name, event.on_behalf) == ("刘洋", "长春市净月潭绿色食品有限公司")
    # The legal representative sees the company's case; a stranger does not.
    from yiwang.cases.access import applicant_cases

    assert case in applicant_cases(world.user) and case not in applicant_cases(world.stranger.user)


# --- the state machine as a whole ---------------------------------------------------------------


def test_every_state_but_draft_is_reachable_and_terminal_states_allow_only_revocation():
    targets = {t.target for t in statemachine.TRANSITIONS.values()}
    outcome_states = {Status.APPROVED, Status.APPROVED_TOLERATED, Status.DENIED}
    assert set(Status) - {Status.DRAFT} <= targets | outcome_states
    for status in (Status.WITHDRAWN, Status.REVOKED, Status.NOT_ACCEPTED):
        assert statemachine.allowed_actions(status) == []
    assert statemachine.allowed_actions(Status.DELIVERED) == ["revoke"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(statemachine.TRANSITIONS)), max_size=8))
def test_a_refused_transition_never_changes_the_status(world, actions):
    status = Status.RECEIVED
    for action in actions:
        transition = statemachine.TRANSITIONS[action]
        if status in transition.sources:
            target = transition.target
            status = {statemachine.RESUME: Status.REVIEWING, statemachine.OUTCOME: Status.APPROVED}.get(
                target, target)
        else:
            with pytest.raises(CaseStateError) as exc:
                statemachine.check(action, status)
            assert exc.value.message.startswith(f"该办件当前状态为{Status(status).label}，不能")
    assert status in Status.values


def test_case_numbers_are_sequential_per_item_and_day(world):
    numbers = [world.submitted().number for _ in range(3)]
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
    assert len({n[:-6] for n in numbers}) == 1 and len(numbers[0]) == 45
    assert Case.objects.filter(number__in=numbers).count() == 3
