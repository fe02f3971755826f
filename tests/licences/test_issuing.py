"""签发 at 制证 and 送达 into the wallet, through the case services."""

import pytest

from yiwang.cases import services as cases
from yiwang.cases.models import Case, Status
from yiwang.common.errors import Conflict
from yiwang.licences import identifiers, selectors, services
from yiwang.licences.models import HolderKind, Licence, LicenceStatus
from yiwang.notify.models import Message
from yiwang.seals import services as seals
from yiwang.seals.models import SealKind, SealUse


def test_certify_issues_a_sealed_licence_from_the_case_data(sealed):
    case = sealed.certified(area=80)
    licence = Licence.objects.get(case=case)
    parsed = identifiers.parse(licence.identifier)
    assert (parsed.type_code, parsed.issuer_uscc, parsed.serial) == ("spjyxk", sealed.market.uscc, 1)
    assert licence.data == {"shop_name": "净月潭小吃店", "area": case.form_data["area"]}
    assert (licence.holder_kind, licence.holder_name, licence.holder_user) == (
        HolderKind.PERSON, "王芳", sealed.user)
    assert licence.holder_id_number == sealed.applicant.id_number
    assert licence.valid_until.year == licence.valid_from.year + 5
    assert licence.status == LicenceStatus.VALID and licence.delivered_at is None
    assert seals.verify(services.signed_content(licence), licence.signature).ok
    assert licence.signature["seal"]["kind"] == SealKind.LICENCE
    assert licence.signature["signer"] == f"staff:{sealed.certifier.pk}"
    assert [e.action for e in licence.events.all()] == ["签发"]


def test_serials_count_up_per_type_and_issuer(sealed):
    first, second = sealed.certified(), sealed.certified()
    serials = [Licence.objects.get(case=c).serial for c in (first, second)]
    assert serials == [1, 2]


def test_the_licence_seal_is_preferred_over_the_official_seal(world):
    world.seal(SealKind.OFFICIAL)
    world.seal(SealKind.APPROVAL)
    licence = Licence.objects.get(case=world.certified())
    assert licence.signature["seal"]["kind"] == SealKind.APPROVAL


def test_without_a_seal_certify_is_refused_and_rolled_back(world):
    case = world.decided()
    uses = SealUse.objects.count()
    with pytest.raises(Conflict) as exc:
        cases.certify(case, world.certifier)
    assert exc.value.code == "licence.no_seal"
    assert exc.value.message == "该部门没有可用的电子印章，无法制证"
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert not Licence.objects.exists() and SealUse.objects.count() == uses
    assert not case.events.filter(action="certify").exists()


def test_a_revoked_seal_does_not_count_as_usable(world):
    seal = world.seal()
    seals.revoke_seal(seal, actor=world.market_admin, reason="印章遗失")
    with pytest.raises(Conflict):
        cases.certify(world.decided(), world.certifier)


def test_an_item_without_a_licence_type_of_ours_certifies_without_licence(sealed):
    sealed.licence_type.active = False
    sealed.licence_type.save()
    case = sealed.certified()
    assert Case.objects.get(pk=case.pk).status == Status.CERTIFIED
    assert not Licence.objects.exists()


def test_wallet_shows_the_licence_only_after_delivery(sealed, django_capture_on_commit_callbacks):
    case = sealed.certified()
    assert not selectors.wallet_licences(sealed.user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        cases.deliver(case, sealed.certifier, method="online")
    licence = selectors.wallet_licences(sealed.user).get()
    assert licence.delivered_at is not None
    assert [e.action for e in licence.events.all()] == ["签发", "送达"]
    notice = Message.objects.get(user=sealed.user, subject="电子证照已送达")
    assert licence.identifier in notice.body
    assert not selectors.wallet_licences(sealed.stranger.user).exists()


def test_revoking_a_licence_needs_the_issuers_staff_and_a_reason(sealed):
    licence = sealed.licence()
    with pytest.raises(Exception) as exc:
        services.revoke_licence(licence, actor=sealed.outsider, reason="违法经营")
    assert exc.value.code == "permission.role_required"
    licence = services.revoke_licence(licence, actor=sealed.certifier, reason="违法经营")
    assert licence.status == LicenceStatus.REVOKED
    assert [e.action for e in licence.events.all()][-1] == "注销"
    with pytest.raises(Conflict):
        services.suspend_licence(licence, actor=sealed.certifier, reason="再次")
