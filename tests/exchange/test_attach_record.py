"""免提交 from shared data: the applicant's record in a registry of the exchange platform, with
their consent, in place of an upload; what the case keeps of it, and the usage log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import authorize, citizen
from tests.cases.factories import pdf
from yiwang.cases import services
from yiwang.cases.models import CaseEvent, Status
from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.exchange import services as exchange
from yiwang.exchange.models import DataUse
from yiwang.exchange.selectors import usable_records
from yiwang.exchange.services import PURPOSE_ATTACHED, PURPOSE_DATA_VIEWED


def use_hukou(world, case, *, record=None, consent=True, user=None, material="居民户口簿"):
    return services.attach_record(case, user or world.user, world.material(case, material).pk,
                                  record.pk if record else None, consent=consent)


def test_the_offer_is_the_applicants_own_record_only(registries):
    case = registries.change_draft()
    material = registries.material(case, "居民户口簿")
    assert usable_records(case, material) == [registries.wang_hukou]
    theirs = registries.change_draft(registries.stranger.user)
    assert usable_records(theirs, registries.material(theirs, "居民户口簿")) == [registries.stranger_hukou]
    assert usable_records(case, registries.material(case, "变更申请书")) == []


def test_a_cancelled_record_or_a_paused_registry_is_not_offered(registries):
    case = registries.change_draft()
    material = registries.material(case, "居民户口簿")
    registries.hukou.active = False
    registries.hukou.save()
    assert usable_records(case, material) == []
    registries.hukou.active = True
    registries.hukou.save()
    exchange.cancel_record(registries.wang_hukou, actor=None, reason="户籍迁出本省")
    assert usable_records(case, material) == []


def test_the_record_replaces_the_upload_and_the_case_keeps_a_snapshot(registries):
    case = registries.change_draft()
    registries.upload_request(case)
    assert not services.check_draft(case).passed
    case_file = use_hukou(registries, case)
    assert services.check_draft(case).passed
    case = services.submit(case, registries.user)
    assert case.status == Status.RECEIVED
    assert case_file.registry_record == registries.wang_hukou and not case_file.file
    assert case_file.original_name == "户籍信息（吉林省公安厅）"
    shown = case_file.registry_snapshot
    assert (shown["registry"], shown["provider"], shown["subject_name"]) == ("hukou", "吉林省公安厅", "王芳")
    assert shown["fields"] == [
        {"name": "address", "label": "户籍地址", "value": "吉林省长春市净月区永顺路1号"},
        {"name": "household_head", "label": "户主", "value": "王芳"}]
    assert case_file.record_time == registries.wang_hukou.updated_at
    assert len(case_file.sha256) == 64
    event = CaseEvent.objects.get(case=case, action="record_attached")
    assert event.data["registry"] == "hukou" and event.data["material"] == "居民户口簿"


def test_the_attachment_is_logged_with_the_using_department_and_the_case(registries):
    case = registries.change_draft()
    use_hukou(registries, case)
    use = DataUse.objects.get()
    assert (use.holder_user, use.holder_company, use.department, use.case, use.actor) == (
        registries.user, None, registries.market, case, registries.user)
    assert use.registry_record == registries.wang_hukou and use.licence is None
    assert (use.data_source, use.purpose) == ("户籍信息（吉林省公安厅）", PURPOSE_ATTACHED)


def test_every_staff_view_of_the_case_is_a_use(registries):
    case = registries.change_draft()
    registries.upload_request(case)
    use_hukou(registries, case)
    case = services.submit(case, registries.user)
    services.view_case(registries.acceptor, case.pk)
    services.view_case(registries.acceptor, case.pk)
    viewed = DataUse.objects.filter(purpose=PURPOSE_DATA_VIEWED)
    assert viewed.count() == 2
    assert {(u.actor, u.department, u.case, u.holder_user) for u in viewed} == {
        (registries.acceptor, registries.market, case, registries.user)}


def test_consent_is_required(registries):
    case = registries.change_draft()
    with pytest.raises(ValidationError) as refused:
        use_hukou(registries, case, consent=False)
    assert refused.value.code == "case.data_consent_required"
    assert refused.value.message == "请确认同意使用该共享数据"
    assert not case.files.exists() and not DataUse.objects.exists()


def test_another_persons_record_does_not_exist_for_the_applicant(registries):
    case = registries.change_draft()
    with pytest.raises(NotFound) as refused:
        use_hukou(registries, case, record=registries.stranger_hukou)
    assert refused.value.code == "case.record_not_found"
    assert not case.files.exists() and not DataUse.objects.exists()


def test_an_applicant_without_a_record_is_told_to_upload(registries):
    newcomer = citizen("孙丽")
    case = registries.change_draft(newcomer.user)
    with pytest.raises(NotFound) as refused:
        use_hukou(registries, case, user=newcomer.user)
    assert refused.value.code == "case.no_matching_record"
    assert "数据共享平台没有您本人可替代“居民户口簿”的共享数据" in refused.value.message


def test_a_material_without_a_data_source_cannot_be_replaced(registries):
    case = registries.change_draft()
    with pytest.raises(ValidationError) as refused:
        use_hukou(registries, case, material="变更申请书")
    assert refused.value.code == "case.not_data_exemptible"
    assert refused.value.message == "材料“变更申请书”不能以共享数据替代"
    # A licence material is not shared data either.
    renewal = registries.renewal_draft()
    with pytest.raises(ValidationError) as refused:
        use_hukou(registries, renewal, material="食品经营许可证")
    assert refused.value.code == "case.not_data_exemptible"


def test_a_record_of_another_registry_is_refused(registries):
    firm, entity, item = registries.company_item()
    case = services.start_application(registries.user, item, company_id=firm.pk)
    # The company's own 市场主体登记信息 for a material that asks for something else.
    material = case.version.materials.get(name="营业执照")
    material.exemption_source = "data:hukou"
    material.save()
    with pytest.raises(ValidationError) as refused:
        services.attach_record(case, registries.user, material.pk, entity.pk, consent=True)
    assert refused.value.code == "case.registry_mismatch"


def test_a_cancelled_record_is_refused_with_the_reason(registries):
    exchange.cancel_record(registries.wang_hukou, actor=None, reason="户籍迁出本省")
    with pytest.raises(Conflict) as refused:
        use_hukou(registries, registries.change_draft())
    assert refused.value.code == "case.record_invalid"
    assert "户籍信息已注销（户籍迁出本省）" in refused.value.message


def test_a_submitted_case_cannot_take_a_record(registries):
    case = registries.change_draft()
    registries.upload_request(case)
    services.attach_file(case, registries.user, registries.material(case, "居民户口簿").pk, pdf())
    case = services.submit(case, registries.user)
    with pytest.raises(Conflict) as refused:
        use_hukou(registries, case)
    assert refused.value.code == "case.not_editable"
    assert not DataUse.objects.exists()


def test_a_company_case_uses_the_companys_record_and_not_the_persons(registries):
    firm, entity, item = registries.company_item()
    agent = citizen("刘洋")
    authorize(firm, agent)
    case = services.start_application(agent.user, item, company_id=firm.pk)
    material = case.version.materials.get(name="营业执照")
    assert usable_records(case, material) == [entity]
    case_file = services.attach_record(case, agent.user, material.pk, None, consent=True)
    assert case_file.registry_record == entity
    use = DataUse.objects.get()
    assert (use.holder_company, use.holder_user, use.actor) == (firm, None, agent.user)
    # The representative's own 户籍信息 is not the company's.
    with pytest.raises(NotFound):
        services.attach_record(case, agent.user, material.pk, registries.wang_hukou.pk, consent=True)


def test_an_upload_replaces_the_record_in_a_draft(registries):
    case = registries.change_draft()
    material = registries.material(case, "居民户口簿")
    use_hukou(registries, case)
    services.attach_file(case, registries.user, material.pk, pdf())
    assert list(case.files.values_list("registry_record", flat=True)) == [None]
    use_hukou(registries, case)
    assert list(case.files.values_list("registry_record", flat=True)) == [registries.wang_hukou.pk]


def test_the_case_keeps_what_was_used_when_the_registry_changes_later(registries):
    case = registries.change_draft()
    registries.upload_request(case)
    case_file = use_hukou(registries, case)
    case = services.submit(case, registries.user)
    exchange.put_record(registries.hukou, actor=None,
                        subject_id_number=registries.applicant.id_number, subject_name="王芳",
                        data={"address": "吉林省吉林市丰满区", "household_head": "李明"},
                        updated_at=timezone.now() + dt.timedelta(minutes=5))
    case_file.refresh_from_db()
    assert case_file.registry_snapshot["fields"][0]["value"] == "吉林省长春市净月区永顺路1号"


# --- the check at submission -----------------------------------------------------------------


def test_a_record_cancelled_after_it_was_attached_is_refused_at_submission(registries):
    case = registries.change_draft()
    registries.upload_request(case)
    use_hukou(registries, case)
    exchange.cancel_record(registries.wang_hukou, actor=None, reason="户籍迁出本省")
    with pytest.raises(Conflict) as refused:
        services.submit(case, registries.user)
    assert refused.value.code == "case.record_invalid"
    assert refused.value.message == "材料“居民户口簿”所用的户籍信息已注销（户籍迁出本省），请改为上传该材料"
    case.refresh_from_db()
    assert (case.status, case.number, case.submitted_at) == (Status.DRAFT, None, None)
    assert not case.tasks.exists() and not case.events.filter(action="submit").exists()


def test_a_record_changed_after_consent_must_be_confirmed_again(registries):
    case = registries.change_draft()
    registries.upload_request(case)
    use_hukou(registries, case)
    exchange.put_record(registries.hukou, actor=None,
                        subject_id_number=registries.applicant.id_number, subject_name="王芳",
                        data={"address": "吉林省吉林市丰满区", "household_head": "王芳"},
                        updated_at=timezone.now() + dt.timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        services.submit(case, registries.user)
    assert refused.value.code == "case.record_changed"
    assert refused.value.details["material"] == registries.material(case, "居民户口簿").pk
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    case_file = use_hukou(registries, case)  # confirmed again: the new version is used
    assert case_file.registry_snapshot["fields"][0]["value"] == "吉林省吉林市丰满区"
    assert services.submit(case, registries.user).status == Status.RECEIVED


def test_deleting_a_draft_keeps_the_uses_it_made_in_the_log(registries):
    from tests.exchange.test_attach_licence import attach

    licence_draft = registries.renewal_draft()
    attach(registries, licence_draft)
    record_draft = registries.change_draft()
    use_hukou(registries, record_draft)
    services.delete_draft(licence_draft, registries.user)
    services.delete_draft(record_draft, registries.user)
    assert sorted(DataUse.objects.values_list("item_name", "case", "department")) == [
        ("个体工商户变更登记", None, registries.market.pk), ("食品经营许可延续", None, registries.market.pk)]
