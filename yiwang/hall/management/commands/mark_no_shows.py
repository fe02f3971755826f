from django.core.management.base import BaseCommand, CommandError

from yiwang.common.errors import DomainError
from yiwang.hall.services import appointments


class Command(BaseCommand):
    help = ("把已过时段仍未签到的预约记为爽约，30日内爽约达到大厅上限的暂停预约；"
            "每天运行一次（如 cron，默认处理昨天），也可在当天下班后处理当天。")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="处理哪一天的预约（YYYY-MM-DD），默认昨天")

    def handle(self, *args, date=None, **options):
        try:
            day = appointments.no_show_day(date)
        except DomainError as error:
            raise CommandError(error.message) from None
        count = appointments.mark_no_shows(day)
        self.stdout.write(f"{day}：{count}个预约记为爽约")
