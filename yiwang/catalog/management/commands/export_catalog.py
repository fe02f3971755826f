"""Export the published catalogue to a file or to standard output."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from yiwang.catalog import transfer
from yiwang.common.errors import DomainError
from yiwang.orgs.models import Department


class Command(BaseCommand):
    help = "导出已发布的事项目录（含办事指南与申请材料），格式为 CSV、XLSX 或 JSON"

    def add_arguments(self, parser):
        parser.add_argument("--format", default="csv", choices=["csv", "xlsx", "json"],
                            help="导出格式，默认 csv")
        parser.add_argument("--output", help="输出文件；不指定时写到标准输出（xlsx 必须指定）")
        parser.add_argument("--department", help="只导出该部门（统一社会信用代码）的事项")

    def handle(self, *args, format="csv", output=None, department=None, **options):
        scope = None
        if department:
            scope = Department.objects.filter(uscc=department.strip().upper()).first()
            if scope is None:
                raise CommandError(f"统一社会信用代码为“{department}”的部门不存在")
        if output is None and format == "xlsx":
            raise CommandError("导出 xlsx 时请用 --output 指定文件")
        try:
            if output is None:
                transfer.export_catalog(sys.stdout.buffer, format, department=scope)
                sys.stdout.buffer.flush()
                return
            with open(output, "wb") as out:
                transfer.export_catalog(out, format, department=scope)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"已导出到 {output}"))
