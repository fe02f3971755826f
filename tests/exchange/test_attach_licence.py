"""免提交: an applicant's licence, with their consent, in place of an upload."""

from __future__ import annotations

import pytest

from tests.cases.factories import pdf
from yiwang.cases import services
from yiwang.cases.models import CaseEvent, Status
from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.exchange.models import DataUse
from yiwang.exchange.selectors import usable_licences
from yiwang.exchange.services import PURPOSE_ATTACHED, PURPOSE_VIEWED
from yiwang.licences import services as licences


def attach(world, case, *, material="食品经营许可证", licence=None, consent=True, user=None):
    return services.attach_licence(case, user or world.user, world.material(case, material).pk,
                                   (licence or world.food_licence).pk, consent=consent)


def upload_the_rest(world, case):
    for name in ("营业执照", "延续申请书"):
        services.attach_file(case, world.user, world.material(case, name).pk, pdf(f"{name}.pdf"))


def test_an_attached_licence_satisfies_prereview_and_the_case_is_submitted_without_its_upload(world):
    case = world.renewal_draft()
    upload_the_rest(world, case)
    assert not services.check_draft(case).passed
    case_file = attach(world, case)
    assert services.check_draft(case).passed
    case = services.submit(case, world.user)
    assert case.status == Status.RECEIVED
    assert case_file.licence == world.food_licence and not case_file.file
    event = CaseEvent.objects.get(case=case, action="licence_attached")
    assert event.data["identifier"] == world.food_licence.identifier
    assert event.data["verification"] == "licence.valid"


def test_consent_is_required(world):
    case = world.renewal_draft()
    with pytest.raises(ValidationError) as refused:
        attach(world, case, consent=False)
    assert refused.value.message == "请确认同意使用该电子证照"
    assert not case.files.exists() and not DataUse.objects.exists()


def test_someone_elses_licence_does_not_exist_for_the_applicant(world):
    case = world.renewal_draft(world.stranger.user)
    with pytest.raises(NotFound):
        attach(world, case, user=world.stranger.user)
    assert not case.files.exists()


def test_a_revoked_licence_is_refused_with_the_verification_reason(world):
    licences.revoke_licence(world.food_licence, actor=world.certifier, reason="店铺已关闭")
    with pytest.raises(Conflict) as refused:
        attach(world, world.renewal_draft())
    assert refused.value.code == "licence.revoked"
    assert "店铺已关闭" in refused.value.message


def test_an_expired_licence_is_refused(world, later):
    case = world.renewal_draft()
    later(days=6 * 366)
    with pytest.raises(Conflict) as refused:
        attach(world, case)
    assert refused.value.code == "licence.expired"


def test_a_licence_of_another_type_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        attach(world, world.renewal_draft(), material="营业执照")
    assert refused.value.code == "case.licence_type_mismatch"


def test_a_material_without_a_licence_source_cannot_be_replaced(world):
    with pytest.raises(ValidationError) as refused:
        attach(world, world.renewal_draft(), material="延续申请书")
    assert refused.value.code == "case.not_licence_exemptible"


def test_an_upload_replaces_the_licence_in_a_draft_and_the_other_way_round(world):
    case = world.renewal_draft()
    material = world.material(case, "食品经营许可证")
    attach(world, case)
    services.attach_file(case, world.user, material.pk, pdf())
    assert list(case.files.values_list("licence", flat=True)) == [None]
    attach(world, case)
    assert list(case.files.values_list("licence", flat=True)) == [world.food_licence.pk]


def test_the_use_is_logged_at_consent_and_at_every_staff_view(world):
    case = world.renewal_draft()
    upload_the_rest(world, case)
    attach(world, case)
    case = services.submit(case, world.user)
    services.view_case(world.acceptor, case.pk)
    uses = DataUse.objects.order_by("used_at", "pk")
    assert [(u.purpose, u.actor, u.holder_user, u.department) for u in uses] == [
        (PURPOSE_ATTACHED, world.user, world.user, world.market),
        (PURPOSE_VIEWED, world.acceptor, world.user, world.market),
    ]
    assert all(u.licence == world.food_licence and u.case == case for u in uses)


def test_a_staff_view_of_a_case_without_licences_logs_nothing(world):
    services.view_case(world.acceptor, world.submitted().pk)
    assert not DataUse.objects.exists()


def test_an_expired_licence_is_not_offered(world, later):
    case = world.renewal_draft()
    material = world.material(case, "食品经营许可证")
    assert usable_licences(case, material) == [world.food_licence]
    later(days=6 * 366)
    assert usable_licences(case, material) == []
