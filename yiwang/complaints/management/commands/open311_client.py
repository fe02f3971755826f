"""登记 an outside 311 app and print its Open311 API key once.

    manage.py open311_client 长春随手拍

Only the key's SHA-256 is stored; the app sends the key as ``api_key`` when it posts a request to
/open311/v2/requests.json (docs/open311.md)."""

from django.core.management.base import BaseCommand, CommandError

from yiwang.common.errors import DomainError
from yiwang.complaints.open311.services import create_client


class Command(BaseCommand):
    help = "登记Open311客户端应用，打印只显示一次的 API key"

    def add_arguments(self, parser):
        parser.add_argument("name", help="应用名称，如 长春随手拍")

    def handle(self, *args, name, **options):
        try:
            client, key = create_client(name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已登记Open311客户端“{client.name}”。"))
        self.stdout.write(f"api_key: {key}")
        self.stdout.write(self.style.WARNING("API key 只显示这一次，平台只保存其摘要。"))
