"""The demo's electronic archive: the archival package of every demo case that closed, formed by
``archives.services`` as the task would after the closing transaction, and signed with the
platform seal (``licences.load_platform_seal``)."""

from __future__ import annotations

from yiwang.archives.services import form_missing_packages


def load_archives() -> int:
    """Archive the closed demo cases; returns the number of packages formed."""
    formed, failed = form_missing_packages()
    if failed:
        raise RuntimeError(f"演示办件归档失败：{failed}")
    return len(formed)
