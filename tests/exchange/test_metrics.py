"""材料减少率 and 一证通办率 from the cases of a period."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.cases.factories import FOOD_FORM, pdf
from tests.exchange.conftest import HUKOU_MATERIALS, RENEWAL_MATERIALS
from tests.exchange.test_attach_licence import attach, upload_the_rest
from tests.exchange.test_attach_record import use_hukou
from tests.factories import RegionFactory
from tests.portal.factories import publish_item
from yiwang.cases import services
from yiwang.exchange.metrics import Rate, material_reduction_rate, one_licence_rate


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
    # them by licence. Three cases have exemptible materials; only the cancellation had all of
    # them satisfied (营业执照 has no licence type on this platform yet).
    assert material_reduction_rate(*period()) == Rate(2, 12)
    assert one_licence_rate(*period()) == Rate(1, 3)
    assert one_licence_rate(*period()).value == 1 / 3


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
