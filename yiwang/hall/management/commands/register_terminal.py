"""登记自助终端 and print its credential once.

    manage.py register_terminal --hall 长春市政务服务中心 --name 一楼大厅1号机 --location 一楼东侧
    manage.py register_terminal --region 220102 --name 建设银行网点 --location 人民大街网点
    manage.py register_terminal --hall 长春市政务服务中心 --window 1 --name 1号窗口评价器 --location 台面

The secret is printed here only; the platform keeps a keyed hash of it. Enter the code and the
secret once on the device at /kiosk/activate/, or send them in the ``X-Terminal-Key`` header
(``<code>:<secret>``) of the terminal API.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yiwang.common.errors import DomainError
from yiwang.hall.models import Window
from yiwang.hall.services.terminals import register_terminal
from yiwang.orgs.models import ServiceHall
from yiwang.regions.models import Region


class Command(BaseCommand):
    help = "登记自助终端（放在大厅、银行或邮政网点），打印终端编号和只显示一次的密钥"

    def add_arguments(self, parser):
        parser.add_argument("--hall", help="所属政务服务大厅的名称或编号；银行、邮政网点的终端可不填")
        parser.add_argument("--region", help="所在区划代码；不填时取大厅的区划")
        parser.add_argument("--window", help="窗口号：登记为该窗口的评价器（须同时给出 --hall）")
        parser.add_argument("--name", required=True, help="终端名称，如 一楼大厅1号机")
        parser.add_argument("--location", required=True, help="放置地点")
        parser.add_argument("--by", default="admin",
                            help="登记人的用户名（系统管理员或该大厅的大厅管理员），默认 admin")

    def handle(self, *args, hall, region, window, name, location, by, **options):
        actor = get_user_model().objects.filter(username=by).first()
        if actor is None:
            raise CommandError(f"没有用户 {by}")
        hall = self._hall(hall)
        try:
            terminal, secret = register_terminal(actor, name=name, location=location, hall=hall,
                                                 region=self._region(region),
                                                 window=self._window(hall, window))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已登记自助终端“{terminal.name}”。"))
        self.stdout.write(f"终端编号: {terminal.code}")
        self.stdout.write(f"终端密钥: {secret}")
        self.stdout.write(self.style.WARNING(
            "密钥只显示这一次，平台只保存其摘要。"
            "请在终端（评价器同样）打开 /kiosk/activate/ 输入编号和密钥。"))

    @staticmethod
    def _hall(value):
        if not value:
            return None
        halls = ServiceHall.objects.select_related("region")
        hall = (halls.filter(pk=value).first() if value.isdigit() else None) or halls.filter(
            name=value).first()
        if hall is None:
            raise CommandError(f"没有政务服务大厅 {value}")
        return hall

    @staticmethod
    def _window(hall, number):
        if not number:
            return None
        window = Window.objects.filter(hall=hall, number=number).first() if hall else None
        if window is None:
            raise CommandError(f"大厅里没有 {number} 号窗口（评价器须给出 --hall 和 --window）")
        return window

    @staticmethod
    def _region(code):
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"没有区划 {code}")
        return region
