"""The 免提交 sources the demo guides name, against what the demo provides: every registry code a
demo material names is a registry of yiwang/demo/registries.py about the right kind of subject,
so the material is offered for reuse and counts in 一证通办率 (``exchange.metrics``)."""

from __future__ import annotations

import re

from yiwang.catalog.models import Audience
from yiwang.demo.items import ITEMS
from yiwang.demo.registries import REGISTRIES
from yiwang.exchange.selectors import DATA_SOURCE
from yiwang.licences.models import HolderKind

CODE = re.compile(r"^[a-z][a-z0-9_]*$")  # Registry.code's own rule
SUBJECT = {Audience.PERSON: HolderKind.PERSON, Audience.COMPANY: HolderKind.COMPANY}


def data_sources():
    """(item key, audience, registry code or label) of every material naming shared data."""
    return [(spec.key, spec.audience, m["exemption_source"].removeprefix(DATA_SOURCE))
            for spec in ITEMS for m in spec.materials
            if m["exemption_source"].startswith(DATA_SOURCE)]


def test_every_data_source_a_demo_material_names_is_a_demo_registry_of_its_applicants():
    """No Chinese labels of registries still to be connected, and no record of someone other than
    the applicant (a company's staff, a person's company): each one is offered for reuse."""
    kinds = {code: kind for code, _, _, kind, _ in REGISTRIES}
    sources = data_sources()
    assert sources
    assert [code for _, _, code in sources if not CODE.match(code)] == []
    assert {code for _, _, code in sources} <= set(kinds)
    assert [(key, code) for key, audience, code in sources
            if audience in SUBJECT and SUBJECT[audience] != kinds[code]] == []


def test_the_most_used_sources_have_registries():
    codes = {code for _, _, code in data_sources()}
    for code in ("tax_clearance", "marriage", "social_insurance", "housing_contract", "deed_tax",
                 "social_assistance"):
        assert code in codes
    for label in ("清税信息", "婚姻登记档案", "社会保险缴费信息", "网签备案信息", "契税完税信息",
                  "社会救助对象信息"):
        assert label not in codes


def test_every_licence_a_demo_material_names_is_a_demo_type_held_by_one_of_its_applicants():
    from yiwang.demo.licences import HELD, KINDS, ORGANISATIONS
    from yiwang.exchange.selectors import LICENCE_SOURCE

    held = {(h.type, HolderKind.COMPANY if h.holder in ORGANISATIONS else HolderKind.PERSON)
            for h in HELD}
    named = {(m["exemption_source"].removeprefix(LICENCE_SOURCE), spec.audience)
             for spec in ITEMS for m in spec.materials
             if m["exemption_source"].startswith(LICENCE_SOURCE)}
    assert {code for code, _ in named} <= {kind.code for kind in KINDS}
    assert [(code, audience) for code, audience in named
            if audience in SUBJECT and (code, SUBJECT[audience]) not in held] == []
