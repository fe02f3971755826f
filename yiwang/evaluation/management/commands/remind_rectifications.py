from django.core.management.base import BaseCommand

from yiwang.evaluation.services import rectification


class Command(BaseCommand):
    help = ("向责任部门（或大厅管理员）和监察员发送差评整改即将到期（黄灯）和已超期（红灯）提醒；"
            "每天运行一次（如 cron）。")

    def handle(self, *args, **options):
        count = rectification.remind()
        self.stdout.write(f"已发送{count}件差评整改的到期提醒")
