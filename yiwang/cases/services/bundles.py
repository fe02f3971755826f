"""一件事: one merged form and one set of materials for several items, fanned out to one case
per item, accepted at the lead department's window, with one progress view."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yiwang.catalog.models import Necessity
from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.exchange.selectors import licence_type_of, registry_code_of

from ..models import FINAL_STATUSES, Bundle, BundleApplication, BundleVersion, Case, Status
from ..prereview import PreReview, online_materials, prereview
from ..uploads import check_upload
from ._base import lock
from .applying import (
    attach_licence,
    attach_record,
    clean_form_data,
    clean_key,
    discard_draft,
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
    """One material of the bundle: the same name in several items' guides (or names the bundle
    merges, ``BundleVersion.material_groups``) is asked for once, with the strictest necessity
    among them. ``sources`` are the items' own names of it."""

    key: str
    name: str
    necessity: str
    items: tuple[str, ...]
    sources: frozenset[str]

    @property
    def necessity_label(self) -> str:
        return Necessity(self.necessity).label


@dataclass(frozen=True)
class MergedForm:
    """The bundle's one form. A field name several items define the same way (type, label,
    choices…) is asked once; a name they define differently stays one field per item (the later
    ones renamed ``name__<position>``), unless the bundle reconciles it (``shared_fields``).
    ``routes`` says, per item id, which merged field feeds each of the item's own fields."""

    fields: list[dict]
    materials: list[MergedMaterial]
    versions: list
    routes: dict[int, dict[str, str]]

    def material_named(self, name: str) -> MergedMaterial | None:
        """The merged material that an item's material of this name belongs to."""
        return next((m for m in self.materials if name in m.sources), None)

    def merged_name(self, name: str) -> str:
        """The name the bundle shows for an item's material (its own, if a newer guide of the
        item no longer asks for it)."""
        material = self.material_named(name)
        return material.name if material else name

    def item_data(self, item_id: int, form_data: dict) -> dict:
        """What one item's case receives of the merged form: each of its fields under its own
        name."""
        return {own: form_data[key] for own, key in self.routes.get(item_id, {}).items()
                if key in form_data}


def _definition(field: dict) -> dict:
    """What makes two fields the same question: everything but whether it is required."""
    return {k: v for k, v in field.items() if k not in ("required", "help")}


def _merge_fields(versions, shared: dict[str, str]) -> tuple[list[dict], dict[int, dict[str, str]]]:
    fields: dict[str, dict] = {}
    first_asked_by: dict[str, str] = {}
    routes: dict[int, dict[str, str]] = {}
    for position, version in enumerate(versions, start=1):
        route = routes.setdefault(version.item_id, {})
        for field in version.form_definition:
            name = field["name"]
            if name in shared:  # reconciled by the bundle: one question under its label
                key = name
                known = fields.setdefault(key, {**field, "label": shared[name] or field["label"]})
                if field.get("options"):
                    known["options"] = [o for o in known["options"] if o in field["options"]]
            else:
                key = next((k for k, f in fields.items() if k.split("__")[0] == name
                            and _definition(f) == _definition(field)), None)
                if key is None:
                    key = name if name not in fields else f"{name}__{position}"
                    fields[key] = dict(field)
                    first_asked_by[key] = version.name
                    if key != name:  # the same name asks something else here: say for which item
                        fields[name].setdefault("help", f"用于：{first_asked_by[name]}")
                        fields[key]["help"] = f"用于：{version.name}"
                known = fields[key]
            known["required"] = known["required"] or field["required"]
            route[name] = key
    return [{**field, "name": key} for key, field in fields.items()], routes


def _merge_materials(versions, groups: list[dict]) -> list[MergedMaterial]:
    canonical = {source: group["name"] for group in groups for source in group["materials"]}
    materials: dict[str, dict] = {}
    for version in versions:
        for m in online_materials(version):
            name = canonical.get(m.name, m.name)
            known = materials.setdefault(name, {"necessity": m.necessity, "items": [], "sources": set()})
            if NECESSITY_ORDER.index(m.necessity) > NECESSITY_ORDER.index(known["necessity"]):
                known["necessity"] = m.necessity
            if version.name not in known["items"]:
                known["items"].append(version.name)
            known["sources"].add(m.name)
    return [MergedMaterial(key=str(i), name=name, necessity=m["necessity"], items=tuple(m["items"]),
                           sources=frozenset(m["sources"]))
            for i, (name, m) in enumerate(materials.items(), start=1)]


