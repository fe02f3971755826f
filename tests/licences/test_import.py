"""历史纸质证照入库: manage.py import_licences checks the whole file, then issues, seals and
delivers every licence through services.import_licence."""

import csv
import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from tests.accounts.factories import company, make_id_number
from tests.concurrency import in_threads
from yiwang.common.errors import Conflict, ValidationError
from yiwang.common.identifiers import mask_id
from yiwang.licences import selectors, services
from yiwang.licences.models import HolderKind, Licence, LicenceEvent
from yiwang.notify.models import Message
from yiwang.seals.models import SealUse
from yiwang.supervision.models import AuditRecord

HEADER = ["paper_number", "holder_kind", "holder_name", "holder_id_number", "valid_from", "valid_until",
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
        ["JY12201040001", "person", "王芳", sealed.applicant.id_number, "2019-03-01", "2029-02-28",
         "净月潭小吃店", "80"],
        ["JY12201040002", "person", "李雷", nobody, "2020-05-10", "", "李记面馆", "45"],
        ["JY12201040003", "company", firm.name, firm.uscc, "2021-01-01", "2031-12-31", "净月小吃总店",
         "120"],
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
    assert [licence.paper_number for licence in licences] == [
        "JY12201040001", "JY12201040002", "JY12201040003"]
    assert services.signed_content(mine)["paper_number"] == "JY12201040001"
    assert mine.valid_from == dt.date(2019, 3, 1)
    assert mine.signature["signer"] == f"staff:{sealed.certifier.pk}"
    assert unclaimed.valid_until is None and unclaimed.holder_user is None
    assert (firms.holder_kind, firms.holder_company) == (HolderKind.COMPANY, firm)
    assert list(selectors.wallet_licences(sealed.user)) == [mine]
    assert list(selectors.wallet_licences(sealed.stranger.user)) == [firms]
    assert Message.objects.filter(user=sealed.user, subject="电子证照已送达").count() == 1


def test_a_file_with_bad_rows_reports_each_and_writes_nothing(sealed, tmp_path, capsys):
    path = write(tmp_path, [
        ["P1", "person", "王芳", sealed.applicant.id_number, "2019-03-01", "", "净月潭小吃店", "80"],
        ["P2", "person", "李雷", bad_check_digit(make_id_number(777)), "2020-05-10", "", "李记面馆", "45"],
        ["P3", "company", "净月小吃有限公司", "91220100MA0000001X", "2021-01-01", "2031-12-31", "总店",
         "1"],
        ["P4", "person", "韩梅梅", make_id_number(778), "2020-13-01", "", "", "30"],
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
    path = write(tmp_path, [["P1", "person", "李雷", make_id_number(777), "2020-05-10", "", "", "45"]])
    with pytest.raises(CommandError):
        run(path, sealed)
    assert capsys.readouterr().err.strip() == "第2行：请填写“店铺名称”"


def test_only_a_certifier_of_the_issuer_may_seal_the_import(sealed, tmp_path):
    path = write(tmp_path, [["P1", "person", "李雷", make_id_number(777), "2020-05-10", "", "李记面馆",
                             "45"]])
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
    assert str(exc.value) == "第1行列标题不正确，缺少列：paper_number、area；多余的列：colour"


# --- 原证书编号 --------------------------------------------------------------------------------------


def li_lei(paper_number: str, n: int = 777) -> list[str]:
    return [paper_number, "person", "李雷", make_id_number(n), "2020-05-10", "", "李记面馆", "45"]


def test_importing_the_same_file_twice_refuses_every_row_and_writes_nothing(sealed, tmp_path, capsys):
    path = write(tmp_path, [li_lei("JY001"), li_lei("JY002", 778)])
    run(path, sealed)
    first, second = Licence.objects.order_by("serial")
    capsys.readouterr()
    uses = SealUse.objects.count()

    with pytest.raises(CommandError) as exc:
        run(path, sealed)

    assert str(exc.value) == "导入失败：共2行有误，未写入任何证照"
    assert capsys.readouterr().err.splitlines() == [
        f"第2行：原证书编号“JY001”已入库（证照标识 {first.identifier}），不能重复导入",
        f"第3行：原证书编号“JY002”已入库（证照标识 {second.identifier}），不能重复导入",
    ]
    assert Licence.objects.count() == 2 and SealUse.objects.count() == uses


def test_a_paper_number_repeated_in_the_file_names_the_first_row_and_writes_nothing(
        sealed, tmp_path, capsys):
    path = write(tmp_path, [li_lei("JY001"), li_lei(" JY002", 778), li_lei("JY002 ", 779)])
    with pytest.raises(CommandError) as exc:
        run(path, sealed)
    assert str(exc.value) == "导入失败：共1行有误，未写入任何证照"
    assert capsys.readouterr().err.splitlines() == ["第4行：原证书编号“JY002”与第3行重复"]
    assert not Licence.objects.exists() and not SealUse.objects.filter(purpose__contains="入库").exists()


def test_a_row_repeating_a_failed_rows_number_is_still_refused(sealed, tmp_path, capsys):
    # The first row fails, so its number never reaches the database: the file itself is checked.
    path = write(tmp_path, [[*li_lei("JY001")[:4], "2020-13-01", *li_lei("JY001")[5:]],
                            li_lei("JY001", 778)])
    with pytest.raises(CommandError):
        run(path, sealed)
    assert capsys.readouterr().err.splitlines() == [
        "第2行：有效期起“2020-13-01”不是 YYYY-MM-DD 格式的日期", "第3行：原证书编号“JY001”与第2行重复"]
    assert not Licence.objects.exists()


def test_a_row_without_a_paper_number_is_refused(sealed, tmp_path, capsys):
    path = write(tmp_path, [li_lei("  ")])
    with pytest.raises(CommandError):
        run(path, sealed)
    assert capsys.readouterr().err.strip() == "第2行：请填写原证书编号"
    assert not Licence.objects.exists()


def test_the_database_keeps_a_paper_number_unique_per_type_and_issuer(sealed, tmp_path):
    run(write(tmp_path, [li_lei("JY001")]), sealed)
    imported = Licence.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        # The database itself refuses a second licence of the number for this type and issuer...
        Licence.objects.create(**{**_columns(imported), "serial": 2, "identifier": "x"})
    # ...but not for another issuer, and licences without a number (NULL) never collide.
    Licence.objects.create(**{**_columns(imported), "serial": 2, "identifier": "x",
                              "issuer_id": sealed.health.pk})
    Licence.objects.create(**{**_columns(imported), "serial": 3, "identifier": "y", "paper_number": None})
    Licence.objects.create(**{**_columns(imported), "serial": 4, "identifier": "z", "paper_number": None})
    assert Licence.objects.filter(paper_number="JY001").count() == 2


def _columns(licence: Licence) -> dict:
    return {field.attname: getattr(licence, field.attname) for field in Licence._meta.concrete_fields
            if field.name != "id"}


# --- 持证人与账号 ------------------------------------------------------------------------------------


def test_a_person_whose_name_differs_from_the_accounts_real_name_is_refused(sealed, tmp_path, capsys):
    number = sealed.applicant.id_number
    path = write(tmp_path, [["JY001", "person", "王小芳", number, "2019-03-01", "", "净月潭小吃店", "80"]])
    with pytest.raises(CommandError):
        run(path, sealed)
    err = capsys.readouterr().err
    assert err.strip() == "第2行：持证人姓名“王小芳”与身份证号对应的实名用户不符"
    # Neither the ID number nor the account's real name is given away.
    assert number not in err and "王芳" not in err
    assert not Licence.objects.exists()


def test_a_company_whose_name_differs_from_the_registered_one_is_refused(sealed, firm, tmp_path, capsys):
    path = write(tmp_path, [["JY001", "company", "长春市净月大饭店有限公司", firm.uscc, "2021-01-01", "",
                             "总店", "1"]])
    with pytest.raises(CommandError):
        run(path, sealed)
    assert capsys.readouterr().err.strip() == (
        "第2行：持证单位名称“长春市净月大饭店有限公司”与统一社会信用代码对应的单位名称不符")
    assert not Licence.objects.exists()


def test_names_match_across_full_and_half_width_forms(sealed, tmp_path):
    firm = company(sealed.stranger, "长春市净月小吃（总店）有限公司")
    run(write(tmp_path, [["JY001", "company", "长春市净月小吃(总店)有限公司", firm.uscc, "2021-01-01", "",
                          "总店", "1"]]), sealed)
    assert Licence.objects.get().holder_company == firm


def test_a_name_mismatch_masks_the_id_number_in_the_error_details(sealed):
    number = sealed.applicant.id_number
    with pytest.raises(ValidationError) as exc:
        services.import_licence(
            sealed.licence_type, issuer=sealed.market, actor=sealed.certifier, paper_number="JY001",
            holder_kind="person", holder_name="王小芳", holder_id_number=number,
            valid_from=dt.date(2019, 3, 1), valid_until=None, data={"shop_name": "店", "area": "1"})
    assert exc.value.code == "licence.holder_name_mismatch"
    assert exc.value.details == {"id_number": mask_id(number)} and number not in str(exc.value.details)


def test_a_persons_id_number_in_a_company_row_is_masked_in_the_error(sealed, tmp_path, capsys):
    number = sealed.applicant.id_number
    path = write(tmp_path, [["JY001", "company", "王芳", number, "2019-03-01", "", "店", "1"]])
    with pytest.raises(CommandError):
        run(path, sealed)
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"第2行：持证人证件号码不正确：统一社会信用代码“{mask_id(number)}”")
    assert number not in err


# --- 原证书编号 under concurrent imports ---------------------------------------------------------


def _import(world, paper_number: str, n: int = 777) -> Licence:
    return services.import_licence(
        world.licence_type, issuer=world.market, actor=world.certifier, paper_number=paper_number,
        holder_kind="person", holder_name="李雷", holder_id_number=make_id_number(n),
        valid_from=dt.date(2020, 5, 10), valid_until=None, data={"shop_name": "李记面馆", "area": "45"})


def _written() -> dict:
    """What an import writes, counted: nothing of a refused import may remain."""
    return {model.__name__: model.objects.count()
            for model in (Licence, LicenceEvent, SealUse, AuditRecord, Message)}


def _checked_before_the_other_import(monkeypatch, barrier=None):
    """Make the up-front paper number check of ``_paper_number`` see the database as it was before
    the racing import inserted its row (optionally waiting at ``barrier`` for the other import to
    have checked too); the check after a refused insert (``latest=True``) reads the truth."""
    lookup = services._imported_as

    def racing(licence_type, issuer, number, *, latest=False):
        if latest:
            return lookup(licence_type, issuer, number, latest=True)
        if barrier is None:
            return None
        found = lookup(licence_type, issuer, number)
        barrier.wait()
        return found

    monkeypatch.setattr(services, "_imported_as", racing)


def test_the_loser_of_a_race_for_a_paper_number_is_told_the_number_is_taken(sealed, monkeypatch):
    winner = _import(sealed, "JY001")
    before = _written()
    _checked_before_the_other_import(monkeypatch)

    with pytest.raises(ValidationError) as exc:
        _import(sealed, "JY001", 778)

    # Not "证照编号冲突，请重试制证": retrying would fail again, the number is simply taken.
    assert exc.value.code == "licence.paper_number_taken"
    assert exc.value.message == f"原证书编号“JY001”已入库（证照标识 {winner.identifier}），不能重复导入"
    assert exc.value.details == {"paper_number": "JY001", "identifier": winner.identifier}
    # The loser's licence, its seal uses, its history, its audit records and its notice are gone.
    assert _written() == before


def test_a_racing_import_in_a_file_is_reported_as_its_row_and_writes_nothing(
        sealed, monkeypatch, tmp_path, capsys):
    winner = _import(sealed, "JY001")
    before = _written()
    _checked_before_the_other_import(monkeypatch)

    with pytest.raises(CommandError) as exc:
        run(write(tmp_path, [li_lei("JY002", 778), li_lei("JY001", 779)]), sealed)

    assert str(exc.value) == "导入失败：共1行有误，未写入任何证照"
    assert capsys.readouterr().err.splitlines() == [
        f"第3行：原证书编号“JY001”已入库（证照标识 {winner.identifier}），不能重复导入"]
    assert _written() == before


def test_an_identifier_collision_of_an_import_keeps_its_own_message(sealed):
    first = _import(sealed, "JY001")
    # A serial drawn twice: the next import numbers itself as ``first`` is numbered.
    Licence.objects.filter(pk=first.pk).update(serial=0)
    before = _written()

    with pytest.raises(Conflict) as exc:
        _import(sealed, "JY002", 778)

    assert (exc.value.code, exc.value.message) == ("licence.identifier_taken", "证照编号冲突，请重试制证")
    assert _written() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="需要可多线程共享的数据库（PostgreSQL 或 MariaDB）")
def test_two_imports_of_one_paper_number_at_once_one_wins_and_the_other_is_told_why(
        sealed, monkeypatch):
    before = _written()
    # Both pass the up-front check before either inserts: the database's unique constraint
    # decides, and the loser learns which licence has the number.
    _checked_before_the_other_import(monkeypatch, threading.Barrier(2, timeout=30))

    results, errors = in_threads(2, lambda i: _import(sealed, "JY001", 777 + i).identifier)

    winner = Licence.objects.get()
    assert results == [winner.identifier]
    assert [(type(e), e.code, e.details) for e in errors] == [
        (ValidationError, "licence.paper_number_taken",
         {"paper_number": "JY001", "identifier": winner.identifier})]
    written = _written()
    # Only the winner's rows: one licence, its 签发 and 送达, the two signatures of one licence.
    assert written["Licence"] == before["Licence"] + 1
    assert written["LicenceEvent"] == before["LicenceEvent"] + 2
    assert written["SealUse"] == before["SealUse"] + 2
