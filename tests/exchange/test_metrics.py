"""材料减少率 and 一证通办率 from the cases of a period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.factories import FOOD_FORM, pdf
from tests.exchange.conftest import HUKOU_MATERIALS, RENEWAL_MATERIALS
from tests.exchange.test_attach_licence import attach, upload_the_rest
from tests.exchange.test_attach_record import use_hukou
from tests.factories import RegionFactory
from tests.portal.factories import publish_item
from yiwang.cases import services
from yiwang.exchange.metrics import Rate, material_reduction_rate, one_licence_rate
from yiwang.exchange.models import Registry
from yiwang.licences.models import LicenceType


def period(days: int = 1):
    now = timezone.now()
    return now - dt.timedelta(days=days), now + dt.timedelta(days=days)


def submit_cancellation(world):
    """注销: the food licence (exemptible) and a written request; the licence is used."""
    item = publish_item(world.market, name="食品经营许可注销", form_definition=FOOD_FORM,
                        materials=[RENEWAL_MATERIALS[0], RENEWAL_MATERIALS[2]])
    case = services.save_draft(services.start_application(world.user, item), world.user, world.form())
    services.attach_file(case, world.user, world.material(case, "延续申请书").pk, pdf())
    attach(world, case)
    return services.submit(case, world.user)


def test_the_rates_count_licences_used_in_place_of_materials(world):
    with_licence = world.renewal_draft()
    upload_the_rest(world, with_licence)
    attach(world, with_licence)
    services.submit(with_licence, world.user)
    uploaded = world.renewal_draft()
    upload_the_rest(world, uploaded)
    services.attach_file(uploaded, world.user, world.material(uploaded, "食品经营许可证").pk, pdf())
    services.submit(uploaded, world.user)
    submit_cancellation(world)
    world.submitted()  # the food licence item: 2 counted materials (one 容缺), none exemptible
    services.start_application(world.user, world.renewal)  # a draft counts for nothing
    # Counted materials 3 + 3 + 2 + 2, and 2 of the case the world's licence came from: two of
    # them by licence. Three cases have exemptible materials (营业执照 is not one of them: it has
    # no licence type on this platform yet); the first renewal and the cancellation had theirs
    # satisfied.
    assert material_reduction_rate(*period()) == Rate(2, 12)
    assert one_licence_rate(*period()) == Rate(2, 3)
    assert one_licence_rate(*period()).value == 2 / 3


def test_the_rates_follow_the_period_and_the_region(world):
    submit_cancellation(world)
    assert one_licence_rate(*period(), region=world.province) == Rate(1, 1)
    assert one_licence_rate(*period(), region=RegionFactory(code="230000", name="黑龙江省")) == Rate(0, 0)
    last_week = timezone.now() - dt.timedelta(days=7)
    assert material_reduction_rate(last_week, last_week + dt.timedelta(days=1)).value is None


def test_registry_records_count_as_exempted_materials(registries):
    with_record = registries.change_draft()
    registries.upload_request(with_record)
    use_hukou(registries, with_record)
    services.submit(with_record, registries.user)
    uploaded = registries.change_draft()
    registries.upload_request(uploaded)
    services.attach_file(uploaded, registries.user, registries.material(uploaded, "居民户口簿").pk, pdf())
    services.submit(uploaded, registries.user)
    # 2 + 2 counted materials, and 2 of the case the world's licence came from; one by the
    # record. Two cases have an exemptible material; the first had it satisfied.
    assert material_reduction_rate(*period()) == Rate(1, 6)
    assert one_licence_rate(*period()) == Rate(1, 2)


def test_a_case_with_a_licence_and_a_record_counts_both(registries):
    item = publish_item(registries.market, name="食品经营许可延续（个体）", form_definition=FOOD_FORM,
                        materials=[RENEWAL_MATERIALS[0], HUKOU_MATERIALS[0], HUKOU_MATERIALS[1]])
    case = services.save_draft(services.start_application(registries.user, item), registries.user,
                               registries.form())
    registries.upload_request(case)
    attach(registries, case)
    use_hukou(registries, case)
    services.submit(case, registries.user)
    assert material_reduction_rate(*period()) == Rate(2, 5)
    assert one_licence_rate(*period()) == Rate(1, 1)


# --- which sources count as exemptible for 一证通办率 ------------------------------------------


def submit_with(world, source: str):
    """A case whose only exemptible material names ``source``; it is uploaded, as an applicant
    must when nothing is offered in its place."""
    item = publish_item(world.market, name=f"来源{source}", form_definition=FOOD_FORM, materials=[
        {"name": "证明材料", "necessity": "required", "form": "electronic", "source": "government",
         "exemption_source": source}])
    case = services.save_draft(services.start_application(world.user, item), world.user, world.form())
    services.attach_file(case, world.user, world.material(case, "证明材料").pk, pdf())
    return services.submit(case, world.user)


def test_a_licence_source_counts_once_its_licence_type_exists(world):
    renewal = world.renewal_draft()
    upload_the_rest(world, renewal)
    attach(world, renewal)
    services.submit(renewal, world.user)
    assert one_licence_rate(*period()) == Rate(1, 1)
    # 营业执照 becomes a licence type: the renewal's uploaded 营业执照 now fails 一证通办.
    LicenceType.objects.create(code="yyzz", name="营业执照")
    assert one_licence_rate(*period()) == Rate(0, 1)


def test_an_inactive_licence_type_still_counts(world):
    """Licences already issued of a type that is no longer issued can still be used."""
    submit_with(world, "licence:spjyxk")
    world.licence_type.active = False
    world.licence_type.save()
    assert one_licence_rate(*period()) == Rate(0, 1)


@pytest.mark.parametrize("source", ["data:清税信息", "data:tax_clearance", "licence:nosuchtype"])
def test_a_source_nobody_provides_does_not_count(registries, source):
    """A label instead of a registry code, a registry not (yet) on the platform, a licence type
    that does not exist: the material is never offered for reuse, so its case is not eligible."""
    submit_with(registries, source)
    assert one_licence_rate(*period()) == Rate(0, 0)
    assert material_reduction_rate(*period()) == Rate(0, 1 + 2)  # still asked for


def test_a_registry_counts_while_it_is_active(registries):
    submit_with(registries, "data:hukou")
    assert one_licence_rate(*period()) == Rate(0, 1)
    registries.hukou.active = False
    registries.hukou.save()
    assert one_licence_rate(*period()) == Rate(0, 0)
    Registry.objects.create(code="tax_clearance", name="清税信息", provider=registries.market,
                            subject_kind="company")
    submit_with(registries, "data:tax_clearance")
    assert one_licence_rate(*period()) == Rate(0, 1)


def test_the_sources_are_read_once_whatever_the_number_of_cases(registries,
                                                                django_assert_num_queries):
    for _ in range(3):
        submit_with(registries, "data:hukou")
    # The provided licence types and registries, then the cases with their versions, materials
    # and exempted files.
    with django_assert_num_queries(6):
        assert one_licence_rate(*period()) == Rate(0, 3)