def merged_form(version: BundleVersion) -> MergedForm:
    """The merged form and materials of a bundle version over its items' published guides."""
    versions = [published_version(entry.item) for entry in version.entries.select_related("item")]
    fields, routes = _merge_fields(versions, {f["name"]: f.get("label", "")
                                              for f in version.shared_fields})
    return MergedForm(fields=fields, materials=_merge_materials(versions, version.material_groups),
                      versions=versions, routes=routes)


def published_bundle(slug: str) -> Bundle:
    bundle = (Bundle.objects.filter(slug=slug, published_version__isnull=False)
              .select_related("published_version__lead_department").first())
    if bundle is None:
        raise NotFound("该“一件事”不存在或已停用", code="bundle.not_found")
    return bundle


@transaction.atomic
def start_bundle(user, bundle: Bundle, *, company_id: int | None = None) -> BundleApplication:
    """A draft application for the bundle's published version: one draft case per item."""
    version = bundle.published_version
    if version is None:
        raise Conflict("该“一件事”已停用，暂不能申请", code="bundle.not_published")
    # Applying again as the same person (or for the same company) continues the open draft.
    draft = open_bundle_drafts(user, bundle).filter(version=version, company_id=company_id).first()
    if draft is not None:
        return draft
    application = BundleApplication.objects.create(bundle=bundle, version=version, applicant=user)
    for entry in version.entries.select_related("item"):
        case = start_application(user, entry.item, company_id=company_id,
                                 bundle_application=application)
        application.company = case.company
    # The merged form starts from what the platform knows, as each of its cases does.
    application.form_data = {name: filled["value"] for name, filled in prefill_values(
        user, application.company, merged_form(version).fields).items()}
    application.save(update_fields=["company", "form_data"])
    return application


def open_bundle_drafts(user, bundle: Bundle):
    """The applicant's unsubmitted applications for ``bundle``, newest first."""
    return (BundleApplication.objects.filter(bundle=bundle, applicant=user, submitted_at__isnull=True)
            .select_related("company").order_by("-created_at", "-pk"))


@transaction.atomic
def delete_bundle_draft(application: BundleApplication, user) -> None:
    """删除草稿 of a 一件事: every draft case of the application with its files, then the
    application; refused once it is submitted."""
    application = BundleApplication.objects.select_for_update().get(pk=application.pk)
    if application.submitted_at is not None:
        raise Conflict("该一件事申请已提交", code="bundle.already_submitted")
    for case in _drafts(application):
        discard_draft(case, user)
    application.delete()


def bundle_application_of(user, pk) -> BundleApplication:
    application = (BundleApplication.objects.filter(pk=pk, applicant=user)
                   .select_related("bundle", "version__lead_department").first())
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
    """Keep the merged form and give each case its items' fields, each under its own name."""
    application = BundleApplication.objects.select_for_update().get(pk=application.pk)
    if not isinstance(form_data, dict):
        raise ValidationError("申请表数据应为对象", code="case.form_not_object")
    merged = merged_form(application.version)
    for case in _drafts(application):
        own = clean_form_data(case.version, merged.item_data(case.item_id, form_data))
        case.form_data = {**case.form_data, **own}
        case.save(update_fields=["form_data", "updated_at"])
    known = {f["name"] for f in merged.fields}
    application.form_data = {**application.form_data, **{
        k: v for k, v in form_data.items() if k in known and isinstance(v, str | bool)}}
    application.save(update_fields=["form_data"])
    return application


def _merged_material(application: BundleApplication, material_key: str) -> MergedMaterial:
    material = next((m for m in merged_form(application.version).materials
                     if m.key == str(material_key)), None)
    if material is None:
        raise NotFound("该一件事没有这项材料", code="case.material_not_found")
    return material


