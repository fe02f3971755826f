from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from yiwang.demo.identities import DEMO_TOTP_KEY_HEX


class Command(BaseCommand):
    help = "显示演示工作人员账号当前的动态口令（仅开发模式）"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("只在开发模式（YIWANG_DEBUG=1）下可用")
        totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX))
        left = 30 - int(totp.time) % 30
        self.stdout.write(f"当前动态口令：{totp.token():06d}（{left} 秒后更新）")
