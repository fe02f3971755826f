"""Import a year's holiday arrangement (the State Council notice as a CSV table)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yiwang.calendar import services
from yiwang.common.errors import DomainError
from yiwang.regions.services import get_region


class Command(BaseCommand):
    help = ("导入某一年度的放假安排表（CSV：date,kind,name，即国务院办公厅放假通知的表格形式）。"
            "全部校验通过才写入，并登记该年度为已公布，截止日期不再是暂定。"
            "不指定 --user 时以系统操作员身份导入（不检查权限）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="放假安排表 .csv（UTF-8 或 GB18030 编码）")
        parser.add_argument("--region", help="只适用于该区划及其下级（区划代码）；不填为全国")
        parser.add_argument("--year", type=int, help="年份；不填时取表中第一个日期的年份")
        parser.add_argument("--user", help="以该用户身份导入，并检查其区域管理员权限")
        parser.add_argument("--note", default="", help="备注，如通知文号")

    def handle(self, *args, file, region=None, year=None, user=None, note="", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            actor = self._user(user) if user else None
            area = get_region(region) if region else None
            change = services.import_arrangement(path.read_bytes(), actor=actor, region=area,
                                                 year=year, note=note)
        except DomainError as exc:
            for error in exc.details if isinstance(exc.details, list) else []:
                self.stderr.write(f"第{error['line']}行：{error['reason']}")
            raise CommandError(f"{exc.message}（{exc.code}）") from None
        where = area.full_name if area else "全国"
        (year_,) = change.years
        self.stdout.write(self.style.SUCCESS(
            f"已导入{year_}年放假安排（{where}）：新增{len(change.created)}天，更新{len(change.updated)}天，"
            f"删除{len(change.removed)}天"))

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"用户“{username}”不存在") from None
