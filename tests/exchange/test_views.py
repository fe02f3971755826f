"""The case and 一件事 edit pages offering a licence and judging the one attached, the clerk's
view of it and the holder's usage log."""

from __future__ import annotations

from tests.cases.factories import pdf
from tests.exchange.test_attach_bundle import key_of, reuse_bundle, reused
from tests.exchange.test_attach_licence import attach, upload_the_rest
from yiwang.cases import services
from yiwang.exchange.models import DataUse
from yiwang.licences import services as licences


def test_the_edit_page_offers_the_matching_licence_with_a_consent_box(client, world):
    case = world.renewal_draft()
    client.force_login(world.user)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "同意使用该电子证照（免提交）" in page
    assert page.count(world.food_licence.identifier) == 1  # offered for its own material only


def test_using_the_licence_from_the_page(client, world):
    case = world.renewal_draft()
    client.force_login(world.user)
    material = world.material(case, "食品经营许可证").pk
    answer = client.post(f"/cases/{case.pk}/licence/",
                         {"material": material, "licence": world.food_licence.pk, "consent": "yes"})
    assert answer.status_code == 302
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert f"已使用电子证照 {world.food_licence.identifier}（已核验）" in page


def test_without_consent_the_page_says_so(client, world):
    case = world.renewal_draft()
    client.force_login(world.user)
    answer = client.post(f"/cases/{case.pk}/licence/",
                         {"material": world.material(case, "食品经营许可证").pk,
                          "licence": world.food_licence.pk})
    assert answer.status_code == 400
    assert "请确认同意使用该电子证照" in answer.content.decode()
    assert not case.files.exists()


def test_the_clerk_sees_a_verified_original_with_its_verification_link(client, world):
    case = world.renewal_draft()
    upload_the_rest(world, case)
    attach(world, case)
    case = services.submit(case, world.user)
    client.force_login(world.acceptor)
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "电子证照原件（已核验）" in page
    assert f"/licences/verify/?identifier={world.food_licence.identifier}" in page
    assert DataUse.objects.filter(actor=world.acceptor).count() == 1


def test_a_licence_revoked_after_submission_reads_lapsed_for_the_clerk_and_the_applicant(client,
                                                                                         world):
    case = world.renewal_draft()
    upload_the_rest(world, case)
    attach(world, case)
    case = services.submit(case, world.user)
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")

    client.force_login(world.acceptor)
    clerk = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "电子证照现已失效：电子证照已被注销（店铺已关闭）" in clerk
    assert "电子证照原件（已核验）" not in clerk
    client.force_login(world.user)
    mine = client.get(f"/cases/{case.pk}/").content.decode()
    assert "现已失效：电子证照已被注销（店铺已关闭）" in mine and "已核验" not in mine


def test_the_holder_reads_who_used_their_data(client, world):
    case = world.renewal_draft()
    upload_the_rest(world, case)
    attach(world, case)
    case = services.submit(case, world.user)
    services.view_case(world.acceptor, case.pk)
    client.force_login(world.user)
    page = client.get("/exchange/uses/").content.decode()
    assert "共 2 条" in page and case.number in page and world.market.name in page
    assert "审查办件时查看电子证照" in page
    assert "谁使用了我的数据" in client.get("/licences/mine/").content.decode()


def test_nobody_else_reads_the_holders_log(client, world):
    attach(world, world.renewal_draft())
    for user in (world.stranger.user, world.acceptor):
        client.force_login(user)
        assert "还没有部门使用过您的数据" in client.get("/exchange/uses/").content.decode()


def test_a_use_by_a_deleted_draft_still_reads_in_the_log(client, world):
    case = world.renewal_draft()
    attach(world, case)
    services.delete_draft(case, world.user)
    client.force_login(world.user)
    page = client.get("/exchange/uses/").content.decode()
    assert "食品经营许可延续" in page and "（草稿已删除）" in page


# --- a reused licence judged when the page renders -----------------------------------------------


def test_a_licence_revoked_after_it_was_attached_reads_lapsed_on_the_edit_page(client, world):
    case = world.renewal_draft()
    attach(world, case)
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")
    client.force_login(world.user)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert f"已使用电子证照 {world.food_licence.identifier}（已核验）" not in page
    assert f'已使用电子证照 {world.food_licence.identifier}<strong class="warning-yellow">（已失效）' in page
    assert ("已失效：材料“食品经营许可证”所用的电子证照已被注销（店铺已关闭），"
            "请改为上传或选择其他证照") in page
    assert f'id="file-{world.material(case, "食品经营许可证").pk}"' in page  # upload still offered