def _case_material(case: Case, merged: MergedMaterial):
    """The case's own material that the merged one stands for, if its guide asks for it."""
    return next((m for m in online_materials(case.version) if m.name in merged.sources), None)


@transaction.atomic
def attach_bundle_file(application: BundleApplication, user, material_key: str, upload) -> int:
    """One upload for a merged material, stored once and attached to every case that asks for
    it. Returns how many cases received it."""
    material = _merged_material(application, material_key)
    checked = check_upload(upload)
    stored = None
    attached = 0
    for case in _drafts(application):
        target = _case_material(case, material)
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
    wanted = _merged_material(application, material_key)
    targets = []
    for case in _drafts(application):
        material = _case_material(case, wanted)
        if material is not None:
            targets.append((case, material))
    exemptible = [(case, material) for case, material in targets if source_of(material) is not None]
    for case, material in exemptible or targets[:1]:
        attach(case, material)
    return len(exemptible)


def _merged_defect(merged: MergedForm, case: Case, d: dict) -> dict:
    """A defect of one case said as the merged form shows it: a field by its merged name and
    label, a material by its merged key and name."""
    if d["kind"] == "field":
        key = merged.routes.get(case.item_id, {}).get(d["target"], d["target"])
        label = next((f["label"] for f in merged.fields if f["name"] == key), d["label"])
        return {**d, "target": key, "label": label}
    if d["kind"] == "material":
        material = merged.material_named(d["label"])
        if material is not None:
            return {**d, "target": material.key, "label": material.name,
                    "message": f"缺少材料“{material.name}”"}
    return d


def check_bundle(application: BundleApplication) -> PreReview:
    """预审 of the whole bundle: every defect of every item at once, each shared field and
    material reported once, in the merged form's own words."""
    merged = merged_form(application.version)
    result = PreReview()
    seen: set[tuple[str, str]] = set()
    for case in application.cases.select_related("version").order_by("pk"):
        review = prereview(case)
        for source, target in ((review.defects, result.defects),
                               (review.missing_tolerated, result.missing_tolerated)):
            for d in source:
                d = _merged_defect(merged, case, d)
                if (d["kind"], d["target"]) not in seen:
                    seen.add((d["kind"], d["target"]))
                    target.append(d)
    # In the order the page shows them: the form's fields, then the materials.
    place = {("field", f["name"]): i for i, f in enumerate(merged.fields)}
    place.update({("material", m.key): len(place) + i for i, m in enumerate(merged.materials)})
    result.defects.sort(key=lambda d: place.get((d["kind"], d["target"]), len(place)))
    return result


def submit_bundle(application: BundleApplication, user, *, key: str | None = None) -> list[Case]:
    """Submit every case of the bundle, or none: defects of all items are listed at once."""
    key = clean_key(key)
    with transaction.atomic():
        application = (BundleApplication.objects.select_for_update().select_related("version")
                       .get(pk=application.pk))
        if application.submitted_at is not None:
            return list(application.cases.order_by("pk"))
        cases = _drafts(application)
        check_bundle(application).raise_if_failed("一件事申请")
        for index, case in enumerate(cases):
            receive(case, user, key=f"{key}-{index}" if key else None,
                    accept_department=application.version.lead_department)
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
    def remaining(self) -> list[Case]:
        """The items still being handled (待办), with their department and due date."""
        return [c for c in self.cases if c.status not in FINAL_STATUSES]

    @property
    def label(self) -> str:
        if not self.cases or self.cases[0].status == Status.DRAFT:
            return "草稿"
        if self.finished:
            delivered = sum(c.status == Status.DELIVERED for c in self.cases)
            return f"已全部办结（{delivered}/{len(self.cases)}项已送达）"
        done = len(self.cases) - len(self.remaining)
        return f"办理中（已办结{done}/{len(self.cases)}项）"


def bundle_progress(application: BundleApplication) -> BundleProgress:
    cases = list(application.cases.select_related("version", "department").order_by("pk"))
    return BundleProgress(application=application, cases=cases)
