"""Re-encrypt personal data under the current key and re-index it under the current index key
(个人信息密钥轮换). docs/personal-data.md gives the whole procedure."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yiwang.common.fields import encrypted_fields, rewrite_table
from yiwang.common.personal_data import PersonalDataError


class Command(BaseCommand):
    help = ("把所有加密存储的个人信息（身份证号、手机号、地址等）改用当前密钥 YIWANG_PII_KEY 重新加密，"
            "并用当前索引密钥 YIWANG_PII_INDEX_KEY 重算盲索引。分批进行，每批一个事务；"
            "中断后再次运行即从未完成处继续（已是当前密钥的行不改动）。")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="每批行数（默认 500）")
        parser.add_argument("--check", action="store_true",
                            help="只统计尚未使用当前密钥的行，不改动；有则以状态 1 退出")

    def handle(self, *args, batch_size: int, check: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数")
        models = [m for m in apps.get_models() if encrypted_fields(m)]
        self.stdout.write(f"当前密钥：{settings.PERSONAL_DATA_KEY_ID}；可解密的密钥："
                          f"{'、'.join(settings.PERSONAL_DATA_KEYS)}；索引密钥 "
                          f"{len(settings.PERSONAL_DATA_INDEX_KEYS)} 个")
        pending = 0
        for model in models:
            try:
                result = rewrite_table(model, batch_size=batch_size, dry_run=check)
            except PersonalDataError as exc:
                raise CommandError(f"{model._meta.label}：{exc}（{exc.code}）") from exc
            pending += result.changed
            verb = "待更新" if check else "已更新"
            self.stdout.write(f"{model._meta.label}：{result.rows} 行，{verb} {result.changed} 行"
                              + (f"，其中明文 {result.plaintext} 个值" if result.plaintext else ""))
        if check and pending:
            raise CommandError(f"还有 {pending} 行未使用当前密钥或当前索引密钥，请运行 "
                               "manage.py rotate_personal_data_key")
        self.stdout.write(self.style.SUCCESS(
            "全部个人信息均已使用当前密钥加密、当前索引密钥索引，旧密钥可以移除" if check
            else f"轮换完成，共更新 {pending} 行；运行 --check 确认后即可移除旧密钥"))
