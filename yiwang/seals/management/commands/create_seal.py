"""制发电子印章 from the command line: an operator names the department, the image and the validity;
the key pair is made inside the service and only the public key is printed."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentTypeError

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from yiwang.common.errors import DomainError
from yiwang.orgs.models import Department
from yiwang.seals import services
from yiwang.seals.models import SealKind


class Command(BaseCommand):
    help = "制发电子印章：生成 SM2 密钥对（私钥加密保存），登记印模图像和有效期，并打印印章编码和公钥。"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="部门的统一社会信用代码")
        parser.add_argument("--name", required=True, help="印章名称（不含部门名称），如“电子证照专用章”")
        parser.add_argument("--kind", required=True, choices=SealKind.values,
                            help="印章类型：" + "，".join(f"{k.value}={k.label}" for k in SealKind))
        parser.add_argument("--image", required=True, help="印模图像（PNG，不超过 512 KB）")
        parser.add_argument("--valid-from", required=True, type=_date, help="有效期起，YYYY-MM-DD")
        parser.add_argument("--valid-until", required=True, type=_date, help="有效期至，YYYY-MM-DD")
        parser.add_argument("--actor", required=True,
                            help="制发人的用户名（该部门的部门管理员或系统管理员），记入审计日志")

    def handle(self, *args, **options):
        department = Department.objects.filter(uscc=options["department"].strip().upper()).first()
        if department is None:
            raise CommandError(f"没有统一社会信用代码为 {options['department']} 的部门")
        actor = get_user_model().objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(f"没有用户名为 {options['actor']} 的用户")
        try:
            with open(options["image"], "rb") as handle:
                seal = services.create_seal(
                    department=department, name=options["name"], kind=options["kind"],
                    image=File(handle), valid_from=options["valid_from"],
                    valid_until=options["valid_until"], actor=actor)
        except OSError as exc:
            raise CommandError(f"无法读取印模图像：{exc.strerror}") from exc
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        self.stdout.write(self.style.SUCCESS(f"已制发 {seal.full_name}，印章编码 {seal.seal_code}"))
        self.stdout.write(seal.public_key_pem)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc
