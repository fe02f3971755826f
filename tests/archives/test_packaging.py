"""归档: a closed case's package is formed after the closing commits, holds the full record with
SM3 digests, is signed by the platform seal and checked; retention comes from the guide."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.portal.factories import republish
from yiwang.archives import services
from yiwang.archives.errors import ArchiveError
from yiwang.archives.models import ArchivePackage
from yiwang.archives.packaging import MANIFEST, SIGNATURE, data_hash, open_package
from yiwang.cases import services as cases
from yiwang.cases.models import Status
from yiwang.catalog.guide import clean_guide
from yiwang.catalog.models import RetentionPeriod
from yiwang.common.errors import ValidationError
from yiwang.seals import services as seals
from yiwang.seals.crypto import sm3_hex
from yiwang.seals.models import SealUse
from yiwang.supervision.audit import verify_chain
from yiwang.supervision.models import AuditRecord


def zip_of(package: ArchivePackage) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(services.read_package(package))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_closing_a_case_forms_its_package_once_the_closing_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = world.refused()
        assert not ArchivePackage.objects.exists()  # not inside the closing transaction
    for callback in callbacks:
        callback()
    package = ArchivePackage.objects.get(case=case)
    assert (package.number, package.outcome, package.department, package.applicant_name) == (
        case.number, "不予受理", world.market, "王芳")
    assert package.seal_code == world.platform_seal.seal_code
    assert package.latest_check.passed
    assert AuditRecord.objects.filter(kind="archive.formed", subject_id=str(package.pk)).exists()
    assert verify_chain().ok


def test_a_case_still_open_is_not_archived_and_a_second_forming_returns_the_first_package(world):
    case = world.accepted()
    with pytest.raises(ArchiveError) as exc:
        services.form_package(case)
    assert exc.value.code == "archive.case_open"
    closed = world.refused()
    first = services.form_package(closed)
    assert services.form_package(closed) == first
    assert ArchivePackage.objects.count() == 1


def test_the_package_holds_the_full_record_each_file_with_its_digest(world):
    case = world.denied()
    package = services.form_package(case)
    members = zip_of(package)
    manifest = json.loads(members[MANIFEST])
    listed = {row["path"]: row for row in manifest["files"]}
    assert set(members) == {*listed, MANIFEST, SIGNATURE}
    assert package.file_count == len(listed)
    for path, row in listed.items():
        assert row["sm3"] == sm3_hex(members[path]) and row["size"] == len(members[path])
    assert package.sm3 == sm3_hex(services.read_package(package))
    assert package.manifest_sm3 == sm3_hex(members[MANIFEST])

    metadata = json.loads(members["metadata/case.json"])
    # The archive is the record: the applicant's ID number is kept whole, not masked.
    assert metadata["applicant"] == {"kind": "person", "name": "王芳",
                                     "id_number": case.applicant_id_number}
    assert metadata["item"]["implementation_code"] == world.item.implementation_code
    assert manifest["case"]["outcome"] == "办结（不通过）"
    uploads = {name: content for name, content in members.items() if name.startswith("materials/")}
    assert sorted(uploads) == ["materials/01-营业执照.pdf", "materials/02-健康证明.pdf"]
    assert all(content.startswith(b"%PDF-") for content in uploads.values())
    assert json.loads(members["application/form.json"])["values"]["shop_name"] == "净月潭小吃店"
    result = json.loads(members["results/result.json"])
    assert (result["document"], result["reason"]) == ("不予行政许可决定书", "卫生条件不符合要求")
    events = [e["action"] for e in json.loads(members["process/events.json"])]
    assert events == ["submit", "accept", "start_review", "reviewed", "reviewed", "decide"]
    records = json.loads(members["audit/records.json"])
    stored = AuditRecord.objects.filter(subject_type="cases.case", subject_id=str(case.pk)).order_by("seq")
    assert [(r["seq"], r["hash"]) for r in records] == [(a.seq, a.hash) for a in stored]
    assert manifest["retention"] == {"code": "D30", "label": "30年",
                                     "until": f"{timezone.localdate().year + 30}-12-31"}


def test_the_manifest_is_signed_by_the_platform_seal_without_a_person(world):
    package = services.form_package(world.refused())
    opened = open_package(services.read_package(package))
    assert opened.signature["signer"] == seals.PLATFORM_SIGNER
    assert opened.signature["data_hash"] == data_hash(opened.manifest_bytes)
    assert seals.verify({"manifest_sm3": sm3_hex(opened.manifest_bytes)}, opened.signature).ok
    use = SealUse.objects.get(seal=world.platform_seal)
    assert (use.actor, use.actor_name, use.purpose) == (None, "平台", f"归档信息包 {package.number}")


def test_a_configured_platform_seal_code_wins_and_a_missing_seal_is_a_clear_error(world, settings):
    settings.PLATFORM_SEAL_CODE = "000000000000000000"
    with pytest.raises(seals.SealStateError) as exc:
        services.form_package(world.refused())
    assert exc.value.code == "seal.platform_missing"
    assert not ArchivePackage.objects.exists()
    settings.PLATFORM_SEAL_CODE = world.platform_seal.seal_code
    assert services.form_package(world.refused()).seal_code == world.platform_seal.seal_code


def test_the_command_archives_closed_cases_that_have_no_package(world, capsys, settings):
    refused, denied = world.refused(), world.denied()
    world.accepted()  # open: left alone
    call_command("archive_closed_cases")
    assert set(ArchivePackage.objects.values_list("case", flat=True)) == {refused.pk, denied.pk}
    assert "新归档 2 件，失败 0 件" in capsys.readouterr().out
    call_command("archive_closed_cases", "--recheck")
    assert "未通过 0 件" in capsys.readouterr().out


def test_the_command_reports_a_case_it_cannot_archive_and_fails(world, capsys, settings):
    world.refused()
    settings.PLATFORM_SEAL_CODE = "000000000000000000"
    with pytest.raises(SystemExit) as exc:
        call_command("archive_closed_cases")
    assert exc.value.code == 1
    assert "平台存证专用章" in capsys.readouterr().err


# --- retention ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("retention", "until"), [
    ("D10", dt.date(2036, 12, 31)), ("D30", dt.date(2056, 12, 31)), ("Y", None)])
def test_retention_counts_whole_years_from_the_year_after_closing(retention, until):
    assert services.retention_until(dt.date(2026, 1, 5), retention) == until
    assert services.retention_until(dt.date(2026, 12, 31), retention) == until


def test_the_package_keeps_the_retention_of_the_guide_the_case_was_handled_under(world):
    world.item = republish(world.item, retention_period=RetentionPeriod.YEARS_10)
    ten_years = services.form_package(world.refused())
    assert (ten_years.retention, ten_years.retention_until) == (
        "D10", dt.date(timezone.localdate().year + 10, 12, 31))
    world.item = republish(world.item, retention_period=RetentionPeriod.PERMANENT)
    permanent = services.form_package(world.refused())
    assert (permanent.retention, permanent.retention_until) == ("Y", None)
    assert json.loads(zip_of(permanent)[MANIFEST])["retention"] == {
        "code": "Y", "label": "永久", "until": None}


def test_a_guide_takes_retention_by_code_or_label_defaults_to_30_years_and_refuses_others():
    from tests.factories import guide_data

    assert clean_guide(guide_data())["retention_period"] == "D30"
    assert clean_guide(guide_data(retention_period="永久"))["retention_period"] == "Y"
    assert clean_guide(guide_data(retention_period="D10"))["retention_period"] == "D10"
    with pytest.raises(ValidationError) as exc:
        clean_guide(guide_data(retention_period="5年"))
    assert "档案保管期限“5年”无效" in exc.value.message


def test_withdrawn_and_delivered_cases_are_archived_too(world):
    withdrawn = cases.withdraw(world.submitted(), world.user, "填错了")
    package = services.form_package(withdrawn)
    assert package.outcome == "已撤回" and withdrawn.status == Status.WITHDRAWN
    assert package.latest_check.passed


def test_a_material_gone_from_storage_stops_the_archiving_with_its_name(world):
    from django.core.files.storage import default_storage

    case = world.refused()
    default_storage.delete(case.files.get(original_name="营业执照.pdf").file.name)
    with pytest.raises(ArchiveError) as exc:
        services.form_package(case)
    assert exc.value.code == "archive.file_missing"
    assert "“营业执照.pdf”的文件已不在存储中" in exc.value.message
    assert not ArchivePackage.objects.exists()


def test_only_a_system_administrator_may_make_a_platform_seal(world):
    """Without YIWANG_PLATFORM_SEAL_CODE the one active seal of kind AUDIT is the platform seal: a
    department administrator must not be able to make one (it would sign every package and
    checkpoint, or, being a second one, stop both)."""
    import datetime as dt

    from tests.seals.conftest import png
    from yiwang.common.errors import PermissionDenied
    from yiwang.seals.models import Seal, SealKind

    admin = world.market_admin  # 部门管理员 of the market department
    today = timezone.localdate()
    with pytest.raises(PermissionDenied) as exc:
        seals.create_seal(department=world.market, name="存证专用章", kind=SealKind.AUDIT,
                          image=png(), valid_from=today, valid_until=today + dt.timedelta(days=30),
                          actor=admin)
    assert exc.value.code == "seal.platform_kind_reserved"
    assert Seal.objects.filter(kind=SealKind.AUDIT).get() == world.platform_seal


def test_two_platform_seals_stop_archiving_until_the_code_is_set(world, settings):
    import datetime as dt

    from tests.factories import UserFactory
    from tests.seals.conftest import png
    from yiwang.seals.models import SealKind

    root = UserFactory(username="system_admin2", is_superuser=True)
    today = timezone.localdate()
    seals.create_seal(department=world.market, name=SealKind.AUDIT.label, kind=SealKind.AUDIT,
                      image=png(), valid_from=today, valid_until=today + dt.timedelta(days=30), actor=root)
    with pytest.raises(seals.SealStateError) as exc:
        services.form_package(world.refused())
    assert exc.value.code == "seal.platform_missing"
    settings.PLATFORM_SEAL_CODE = world.platform_seal.seal_code
    assert services.form_package(world.refused()).seal_code == world.platform_seal.seal_code


def test_a_delivered_case_s_package_carries_its_licence_whose_seal_signature_still_verifies(world):
    world.seal()
    case = world.delivered()
    members = zip_of(services.form_package(case))
    licence = json.loads(members["results/licence.json"])
    assert licence["identifier"] == case.licence.identifier
    assert licence["content"]["holder"]["id_number"] == case.applicant_id_number
    assert seals.verify(licence["content"], licence["signature"]).ok
    assert json.loads(members["results/result.json"])["document"] == "准予行政许可决定书"
    assert [e["action"] for e in json.loads(members["process/events.json"])][-2:] == ["certify", "deliver"]
