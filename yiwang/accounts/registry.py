"""Adapters to the base registries (基础库): the population registry (人口库) answers whether a
name and an ID number belong together; the enterprise registry (市场主体登记) who a company's legal
representative is. The local adapters read tables that the demo data fills; a deployment names
its own adapter in settings (``POPULATION_REGISTRY``, ``ENTERPRISE_REGISTRY``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.module_loading import import_string

from .models import EnterpriseRecord, PopulationRecord


class PersonCheck(StrEnum):
    MATCH = "match"  # name and number belong together
    MISMATCH = "mismatch"  # the number is known under another name
    UNKNOWN = "unknown"  # the registry does not know the number
    DECEASED = "deceased"  # the record is cancelled (户籍注销)


@dataclass(frozen=True)
class EnterpriseFacts:
    uscc: str
    name: str
    legal_representative_name: str
    legal_representative_id: str
    active: bool


class LocalPopulationRegistry:
    def check(self, id_number: str, name: str) -> PersonCheck:
        record = PopulationRecord.objects.filter(id_number=id_number).first()
        if record is None:
            return PersonCheck.UNKNOWN
        if record.deceased:
            return PersonCheck.DECEASED
        return PersonCheck.MATCH if record.name == name else PersonCheck.MISMATCH


class LocalEnterpriseRegistry:
    def lookup(self, uscc: str) -> EnterpriseFacts | None:
        record = EnterpriseRecord.objects.filter(uscc=uscc).first()
        if record is None:
            return None
        return EnterpriseFacts(uscc=record.uscc, name=record.name,
                               legal_representative_name=record.legal_representative_name,
                               legal_representative_id=record.legal_representative_id,
                               active=not record.deregistered)


def population_registry():
    return import_string(settings.POPULATION_REGISTRY)()


def enterprise_registry():
    return import_string(settings.ENTERPRISE_REGISTRY)()
