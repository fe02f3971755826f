"""登记接入统一身份认证的第三方应用 (an OpenID Connect relying party).

    manage.py register_oidc_client --name 长春公积金查询 \\
        --redirect-uri https://gjj.example.cn/callback \\
        --post-logout-redirect-uri https://gjj.example.cn/

The client secret of a confidential client is printed once here and stored only hashed.
"""

from django.core.management.base import BaseCommand, CommandError

from yiwang.accounts.oidc import register_client
from yiwang.common.errors import DomainError


class Command(BaseCommand):
    help = "登记接入统一身份认证（OpenID Connect）的第三方应用，打印 client_id 和客户端密钥"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="应用名称，用户在授权页上看到它")
        parser.add_argument("--redirect-uri", action="append", dest="redirect_uris", required=True,
                            metavar="URI", help="登录回调地址，可重复")
        parser.add_argument("--post-logout-redirect-uri", action="append",
                            dest="post_logout_redirect_uris", default=[], metavar="URI",
                            help="退出登录后返回的地址，可重复")
        parser.add_argument("--public", action="store_true",
                            help="公开客户端（手机应用、单页应用）：没有客户端密钥，只靠 PKCE")

    def handle(self, *args, name, redirect_uris, post_logout_redirect_uris, public, **options):
        try:
            client = register_client(name=name, redirect_uris=redirect_uris,
                                     post_logout_redirect_uris=post_logout_redirect_uris,
                                     public=public)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(
            f"已登记{'公开' if public else '机密'}客户端“{client.application.name}”。"))
        self.stdout.write(f"client_id: {client.application.client_id}")
        if client.client_secret:
            self.stdout.write(f"client_secret: {client.client_secret}")
            self.stdout.write(self.style.WARNING(
                "客户端密钥只显示这一次，平台只保存其摘要，请立即交给应用方妥善保管。"))
