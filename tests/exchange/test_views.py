"""The case edit page offering a licence, the clerk's view of it and the holder's usage log."""

from __future__ import annotations

from tests.exchange.test_attach_licence import attach, upload_the_rest
from yiwang.cases import services
from yiwang.exchange.models import DataUse


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
