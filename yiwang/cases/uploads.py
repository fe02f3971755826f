"""What an uploaded material may be: PDF, JPG, PNG or OFD, recognised by content (a renamed .exe
is refused), within the size limit. Files go through Django's storage API, never the web root."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings

from yiwang.common.errors import PayloadTooLarge, ValidationError

ALLOWED = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".ofd": "application/ofd",
}
TYPE_LABELS = "PDF、JPG、PNG、OFD"


# Room for the multipart envelope and the form's other fields around the one file of an upload.
MULTIPART_ALLOWANCE = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "CASE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def size_label(size: int) -> str:
    """20 MB, 1.5 MB, 512 KB: the upload limit as people read it."""
    if size >= 1024 * 1024:
        return f"{size / 1048576:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, size // 1024)} KB"


def refuse_oversized_request(meta) -> None:
    """Refuse a request whose declared length (Content-Length) cannot hold an acceptable upload,
    before anything reads the body: the CSRF check and authentication parse a multipart body, and
    Django spools it to disk. The exact check of the file itself is ``check_upload``'s."""
    limit = max_upload_bytes()
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_ALLOWANCE:
        raise PayloadTooLarge(f"上传内容过大：每个文件不能超过{size_label(limit)}，请压缩或拆分后再上传",
                              code="case.file_too_large", details={"size": length, "limit": limit})


def _sniff(head: bytes, upload) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        # OFD (GB/T 33190) is a zip package whose entry point is OFD.xml.
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as package:
                if "OFD.xml" in package.namelist():
                    return "application/ofd"
        except zipfile.BadZipFile:
            return None
    return None


def content_type_of(data: bytes) -> str | None:
    """The accepted type ``data`` is by content (application/pdf, image/jpeg, image/png,
    application/ofd), or None: the same judgement as an upload, for files already stored."""
    return _sniff(data[:16], io.BytesIO(data))


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedUpload:
    """Refuse anything that is not an allowed type by both name and content, empty or too big."""
    name = os.path.basename(getattr(upload, "name", "") or "")[:200]
    size = getattr(upload, "size", None) or 0
    limit = max_upload_bytes()
    if size > limit:
        raise PayloadTooLarge(f"文件“{name}”大小为{size / 1048576:.1f} MB，超过{limit // 1048576} MB的上限",
                              code="case.file_too_large", details={"size": size, "limit": limit})
    if size == 0:
        raise ValidationError(f"文件“{name}”为空", code="case.file_empty")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED:
        raise ValidationError(f"文件“{name}”的类型不支持，仅支持{TYPE_LABELS}",
                              code="case.file_type", details={"name": name})
    upload.seek(0)
    head = upload.read(16)
    sniffed = _sniff(head, upload)
    if sniffed != ALLOWED[extension]:
        raise ValidationError(f"文件“{name}”的内容与扩展名不符或已损坏，仅支持{TYPE_LABELS}",
                              code="case.file_content", details={"name": name})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name=name, content_type=sniffed, size=size, sha256=digest.hexdigest())
