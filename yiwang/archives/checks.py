"""四性检测 (DA/T 70-2018 文书类电子档案检测一般要求, applied to a case's package): authenticity
(真实性), integrity (完整性), usability (可用性) and security (安全性) of a stored package, judged
from its bytes and the record the platform keeps of it. The result is a plain dict (stored as
``ArchiveCheck.report``), one item per check with a code, a Chinese label, ``pass``/``fail``/
``skip`` and what was found."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from yiwang.cases.uploads import content_type_of
from yiwang.seals.crypto import sm3_hex
from yiwang.seals.services import verify

from .contents import REQUIRED_METADATA
from .errors import ArchiveError
from .packaging import JSON_TYPE, MANIFEST, SIGNATURE, OpenedPackage, open_package, signed_data

ASPECTS = (("authenticity", "真实性"), ("integrity", "完整性"), ("usability", "可用性"),
           ("security", "安全性"))
PASS, FAIL, SKIP = "pass", "fail", "skip"
# Content that runs: PE (MZ), ELF, Mach-O, scripts with a #! line, Java classes.
EXECUTABLE_HEADS = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe",
                    b"\xce\xfa\xed\xfe", b"#!", b"\xca\xfe\xba\xbe")
EXECUTABLE_SUFFIXES = (".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".scr", ".js", ".vbs",
                       ".ps1", ".sh", ".jar", ".apk", ".py", ".so", ".dylib")
# PDF actions that run code or other programs when the file is opened.
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")


@dataclass
class Expected:
    """What the platform recorded of the package when it was formed."""

    number: str
    sm3: str
    manifest_sm3: str
    file_count: int


@dataclass
class Report:
    items: dict[str, list[dict]] = field(default_factory=lambda: {key: [] for key, _ in ASPECTS})

    def add(self, aspect: str, code: str, label: str, ok: bool | None, detail: str = "") -> None:
        status = SKIP if ok is None else PASS if ok else FAIL
        self.items[aspect].append({"code": code, "label": label, "status": status, "detail": detail})

    def as_dict(self, checked_at: dt.datetime) -> dict:
        aspects = [{"key": key, "label": label, "passed": all(i["status"] != FAIL for i in self.items[key]),
                    "items": self.items[key]} for key, label in ASPECTS]
        return {"standard": "DA/T 70-2018", "checked_at": checked_at.isoformat(),
                "passed": all(a["passed"] for a in aspects), "aspects": aspects}


def four_properties(data: bytes, expected: Expected) -> dict:
    """The 四性检测 report of a package's bytes against what was recorded when it was formed."""
    report = Report()
    report.add("integrity", "package.digest", "信息包摘要与归档登记一致", sm3_hex(data) == expected.sm3,
               "SM3 一致" if sm3_hex(data) == expected.sm3 else "信息包在归档后被改动或替换")
    try:
        package = open_package(data)
    except ArchiveError as exc:
        report.add("usability", "package.readable", "信息包可以打开", False, exc.message)
        return report.as_dict(timezone.now())
    report.add("usability", "package.readable", "信息包可以打开", True, f"共 {len(package.members)} 个文件")
    _authenticity(report, package, expected)
    _integrity(report, package, expected)
    _usability(report, package)
    _security(report, package)
    return report.as_dict(timezone.now())


def _authenticity(report: Report, package: OpenedPackage, expected: Expected) -> None:
    result = verify(signed_data(package.manifest_bytes), package.signature)
    report.add("authenticity", "signature.valid", "清单的平台存证专用章签章有效", result.ok, result.reason)
    case = _case(package)
    same = (case.get("number") == expected.number
            and sm3_hex(package.manifest_bytes) == expected.manifest_sm3)
    report.add("authenticity", "manifest.registered", "清单与归档登记的办件和清单摘要一致", same,
               f"办件编号 {case.get('number')}" if same else "清单不是归档时登记的那一份")


