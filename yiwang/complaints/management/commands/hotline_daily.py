import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yiwang.complaints.services import requests


class Command(BaseCommand):
    help = ("12345每日处理：对超过答复期限的诉求发出超期督办（通知承办部门和热线管理员），"
            "并将评价期限已过仍未评价的已答复诉求办结；每天运行一次（如 cron）。")

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时刻处理（ISO 8601，如 2026-12-15T09:00），默认当前时刻")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError("--now 应为 ISO 8601 时刻，如 2026-12-15T09:00") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        escalated = requests.escalate_overdue(now)
        closed = requests.close_unrated(now)
        self.stdout.write(f"超期督办{escalated}件，评价期满办结{closed}件")
