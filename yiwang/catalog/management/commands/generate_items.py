"""Generate many published items for benchmarks (see yiwang.demo.generator), then update the
search index."""

import time

from django.core.management.base import BaseCommand, CommandError

from yiwang.catalog.search import rebuild
from yiwang.demo.generator import generate_items


class Command(BaseCommand):
    help = "批量生成已发布的演示事项（用于性能测试），并重建搜索索引"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="生成的事项数量")
        parser.add_argument("--seed", type=int, default=0, help="随机种子；相同种子生成相同目录")
        parser.add_argument("--province", default="22", help="省级区划代码，默认 22（吉林省）")
        parser.add_argument("--no-index", action="store_true", help="不重建搜索索引")

    def handle(self, *args, count, seed, province, no_index, **options):
        if count < 1:
            raise CommandError("--count 应为正整数")
        started = time.perf_counter()
        created = generate_items(count, seed=seed, province=province,
                                 progress=lambda n: self.stdout.write(f"  已生成 {n} 项…")
                                 if n % 10_000 == 0 else None)
        self.stdout.write(self.style.SUCCESS(
            f"已生成 {created} 个已发布事项，用时 {time.perf_counter() - started:.1f} 秒"))
        if not no_index:
            indexed = rebuild()
            self.stdout.write(self.style.SUCCESS(f"搜索索引已重建：{indexed} 个已发布事项"))