def _integrity(report: Report, package: OpenedPackage, expected: Expected) -> None:
    listed = package.listed
    mismatched = [path for path, row in listed.items() if path in package.members
                  and (sm3_hex(package.members[path]) != row.get("sm3")
                       or len(package.members[path]) != row.get("size"))]
    report.add("integrity", "files.digests", "每个文件的 SM3 摘要和大小与清单一致", not mismatched,
               "、".join(mismatched) + " 与清单不符" if mismatched else f"{len(listed)} 个文件一致")
    missing = sorted(set(listed) - set(package.members))
    extra = sorted(set(package.members) - set(listed) - {MANIFEST, SIGNATURE})
    problems = ([f"缺少 {'、'.join(missing)}"] if missing else []) + (
        [f"多出 {'、'.join(extra)}"] if extra else [])
    if len(listed) != expected.file_count:
        problems.append(f"清单列出 {len(listed)} 个文件，归档登记为 {expected.file_count} 个")
    report.add("integrity", "files.complete", "文件齐全，无缺失、无多余", not problems,
               "；".join(problems) or f"{len(listed)} 个文件齐全")
    case = _case(package)
    absent = [label for path, label in REQUIRED_METADATA if not _lookup(case, path)]
    if not (package.manifest.get("retention") or {}).get("code"):
        absent.append("保管期限")
    report.add("integrity", "metadata.complete", "元数据项齐全", not absent,
               f"缺少：{'、'.join(absent)}" if absent else f"{len(REQUIRED_METADATA) + 1} 项必备元数据齐全")


def _case(package: OpenedPackage) -> dict:
    case = package.manifest.get("case")
    return case if isinstance(case, dict) else {}


def _lookup(data: dict, path: str):
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _usability(report: Report, package: OpenedPackage) -> None:
    unreadable = []
    for path, row in package.listed.items():
        content = package.members.get(path)
        if content is None:
            continue
        declared = row.get("format")
        if declared == JSON_TYPE:
            try:
                json.loads(content)
            except ValueError:
                unreadable.append(f"{path}（不是有效的 JSON）")
        elif content_type_of(content) != declared:
            unreadable.append(f"{path}（声明为 {declared}，内容不符）")
    report.add("usability", "files.formats", "文件可以打开，格式与声明一致", not unreadable,
               "；".join(unreadable) or "全部文件格式正确")


def _security(report: Report, package: OpenedPackage) -> None:
    risky = []
    for path, content in package.members.items():
        if content.startswith(EXECUTABLE_HEADS) or path.lower().endswith(EXECUTABLE_SUFFIXES):
            risky.append(f"{path}（可执行内容）")
        elif content.startswith(b"%PDF-") and any(marker in content for marker in PDF_ACTIVE):
            risky.append(f"{path}（PDF 含脚本、启动动作或嵌入文件）")
        elif content.startswith(b"PK\x03\x04") and _zip_has_executable(content):
            risky.append(f"{path}（压缩内容含可执行文件）")
    report.add("security", "files.no_executable", "不含可执行内容", not risky,
               "；".join(risky) or "未发现可执行内容或活动脚本")
    scanner = virus_scanner()
    if scanner is None:
        report.add("security", "files.virus_scan", "病毒查杀", None,
                   "未配置病毒扫描程序（ARCHIVE_VIRUS_SCANNER），未扫描")
        return
    found = [f"{path}：{threat}" for path, content in package.members.items()
             if (threat := scanner(path, content))]
    report.add("security", "files.virus_scan", "病毒查杀", not found, "；".join(found) or "未发现病毒")


def _zip_has_executable(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as inner:
            return any(name.lower().endswith(EXECUTABLE_SUFFIXES) for name in inner.namelist())
    except zipfile.BadZipFile:
        return False


def virus_scanner() -> Callable[[str, bytes], str | None] | None:
    """The configured scanner (``settings.ARCHIVE_VIRUS_SCANNER``, a dotted path to a callable
    ``(path, content) -> threat name or None``, e.g. a ClamAV client), or None."""
    return import_string(settings.ARCHIVE_VIRUS_SCANNER) if settings.ARCHIVE_VIRUS_SCANNER else None
