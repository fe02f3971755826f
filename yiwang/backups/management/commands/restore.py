"""Restore a backup set into the configured database and storage, then verify it (恢复)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from yiwang.backups.services import restore_backup
from yiwang.common.errors import DomainError


class Command(BaseCommand):
    help = ("把备份集恢复到当前配置的数据库和上传文件目录，再核对行数、审计链、链头和文件摘要；"
            "任何一项不符时退出状态为 1。需要与备份时相同的密钥。")

    def add_arguments(self, parser):
        parser.add_argument("set", help="备份集目录")
        parser.add_argument("--force", action="store_true",
                            help="目标数据库已有表或上传目录已有文件时仍然恢复（删除已有的表，覆盖同名文件）")
        parser.add_argument("--rebuild-index", action="store_true",
                            help="恢复并核对无误后重建搜索索引")

    def handle(self, *args, **options):
        try:
            report = restore_backup(options["set"], force=options["force"])
        except DomainError as exc:
            details = exc.details if isinstance(exc.details, list) else []
            for line in details:
                self.stderr.write(f"  {line}")
            raise CommandError(f"未恢复：{exc.message}（{exc.code}）") from exc
        manifest = report.manifest
        self.stdout.write(f"已从 {options['set']} 恢复（{manifest.engine}，备份于 "
                          f"{manifest.created_at}，程序版本 {manifest.app_version}）")
        for check in report.checks:
            mark = self.style.SUCCESS("一致") if check.ok else self.style.ERROR("不符")
            self.stdout.write(f"  {check.name}：{mark}　{check.detail}")
        if report.pending_migrations:
            self.stdout.write(f"  本程序比备份新 {len(report.pending_migrations)} 个迁移："
                              "请运行 manage.py migrate")
        if not report.ok:
            raise CommandError("恢复后的核对未通过，请勿切换到本站点；不符的项目见上")
        if options["rebuild_index"]:
            call_command("rebuild_search_index", stdout=self.stdout)
        else:
            self.stdout.write("  搜索索引不在备份中：请运行 manage.py rebuild_search_index")
        self.stdout.write(self.style.SUCCESS("恢复完成，核对全部一致"))
