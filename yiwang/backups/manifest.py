"""The manifest of a backup set (备份清单) and the check of a set against it.

A set is a directory: ``manifest.json``, one database file (``database.*``) and the uploaded files
under ``media/``. The manifest names every other file with its size and digest (SM3, GB/T 32905),
so a set copied off-site can be checked anywhere before anything is restored from it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

FORMAT = "yiwang-backup/1"
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
DIGEST_ALGORITHM = "sm3"
_CHUNK = 1 << 20


def digest_file(path: Path, algorithm: str = DIGEST_ALGORITHM) -> str:
    return digest_stream(path.open("rb"), algorithm)


def digest_stream(stream, algorithm: str = DIGEST_ALGORITHM) -> str:
    """Digest of everything ``stream`` yields; closes it."""
    hasher = hashlib.new(algorithm)
    with stream:
        while chunk := stream.read(_CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


@dataclass
class Manifest:
    """What a set holds and what its database held when it was taken."""

    created_at: str
    engine: str  # "sqlite", "postgresql" or "mysql" (Django's connection.vendor)
    server_version: str
    dump_tool: str
    database_file: str
    app_version: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]
    row_counts_method: str
    audit_head: dict  # {"seq": int, "hash": str}
    files: dict[str, dict] = field(default_factory=dict)  # set path → {"size", "digest"}
    digest_algorithm: str = DIGEST_ALGORITHM
    not_included: dict[str, str] = field(default_factory=dict)
    format: str = FORMAT

    def media_names(self) -> list[str]:
        """The uploaded files' storage names."""
        prefix = f"{MEDIA_DIR}/"
        return sorted(path.removeprefix(prefix) for path in self.files if path.startswith(prefix))

    def write(self, directory: Path) -> None:
        text = json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)
        (directory / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        from .errors import CorruptSet

        path = directory / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CorruptSet(f"{directory} 不是备份集：缺少 {MANIFEST_NAME}",
                             code="backup.no_manifest") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CorruptSet(f"备份清单 {path} 无法读取：{exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CorruptSet(f"备份清单 {path} 的格式不是 {FORMAT}", code="backup.format")
        try:
            return cls(**data)
        except TypeError as exc:
            raise CorruptSet(f"备份清单 {path} 的字段不符合 {FORMAT}：{exc}",
                             code="backup.format") from None


@dataclass(frozen=True)
class Problem:
    """One way in which something differs from the manifest."""

    code: str
    message: str


def check_set(directory: Path) -> tuple[Manifest, list[Problem]]:
    """Read the manifest and compare every file of the set with it: a file missing, one changed
    (size or digest), or one the manifest does not name (a set is written whole or not at all).
    A name that leads out of the set is refused unread."""
    manifest = Manifest.read(directory)
    problems = []
    for name, expected in sorted(manifest.files.items()):
        path = directory / name
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts:
            problems.append(Problem("backup.bad_path", f"清单中的路径 {name} 指向备份集之外"))
        elif not path.is_file():
            problems.append(Problem("backup.file_missing", f"缺少文件 {name}"))
        elif path.stat().st_size != expected["size"]:
            problems.append(Problem("backup.digest_mismatch",
                                    f"文件 {name} 的大小为 {path.stat().st_size} 字节，"
                                    f"清单记为 {expected['size']} 字节"))
        elif digest_file(path, manifest.digest_algorithm) != expected["digest"]:
            problems.append(Problem("backup.digest_mismatch",
                                    f"文件 {name} 的 {manifest.digest_algorithm.upper()} "
                                    "摘要与清单不符"))
    present = {path.relative_to(directory).as_posix()
               for path in directory.rglob("*") if path.is_file()}
    for name in sorted(present - set(manifest.files) - {MANIFEST_NAME}):
        problems.append(Problem("backup.unlisted_file", f"文件 {name} 不在清单中"))
    return manifest, problems
