"""历史纸质证照入库: manage.py import_licences checks the whole file, then issues, seals and
delivers every licence through services.import_licence."""

import csv
import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.factories import company, make_id_number
from yiwang.licences import selectors, services
from yiwang.licences.models import HolderKind, Licence
from yiwang.notify.models import Message
from yiwang.seals.models import SealUse

HEADER = ["holder_kind", "holder_name", "holder_id_number", "valid_from", "valid_until",
          "shop_name", "area"]


def write(tmp_path, rows):
    path = tmp_path / "licences.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def run(path, world, *, user="certifier"):
    call_command("import_licences", str(path), "--type", "spjyxk", "--issuer-uscc", world.market.uscc,
                 "--user", user)


def bad_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


@pytest.fixture
def firm(sealed):
    return company(sealed.stranger, "长春市净月小吃有限公司")


def test_a_good_file_issues_sealed_licences_delivered_into_the_wallets(
        sealed, firm, tmp_path, django_capture_on_commit_callbacks):
    nobody = make_id_number(777)
    path = write(tmp_path, [
        ["person", "王芳", sealed.applicant.id_number, "2019-03-01", "2029-02-28", "净月潭小吃店", "80"],
        ["person", "李雷", nobody, "2020-05-10", "", "李记面馆", "45"],
        ["company", firm.name, firm.uscc, "2021-01-01", "2031-12-31", "净月小吃总店", "120"],
    ])
    with django_capture_on_commit_callbacks(execute=True):
        run(path, sealed)

    licences = list(Licence.objects.order_by("serial"))
    assert [licence.serial for licence in licences] == [1, 2, 3]
    assert all(services.verify_licence(licence.identifier).ok for licence in licences)
    assert all(licence.delivered_at and licence.case is None for licence in licences)
    assert [e.action for e in licences[0].events.all()] == ["签发", "送达"]
    mine, unclaimed, firms = licences
    assert mine.data == {"shop_name": "净月潭小吃店", "area": "80"}
    assert mine.valid_from == dt.date(2019, 3, 1) and mine.signature["signer"] == "certifier"
    assert unclaimed.valid_until is None and unclaimed.holder_user is None
    assert (firms.holder_kind, firms.holder_company) == (HolderKind.COMPANY, firm)
    assert list(selectors.wallet_licences(sealed.user)) == [mine]
    assert list(selectors.wallet_licences(sealed.stranger.user)) == [firms]
    assert Message.objects.filter(user=sealed.user, subject="电子证照已送达").count() == 1


def test_a_file_with_bad_rows_reports_each_and_writes_nothing(sealed, tmp_path, capsys):
    path = write(tmp_path, [
        ["person", "王芳", sealed.applicant.id_number, "2019-03-01", "", "净月潭小吃店", "80"],
        ["person", "李雷", bad_check_digit(make_id_number(777)), "2020-05-10", "", "李记面馆", "45"],
        ["company", "净月小吃有限公司", "91220100MA0000001X", "2021-01-01", "2031-12-31", "总店", "1"],
        ["person", "韩梅梅", make_id_number(778), "2020-13-01", "", "", "30"],
    ])
    uses = SealUse.objects.count()
    with pytest.raises(CommandError) as exc:
        run(path, sealed)
    assert str(exc.value) == "导入失败：共3行有误，未写入任何证照"
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == "第3行：持证人证件号码不正确：居民身份证号校验位不正确"
    assert errors[1].startswith("第4行：持证人证件号码不正确：统一社会信用代码")
    assert errors[2] == "第5行：有效期起“2020-13-01”不是 YYYY-MM-DD 格式的日期"
    assert not Licence.objects.exists() and SealUse.objects.count() == uses


def test_a_missing_field_value_names_the_field(sealed, tmp_path, capsys):
    path = write(tmp_path, [["person", "李雷", make_id_number(777), "2020-05-10", "", "", "45"]])
    with pytest.raises(CommandError):
        run(path, sealed)
    assert capsys.readouterr().err.strip() == "第2行：请填写“店铺名称”"


def test_only_a_certifier_of_the_issuer_may_seal_the_import(sealed, tmp_path):
    path = write(tmp_path, [["person", "李雷", make_id_number(777), "2020-05-10", "", "李记面馆", "45"]])
    with pytest.raises(CommandError) as exc:
        run(path, sealed, user="market_admin")
    assert "不是吉林省市场监督管理局的制证员" in str(exc.value)
    assert not Licence.objects.exists()


def test_a_header_without_the_types_fields_is_refused(sealed, tmp_path):
    path = tmp_path / "licences.csv"
    path.write_text("holder_kind,holder_name,holder_id_number,valid_from,valid_until,shop_name,colour\n",
                    encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(path, sealed)
    assert str(exc.value) == "第1行列标题不正确，缺少列：area；多余的列：colour"
