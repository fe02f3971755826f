"""Who sees which licence: the holder's wallet (我的证照) and the issuing department's staff. A
licence is the holder's once delivered (送达); a company's licences are its legal representative's
to see; the issuer's 制证员 and 部门管理员 see and manage all of their department's licences."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.accounts.services import citizen_of
from yiwang.common.errors import NotFound
from yiwang.orgs.models import Role
from yiwang.orgs.services import departments_for

from .models import Licence

# Who manages a department's licences (暂停 / 恢复 / 注销).
STAFF_ROLES = (Role.CERTIFIER, Role.DEPARTMENT_ADMIN)


def wallet_licences(user) -> QuerySet[Licence]:
    """The delivered licences of ``user`` and of the companies they represent, newest first."""
    if not user or not user.is_authenticated:
        return Licence.objects.none()
    holder = Q(holder_user=user)
    citizen = citizen_of(user)
    if citizen is not None:
        holder |= Q(holder_company__legal_representative=citizen)
    return (Licence.objects.filter(holder, delivered_at__isnull=False)
            .select_related("licence_type", "issuer"))


def wallet_licence(user, pk: int) -> Licence:
    """One licence of the wallet; anyone else's does not exist for ``user``."""
    licence = wallet_licences(user).filter(pk=pk).first()
    if licence is None:
        raise NotFound("证照不存在", code="licence.not_found")
    return licence


def held_for(*, user, company=None, type_code: str | None = None) -> QuerySet[Licence]:
    """The delivered licences an application may use: the company's when applying for it, the
    person's own otherwise (a representative's personal licences are not the company's)."""
    holder = Q(holder_company=company) if company is not None else Q(holder_user=user,
                                                                       holder_company__isnull=True)
    licences = Licence.objects.filter(holder, delivered_at__isnull=False).select_related(
        "licence_type", "issuer")
    return licences.filter(licence_type__code=type_code) if type_code else licences


def held_licence(pk, *, user, company=None) -> Licence:
    """One licence of ``held_for``; anyone else's does not exist for the applicant."""
    licence = held_for(user=user, company=company).filter(pk=pk).first() if str(pk).isdigit() else None
    if licence is None:
        raise NotFound("证照不存在", code="licence.not_found")
    return licence


def manages_licences(user) -> bool:
    return departments_for(user, *STAFF_ROLES).exists()


def staff_licences(user, q: str = "") -> QuerySet[Licence]:
    """The licences of the departments ``user`` manages licences for, newest first; ``q`` finds
    them by part of the identifier or of the holder's name."""
    licences = (Licence.objects.filter(issuer__in=departments_for(user, *STAFF_ROLES))
                .select_related("licence_type", "issuer"))
    q = (q or "").strip()
    if q:
        licences = licences.filter(Q(identifier__icontains=q) | Q(holder_name__icontains=q))
    return licences


def staff_licence(user, pk: int) -> Licence:
    """One licence of ``staff_licences``; another department's does not exist for ``user``."""
    licence = staff_licences(user).filter(pk=pk).first()
    if licence is None:
        raise NotFound("证照不存在或不属于您所在的部门", code="licence.not_found")
    return licence
