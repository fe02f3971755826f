from django.core.management.base import BaseCommand, CommandError

from yiwang.common.errors import DomainError
from yiwang.evaluation.services import statistics


class Command(BaseCommand):
    help = ("重新汇总好差评统计（公示页面的数据）：默认本月和上月，每天运行一次（如 cron）；"
            "也可用 --month 指定某个月重建。")

    def add_arguments(self, parser):
        parser.add_argument("--month", help="重建哪个月（YYYY-MM），默认本月和上月")

    def handle(self, *args, month=None, **options):
        try:
            months = statistics.months_to_aggregate(month)
        except DomainError as error:
            raise CommandError(error.message) from None
        for done, rows in statistics.recount_all(months).items():
            self.stdout.write(f"{done:%Y-%m}：{rows}条统计记录")
