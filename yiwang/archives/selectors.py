"""Read-side questions of the archive pages: the list with its filters, and what a package's page
shows of its manifest (the applicant masked: the page is a finding aid, the zip is the record)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yiwang.common.identifiers import mask_id, mask_name, mask_phone

from . import access
from .errors import ArchiveError
from .models import ArchivePackage
from .packaging import Category, open_package
from .services import read_package


def search_packages(user, *, q: str = "", retention: str = "", year: int | None = None
                    ) -> QuerySet[ArchivePackage]:
    packages = access.visible_packages(user).select_related("department")
    if q:
        packages = packages.filter(Q(number__icontains=q) | Q(item_name__icontains=q))
    if retention:
        packages = packages.filter(retention=retention)
    if year:
        packages = packages.filter(closed_at__year=year)
    return packages


@dataclass
class PackageView:
    """What the package page shows: the manifest's metadata (masked) and files, or why the zip
    could not be read."""

    case: dict
    files: list[dict]
    error: str = ""


def package_view(package: ArchivePackage) -> PackageView:
    try:
        opened = open_package(read_package(package))
    except ArchiveError as exc:
        return PackageView({}, [], exc.message)
    case = dict(opened.manifest.get("case") or {})
    applicant = dict(case.get("applicant") or {})
    applicant.update(name=mask_name(applicant.get("name") or ""),
                     id_number=mask_id(applicant.get("id_number") or ""))
    contact = dict(case.get("contact") or {})
    contact.update(name=mask_name(contact.get("name") or ""),
                   mobile=mask_phone(contact.get("mobile") or ""))
    case.update(applicant=applicant, contact=contact)
    files = [{**row, "category_label": Category.LABELS.get(row.get("category"), row.get("category"))}
             for row in opened.listed.values()]
    return PackageView(case, files)
