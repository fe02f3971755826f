"""Every change of the archive: 归档 (form_package), 四性检测 (run_checks), 下载 (open_package_file),
销毁审批 (approve_disposal), and the export for the archives system (export_packages)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.cases.models import FINAL_STATUSES, Case
from yiwang.cases.selectors import closed_cases
from yiwang.catalog.models import RetentionPeriod
from yiwang.common.errors import ValidationError
from yiwang.seals.crypto import sm3_hex
from yiwang.seals.models import Seal
from yiwang.seals.services import platform_seal, sign_as_platform
from yiwang.supervision import audit

from . import access, checks, contents, packaging
from .errors import ArchiveError
from .models import ArchiveCheck, ArchivePackage, DisposalApproval, DisposalRecord

DISPOSAL_APPROVALS = 2
MAX_REASON = 500


def retention_until(closed_on: dt.date, retention: str) -> dt.date | None:
    """The last day of retention: 保管期限 counts in whole years from the 1st of January after
    the year the case closed (DA/T 22), so a case closed in 2026 kept 10 years ends on
    2036-12-31. None for 永久."""
    years = RetentionPeriod(retention).years
    return None if years is None else dt.date(closed_on.year + years, 12, 31)


def form_package(case: Case) -> ArchivePackage:
    """归档: the package of a closed case, formed, signed with the platform seal, stored and
    checked (四性检测); the existing one if the case has one already, so the task and the
    command may both run for the same case."""
    existing = ArchivePackage.objects.filter(case=case).first()
    if existing is not None:
        return existing
    case = (Case.objects.select_related("item", "version", "department", "region", "company")
            .get(pk=case.pk))
    if case.status not in FINAL_STATUSES or not case.number:
        raise ArchiveError(f"办件{case.number or case.pk}尚未办结，不能归档", code="archive.case_open")
    if DisposalRecord.objects.filter(number=case.number).exists():
        # Its archive was destroyed at the end of retention: forming it again would undo that.
        raise ArchiveError(f"办件{case.number}的档案已于保管期满后销毁，不再归档", code="archive.disposed")
    closed_at = case.closed_at or case.updated_at
    retention = case.version.retention_period
    until = retention_until(timezone.localtime(closed_at).date(), retention)
    seal = platform_seal()
    entries = contents.entries_of(case)
    formed_at = timezone.now()
    manifest = packaging.build_manifest(
        metadata=contents.case_metadata(case), entries=entries, formed_at=formed_at, seal_code=seal.seal_code,
        retention={"code": retention, "label": RetentionPeriod(retention).label,
                   "until": until.isoformat() if until else None})
    name = None
    try:
        with transaction.atomic():
            signature = sign_as_platform(packaging.signed_data(manifest), seal=seal,
                                         purpose=f"归档信息包 {case.number}")
            data = packaging.zip_package(entries, manifest, signature)
            name = default_storage.save(f"archives/{formed_at:%Y/%m}/{case.number}.zip", ContentFile(data))
            package = ArchivePackage.objects.create(
                case=case, number=case.number, item_name=case.version.name,
                department=case.department, region=case.region, applicant_name=case.applicant_name,
                outcome=case.get_status_display(), closed_at=closed_at, retention=retention,
                retention_until=until, file=name, size=len(data), sm3=sm3_hex(data),
                manifest_sm3=sm3_hex(manifest), file_count=len(entries),
                seal_code=seal.seal_code, formed_at=formed_at)
            audit.record("archive.formed", subject=package,
                         summary=f"办件{case.number}归档（{package.get_retention_display()}）",
                         data={"number": case.number, "sm3": package.sm3,
                               "manifest_sm3": package.manifest_sm3, "files": len(entries),
                               "retention": retention})
            run_checks(package)
    except IntegrityError:
        # Another worker formed it first: keep theirs, drop this copy.
        if name:
            default_storage.delete(name)
        return ArchivePackage.objects.get(case=case)
    except BaseException:
        if name:
            default_storage.delete(name)
        raise
    return package


def form_missing_packages() -> tuple[list[ArchivePackage], list[tuple[str, str]]]:
    """归档 of every closed case without a package: (packages formed, [(number, why) failed])."""
    formed, failed = [], []
    cases = (closed_cases().filter(archive_package__isnull=True)
             .exclude(number__in=DisposalRecord.objects.values("number")))
    for case in cases.order_by("closed_at", "pk"):
        try:
            formed.append(form_package(case))
        except ArchiveError as exc:
            failed.append((case.number, exc.message))
        except Exception as exc:
            failed.append((case.number, getattr(exc, "message", str(exc))))
    return formed, failed


def expected(package: ArchivePackage) -> checks.Expected:
    return checks.Expected(number=package.number, sm3=package.sm3,
                           manifest_sm3=package.manifest_sm3, file_count=package.file_count)


def read_package(package: ArchivePackage) -> bytes:
    return contents.read_stored(package.file, f"档案{package.number}的信息包文件不在存储中")


@transaction.atomic
def run_checks(package: ArchivePackage, *, actor=None) -> ArchiveCheck:
    """四性检测 of the stored package; the report is kept with it (every run, not only the last)."""
    try:
        data = read_package(package)
    except ArchiveError as exc:
        report = {"standard": "DA/T 70-2018", "checked_at": timezone.now().isoformat(), "passed": False,
                  "aspects": [{"key": "integrity", "label": "完整性", "passed": False, "items": [
                      {"code": "package.present", "label": "信息包文件存在", "status": checks.FAIL,
                       "detail": exc.message}]}]}
    else:
        report = checks.four_properties(data, expected(package))
    check = ArchiveCheck.objects.create(package=package, passed=report["passed"], report=report,
                                        checked_at=timezone.now(), checked_by=actor)
    if actor is not None:
        audit.record("archive.checked", actor=actor, subject=package,
                     summary=f"档案{package.number}四性检测：{'通过' if check.passed else '未通过'}",
                     data={"passed": check.passed})
    return check


def recheck(user, pk) -> ArchiveCheck:
    """四性检测 again, by an archivist who may see the package."""
    return run_checks(access.package_for(user, pk), actor=user)


@transaction.atomic
def open_package_file(user, pk, *, ip: str | None = None) -> tuple[ArchivePackage, bytes]:
    """下载: the package and its bytes for an archivist who may see it; audited, since a package
    holds personal data unmasked."""
    package = access.package_for(user, pk)
    data = read_package(package)
    audit.record("archive.downloaded", actor=user, subject=package, ip=ip,
                 summary=f"下载档案{package.number}的归档信息包", data={"sm3": package.sm3})
    return package, data


def approve_disposal(user, pk, *, reason: str) -> DisposalRecord | None:
    """销毁审批: one approval to destroy a package whose retention has ended. The second approval,
    by another authorised person, destroys it: the zip and the row go, and a DisposalRecord (who
    approved, when, what, the package's digests) stays. Returns that record, or None while an
    approval is still missing.

    Refused (409): a 永久 package (``archive.permanent``), retention not yet ended
    (``archive.retention_not_ended``), the same person approving twice (``archive.same_approver``)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写销毁意见", code="archive.reason_required")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"销毁意见不能超过{MAX_REASON}个字符", code="archive.reason_too_long")
    with transaction.atomic():
        # Authorised = holds the package in their archives scope (package_for), as for every
        # other archive action.
        package = access.package_for(user, pk)
        # Two archivists approving at the same moment take turns here, so exactly one destroys.
        package = ArchivePackage.objects.select_for_update().get(pk=package.pk)
        if package.retention_until is None:
            raise ArchiveError(f"档案{package.number}为永久保管，不能销毁", code="archive.permanent")
        if not package.retention_ended:
            raise ArchiveError(f"档案{package.number}的保管期限至{package.retention_until:%Y年%m月%d日}，"
                               "届满前不能销毁", code="archive.retention_not_ended",
                               details={"retention_until": package.retention_until.isoformat()})
        if package.approvals.filter(approver=user).exists():
            raise ArchiveError("您已审批过该档案的销毁，还需另一位档案人员审批", code="archive.same_approver")
        now = timezone.now()
        DisposalApproval.objects.create(package=package, approver=user, approver_name=user.get_username(),
                                        reason=reason, approved_at=now)
        audit.record("archive.disposal_approved", actor=user, subject=package,
                     summary=f"审批销毁档案{package.number}：{reason}", data={"reason": reason})
        approvals = list(package.approvals.order_by("approved_at", "id"))
        if len(approvals) < DISPOSAL_APPROVALS:
            return None
        record = DisposalRecord.objects.create(
            number=package.number, item_name=package.item_name, department=package.department,
            region=package.region, closed_at=package.closed_at, retention=package.retention,
            retention_until=package.retention_until, package_sm3=package.sm3,
            manifest_sm3=package.manifest_sm3, file_count=package.file_count, disposed_at=now,
            approvals=[{"user_id": a.approver_id, "name": a.approver_name, "reason": a.reason,
                        "at": a.approved_at.isoformat()} for a in approvals])
        name = package.file.name
        package.delete()
        names = "、".join(a.approver_name for a in approvals)
        audit.record("archive.disposed", actor=user, subject=record,
                     summary=f"销毁档案{record.number}（{names}审批）",
                     data={"number": record.number, "package_sm3": record.package_sm3,
                           "manifest_sm3": record.manifest_sm3,
                           "approvers": [a.approver_id for a in approvals]})
        transaction.on_commit(lambda: default_storage.delete(name))
    return record


def export_packages(packages, directory: Path) -> list[Path]:
    """移交导出: each package as ``<办件编号>.zip`` with its latest 四性检测 report
    (``<办件编号>.check.json``), and the public key of every seal that signed them
    (``<印章编码>.pem``), which ``python -m verifier archive`` takes as ``--public-key``."""
    directory.mkdir(parents=True, exist_ok=True)
    written, seal_codes = [], set()
    for package in packages:
        target = directory / f"{package.number}.zip"
        target.write_bytes(read_package(package))
        check = package.latest_check
        report = directory / f"{package.number}.check.json"
        report.write_text(json.dumps(check.report if check else {}, ensure_ascii=False, indent=2),
                          encoding="utf-8")
        written += [target, report]
        seal_codes.add(package.seal_code)
    for seal in Seal.objects.filter(seal_code__in=seal_codes).defer("encrypted_private_key"):
        pem = directory / f"{seal.seal_code}.pem"
        pem.write_text(seal.public_key_pem, encoding="ascii")
        written.append(pem)
    return written

