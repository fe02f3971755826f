"""移交导出: write packages for the archives system into a directory, each zip with its 四性检测
report, and the platform seal's public key for ``python -m verifier archive``."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.archives import services
from yiwang.archives.models import ArchivePackage


class Command(BaseCommand):
    help = "导出归档信息包（zip、四性检测报告和平台存证专用章公钥），供档案系统接收"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="导出目录")
        parser.add_argument("--number", action="append", default=[], help="只导出该办件编号（可重复）")
        parser.add_argument("--department", help="只导出该部门（统一社会信用代码）的档案")
        parser.add_argument("--closed-since", help="只导出该日期（YYYY-MM-DD）及以后办结的档案")

    def handle(self, *args, directory, number, department, closed_since, **options):
        packages = ArchivePackage.objects.order_by("closed_at", "pk")
        if number:
            packages = packages.filter(number__in=number)
        if department:
            packages = packages.filter(department__uscc=department)
        if closed_since:
            try:
                since = dt.date.fromisoformat(closed_since)
            except ValueError as exc:
                raise CommandError("--closed-since 应为 YYYY-MM-DD") from exc
            packages = packages.filter(closed_at__date__gte=since)
        written = services.export_packages(packages, Path(directory))
        zips = sum(1 for path in written if path.suffix == ".zip")
        self.stdout.write(f"已导出 {zips} 个归档信息包到 {directory}")
