"""Write one backup set (备份); a cron job or systemd timer runs it (docs/disaster-recovery.md)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from yiwang.backups.services import create_backup
from yiwang.common.errors import DomainError


class Command(BaseCommand):
    help = ("备份数据库（用数据库自带的工具）和上传文件，写出带清单（行数、迁移状态、审计链头、"
            "每个文件的 SM3 摘要）的备份集。搜索索引和密钥不在备份集中。")

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="备份集写在此目录下（默认 settings.BACKUP_DIR）")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            written = create_backup(options["output_dir"])
        except DomainError as exc:
            raise CommandError(f"备份失败：{exc.message}（{exc.code}）") from exc
        manifest = written.manifest
        head = manifest.audit_head
        self.stdout.write(self.style.SUCCESS(f"备份完成：{written.path}"))
        self.stdout.write(
            f"  数据库：{manifest.engine} {manifest.server_version}，{len(manifest.row_counts)} 张表"
            f"共 {sum(manifest.row_counts.values())} 行（{manifest.dump_tool}）\n"
            f"  上传文件：{len(manifest.media_names())} 个\n"
            f"  审计链头：第 {head['seq']} 条，{head['hash']}\n"
            f"  程序版本：{manifest.app_version}；用时 {time.perf_counter() - started:.1f} 秒\n"
            "  密钥不在备份集中，请另行保管；搜索索引恢复后重建")
