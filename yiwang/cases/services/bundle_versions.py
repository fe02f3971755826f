"""一件事的定义: administrators of the lead department draft a bundle (its items, the fields it
reconciles, the materials it merges), a reviewer who did not write it approves it (四眼原则),
and publishing makes it the one the public applies for — the same flow as a guide version
(``catalog.review.ReviewFlow``), whose steps and four-eyes rule it shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction

from yiwang.catalog.models import ServiceItem, Topic, VersionEvent, VersionStatus
from yiwang.catalog.review import ReviewFlow
from yiwang.common.errors import Conflict, ValidationError
from yiwang.orgs.models import Department, Role
from yiwang.orgs.services import require_role

from ..models import Bundle, BundleEvent, BundleItem, BundleVersion

Action = VersionEvent.Action
MIN_ITEMS = 2
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,59}")


@dataclass
class BundleDefinition:
    """What an administrator writes: the content of one bundle version."""

    name: str
    lead_department: Department
    items: list = field(default_factory=list)  # ServiceItem, in the order shown
    description: str = ""
    aliases: str = ""
    shared_fields: list[dict] = field(default_factory=list)
    material_groups: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, version: BundleVersion) -> BundleDefinition:
        return cls(name=version.name, lead_department=version.lead_department,
                   items=[e.item for e in version.entries.select_related("item")],
                   description=version.description, aliases=version.aliases,
                   shared_fields=list(version.shared_fields),
                   material_groups=list(version.material_groups))


def _item_forms(items) -> dict[str, list[dict]]:
    """Each field name the items' published guides define, with each definition of it."""
    forms: dict[str, list[dict]] = {}
    for item in items:
        if item.published_version is not None:
            for f in item.published_version.form_definition:
                forms.setdefault(f["name"], []).append(f)
    return forms


def _material_names(items) -> set[str]:
    return {m.name for item in items if item.published_version is not None
            for m in item.published_version.materials.all()}


def clean_definition(definition: BundleDefinition) -> BundleDefinition:
    """Every problem of a definition at once (``bundle.invalid`` with ``errors``)."""
    errors: list[str] = []
    name = (definition.name or "").strip()
    if not name:
        errors.append("请填写一件事名称")
    # Read afresh: whether an item is published now decides, not what the caller holds.
    fresh = ServiceItem.objects.select_related("published_version").in_bulk(
        [i.pk for i in definition.items])
    items = [fresh[pk] for pk in dict.fromkeys(i.pk for i in definition.items)]
    if len(items) < MIN_ITEMS:
        errors.append(f"一件事至少包含{MIN_ITEMS}个事项")
    unpublished = [str(i) for i in items if i.published_version_id is None]
    if unpublished:
        errors.append("以下事项尚未发布，不能纳入一件事：" + "、".join(unpublished))
    forms = _item_forms(items)
    shared = []
    for entry in definition.shared_fields:
        fname, label = str(entry.get("name", "")).strip(), str(entry.get("label", "")).strip()
        found = forms.get(fname, [])
        if len(found) < 2:
            errors.append(f"合并字段“{fname}”不是两个以上事项共有的字段")
        elif len({f["type"] for f in found}) > 1:
            errors.append(f"合并字段“{fname}”在各事项中的类型不同，不能合并")
        elif found[0]["type"] == "select" and not set.intersection(
                *(set(f.get("options", [])) for f in found)):
            errors.append(f"合并字段“{fname}”在各事项中没有共同的选项，不能合并")
        shared.append({"name": fname, "label": label})
    materials = _material_names(items)
    groups = []
    for entry in definition.material_groups:
        gname = str(entry.get("name", "")).strip()
        members = [str(m).strip() for m in entry.get("materials", []) if str(m).strip()]
        if not gname or len(members) < 2:
            errors.append(f"合并材料“{gname or '（未命名）'}”应有名称并列出两项以上材料")
        missing = [m for m in members if m not in materials]
        if missing:
            errors.append(f"合并材料“{gname}”中的“{'、'.join(missing)}”不是所含事项的材料")
        groups.append({"name": gname, "materials": members})
    if errors:
        raise ValidationError("一件事定义有误：" + "；".join(errors), code="bundle.invalid",
                              details={"errors": errors})
    return BundleDefinition(name=name, lead_department=definition.lead_department, items=items,
                            description=(definition.description or "").strip(),
                            aliases=(definition.aliases or "").strip(),
                            shared_fields=shared, material_groups=groups)


def _write(version: BundleVersion, definition: BundleDefinition) -> None:
    version.name, version.description = definition.name, definition.description
    version.aliases, version.lead_department = definition.aliases, definition.lead_department
    version.shared_fields, version.material_groups = definition.shared_fields, definition.material_groups
    version.save()
    version.entries.all().delete()
    BundleItem.objects.bulk_create([BundleItem(version=version, item=item, order=order)
                                    for order, item in enumerate(definition.items, start=1)])


def _record(version: BundleVersion, action: str, actor, comment: str = "",
            changes: dict | None = None) -> BundleEvent:
    return BundleEvent.objects.create(version=version, action=action, actor=actor,
                                      comment=comment, changes=changes or {})


