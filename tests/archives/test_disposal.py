"""销毁: only after retention, only on two approvals by two different authorised people, and a
record (who, when, what, the package's digests) that outlives the package."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from yiwang.archives import services
from yiwang.archives.errors import ArchiveError
from yiwang.archives.models import ArchivePackage, DisposalApproval, DisposalRecord
from yiwang.common.errors import NotFound, ValidationError
from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import AuditRecord


@pytest.fixture
def expired(world):
    """A package whose retention ended yesterday (a 10-year package closed long ago)."""
    package = services.form_package(world.refused())
    ArchivePackage.objects.filter(pk=package.pk).update(
        retention="D10", retention_until=timezone.localdate() - dt.timedelta(days=1))
    package.refresh_from_db()
    return package


def test_one_approval_is_not_enough(world, expired):
    assert services.approve_disposal(world.archivist, expired.pk, reason="保管期满") is None
    assert ArchivePackage.objects.filter(pk=expired.pk).exists()
    assert default_storage.exists(expired.file.name)
    assert not DisposalRecord.objects.exists()
    approval = DisposalApproval.objects.get(package=expired)
    assert (approval.approver, approval.reason) == (world.archivist, "保管期满")


def test_the_same_person_twice_is_refused(world, expired):
    services.approve_disposal(world.archivist, expired.pk, reason="保管期满")
    with pytest.raises(ArchiveError) as exc:
        services.approve_disposal(world.archivist, expired.pk, reason="再次确认")
    assert exc.value.code == "archive.same_approver"
    assert ArchivePackage.objects.filter(pk=expired.pk).exists()
    assert DisposalApproval.objects.filter(package=expired).count() == 1


def test_two_people_destroy_it_and_the_record_remains(world, expired, django_capture_on_commit_callbacks):
    services.approve_disposal(world.archivist, expired.pk, reason="保管期满，经鉴定无保存价值")
    with django_capture_on_commit_callbacks(execute=True):
        record = services.approve_disposal(world.region_archivist, expired.pk, reason="同意销毁")
    assert not ArchivePackage.objects.filter(pk=expired.pk).exists()
    assert not DisposalApproval.objects.exists()
    assert not default_storage.exists(expired.file.name)
    record = DisposalRecord.objects.get(pk=record.pk)
    assert (record.number, record.package_sm3, record.manifest_sm3, record.file_count) == (
        expired.number, expired.sm3, expired.manifest_sm3, expired.file_count)
    assert [(a["user_id"], a["name"], a["reason"]) for a in record.approvals] == [
        (world.archivist.pk, "archivist", "保管期满，经鉴定无保存价值"),
        (world.region_archivist.pk, "region_archivist", "同意销毁")]
    assert record.department == world.market and record.retention_until == expired.retention_until
    disposed = AuditRecord.objects.get(kind="archive.disposed")
    assert disposed.data["package_sm3"] == expired.sm3
    assert disposed.data["approvers"] == [world.archivist.pk, world.region_archivist.pk]
    assert verify_chain().ok


def test_a_destroyed_archive_is_not_formed_again(world, expired, capsys):
    services.approve_disposal(world.archivist, expired.pk, reason="保管期满")
    services.approve_disposal(world.region_archivist, expired.pk, reason="同意销毁")
    with pytest.raises(ArchiveError) as exc:
        services.form_package(expired.case)
    assert exc.value.code == "archive.disposed"
    assert services.form_missing_packages() == ([], [])


def test_before_the_end_of_retention_it_is_refused(world):
    package = services.form_package(world.refused())
    with pytest.raises(ArchiveError) as exc:
        services.approve_disposal(world.archivist, package.pk, reason="保管期满")
    assert exc.value.code == "archive.retention_not_ended"
    assert f"保管期限至{package.retention_until:%Y年%m月%d日}，届满前不能销毁" in exc.value.message
    assert not DisposalApproval.objects.exists()


def test_the_last_day_of_retention_is_still_inside_it(world, expired):
    ArchivePackage.objects.filter(pk=expired.pk).update(retention_until=timezone.localdate())
    with pytest.raises(ArchiveError) as exc:
        services.approve_disposal(world.archivist, expired.pk, reason="保管期满")
    assert exc.value.code == "archive.retention_not_ended"


def test_a_permanent_package_is_never_destroyed(world, expired):
    ArchivePackage.objects.filter(pk=expired.pk).update(retention="Y", retention_until=None)
    with pytest.raises(ArchiveError) as exc:
        services.approve_disposal(world.archivist, expired.pk, reason="保管期满")
    assert exc.value.code == "archive.permanent"


@pytest.mark.parametrize("who", ["other_archivist", "far_archivist", "decider", "supervisor"])
def test_people_without_the_package_in_their_archives_scope_cannot_approve(world, expired, who):
    with pytest.raises(NotFound):
        services.approve_disposal(getattr(world, who), expired.pk, reason="保管期满")
    assert not DisposalApproval.objects.exists()


def test_a_reason_is_required(world, expired):
    with pytest.raises(ValidationError) as exc:
        services.approve_disposal(world.archivist, expired.pk, reason="  ")
    assert exc.value.code == "archive.reason_required"
