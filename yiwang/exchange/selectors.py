"""Which licences or registry records may replace a material (免提交), and who sees which usage
rows: the holder, and a company's legal representative for the company."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.accounts.services import citizen_of
from yiwang.catalog.models import MaterialForm
from yiwang.licences.models import HolderKind
from yiwang.licences.selectors import held_for
from yiwang.licences.services import judge

from .models import DataUse, RecordStatus, RegistryRecord

# exemption_source of a material an electronic licence may replace: "licence:<licence type code>".
LICENCE_SOURCE = "licence:"
# exemption_source of a material a shared registry record may replace: "data:<registry code>".
DATA_SOURCE = "data:"


def _source_code(material, prefix: str) -> str | None:
    source = material.exemption_source
    return source.removeprefix(prefix) if source.startswith(prefix) else None


def licence_type_of(material) -> str | None:
    """The code of the licence type that may replace ``material``, if any."""
    return _source_code(material, LICENCE_SOURCE)


def usable_licences(case, material) -> list:
    """The applicant's licences of that type that pass verification now, to offer in its place."""
    code = licence_type_of(material)
    if code is None or material.form == MaterialForm.PAPER:
        return []
    held = held_for(user=case.applicant, company=case.company, type_code=code)
    return [licence for licence in held if judge(licence).ok]


def registry_code_of(material) -> str | None:
    """The code of the registry whose record may replace ``material``, if any."""
    return _source_code(material, DATA_SOURCE)


def subject_of(case) -> tuple[str, str] | None:
    """Whose registry records an application may use: the company's (by USCC) when applying for
    it, the applicant's own (by the ID number of their real-name identity) otherwise, as
    ``licences.selectors.held_for`` does for licences."""
    if case.company_id:
        return HolderKind.COMPANY, case.company.uscc
    citizen = citizen_of(case.applicant)
    return (HolderKind.PERSON, citizen.id_number) if citizen is not None else None


def records_of(case) -> QuerySet[RegistryRecord]:
    """Every record of the applicant (or the company) in the registries, whatever their status."""
    subject = subject_of(case)
    if subject is None:
        return RegistryRecord.objects.none()
    kind, id_number = subject
    return RegistryRecord.objects.filter(registry__subject_kind=kind,
                                         subject_id_number=id_number).select_related(
        "registry__provider")


def usable_records(case, material) -> list[RegistryRecord]:
    """The applicant's valid record of the registry the material names, to offer in its place."""
    code = registry_code_of(material)
    if code is None or material.form == MaterialForm.PAPER:
        return []
    return list(records_of(case).filter(registry__code=code, registry__active=True,
                                        status=RecordStatus.VALID))


def uses_of(user) -> QuerySet[DataUse]:
    if not user or not user.is_authenticated:
        return DataUse.objects.none()
    holder = Q(holder_user=user)
    citizen = citizen_of(user)
    if citizen is not None:
        holder |= Q(holder_company__legal_representative=citizen)
    return DataUse.objects.filter(holder).select_related("department", "case", "holder_company")
