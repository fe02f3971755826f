"""Which licences or registry records may replace a material (免提交), and who sees which usage
rows: the holder, and a company's legal representative for the company."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.accounts.services import citizen_of
from yiwang.catalog.models import MaterialForm
from yiwang.common.errors import NotFound, PermissionDenied, ValidationError
from yiwang.licences.models import HolderKind, LicenceType
from yiwang.licences.selectors import held_for
from yiwang.licences.services import judge
from yiwang.orgs.models import Role
from yiwang.orgs.services import departments_for

from .models import DataUse, RecordStatus, Registry, RegistryRecord

# exemption_source of a material an electronic licence may replace: "licence:<licence type code>".
LICENCE_SOURCE = "licence:"
# exemption_source of a material a shared registry record may replace: "data:<registry code>".
DATA_SOURCE = "data:"


def _source_code(material, prefix: str) -> str | None:
    source = material.exemption_source
    return source.removeprefix(prefix) if source.startswith(prefix) else None


def provided_sources() -> dict[str, str]:
    """Every exemption source the platform provides now, with what it is called for the
    applicant: ``licence:<code>`` of each licence type (an inactive one too, since licences
    already issued of it can still be used) as 电子证照（name）, ``data:<code>`` of each active
    registry as 共享数据（name，provider）. A guide may name a source nobody provides (a registry
    still to be connected): it is never offered, so it is neither promised on the item's page nor
    counted in 一证通办率. Two queries."""
    licences = LicenceType.objects.values_list("code", "name")
    registries = Registry.objects.filter(active=True).values_list("code", "name", "provider__name")
    return {**{LICENCE_SOURCE + code: f"电子证照（{name}）" for code, name in licences},
            **{DATA_SOURCE + code: f"共享数据（{name}，{provider}）"
               for code, name, provider in registries}}


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


# --- the providing department's maintenance of its registries ------------------------------------
#
# Who keeps a registry's records: the 部门管理员 of its providing department (a superuser passes
# ``orgs.services.require_role`` too).

MAINTAINER_ROLES = (Role.DEPARTMENT_ADMIN,)


def maintained_registries(user) -> QuerySet[Registry]:
    """The registries provided by the departments ``user`` administers (every one for a
    superuser), by code: what the workbench lists and the API offers."""
    if not user or not user.is_authenticated or not user.is_active:
        return Registry.objects.none()
    return (Registry.objects.filter(provider__in=departments_for(user, *MAINTAINER_ROLES))
            .select_related("provider"))


NOT_A_PROVIDER = "您不是任何提供共享数据的部门的部门管理员"


def maintains_registries(user) -> bool:
    return maintained_registries(user).exists()


def require_maintainer(user) -> None:
    """Raises PermissionDenied (403) for anyone who keeps no registry at all."""
    if not maintains_registries(user):
        raise PermissionDenied(NOT_A_PROVIDER, code="exchange.not_a_provider")


def maintained_registry(user, code: str) -> Registry:
    """One registry of ``maintained_registries``; another department's does not exist for
    ``user`` (404, not 403: whether a registry exists is no business of other departments)."""
    registry = maintained_registries(user).filter(code=code).first()
    if registry is None:
        raise NotFound("共享数据项不存在或不由您所在的部门提供", code="exchange.registry_not_found")
    return registry


def registry_records(registry: Registry, *, q: str = "", status: str = "") -> QuerySet[RegistryRecord]:
    """A registry's records, most recently changed first; ``q`` finds a subject by part of the
    name or by the whole ID number (a part of an ID number would let one guess the rest of it
    from a masked list), ``status`` keeps only 有效 or 已注销 ones."""
    records = RegistryRecord.objects.filter(registry=registry)
    q = (q or "").strip()
    if q:
        records = records.filter(Q(subject_name__icontains=q) | Q(subject_id_number=q.upper()))
    if status:
        if status not in RecordStatus.values:
            raise ValidationError("记录状态应为有效或已注销", code="exchange.status_invalid")
        records = records.filter(status=status)
    return records.order_by("-updated_at", "-id")


def registry_record(registry: Registry, *, pk=None, subject_id_number: str | None = None) -> RegistryRecord:
    """One record of ``registry``, by id or by the subject's ID number."""
    lookup = ({"pk": pk} if pk is not None
              else {"subject_id_number": (subject_id_number or "").strip().upper()})
    record = RegistryRecord.objects.filter(registry=registry, **lookup).select_related(
        "registry__provider").first()
    if record is None:
        raise NotFound("共享数据记录不存在", code="exchange.record_not_found")
    return record
