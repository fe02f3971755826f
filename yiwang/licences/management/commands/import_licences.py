"""历史纸质证照入库 from a CSV file: every row is checked first and nothing is written unless all
of them pass; then each licence is issued, sealed and delivered by ``services.import_licence``.

Each row carries the paper licence's number (``paper_number``, 原证书编号), required since every
paper licence has one: a number already imported for the type and issuer, or repeated in the
file, refuses its row, so importing a file twice writes nothing the second time."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yiwang.catalog.transfer.files import decode_text
from yiwang.common.errors import DomainError, ValidationError
from yiwang.licences import services
from yiwang.licences.models import LicenceType
from yiwang.orgs.models import Department

FIXED_COLUMNS = ("paper_number", "holder_kind", "holder_name", "holder_id_number", "valid_from",
                 "valid_until")


class _Rejected(Exception):
    """Some rows failed: undo the rows already issued."""


class Command(BaseCommand):
    help = ("历史纸质证照入库：CSV 列为 paper_number（原证书编号，必填；同一证照类型和发证部门下"
            "已入库或在文件中重复的编号整行拒绝，故同一文件不会导入两次）、holder_kind（person/company）、"
            "holder_name（须与该证件号码已注册的实名用户或单位名称一致）、holder_id_number、"
            "valid_from、valid_until（留空表示长期有效）及该证照类型的各字段。全部校验通过才写入，"
            "以发证部门的电子印章签章并直接送达。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 或 GB18030（GBK）编码的 CSV 文件")
        parser.add_argument("--type", required=True, dest="type_code", help="证照类型代码")
        parser.add_argument("--issuer-uscc", required=True, help="发证部门的统一社会信用代码")
        parser.add_argument("--user", help="签章人的用户名（须为发证部门的制证员），记入审计日志")

    def handle(self, *args, file, type_code, issuer_uscc, user=None, **options):
        licence_type = LicenceType.objects.filter(code=type_code).first()
        if licence_type is None:
            raise CommandError(f"没有代码为 {type_code} 的证照类型")
        issuer = Department.objects.filter(uscc=issuer_uscc.strip().upper()).first()
        if issuer is None:
            raise CommandError(f"没有统一社会信用代码为 {issuer_uscc} 的部门")
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"没有用户名为 {user} 的用户")
        rows = self._rows(Path(file), licence_type)
        errors = []
        first_line = {}  # paper number -> the line it first appears on
        try:
            # One transaction for the file and a savepoint per row: every row is tried, so every
            # error is reported, and a single bad row rolls back all the others.
            with transaction.atomic():
                for line, row in rows:
                    try:
                        _check_repeated(row, line, first_line)
                        with transaction.atomic():
                            services.import_licence(licence_type, issuer=issuer, actor=actor,
                                                    **_licence_values(row, licence_type))
                    except ValidationError as exc:
                        errors.append(f"第{line}行：{exc.message}")
                if errors:
                    raise _Rejected
        except _Rejected:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"导入失败：共{len(errors)}行有误，未写入任何证照") from None
        except DomainError as exc:
            # Not a row's fault (no seal, not a 制证员): the same for every row, so said once.
            raise CommandError(f"{exc.message}（{exc.code}）") from None
        self.stdout.write(self.style.SUCCESS(f"导入成功：签发并送达{len(rows)}张{licence_type.name}"))

    def _rows(self, path: Path, licence_type: LicenceType) -> list[tuple[int, dict]]:
        """(line number, cells) of the data rows below the header on line 1."""
        try:
            text = decode_text(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc.strerror}") from None
        except ValidationError as exc:
            raise CommandError(exc.message) from None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [cell.strip() for cell in next(reader, [])]
            expected = [*FIXED_COLUMNS, *(field["name"] for field in licence_type.fields)]
            missing = [name for name in expected if name not in header]
            unknown = [name for name in header if name not in expected]
            if missing or unknown:
                problems = [f"缺少列：{'、'.join(missing)}" if missing else "",
                            f"多余的列：{'、'.join(unknown)}" if unknown else ""]
                raise CommandError(f"第1行列标题不正确，{'；'.join(filter(None, problems))}")
            rows = [(reader.line_num, dict(zip(header, cells, strict=False)))
                    for cells in reader if any(cell.strip() for cell in cells)]
        except csv.Error as exc:
            raise CommandError(f"CSV 文件第{reader.line_num}行格式错误：{exc}") from None
        if not rows:
            raise CommandError("文件中没有证照数据")
        return rows


def _check_repeated(row: dict, line: int, first_line: dict[str, int]) -> None:
    """Refuse a paper number an earlier row of the file already has. Said here, with that row's
    line, rather than left to the service: the earlier row may itself have failed, and then the
    database does not hold its number."""
    number = row.get("paper_number", "").strip()
    if not number:
        return
    if number in first_line:
        raise ValidationError(f"原证书编号“{number}”与第{first_line[number]}行重复",
                              code="licence.paper_number_repeated")
    first_line[number] = line


def _licence_values(row: dict, licence_type: LicenceType) -> dict:
    """The arguments of ``import_licence`` from one row's text."""
    return {
        "paper_number": row.get("paper_number", ""),
        "holder_kind": row.get("holder_kind", "").strip(),
        "holder_name": row.get("holder_name", ""),
        "holder_id_number": row.get("holder_id_number", "").strip().upper(),
        "valid_from": _date(row.get("valid_from", ""), "有效期起"),
        "valid_until": _date(row["valid_until"], "有效期至") if row.get("valid_until", "").strip() else None,
        "data": {field["name"]: row.get(field["name"], "") for field in licence_type.fields},
    }


def _date(text: str, label: str) -> dt.date:
    if not text.strip():
        raise ValidationError(f"请填写{label}", code="licence.date_required")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{label}“{text.strip()}”不是 YYYY-MM-DD 格式的日期",
                              code="licence.bad_date") from None
