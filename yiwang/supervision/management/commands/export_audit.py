"""Export audit records as JSON Lines (and the signed checkpoints) for the stand-alone verifier:
``python -m verifier audit --records records.jsonl --checkpoints checkpoints.json --public-key
platform.pem``. The format is in docs/audit-export.md."""

from __future__ import annotations

import json
from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError

from yiwang.supervision.audit import export_records
from yiwang.supervision.checkpoints import published


class Command(BaseCommand):
    help = ("导出审计记录（JSON Lines：每行一条记录的规范内容、哈希值和哈希算法），"
            "供独立验证工具 python -m verifier audit 校验；可同时导出已签名的检查点。")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=int, default=1, help="起始序号（默认 1）")
        parser.add_argument("--to", dest="last", type=int, help="截止序号（默认链头）")
        parser.add_argument("--output", "-o", default="-", help="记录输出文件（默认标准输出）")
        parser.add_argument("--checkpoints",
                            help="同时把全部检查点写入此文件（与公开的 checkpoints.json 同一格式）")

    def handle(self, *args, **options):
        first, last = options["first"], options["last"]
        if first < 1 or (last is not None and last < first):
            raise CommandError("序号范围不正确：起始序号从 1 开始，截止序号不能小于起始序号")
        count = 0
        with ExitStack() as files:
            out = (self.stdout if options["output"] == "-" else
                   files.enter_context(open(options["output"], "w", encoding="utf-8")))
            for line in export_records(first, last):
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                          + "\n")
                count += 1
        if options["checkpoints"]:
            document = published(after=0, limit=None)
            with open(options["checkpoints"], "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, indent=1)
            self.stderr.write(f"已导出 {len(document['checkpoints'])} 个检查点到 {options['checkpoints']}")
        self.stderr.write(f"已导出 {count} 条审计记录")
