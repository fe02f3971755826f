"""Publishing helpers for portal tests: items go through the real catalogue services (create,
submit, approve, publish), written by one superuser and approved by another (four-eyes rule)."""

from __future__ import annotations

from tests.factories import DepartmentFactory, RegionFactory, UserFactory, guide_data
from yiwang.catalog import services
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.regions.models import RegionLevel


def _people():
    author = UserFactory(username="portal-author", is_superuser=True)
    approver = UserFactory(username="portal-approver", is_superuser=True)
    return author, approver


def _publish_draft(item: ServiceItem) -> None:
    author, approver = _people()
    draft = item.versions.get(status=VersionStatus.DRAFT)
    services.submit_version(draft, actor=author)
    services.approve_version(draft, actor=approver)
    services.publish_version(draft, actor=approver)


def publish_item(department, *, item_type: str = "01", topics=None, basic_code=None,
                 **guide) -> ServiceItem:
    """Create and publish an item with ``guide_data(**guide)``; the same ``basic_code`` in
    several departments makes one service implemented by several bodies."""
    author, _ = _people()
    item = services.create_item(department=department, item_type=item_type, level="2",
                                guide=guide_data(**guide), actor=author, topics=topics,
                                basic_code=basic_code)
    _publish_draft(item)
    return ServiceItem.objects.get(pk=item.pk)


def republish(item: ServiceItem, **changes) -> ServiceItem:
    """Edit a published item (a new draft copied from it) and publish the change."""
    author, _ = _people()
    draft = services.start_revision(item, actor=author)
    services.update_draft(draft, {**guide_to_dict(draft), **changes}, actor=author)
    _publish_draft(item)
    return ServiceItem.objects.get(pk=item.pk)


def withdraw(item: ServiceItem, reason: str = "暂停办理") -> None:
    services.withdraw_item(item, actor=_people()[1], reason=reason)


def city(code: str = "220100", name: str = "长春市"):
    province = RegionFactory()
    return RegionFactory(code=code, name=name, level=RegionLevel.CITY, parent=province,
                         path=f"{province.path}{code}/", full_name=f"{province.name}{name}")


def county(parent, code: str = "220102", name: str = "南关区"):
    return RegionFactory(code=code, name=name, level=RegionLevel.COUNTY, parent=parent,
                         path=f"{parent.path}{code}/", full_name=f"{parent.full_name}{name}")


def department_in(region, **fields):
    return DepartmentFactory(region=region, **fields)


def publish_bundle(department, items, *, slug: str, name: str, topics=None, **definition):
    """Create and publish a 一件事 of ``items`` led by ``department``, through the real bundle
    services (written by one person, approved by another)."""
    from yiwang.cases import services as case_services

    author, approver = _people()
    bundle = case_services.create_bundle(
        slug=slug, actor=author, topics=topics, definition=case_services.BundleDefinition(
            name=name, lead_department=department, items=list(items), **definition))
    version = bundle.versions.get()
    case_services.submit_bundle_version(version, actor=author)
    case_services.approve_bundle_version(version, actor=approver)
    case_services.publish_bundle_version(version, actor=approver)
    bundle.refresh_from_db()
    return bundle
