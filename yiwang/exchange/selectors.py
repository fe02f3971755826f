"""Which licences may replace a material (免提交), and who sees which usage rows: the holder, and a
company's legal representative for the company."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.accounts.services import citizen_of
from yiwang.catalog.models import MaterialForm
from yiwang.licences.selectors import held_for
from yiwang.licences.services import judge

from .models import DataUse

# exemption_source of a material an electronic licence may replace: "licence:<licence type code>".
LICENCE_SOURCE = "licence:"


def licence_type_of(material) -> str | None:
    """The code of the licence type that may replace ``material``, if any."""
    source = material.exemption_source
    return source.removeprefix(LICENCE_SOURCE) if source.startswith(LICENCE_SOURCE) else None


def usable_licences(case, material) -> list:
    """The applicant's licences of that type that pass verification now, to offer in its place."""
    code = licence_type_of(material)
    if code is None or material.form == MaterialForm.PAPER:
        return []
    held = held_for(user=case.applicant, company=case.company, type_code=code)
    return [licence for licence in held if judge(licence).ok]


def uses_of(user) -> QuerySet[DataUse]:
    if not user or not user.is_authenticated:
        return DataUse.objects.none()
    holder = Q(holder_user=user)
    citizen = citizen_of(user)
    if citizen is not None:
        holder |= Q(holder_company__legal_representative=citizen)
    return DataUse.objects.filter(holder).select_related("department", "case", "holder_company")
