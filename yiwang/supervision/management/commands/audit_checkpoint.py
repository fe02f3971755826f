"""Sign a checkpoint of the audit chain (审计链检查点) when one is due; run it from cron every
minute or so, which is what makes "every M minutes" happen on a quiet platform."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yiwang.common.errors import DomainError
from yiwang.supervision.checkpoints import create_checkpoint


class Command(BaseCommand):
    help = ("以平台平台存证专用章签署审计链检查点（链上序号、链头哈希、时间、前一检查点）："
            "距上一检查点已追加足够多的记录或已过足够长的时间时签署，否则什么也不做。建议每分钟运行一次。")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="只要审计链比上一检查点有新记录，就立即签署")

    def handle(self, *args, **options):
        try:
            checkpoint = create_checkpoint(force=options["force"])
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        if checkpoint is None:
            self.stdout.write("无需签署：审计链自上一检查点以来没有足够的新记录或时间未到")
            return
        self.stdout.write(self.style.SUCCESS(
            f"已签署检查点：第 {checkpoint.seq} 条记录，链头哈希 {checkpoint.head_hash}"))
