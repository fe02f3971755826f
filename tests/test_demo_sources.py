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
# Known mismatches, never offered: a company applies with its staff's health certificates (a
# person registry), and a person's 创业担保贷款 names the company's 营业执照 (a company registry).
# Taking a record of someone other than the applicant needs a rule the platform does not have yet.
OTHER_SUBJECTS = {("food_business_licence", "health_cert"), ("public_place_hygiene", "health_cert"),
                  ("startup_loan", "market_entity")}


def data_sources():
    """(item key, audience, registry code or label) of every material naming shared data."""
    return [(spec.key, spec.audience, m["exemption_source"].removeprefix(DATA_SOURCE))
            for spec in ITEMS for m in spec.materials
            if m["exemption_source"].startswith(DATA_SOURCE)]


def test_every_registry_code_a_demo_material_names_is_a_demo_registry_of_its_subjects():
    kinds = {code: kind for code, _, _, kind, _ in REGISTRIES}
    named = [(key, audience, code) for key, audience, code in data_sources() if CODE.match(code)]
    assert {code for _, _, code in named} <= set(kinds)
    assert {(key, code) for key, audience, code in named
            if audience in SUBJECT and SUBJECT[audience] != kinds[code]} == OTHER_SUBJECTS


def test_the_most_used_sources_have_registries():
    codes = {code for _, _, code in data_sources()}
    for code in ("tax_clearance", "marriage", "social_insurance", "housing_contract", "deed_tax",
                 "social_assistance"):
        assert code in codes
    for label in ("清税信息", "婚姻登记档案", "社会保险缴费信息", "网签备案信息", "契税完税信息",
                  "社会救助对象信息"):
        assert label not in codes