def _lock(version: BundleVersion) -> BundleVersion:
    return (BundleVersion.objects.select_for_update().select_related("lead_department", "bundle")
            .get(pk=version.pk))


BUNDLE_FLOW = ReviewFlow(lock=_lock, department_of=lambda version: version.lead_department,
                         record=_record, code="bundle")


@transaction.atomic
def create_bundle(*, slug: str, definition: BundleDefinition, actor,
                  topics: list[Topic] | None = None) -> Bundle:
    """Register a bundle and its first draft, in the lead department's region."""
    require_role(actor, definition.lead_department, Role.CATALOG_EDITOR)
    cleaned = clean_definition(definition)
    slug = (slug or "").strip()
    if not SLUG.fullmatch(slug):
        raise ValidationError("标识应为2至60位小写字母、数字或连字符", code="bundle.slug_invalid")
    if Bundle.objects.filter(slug=slug).exists():
        raise Conflict(f"标识“{slug}”已被使用", code="bundle.slug_taken")
    bundle = Bundle.objects.create(slug=slug, region=cleaned.lead_department.region)
    if topics:
        bundle.topics.set(topics)
    version = BundleVersion(bundle=bundle, number=1, created_by=actor,
                            lead_department=cleaned.lead_department)
    _write(version, cleaned)
    _record(version, Action.CREATED, actor)
    return bundle


@transaction.atomic
def update_bundle_draft(version: BundleVersion, definition: BundleDefinition, *, actor) -> BundleVersion:
    version = _lock(version)
    require_role(actor, version.lead_department, Role.CATALOG_EDITOR)
    require_role(actor, definition.lead_department, Role.CATALOG_EDITOR)
    BUNDLE_FLOW.expect(version, VersionStatus.DRAFT, doing="修改")
    cleaned = clean_definition(definition)
    before = BundleDefinition.of(version)
    changes = {k: True for k in ("name", "description", "aliases", "shared_fields", "material_groups")
               if getattr(before, k) != getattr(cleaned, k)}
    if before.items != cleaned.items:
        changes["items"] = True
    if before.lead_department != cleaned.lead_department:
        changes["lead_department"] = True
    if changes:
        _write(version, cleaned)
        _record(version, Action.EDITED, actor, changes=changes)
    return version


@transaction.atomic
def set_bundle_topics(bundle: Bundle, topics: list[Topic], *, actor) -> None:
    """Where the bundle is listed (高效办成一件事 …): for the lead department's editors."""
    version = bundle.versions.select_related("lead_department").first()
    require_role(actor, version.lead_department, Role.CATALOG_EDITOR)
    bundle.topics.set(topics)


@transaction.atomic
def submit_bundle_version(version: BundleVersion, *, actor, comment: str = "") -> BundleVersion:
    return BUNDLE_FLOW.submit(version, actor=actor, comment=comment)


@transaction.atomic
def approve_bundle_version(version: BundleVersion, *, actor, comment: str = "") -> BundleVersion:
    """审核通过, by a reviewer of the lead department who did not write the version."""
    return BUNDLE_FLOW.approve(version, actor=actor, comment=comment)


@transaction.atomic
def reject_bundle_version(version: BundleVersion, *, actor, comment: str) -> BundleVersion:
    return BUNDLE_FLOW.reject(version, actor=actor, comment=comment)


@transaction.atomic
def publish_bundle_version(version: BundleVersion, *, actor, comment: str = "") -> BundleVersion:
    """Make an approved version the public one; the one it replaces becomes history. Its items
    must still be published: a bundle never offers an item nobody can apply for."""
    return BUNDLE_FLOW.publish(
        version, actor=actor, comment=comment,
        check=lambda v: clean_definition(BundleDefinition.of(v)),
        lock_owner=lambda v: Bundle.objects.select_for_update().get(pk=v.bundle_id))


@transaction.atomic
def withdraw_bundle(bundle: Bundle, *, actor, reason: str) -> BundleVersion:
    """停用: the bundle leaves the portal; applications already made go on."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    latest = bundle.versions.select_related("lead_department").first()
    return BUNDLE_FLOW.withdraw(bundle, latest.lead_department, actor=actor, reason=reason,
                                what="一件事", doing="停用")


@transaction.atomic
def start_bundle_revision(bundle: Bundle, *, actor) -> BundleVersion:
    """Editing a published (or withdrawn) bundle: its latest version copied into a new draft, or
    the draft / version under review that already exists."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    source = bundle.versions.select_related("lead_department").order_by("-number").first()
    require_role(actor, source.lead_department, Role.CATALOG_EDITOR)
    open_version = bundle.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED]).first()
    if open_version is not None:
        return open_version
    draft = BundleVersion(bundle=bundle, number=source.number + 1, created_by=actor,
                          lead_department=source.lead_department)
    definition = BundleDefinition.of(source)
    _write(draft, definition)
    _record(draft, Action.CREATED, actor, f"由第{source.number}版复制")
    return draft
