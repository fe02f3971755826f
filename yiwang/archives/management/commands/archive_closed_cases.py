"""归档补办: form the package of every closed case that has none (a task that failed, cases closed
before archiving existed), or run the 四性检测 of every package again (``--recheck``)."""

from django.core.management.base import BaseCommand

from yiwang.archives import services
from yiwang.archives.models import ArchivePackage


class Command(BaseCommand):
    help = "为尚未归档的已办结办件生成归档信息包；--recheck 对全部档案重新进行四性检测"

    def add_arguments(self, parser):
        parser.add_argument("--recheck", action="store_true", help="对全部档案重新进行四性检测")

    def handle(self, *args, recheck=False, **options):
        if recheck:
            failed = 0
            for package in ArchivePackage.objects.order_by("pk").iterator():
                check = services.run_checks(package)
                if not check.passed:
                    failed += 1
                    self.stderr.write(f"{package.number}：四性检测未通过")
            self.stdout.write(f"四性检测完成，未通过 {failed} 件")
            return
        formed, failures = services.form_missing_packages()
        for number, why in failures:
            self.stderr.write(f"{number}：{why}")
        self.stdout.write(f"新归档 {len(formed)} 件，失败 {len(failures)} 件")
        if failures:
            raise SystemExit(1)
