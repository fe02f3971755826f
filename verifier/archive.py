"""Check an archival package (归档信息包, GB/T 42727) against the platform's public key.

``python -m verifier archive package.zip --public-key platform.pem`` checks that every file the
manifest lists is in the zip with the SM3 digest and size the manifest gives, that the zip holds
nothing else, and that ``signature.json`` is a valid SM3withSM2 signature of the manifest by the
key. Exit status 0 when the package is intact, 1 when it is not (each problem printed), 2 when
it cannot be read at all.

What is signed (docs/archiving.md): ``signature.json`` is the seal structure
``{"version", "seal", "signer", "signed_at", "algorithm", "user_id", "data_hash", "signature"}``.
``data_hash`` is SM3 of the UTF-8 bytes ``{"manifest_sm3":"<SM3 hex of manifest.json>"}``; the
signature (DER, base64) is over the canonical JSON of every field but ``signature`` (keys sorted,
separators ``,`` and ``:``, no ASCII escaping), SM2 user id 1234567812345678.

Needs only the standard library plus, for SM2, tongsuopy if installed, else the ``openssl``
command (1.1.1 or later): ``verifier.sm``, shared with the audit verifier."""

from __future__ import annotations

import base64
import binascii
import io
import json
import sys
import zipfile

from .sm import USER_ID, sm3_hex, verify_sm2

MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
SIGNED_FIELDS = ("version", "seal", "signer", "signed_at", "algorithm", "user_id", "data_hash")


# --- the package ----------------------------------------------------------------------------------


class Unreadable(Exception):
    """The package cannot be read far enough to be checked."""


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def read_members(data: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            if len(names) != len(set(names)):
                raise Unreadable("zip 中有重名文件（duplicate entries in the zip）")
            return {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise Unreadable(f"不是可读的 zip 文件（not a readable zip）：{exc}") from exc


def check_package(data: bytes, public_pem: bytes) -> list[str]:
    """The problems found in the package ``data``, in Chinese with the English gist; an empty
    list when it is intact and signed by ``public_pem``. Raises Unreadable when there is no
    manifest or signature to check."""
    members = read_members(data)
    for required in (MANIFEST, SIGNATURE):
        if required not in members:
            raise Unreadable(f"缺少 {required}（{required} missing）")
    manifest_bytes = members[MANIFEST]
    try:
        manifest = json.loads(manifest_bytes)
        signature = json.loads(members[SIGNATURE])
    except ValueError as exc:
        raise Unreadable(f"清单或签章不是有效的 JSON（invalid JSON）：{exc}") from exc
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list) or not all(
            isinstance(row, dict) and isinstance(row.get("path"), str) for row in files):
        raise Unreadable("清单中没有文件列表（manifest has no file list）")

    problems = []
    listed = {}
    for row in files:
        if row["path"] in listed:
            problems.append(f"清单重复列出 {row['path']}（listed twice）")
        listed[row["path"]] = row
    for path, row in listed.items():
        content = members.get(path)
        if content is None:
            problems.append(f"缺少文件 {path}（file missing）")
        elif sm3_hex(content) != row.get("sm3"):
            problems.append(f"文件 {path} 的 SM3 摘要与清单不符，文件被改动过"
                            "（digest mismatch: file altered）")
        elif len(content) != row.get("size"):
            problems.append(f"文件 {path} 的大小与清单不符（size mismatch）")
    for path in sorted(set(members) - set(listed) - {MANIFEST, SIGNATURE}):
        problems.append(f"多出清单未列的文件 {path}（extra file not in the manifest）")
    problems += check_signature(manifest_bytes, signature, public_pem)
    return problems


def check_signature(manifest_bytes: bytes, signature, public_pem: bytes) -> list[str]:
    if not (isinstance(signature, dict) and set(signature) == {*SIGNED_FIELDS, "signature"}):
        return ["签章结构不完整（signature.json malformed）"]
    if signature["algorithm"] != "SM3withSM2" or signature["user_id"] != USER_ID:
        return [f"不支持的签名算法或用户标识（unsupported algorithm {signature['algorithm']!r}）"]
    expected = sm3_hex(canonical_json({"manifest_sm3": sm3_hex(manifest_bytes)}))
    if signature["data_hash"] != expected:
        return ["清单与签章时的摘要不符，清单在签章后被改动过（manifest altered after signing）"]
    try:
        der = base64.b64decode(signature["signature"], validate=True)
    except (TypeError, ValueError, binascii.Error):
        return ["签名值不是 Base64（signature value not base64）"]
    message = canonical_json({field: signature[field] for field in SIGNED_FIELDS})
    try:
        valid = verify_sm2(public_pem.decode("ascii"), message, der)
    except (UnicodeDecodeError, ValueError):
        return ["公钥不是 SM2 公钥（PEM）（the public key is not an SM2 public key）"]
    if not valid:
        return ["签名值与公钥不符：签章伪造、签章信息被改动，或公钥不是平台印章的公钥"
                "（SM2 signature does not verify with this public key）"]
    return []


def add_arguments(parser) -> None:
    parser.add_argument("package", help="归档信息包（zip）")
    parser.add_argument("--public-key", required=True, help="平台印章公钥（PEM）")


def run(args) -> int:
    try:
        with open(args.package, "rb") as handle:
            data = handle.read()
        with open(args.public_key, "rb") as handle:
            public_pem = handle.read()
    except OSError as exc:
        print(f"无法读取文件（cannot read）：{exc}", file=sys.stderr)
        return 2
    try:
        problems = check_package(data, public_pem)
    except Unreadable as exc:
        print(f"验证失败（FAILED）：{exc}", file=sys.stderr)
        return 2
    if problems:
        print(f"验证失败（FAILED）：{args.package}", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    manifest = json.loads(read_members(data)[MANIFEST])
    print(f"验证通过（OK）：{args.package}，办件编号 {manifest.get('package_id')}，"
          f"{len(manifest['files'])} 个文件的 SM3 摘要和平台印章签章均有效")
    return 0
