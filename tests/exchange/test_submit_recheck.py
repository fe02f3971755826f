"""At submission a licence attached to the draft must still verify: one revoked, suspended or
expired since is refused with the material and the reason, and nothing of the submission is
written. A 一件事 bundle is refused whole."""

from __future__ import annotations

import pytest

from tests.cases.factories import pdf
from tests.exchange.test_attach_licence import attach, upload_the_rest
from tests.portal.factories import publish_bundle
from yiwang.cases import services
from yiwang.cases.models import CaseCounter, Status
from yiwang.common.errors import Conflict
from yiwang.licences import services as licences
from yiwang.supervision.models import AuditRecord


def ready(world):
    case = world.renewal_draft()
    upload_the_rest(world, case)
    attach(world, case)
    return case


def written():
    """How much of the log and of the numbering there is."""
    return AuditRecord.objects.count(), sorted(CaseCounter.objects.values_list("prefix", "value"))


def assert_still_a_draft(case, *, before):
    case.refresh_from_db()
    assert (case.status, case.number, case.submitted_at) == (Status.DRAFT, None, None)
    assert not case.tasks.exists() and not case.events.filter(action="submit").exists()
    assert written() == before


def test_a_licence_revoked_after_it_was_attached_is_refused_at_submission(world):
    case = ready(world)
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")
    before = written()
    with pytest.raises(Conflict) as refused:
        services.submit(case, world.user, key="k-1")
    assert refused.value.code == "case.licence_invalid"
    assert refused.value.message == ("材料“食品经营许可证”所用的电子证照已被注销（店铺已关闭），"
                                     "请改为上传或选择其他证照")
    assert refused.value.details == {"material": world.material(case, "食品经营许可证").pk,
                                     "licence": world.food_licence.identifier,
                                     "reason": "licence.revoked", "why": "电子证照已被注销（店铺已关闭）"}
    assert_still_a_draft(case, before=before)


def test_a_suspended_licence_is_refused_with_its_reason(world):
    case = ready(world)
    licences.suspend_licence(world.food_licence, actor=world.certifier, reason="整改期间")
    with pytest.raises(Conflict) as refused:
        services.submit(case, world.user)
    assert refused.value.code == "case.licence_invalid"
    assert "已被暂停使用（整改期间）" in refused.value.message


def test_a_licence_that_expired_after_it_was_attached_is_refused(world, later):
    case = ready(world)
    later(days=6 * 366)
    with pytest.raises(Conflict) as refused:
        services.submit(case, world.user)
    assert refused.value.code == "case.licence_invalid"
    assert f"已于 {world.food_licence.valid_until:%Y-%m-%d} 到期" in refused.value.message


def test_after_an_upload_replaces_the_refused_licence_the_case_is_submitted(world):
    case = ready(world)
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")
    with pytest.raises(Conflict):
        services.submit(case, world.user)
    services.attach_file(case, world.user, world.material(case, "食品经营许可证").pk, pdf())
    assert services.submit(case, world.user).status == Status.RECEIVED


def test_a_reinstated_licence_passes_again(world):
    case = ready(world)
    licences.suspend_licence(world.food_licence, actor=world.certifier, reason="整改期间")
    licences.reinstate_licence(world.food_licence, actor=world.certifier, reason="整改完成")
    assert services.submit(case, world.user).status == Status.RECEIVED


def test_a_bundle_with_a_revoked_licence_is_refused_whole(world):
    bundle = publish_bundle(world.market, [world.item, world.renewal], slug="renew",
                            name="食品经营许可延续与变更")
    application = services.start_bundle(world.user, bundle)
    services.save_bundle_draft(application, world.user, world.form())
    for material in services.merged_form(bundle.published_version).materials:
        services.attach_bundle_file(application, world.user, material.key, pdf())
    renewal = application.cases.get(item=world.renewal)
    attach(world, renewal)
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")
    with pytest.raises(Conflict) as refused:
        services.submit_bundle(application, world.user)
    assert refused.value.code == "case.licence_invalid"
    application.refresh_from_db()
    assert application.submitted_at is None
    assert set(application.cases.values_list("status", flat=True)) == {Status.DRAFT}
    assert not application.cases.exclude(number=None).exists()


def test_a_licence_revoked_while_the_case_waits_for_correction_is_refused_at_resubmission(world):
    case = services.submit(ready(world), world.user, key="k-resubmit")
    services.request_correction(case, world.acceptor, [{"kind": "other", "message": "补充说明"}])
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")

    with pytest.raises(Conflict) as refused:
        services.resubmit(case, world.user)

    assert refused.value.code == "case.licence_invalid"
    case.refresh_from_db()
    assert case.status == Status.CORRECTING
    assert case.corrections.get().resolved_at is None


def test_pre_review_lists_a_licence_that_lapsed_since_it_was_attached(world):
    case = ready(world)
    assert services.check_draft(case).passed
    licences.suspend_licence(world.food_licence, actor=world.certifier, reason="整改期间")

    review = services.check_draft(case)

    assert review.defects == [{
        "kind": "material", "target": str(world.material(case, "食品经营许可证").pk),
        "label": "食品经营许可证",
        "message": "材料“食品经营许可证”所用的电子证照已被暂停使用（整改期间），请改为上传或选择其他证照"}]
