import time

from django.core.management.base import BaseCommand, CommandError

from yiwang.common.errors import DomainError
from yiwang.demo import loader
from yiwang.demo.identities import demo_totp_secret


class Command(BaseCommand):
    help = ("载入演示数据（吉林省的区划、部门、政务服务大厅、人员和事项目录），可重复执行；"
            "--reset 清空数据库后重新载入（仅限开发或演示环境）")

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true",
                            help="只打印演示账号（用户名 / 密码 / 角色 / 部门），不载入数据")
        parser.add_argument("--reset", action="store_true",
                            help="删除数据库中的全部数据，重新载入演示数据并重建搜索索引"
                                 "（仅限 YIWANG_DEBUG=1）")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="--reset 时不询问确认")

    def handle(self, *args, print_logins=False, reset=False, interactive=True, **options):
        if print_logins:
            self._print_logins()
            return
        if reset and interactive and input(
                "将删除数据库中的全部数据（包括演示以外的账号、办件和证照），然后重新载入演示数据。"
                "输入 yes 继续：").strip() != "yes":
            raise CommandError("已取消，未做任何修改。")
        started = time.monotonic()
        try:
            summary = loader.reset_demo() if reset else loader.load_demo()
        except DomainError as exc:
            # E.g. a department of the same region and code already exists, or a reset outside a
            # debug site; nothing was written.
            raise CommandError(f"载入演示数据失败，未写入任何数据：{exc.message}") from exc
        if summary is None:
            self.stdout.write("演示数据已经载入，本次未做任何修改。")
            return
        self.stdout.write(self.style.SUCCESS(
            f"已载入演示数据：{summary.regions} 个行政区划、{summary.departments} 个部门、"
            f"{summary.halls} 个政务服务大厅、{summary.users} 个账号、{summary.items} 个事项"
            f"（已发布 {summary.published} 个）、{summary.cases} 件演示办件、{summary.licences} 张电子证照、"
            f"{summary.archives} 件电子档案，"
            f"用时 {time.monotonic() - started:.1f} 秒。"))
        if summary.kept_users:
            self.stdout.write(self.style.WARNING(
                f"账号 {'、'.join(summary.kept_users)} 在载入前已经存在，保留了原来的密码。"))
        if reset:
            self.stdout.write("原有数据已清空，搜索索引已重建。")
        else:
            self.stdout.write("搜索索引由后台任务更新；也可运行 manage.py rebuild_search_index 立即重建。")

    def _print_logins(self):
        if not loader.is_loaded():
            self.stdout.write("尚未载入演示数据，请先运行 manage.py load_demo")
            return
        self.stdout.write(" 演示账号（仅供本机演示，密码见 README）：")
        for login in loader.demo_logins():
            self.stdout.write(f" {login.role}: {login.username} / {login.password}")
        self.stdout.write(f" 工作人员登录后输入动态口令：把密钥 {demo_totp_secret()} 加入验证器应用，"
                          "或运行 make totp 查看当前口令")
