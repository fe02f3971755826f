"""The case and 一件事 edit pages offering the applicant's registry record and judging the one
attached, the clerk's view of it, and the edit page naming the material when a reused licence or
record is refused at submission."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.exchange.test_attach_bundle import key_of, reuse_bundle, reused
from tests.exchange.test_attach_licence import attach, upload_the_rest
from tests.exchange.test_attach_record import use_hukou
from yiwang.cases import services
from yiwang.exchange import services as exchange
from yiwang.exchange.models import DataUse
from yiwang.licences import services as licences


def test_the_edit_page_offers_the_applicants_record_with_a_consent_box(client, registries):
    case = registries.change_draft()
    client.force_login(registries.user)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "户籍信息（吉林省公安厅提供" in page
    assert f'name="record" value="{registries.wang_hukou.pk}"' in page
    assert f'value="{registries.stranger_hukou.pk}"' not in page
    assert f"同意{registries.market.name}使用该共享数据办理本件（免提交）" in page


def test_using_the_record_from_the_page(client, registries):
    case = registries.change_draft()
    client.force_login(registries.user)
    answer = client.post(f"/cases/{case.pk}/record/", {
        "material": registries.material(case, "居民户口簿").pk, "record": registries.wang_hukou.pk,
        "consent": "yes"})
    assert answer.status_code == 302
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "已使用共享数据：户籍信息（吉林省公安厅）" in page
    assert DataUse.objects.filter(case=case, registry_record=registries.wang_hukou).count() == 1


def test_without_consent_the_page_says_so(client, registries):
    case = registries.change_draft()
    client.force_login(registries.user)
    answer = client.post(f"/cases/{case.pk}/record/", {
        "material": registries.material(case, "居民户口簿").pk, "record": registries.wang_hukou.pk})
    assert answer.status_code == 400
    assert "请确认同意使用该共享数据" in answer.content.decode()
    assert not case.files.exists()


def test_someone_elses_record_is_not_found_from_the_page(client, registries):
    case = registries.change_draft()
    client.force_login(registries.user)
    answer = client.post(f"/cases/{case.pk}/record/", {
        "material": registries.material(case, "居民户口簿").pk, "record": registries.stranger_hukou.pk,
        "consent": "yes"})
    assert answer.status_code == 404
    assert "共享数据记录不存在" in answer.content.decode()
    assert not DataUse.objects.exists()


def test_the_clerk_sees_the_snapshot_as_a_verified_original_of_the_named_registry(client, registries):
    case = registries.change_draft()
    registries.upload_request(case)
    use_hukou(registries, case)
    case = services.submit(case, registries.user)
    client.force_login(registries.acceptor)
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "共享数据原件（吉林省公安厅，已核验）" in page
    assert "户籍地址" in page and "吉林省长春市净月区永顺路1号" in page
    assert DataUse.objects.filter(actor=registries.acceptor).count() == 1


def _submitted_with_hukou(registries):
    case = registries.change_draft()
    registries.upload_request(case)
    use_hukou(registries, case)
    return services.submit(case, registries.user)


def test_a_record_cancelled_after_submission_reads_lapsed_for_the_clerk_and_the_applicant(
        client, registries):
    case = _submitted_with_hukou(registries)
    exchange.cancel_record(registries.wang_hukou, actor=None, reason="户口迁出")

    client.force_login(registries.acceptor)
    clerk = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "共享数据现已失效：户籍信息已注销（户口迁出）" in clerk
    assert "共享数据原件（吉林省公安厅，已核验）" not in clerk
    client.force_login(registries.user)
    mine = client.get(f"/cases/{case.pk}/").content.decode()
    assert "现已失效：户籍信息已注销（户口迁出）" in mine and "已核验" not in mine


def test_a_record_updated_after_submission_stays_the_verified_snapshot_the_case_is_handled_on(
        client, registries):
    case = _submitted_with_hukou(registries)
    record = registries.wang_hukou
    exchange.put_record(record.registry, actor=None, subject_id_number=record.subject_id_number,
                        subject_name=record.subject_name, data={**record.data, "address": "新地址"})

    client.force_login(registries.acceptor)
    clerk = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "共享数据原件（吉林省公安厅，已核验）" in clerk and "现已失效" not in clerk
    assert "吉林省长春市净月区永顺路1号" in clerk and "新地址" not in clerk


def test_the_holder_reads_the_registry_use_in_their_log(client, registries):
    use_hukou(registries, registries.change_draft())
    client.force_login(registries.user)
    page = client.get("/exchange/uses/").content.decode()
    assert "户籍信息（吉林省公安厅）" in page and registries.market.name in page


def test_a_licence_revoked_before_submission_is_named_on_the_edit_page(client, world):
    case = world.renewal_draft()
    upload_the_rest(world, case)
    attach(world, case)
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")
    client.force_login(world.user)
    answer = client.post(f"/cases/{case.pk}/submit/", {"key": "k-1"})
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "材料“食品经营许可证”所用的电子证照已被注销（店铺已关闭），请改为上传或选择其他证照" in page
    assert f'id="material-error-{world.material(case, "食品经营许可证").pk}"' in page


# --- a reused record judged when the page renders ------------------------------------------------


def test_a_valid_record_reads_verified_on_the_edit_page(client, registries):
    case = registries.change_draft()
    use_hukou(registries, case)
    client.force_login(registries.user)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    used = f"{timezone.localdate():%Y-%m-%d}"
    assert f"已使用共享数据：户籍信息（吉林省公安厅）（数据时间 {used}，已核验）" in page
    assert "已失效" not in page


def test_a_record_cancelled_after_it_was_attached_reads_lapsed_on_the_edit_page(client, registries):
    case = registries.change_draft()
    use_hukou(registries, case)
    exchange.cancel_record(registries.wang_hukou, actor=None, reason="户籍迁出本省")
    client.force_login(registries.user)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "已核验" not in page
    assert '（吉林省公安厅）（数据时间' in page and '<strong class="warning-yellow">（已失效）' in page
    assert "已失效：材料“居民户口簿”所用的户籍信息已注销（户籍迁出本省），请改为上传该材料" in page
    assert f'name="record" value="{registries.wang_hukou.pk}"' not in page  # no longer offered
    assert f'id="file-{registries.material(case, "居民户口簿").pk}"' in page


def test_a_record_updated_after_consent_reads_lapsed_and_is_offered_again(client, registries):
    case = registries.change_draft()
    use_hukou(registries, case)
    moment = timezone.now() + dt.timedelta(minutes=5)
    exchange.put_record(registries.hukou, actor=None, subject_id_number=registries.applicant.id_number,
                        subject_name="王芳", data={"address": "吉林省吉林市丰满区", "household_head": "王芳"},
                        updated_at=moment)
    client.force_login(registries.user)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "已核验" not in page
    assert (f"已失效：材料“居民户口簿”所用的户籍信息在您同意使用后已更新"
            f"（{timezone.localtime(moment):%Y-%m-%d %H:%M}），请重新确认使用或改为上传") in page
    assert f'name="record" value="{registries.wang_hukou.pk}"' in page  # to consent again
    client.post(f"/cases/{case.pk}/record/", {"material": registries.material(case, "居民户口簿").pk,
                                              "record": registries.wang_hukou.pk, "consent": "yes"})
    assert "已失效" not in client.get(f"/cases/{case.pk}/edit/").content.decode()


# --- 一件事 ----------------------------------------------------------------------------------------


def test_the_bundle_edit_page_offers_the_applicants_record_with_a_consent_box(client, registries):
    application = reuse_bundle(registries)
    client.force_login(registries.user)
    page = client.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert f'action="/bundles/applications/{application.pk}/record/"' in page
    assert f'name="record" value="{registries.wang_hukou.pk}"' in page
    assert f'name="record" value="{registries.stranger_hukou.pk}"' not in page
    assert f"同意{registries.market.name}使用该共享数据办理本次一件事申请（免提交）" in page


def test_using_the_record_from_the_bundle_page(client, registries):
    application = reuse_bundle(registries)
    client.force_login(registries.user)
    answer = client.post(f"/bundles/applications/{application.pk}/record/", {
        "material": key_of(application, "居民户口簿"), "record": registries.wang_hukou.pk,
        "consent": "yes"})
    assert answer.status_code == 302
    assert reused(application, "registry_record") == [("食品经营场所变更", registries.wang_hukou.pk)]
    page = client.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert "已使用共享数据：户籍信息（吉林省公安厅）" in page and "，已核验）" in page


def test_someone_elses_record_is_neither_offered_nor_accepted_on_the_bundle_page(client, registries):
    application = reuse_bundle(registries)
    client.force_login(registries.user)
    page = client.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert f'name="record" value="{registries.stranger_hukou.pk}"' not in page
    answer = client.post(f"/bundles/applications/{application.pk}/record/", {
        "material": key_of(application, "居民户口簿"), "record": registries.stranger_hukou.pk,
        "consent": "yes"})
    assert answer.status_code == 404
    assert "共享数据记录不存在" in answer.content.decode()
    assert not reused(application, "registry_record") and not DataUse.objects.exists()
