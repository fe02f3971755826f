"""一件事: one merged form and one set of materials for several items, fanned out to one case
per item, accepted at the lead department's window, with one progress view."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yiwang.catalog.models import Necessity
from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.exchange.selectors import licence_type_of, registry_code_of

from ..models import FINAL_STATUSES, Bundle, BundleApplication, Case, Status
from ..prereview import online_materials, prereview
from ..uploads import check_upload
from ._base import lock
from .applying import (
    attach_licence,
    attach_record,
    clean_form_data,
    clean_key,
    published_version,
    receive,
    start_application,
    store_file,
)
from .handling import accept
from .prefilling import prefill_values

NECESSITY_ORDER = [Necessity.OPTIONAL, Necessity.TOLERATED, Necessity.REQUIRED]


@dataclass(frozen=True)
class MergedMaterial:
    """One material of the bundle: the same name in several items' guides is asked for once,
    with the strictest necessity among them."""

    key: str
    name: str
    necessity: str
    items: tuple[str, ...]

    @property
    def necessity_label(self) -> str:
        return Necessity(self.necessity).label


@dataclass(frozen=True)
class MergedForm:
    fields: list[dict]
    materials: list[MergedMaterial]
    versions: list


def merged_form(bundle: Bundle) -> MergedForm:
    versions = [published_version(entry.item) for entry in bundle.entries.select_related("item")]
    fields: dict[str, dict] = {}
    materials: dict[str, dict] = {}
    for version in versions:
        for field in version.form_definition:
            known = fields.setdefault(field["name"], dict(field))
            known["required"] = known["required"] or field["required"]
        for m in online_materials(version):
            known = materials.setdefault(m.name, {"necessity": m.necessity, "items": []})
            if NECESSITY_ORDER.index(m.necessity) > NECESSITY_ORDER.index(known["necessity"]):
                known["necessity"] = m.necessity
            known["items"].append(version.name)
    merged = [MergedMaterial(key=str(i), name=name, necessity=m["necessity"], items=tuple(m["items"]))
              for i, (name, m) in enumerate(materials.items(), start=1)]
    return MergedForm(fields=list(fields.values()), materials=merged, versions=versions)


def active_bundle(slug: str) -> Bundle:
    bundle = Bundle.objects.filter(slug=slug, active=True).select_related("lead_department").first()
    if bundle is None:
        raise NotFound("该“一件事”不存在或已停用", code="bundle.not_found")
    return bundle


@transaction.atomic
def start_bundle(user, bundle: Bundle, *, company_id: int | None = None) -> BundleApplication:
    application = BundleApplication.objects.create(bundle=bundle, applicant=user)
    for entry in bundle.entries.select_related("item"):
        case = start_application(user, entry.item, company_id=company_id,
                                 bundle_application=application)
        application.company = case.company
    # The merged form starts from what the platform knows, as each of its cases does.
    application.form_data = {name: filled["value"] for name, filled in prefill_values(
        user, application.company, merged_form(bundle).fields).items()}
    application.save(update_fields=["company", "form_data"])
    return application


def bundle_application_of(user, pk) -> BundleApplication:
    application = BundleApplication.objects.filter(pk=pk, applicant=user).select_related("bundle").first()
    if application is None:
        raise NotFound("一件事申请不存在", code="bundle.application_not_found")
    return application


def _drafts(application: BundleApplication) -> list[Case]:
    cases = [lock(c) for c in application.cases.order_by("pk")]
    if any(c.status != Status.DRAFT for c in cases):
        raise Conflict("该一件事申请已提交", code="bundle.already_submitted")
    return cases


@transaction.atomic
def save_bundle_draft(application: BundleApplication, user, form_data: dict) -> BundleApplication:
    application = BundleApplication.objects.select_for_update().get(pk=application.pk)
    for case in _drafts(application):
        case.form_data = {**case.form_data, **clean_form_data(case.version, form_data)}
        case.save(update_fields=["form_data", "updated_at"])
    application.form_data = {**application.form_data, **{k: v for k, v in form_data.items()
                                                         if isinstance(v, str | bool)}}
    application.save(update_fields=["form_data"])
    return application


@transaction.atomic
def attach_bundle_file(application: BundleApplication, user, material_key: str, upload) -> int:
    """One upload for a merged material, stored once and attached to every case that asks for
    it. Returns how many cases received it."""
    merged = {m.key: m for m in merged_form(application.bundle).materials}
    material = merged.get(str(material_key))
    if material is None:
        raise NotFound("该一件事没有这项材料", code="case.material_not_found")
    checked = check_upload(upload)
    stored = None
    attached = 0
    for case in _drafts(application):
        target = next((m for m in online_materials(case.version) if m.name == material.name), None)
        if target is None:
            continue
        case_file = store_file(case, target, upload, user, stored_name=stored, checked=checked)
        stored = case_file.file.name
        attached += 1
    return attached


def attach_bundle_licence(application: BundleApplication, user, material_key: str, licence_id,
                          *, consent: bool) -> int:
    """免提交 in a bundle: the licence takes the place of the merged material's upload in every
    case whose guide lets it (``services.attach_licence`` judges each, so a bundle accepts exactly
    what a single case does). Returns how many cases received it."""
    return _reuse_in_bundle(application, material_key, licence_type_of, lambda case, material:
                            attach_licence(case, user, material.pk, licence_id, consent=consent))


def attach_bundle_record(application: BundleApplication, user, material_key: str, record_id=None,
                         *, consent: bool) -> int:
    """免提交 from shared data in a bundle, as ``attach_bundle_licence`` does for a licence."""
    return _reuse_in_bundle(application, material_key, registry_code_of, lambda case, material:
                            attach_record(case, user, material.pk, record_id, consent=consent))


@transaction.atomic
def _reuse_in_bundle(application: BundleApplication, material_key: str, source_of, attach) -> int:
    """Attach a reuse to each draft whose material of the merged name names a source
    (``source_of``). When no item's guide does, the first item's material is still tried, so the
    refusal is the one a single case gives; all cases or none receive it."""
    merged = {m.key: m for m in merged_form(application.bundle).materials}
    wanted = merged.get(str(material_key))
    if wanted is None:
        raise NotFound("该一件事没有这项材料", code="case.material_not_found")
    targets = []
    for case in _drafts(application):
        material = next((m for m in online_materials(case.version) if m.name == wanted.name), None)
        if material is not None:
            targets.append((case, material))
    exemptible = [(case, material) for case, material in targets if source_of(material) is not None]
    for case, material in exemptible or targets[:1]:
        attach(case, material)
    return len(exemptible)


def submit_bundle(application: BundleApplication, user, *, key: str | None = None) -> list[Case]:
    """Submit every case of the bundle, or none: defects of all items are listed at once."""
    key = clean_key(key)
    with transaction.atomic():
        application = BundleApplication.objects.select_for_update().get(pk=application.pk)
        if application.submitted_at is not None:
            return list(application.cases.order_by("pk"))
        cases = _drafts(application)
        defects = []
        for case in cases:
            for d in prereview(case).defects:
                if d not in defects:  # a shared field or material is reported once
                    defects.append(d)
        if defects:
            raise ValidationError(
                f"一件事申请预审未通过，共{len(defects)}处需要修改："
                + "；".join(d["message"] for d in defects),
                code="case.prereview_failed", details={"defects": defects})
        for index, case in enumerate(cases):
            receive(case, user, key=f"{key}-{index}" if key else None,
                    accept_department=application.bundle.lead_department)
        application.submitted_at = timezone.now()
        application.save(update_fields=["submitted_at"])
        return cases


def accept_bundle(application: BundleApplication, user, **options) -> list[Case]:
    """一窗受理 of every received case of the bundle at once."""
    with transaction.atomic():
        return [accept(case, user, **options)
                for case in application.cases.filter(status=Status.RECEIVED).order_by("pk")]


@dataclass(frozen=True)
class BundleProgress:
    application: BundleApplication
    cases: list[Case]

    @property
    def finished(self) -> bool:
        return all(c.status in FINAL_STATUSES for c in self.cases)

    @property
    def label(self) -> str:
        if not self.cases or self.cases[0].status == Status.DRAFT:
            return "草稿"
        if self.finished:
            delivered = sum(c.status == Status.DELIVERED for c in self.cases)
            return f"已全部办结（{delivered}/{len(self.cases)}项已送达）"
        done = sum(c.status in FINAL_STATUSES for c in self.cases)
        return f"办理中（已办结{done}/{len(self.cases)}项）"


def bundle_progress(application: BundleApplication) -> BundleProgress:
    cases = list(application.cases.select_related("version", "department").order_by("pk"))
    return BundleProgress(application=application, cases=cases)
