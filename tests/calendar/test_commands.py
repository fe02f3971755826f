import pytest
from django.core.management import CommandError, call_command

from tests.calendar.conftest import TABLE_2027
from tests.calendar.test_services import BAD_TABLE
from yiwang.calendar.models import CalendarDay, KnownYear


def test_import_holidays_imports_a_table_for_a_region(regions, tmp_path, capsys):
    table = tmp_path / "2027.csv"
    table.write_text(TABLE_2027, encoding="utf-8-sig")
    call_command("import_holidays", str(table), "--region", "220100", "--note", "测试")
    assert "已导入2027年放假安排（吉林省长春市）：新增5天" in capsys.readouterr().out
    assert CalendarDay.objects.filter(region__code="220100").count() == 5
    assert KnownYear.objects.get().region.code == "220100"


def test_import_holidays_prints_every_bad_line_and_writes_nothing(db, tmp_path, capsys):
    table = tmp_path / "bad.csv"
    table.write_text(BAD_TABLE, encoding="utf-8")
    with pytest.raises(CommandError, match=r"calendar\.import_invalid"):
        call_command("import_holidays", str(table))
    err = capsys.readouterr().err
    assert "第3行：日期“2027-02-30”无法识别" in err and "第8行：缺少日期" in err
    assert not CalendarDay.objects.exists()


def test_import_holidays_checks_the_user_and_the_file(regions, tmp_path):
    table = tmp_path / "2027.csv"
    table.write_text(TABLE_2027, encoding="utf-8")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_holidays", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="用户“ghost”不存在"):
        call_command("import_holidays", str(table), "--user", "ghost")
    with pytest.raises(CommandError, match=r"region\.not_found"):
        call_command("import_holidays", str(table), "--region", "999999")
