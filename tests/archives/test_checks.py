"""四性检测 (DA/T 70): what the report says of a sound package, and what it finds in one that was
tampered with, holds active content, or a virus scanner flags."""

from __future__ import annotations

import io
import zipfile

from django.core.files.storage import default_storage

from tests.cases.factories import pdf
from yiwang.archives import services
from yiwang.archives.models import ArchiveCheck
from yiwang.cases import services as cases
from yiwang.supervision.models import AuditRecord

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def flag_eicar(path: str, content: bytes) -> str | None:
    """A stand-in for a ClamAV client: the EICAR test string is the one 'virus' it knows."""
    return "Eicar-Test-Signature" if EICAR in content else None


def items(check) -> dict[str, dict]:
    return {item["code"]: {**item, "aspect": aspect["key"]}
            for aspect in check.report["aspects"] for item in aspect["items"]}


def rewrite(package, change) -> None:
    """Replace the stored zip by one whose members went through ``change(members)``."""
    with zipfile.ZipFile(io.BytesIO(services.read_package(package))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with default_storage.open(package.file.name, "wb") as handle:
        handle.write(buffer.getvalue())


def test_a_sound_package_passes_all_four_aspects_with_the_virus_scan_marked_skipped(world):
    check = services.form_package(world.denied()).latest_check
    report = check.report
    assert report["passed"] and check.passed and check.checked_by is None
    assert [(a["key"], a["label"], a["passed"]) for a in report["aspects"]] == [
        ("authenticity", "真实性", True), ("integrity", "完整性", True),
        ("usability", "可用性", True), ("security", "安全性", True)]
    found = items(check)
    assert {code: (i["aspect"], i["status"]) for code, i in found.items()} == {
        "signature.valid": ("authenticity", "pass"), "manifest.registered": ("authenticity", "pass"),
        "package.digest": ("integrity", "pass"), "files.digests": ("integrity", "pass"),
        "files.complete": ("integrity", "pass"), "metadata.complete": ("integrity", "pass"),
        "package.readable": ("usability", "pass"), "files.formats": ("usability", "pass"),
        "files.no_executable": ("security", "pass"), "files.virus_scan": ("security", "skip")}
    assert "平台存证专用章" in found["signature.valid"]["detail"]
    assert found["files.virus_scan"]["detail"] == "未配置病毒扫描程序（ARCHIVE_VIRUS_SCANNER），未扫描"


def test_a_rerun_finds_a_file_changed_in_storage_and_is_kept_beside_the_first(world):
    package = services.form_package(world.refused())

    def alter(members):
        members["materials/01-营业执照.pdf"] = b"%PDF-1.4 forged"

    rewrite(package, alter)
    check = services.recheck(world.archivist, package.pk)
    found = items(check)
    assert not check.passed and check.checked_by == world.archivist
    assert found["package.digest"]["status"] == "fail"
    assert found["files.digests"]["status"] == "fail"
    assert "materials/01-营业执照.pdf" in found["files.digests"]["detail"]
    assert found["signature.valid"]["status"] == "pass"  # the manifest itself is untouched
    assert [c.passed for c in ArchiveCheck.objects.filter(package=package).order_by("id")] == [True, False]
    assert AuditRecord.objects.filter(kind="archive.checked", actor_id=world.archivist.pk).exists()


def test_a_missing_or_extra_file_and_an_edited_manifest_fail_integrity_and_authenticity(world):
    package = services.form_package(world.refused())

    def tamper(members):
        del members["process/tasks.json"]
        members["materials/99-extra.pdf"] = b"%PDF-1.4"
        members["manifest.json"] = members["manifest.json"].replace("不予受理".encode(), "已送达".encode())

    rewrite(package, tamper)
    found = items(services.run_checks(package))
    assert found["files.complete"]["status"] == "fail"
    assert "缺少 process/tasks.json" in found["files.complete"]["detail"]
    assert "多出 materials/99-extra.pdf" in found["files.complete"]["detail"]
    assert found["signature.valid"]["status"] == "fail"
    assert "摘要不符" in found["signature.valid"]["detail"]
    assert found["manifest.registered"]["status"] == "fail"


def test_an_unreadable_package_fails_usability(world):
    package = services.form_package(world.refused())
    with default_storage.open(package.file.name, "wb") as handle:
        handle.write(b"not a zip")
    check = services.run_checks(package)
    assert not check.passed
    assert items(check)["package.readable"]["status"] == "fail"


def test_a_pdf_with_javascript_fails_security(world):
    case = world.draft(files=("健康证明",))
    material = case.version.materials.get(name="营业执照")
    scripted = b"%PDF-1.4\n1 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n%%EOF"
    cases.attach_file(case, world.user, material.pk, pdf("营业执照.pdf", scripted))
    case = cases.not_accept(cases.submit(case, world.user, key=None), world.acceptor, "不符合")
    check = services.form_package(case).latest_check
    found = items(check)
    assert not check.passed
    assert found["files.no_executable"]["status"] == "fail"
    assert "PDF 含脚本" in found["files.no_executable"]["detail"]


def test_a_configured_virus_scanner_is_asked_about_every_file(world, settings):
    settings.ARCHIVE_VIRUS_SCANNER = "tests.archives.test_checks.flag_eicar"
    package = services.form_package(world.refused())
    assert items(package.latest_check)["files.virus_scan"]["status"] == "pass"

    def infect(members):
        members["materials/01-营业执照.pdf"] = b"%PDF-1.4 " + EICAR

    rewrite(package, infect)
    found = items(services.run_checks(package))
    assert found["files.virus_scan"]["status"] == "fail"
    assert "materials/01-营业执照.pdf：Eicar-Test-Signature" in found["files.virus_scan"]["detail"]


def test_a_package_whose_file_is_gone_from_storage_fails_its_check(world):
    package = services.form_package(world.refused())
    default_storage.delete(package.file.name)
    check = services.run_checks(package)
    assert not check.passed
    assert items(check)["package.present"]["detail"].endswith("的信息包文件不在存储中")
