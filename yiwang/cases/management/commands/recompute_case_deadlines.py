from django.core.management.base import BaseCommand

from yiwang.cases.services import recompute_deadlines


class Command(BaseCommand):
    help = "按当前工作日历重新计算所有在办办件的承诺办结日期。"

    def handle(self, *args, **options):
        changed = recompute_deadlines()
        self.stdout.write(f"已重新计算，{changed}件办件的办结日期发生变化")
