"""Import a catalogue file from the command line, printing progress as it goes."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yiwang.catalog import transfer
from yiwang.catalog.models import ImportJob
from yiwang.common.errors import DomainError


class Command(BaseCommand):
    help = ("导入事项目录文件（CSV、XLSX 或 JSON）。全部校验通过才写入；默认导入为草稿，--publish 直接发布。"
            "不指定 --user 时以系统操作员身份导入（不检查部门权限）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .csv、.xlsx 或 .json 文件")
        parser.add_argument("--publish", action="store_true", help="导入后直接发布（须为系统管理员）")
        parser.add_argument("--user", help="以该用户身份导入，并按其部门权限检查")

    def handle(self, *args, file, publish=False, user=None, **options):
        actor = self._user(user) if user else None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        self._last = ""
        self._started = time.monotonic()
        try:
            job = transfer.create_job(name=path.name, size=path.stat().st_size,
                                      read=path.read_bytes, actor=actor, publish=publish)
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from None
        self.stdout.write(f"导入任务 #{job.pk}：{path.name}")
        transfer.run_import(job, actor=actor, on_progress=self._progress)
        if job.status == ImportJob.Status.FAILED:
            for error in job.errors:
                where = error["where"]
                field = f"[{error['field']}] " if error["field"] else ""
                self.stderr.write(f"{where}：{field}{error['message']}")
            raise CommandError(f"导入失败：共{len(job.errors)}处错误，未写入任何事项")
        seconds = time.monotonic() - self._started
        state = "已发布" if job.publish else "草稿"
        self.stdout.write(self.style.SUCCESS(
            f"导入成功：新增{job.created_count}个事项（{state}），用时{seconds:.1f}秒"))

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"用户“{username}”不存在") from None

    def _progress(self, job: ImportJob) -> None:
        if job.status == ImportJob.Status.VALIDATING and job.total:
            line = f"校验中 {job.processed}/{job.total}（{transfer.percent_done(job)}%）"
        elif job.status == ImportJob.Status.WRITING:
            line = f"全部校验通过，正在写入 {job.total} 个事项…"
        else:
            return
        if line != self._last:
            self._last = line
            self.stdout.write(line)
