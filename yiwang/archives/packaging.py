"""The archival package (归档信息包) as bytes: what goes into it, the manifest, the zip, and reading
one back. No database writes here; ``services`` stores and signs.

Layout (docs/archiving.md)::

    manifest.json                 metadata (GB/T 42727 elements) and every file with SM3 and size
    signature.json                the platform seal's SM3withSM2 signature over manifest.json
    metadata/case.json            办件元数据: number, item and codes, applicant, department, dates, outcome
    metadata/guide.json           the 办事指南 version the case was handled under
    application/form.json         申请表: the form definition and the values submitted
    materials/NN-<name>           申请材料: every uploaded file, replaced ones included
    materials/NN-<name>.json      a material satisfied by a licence or shared data (免提交)
    results/result.json           办理结果: outcome, reason, who decided and when
    results/licence.json          电子证照: the licence's signed content and its seal signature
    process/events.json           办理过程: every transition (who, when, what, why)
    process/tasks.json            办理环节 (受理, 审查, 决定 …) with opinions
    process/corrections.json      补正告知 and 特别程序
    audit/records.json            the case's records of the audit chain, with their hashes

The signed message is reproducible from the package alone: ``signature.json`` is the GB/T
38540-style structure of ``seals.services`` whose ``data_hash`` is the SM3 of the canonical JSON
``{"manifest_sm3":"<SM3 of manifest.json's bytes>"}``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from yiwang.seals.crypto import sm3_hex
from yiwang.seals.services import canonical_bytes

from .errors import ArchiveError

FORMAT = "yiwang-archive/1"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
JSON_TYPE = "application/json"


class Category:
    """文件类别 of a package entry (GB/T 42727 groups a case's files by what they record)."""

    METADATA = "metadata"
    APPLICATION = "application"
    MATERIAL = "material"
    RESULT = "result"
    PROCESS = "process"
    AUDIT = "audit"

    LABELS = {METADATA: "元数据", APPLICATION: "申请表", MATERIAL: "申请材料", RESULT: "办理结果",
              PROCESS: "办理过程", AUDIT: "审计记录"}


@dataclass(frozen=True)
class Entry:
    """One file of the package."""

    path: str
    category: str
    title: str
    media_type: str
    content: bytes

    def manifest_row(self) -> dict:
        return {"path": self.path, "category": self.category, "title": self.title,
                "format": self.media_type, "size": len(self.content), "sm3": sm3_hex(self.content)}


def json_bytes(value) -> bytes:
    """A package's JSON file: UTF-8, readable (indented), keys sorted so it reads the same each
    time; dates and decimals as ISO text."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True,
                      default=_plain).encode("utf-8") + b"\n"


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


def safe_name(name: str, limit: int = 80) -> str:
    """A file name that is one path segment in every unzip tool: no separators, no control
    characters, no leading dots, at most ``limit`` characters (the extension kept)."""
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[:limit - len(ext) - 1]}.{ext}" if dot and len(ext) < 10 else name[:limit]
    return name


def build_manifest(*, metadata: dict, entries: list[Entry], formed_at: dt.datetime,
                   retention: dict, seal_code: str) -> bytes:
    """manifest.json: the package's metadata and the list of its files with SM3 digests."""
    return json_bytes({
        "format": FORMAT,
        "standard": "GB/T 42727-2023",
        "package_id": metadata["number"],
        "formed_at": formed_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "retention": retention,
        "case": metadata,
        "digest_algorithm": "SM3",
        "signature": {"file": SIGNATURE, "algorithm": "SM3withSM2", "seal_code": seal_code,
                      "signed_data": '{"manifest_sm3":"<SM3 of manifest.json>"}'},
        "files": [entry.manifest_row() for entry in entries],
    })


def signed_data(manifest: bytes) -> dict:
    """What the platform seal signs for a manifest: its SM3, so the manifest's exact bytes are
    covered and a verifier needs no JSON canonicalisation of the manifest itself."""
    return {"manifest_sm3": sm3_hex(manifest)}


def zip_package(entries: list[Entry], manifest: bytes, signature: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            archive.writestr(entry.path, entry.content)
        archive.writestr(MANIFEST, manifest)
        archive.writestr(SIGNATURE, json_bytes(signature))
    return buffer.getvalue()


@dataclass
class OpenedPackage:
    """A package read back: the manifest's bytes and content, the signature, and every member."""

    manifest_bytes: bytes
    manifest: dict
    signature: dict
    members: dict[str, bytes]

    @property
    def listed(self) -> dict[str, dict]:
        return {row["path"]: row for row in self.manifest.get("files", [])
                if isinstance(row, dict) and isinstance(row.get("path"), str)}


def open_package(data: bytes) -> OpenedPackage:
    """Read a package; ArchiveError ``archive.unreadable`` if it is not a zip with a manifest and a
    signature that parse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()
                       if not info.is_dir()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveError(f"信息包不是可读的 zip 文件：{exc}", code="archive.unreadable") from exc
    try:
        manifest_bytes = members[MANIFEST]
        manifest = json.loads(manifest_bytes)
        signature = json.loads(members[SIGNATURE])
    except KeyError as exc:
        raise ArchiveError(f"信息包缺少 {exc.args[0]}", code="archive.unreadable") from exc
    except ValueError as exc:
        raise ArchiveError(f"信息包的清单或签章不是有效的 JSON：{exc}", code="archive.unreadable") from exc
    if not isinstance(manifest, dict) or not isinstance(signature, dict):
        raise ArchiveError("信息包的清单或签章格式不正确", code="archive.unreadable")
    return OpenedPackage(manifest_bytes, manifest, signature, members)


def data_hash(manifest: bytes) -> str:
    """The ``data_hash`` a signature over ``manifest`` must carry."""
    return sm3_hex(canonical_bytes(signed_data(manifest)))