def test_a_lapsed_licence_row_still_offers_the_applicants_other_valid_licence(client, world):
    case = world.renewal_draft()
    attach(world, case)
    other = world.licence(shop_name="净月潭第二分店")
    licences.suspend_licence(world.food_licence, actor=world.certifier, reason="整改期间")
    client.force_login(world.user)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "已失效：材料“食品经营许可证”所用的电子证照已被暂停使用（整改期间）" in page
    assert f'name="licence" value="{other.pk}"' in page
    assert f'name="licence" value="{world.food_licence.pk}"' not in page


def test_the_lapse_is_shown_once_when_pre_review_names_it_too(client, world):
    case = world.renewal_draft()
    attach(world, case)
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")
    client.force_login(world.user)
    page = client.post(f"/cases/{case.pk}/edit/", {"action": "check", **world.form()}).content.decode()
    assert page.count("所用的电子证照已被注销（店铺已关闭）") == 2  # the defect list and the row
    assert "已失效：材料“食品经营许可证”" not in page


# --- 一件事 ----------------------------------------------------------------------------------------


def test_the_bundle_edit_page_offers_the_matching_licence_with_a_consent_box(client, registries):
    application = reuse_bundle(registries)
    client.force_login(registries.user)
    page = client.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert f'action="/bundles/applications/{application.pk}/licence/"' in page
    assert "同意使用该电子证照（免提交）" in page
    assert page.count(registries.food_licence.identifier) == 1  # for the shared material only


def test_using_the_licence_from_the_bundle_page(client, registries):
    application = reuse_bundle(registries)
    client.force_login(registries.user)
    answer = client.post(f"/bundles/applications/{application.pk}/licence/", {
        "material": key_of(application, "食品经营许可证"), "licence": registries.food_licence.pk,
        "consent": "yes"})
    assert answer.status_code == 302
    assert len(reused(application, "licence")) == 2
    page = client.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert f"已使用电子证照 {registries.food_licence.identifier}（已核验）" in page


def test_without_consent_the_bundle_page_says_so(client, registries):
    application = reuse_bundle(registries)
    client.force_login(registries.user)
    answer = client.post(f"/bundles/applications/{application.pk}/licence/", {
        "material": key_of(application, "食品经营许可证"), "licence": registries.food_licence.pk})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "请确认同意使用该电子证照" in page and 'role="alert"' in page
    assert not reused(application, "licence")


def test_someone_elses_licence_is_neither_offered_nor_accepted_on_the_bundle_page(client, registries):
    application = reuse_bundle(registries, registries.stranger.user)
    client.force_login(registries.stranger.user)
    page = client.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert registries.food_licence.identifier not in page
    answer = client.post(f"/bundles/applications/{application.pk}/licence/", {
        "material": key_of(application, "食品经营许可证"), "licence": registries.food_licence.pk,
        "consent": "yes"})
    assert answer.status_code == 404
    assert not reused(application, "licence") and not DataUse.objects.exists()


def test_nobody_else_attaches_to_the_applicants_bundle(client, registries):
    application = reuse_bundle(registries)
    client.force_login(registries.stranger.user)
    answer = client.post(f"/bundles/applications/{application.pk}/licence/", {
        "material": key_of(application, "食品经营许可证"), "licence": registries.food_licence.pk,
        "consent": "yes"})
    assert answer.status_code == 404
    assert not reused(application, "licence")


def test_a_revoked_licence_reads_lapsed_on_the_bundle_page_and_blocks_its_submission(client, registries):
    application = reuse_bundle(registries)
    services.attach_bundle_licence(application, registries.user, key_of(application, "食品经营许可证"),
                                   registries.food_licence.pk, consent=True)
    services.attach_bundle_record(application, registries.user, key_of(application, "居民户口簿"),
                                  None, consent=True)
    for name in ("营业执照", "延续申请书", "变更申请书"):
        services.attach_bundle_file(application, registries.user, key_of(application, name), pdf())
    licences.revoke_licence(registries.food_licence, actor=registries.certifier, reason="店铺已关闭")
    client.force_login(registries.user)
    page = client.get(f"/bundles/applications/{application.pk}/edit/").content.decode()
    assert "（已核验）" not in page
    assert "已失效：材料“食品经营许可证”所用的电子证照已被注销（店铺已关闭）" in page
    answer = client.post(f"/bundles/applications/{application.pk}/submit/", {"key": "k-1"})
    assert answer.status_code == 409
    assert (f'id="material-error-{key_of(application, "食品经营许可证")}"'
            in answer.content.decode())
