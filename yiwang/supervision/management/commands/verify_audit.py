"""Verify the audit chain (审计链校验); a monitoring job runs it and alerts on exit status 1."""

from __future__ import annotations

import dataclasses
import json

from django.core.management.base import BaseCommand, CommandError

from yiwang.supervision.audit import verify_chain


class Command(BaseCommand):
    help = ("校验电子监察审计链：逐条重算哈希，核对序号、前后链接和链头。"
            "链完整时退出状态为 0，发现断裂时报告第一处断裂并以状态 1 退出。")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出校验结果")

    def handle(self, *args, **options):
        report = verify_chain()
        if options["json"]:
            self.stdout.write(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
        if not report.ok:
            raise CommandError(f"审计链在第 {report.first_broken_seq} 条记录处断裂：{report.reason}"
                               f"（{report.reason_code}）")
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：共校验 {report.checked} 条记录"))
