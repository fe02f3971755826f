from django.core.management.base import BaseCommand

from yiwang.cases.services import send_reminders


class Command(BaseCommand):
    help = "向经办人员和监察员发送办件即将到期（黄灯）和已超期（红灯）提醒；每天运行一次（如 cron）。"

    def handle(self, *args, **options):
        count = send_reminders()
        self.stdout.write(f"已发送{count}件办件的到期提醒")
