"""Check a backup set against its own manifest (校验备份集) without restoring it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yiwang.backups.services import verify_backup
from yiwang.common.errors import DomainError


class Command(BaseCommand):
    help = "按清单逐个核对备份集中的文件（大小和摘要），不触碰数据库。完好时退出状态为 0。"

    def add_arguments(self, parser):
        parser.add_argument("set", help="备份集目录")

    def handle(self, *args, **options):
        try:
            manifest, problems = verify_backup(options["set"])
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem.message}（{problem.code}）")
            raise CommandError(f"备份集有 {len(problems)} 处与清单不符，不可用于恢复")
        self.stdout.write(self.style.SUCCESS(
            f"备份集完好：{len(manifest.files)} 个文件的 {manifest.digest_algorithm.upper()} 摘要"
            f"与清单一致（{manifest.engine}，{manifest.created_at}，审计链头第 "
            f"{manifest.audit_head['seq']} 条）"))
