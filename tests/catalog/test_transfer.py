"""Catalogue import and export: round trips, every bad row reported, all or nothing, permission,
progress, and the files people upload by mistake."""

from __future__ import annotations

import codecs
import csv
import io
import json
import time

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.catalog.test_services import publish
from tests.factories import DepartmentFactory, TopicFactory, UserFactory, guide_data, staff
from yiwang.catalog import services, transfer
from yiwang.catalog.guide import GUIDE_FIELDS, MATERIAL_FIELDS, guide_to_dict
from yiwang.catalog.models import (
    GuideVersion,
    ImportJob,
    Material,
    ServiceItem,
    VersionEvent,
    VersionStatus,
)
from yiwang.catalog.review import authors_of
from yiwang.catalog.transfer import columns
from yiwang.common.errors import PayloadTooLarge, PermissionDenied, ValidationError
from yiwang.orgs.models import Role

# --- helpers shared with the API and workbench tests ---------------------------------------------


def superuser_named(username: str = "root"):
    user = UserFactory(username=username, is_superuser=True, is_staff=True)
    user.save()
    return user


def export_bytes(file_format: str, department=None) -> bytes:
    out = io.BytesIO()
    transfer.export_catalog(out, file_format, department=department)
    return out.getvalue()


def import_file(name: str, data: bytes, actor, *, publish: bool = False, on_progress=None
                ) -> ImportJob:
    """Create the job as an upload would and run it here, as the background task does."""
    job = transfer.create_job(name=name, size=len(data), read=lambda: data, actor=actor,
                              publish=publish)
    return transfer.run_import(job, actor=actor, on_progress=on_progress)


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8-sig") -> bytes:
    """A CSV with the export's headers; ``rows`` give cells by field name."""
    header = [h for _, h in columns.item_columns(with_materials=True)]
    keys = [k for k, _ in columns.item_columns(with_materials=True)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    return out.getvalue().encode(encoding)


def item_row(department, basic_code: str, raw: dict | None = None, **overrides) -> dict:
    """Cells of one valid item row: the guide of ``guide_data`` in spreadsheet form. Guide
    ``overrides`` go through the export's conversion; ``raw`` cells are taken as they are."""
    guide = guide_data(**{k: v for k, v in overrides.items() if k in GUIDE_FIELDS})
    row = {
        "basic_code": basic_code, "item_type": basic_code[2:4], "level": "2",
        "department_uscc": department.uscc, "topics": "",
        **columns.guide_cells(guide),
        "materials": json.dumps(guide["materials"], ensure_ascii=False),
    }
    row.update({k: v for k, v in overrides.items() if k not in GUIDE_FIELDS})
    row.update(raw or {})
    return row


def snapshot() -> dict[str, dict]:
    """Everything an export carries, per item, to compare a catalogue before and after."""
    result = {}
    for item in ServiceItem.objects.select_related("department").prefetch_related("topics"):
        version = item.published_version or item.versions.get()
        result[item.handling_code] = {
            "codes": (item.basic_code, item.implementation_code, item.item_type, item.level),
            "department": item.department.uscc,
            "region": item.region_id,
            "topics": sorted(t.slug for t in item.topics.all()),
            "guide": guide_to_dict(version),
        }
    return result


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return superuser_named()


@pytest.fixture
def second_department(province):
    return DepartmentFactory(name="吉林省人力资源和社会保障厅", code="21", region=province)


@pytest.fixture
def catalogue(department, second_department, editor, reviewer):
    """Three published items across two departments with topics, and one unpublished draft."""
    birth = TopicFactory(slug="birth", name="出生")
    work = TopicFactory(slug="employment", name="就业")
    second_editor = staff(second_department, Role.CATALOG_EDITOR)
    second_reviewer = staff(second_department, Role.CATALOG_REVIEWER)
    items = [
        services.create_item(department=department, item_type="01", level="2",
                             guide=guide_data(), actor=editor, topics=[birth]),
        services.create_item(
            department=department, item_type="07", level="2", actor=editor, topics=[birth, work],
            guide=guide_data(name="出生登记", handling_kind="1", promised_time_limit=0, visits=0,
                             online_depth=6, fees=[], channels=["pc"], commitment_allowed=True,
                             single_window=False, legal_basis="《户口登记条例》第七条\n第二款",
                             materials=[{"name": "出生医学证明", "necessity": "required",
                                         "form": "both", "paper_copies": 2,
                                         "acceptance_standard": "原件，=真实有效",
                                         "source": "other", "source_note": "医院出具"}])),
        services.create_item(department=second_department, item_type="20", level="2",
                             guide=guide_data(name="就业失业登记", materials=[]),
                             actor=second_editor, topics=[work], suffix=3),
    ]
    publish(items[0], editor, reviewer)
    publish(items[1], editor, reviewer)
    publish(items[2], second_editor, second_reviewer)
    services.create_item(department=department, item_type="01", level="2",
                         guide=guide_data(name="未发布草稿"), actor=editor)
    return items


# --- columns -----------------------------------------------------------------------------------


def test_every_guide_and_material_field_has_one_stable_header():
    assert list(columns.GUIDE_HEADERS) == [*GUIDE_FIELDS, "faqs"]
    assert list(columns.MATERIAL_HEADERS) == MATERIAL_FIELDS
    headers = [h for _, h in columns.item_columns(with_materials=True)]
    assert len(headers) == len(set(headers))
    assert "事项名称" in headers and "申请材料" in headers


# --- export ------------------------------------------------------------------------------------


def test_json_export_has_every_element_of_published_items_only(catalogue):
    exported = json.loads(export_bytes("json"))
    assert sorted(e["guide"]["name"] for e in exported) == sorted(
        ["居民身份证换领", "出生登记", "就业失业登记"])  # the draft is not exported
    first = next(e for e in exported if e["handling_code"] == catalogue[0].handling_code)
    assert first["department"]["uscc"] == catalogue[0].department.uscc
    assert first["topics"] == ["birth"]
    assert first["guide"] == guide_to_dict(catalogue[0].versions.get())
    assert set(first["guide"]) == {*GUIDE_FIELDS, "materials", "faqs"}
    assert set(first["guide"]["materials"][0]) == set(MATERIAL_FIELDS)


def test_export_can_be_limited_to_one_department(catalogue, second_department):
    exported = json.loads(export_bytes("json", department=second_department))
    assert [e["handling_code"] for e in exported] == [catalogue[2].handling_code]


def test_csv_export_has_chinese_headers_labels_and_json_cells(catalogue):
    data = export_bytes("csv")
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    row = next(r for r in rows if r["事项名称"] == "出生登记")
    assert row["基本编码"] == catalogue[1].basic_code
    assert row["办件类型"] == "即办件"
    assert row["进驻一窗受理"] == "否"
    assert row["人生事件/主题"] == "birth,employment"
    assert json.loads(row["申请材料"])[0]["name"] == "出生医学证明"
    assert row["设定依据"] == "《户口登记条例》第七条\n第二款"


def test_xlsx_export_links_materials_to_items_by_handling_code(catalogue):
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx")), read_only=True)
    assert workbook.sheetnames == ["事项", "申请材料"]
    materials = list(workbook["申请材料"].iter_rows(values_only=True))
    assert materials[0][:3] == ("业务办理项编码", "序号", "材料名称")
    linked = [r for r in materials[1:] if r[0] == catalogue[0].handling_code]
    assert [(r[1], r[2], r[3]) for r in linked] == [(1, "原居民身份证", "必要"), (2, "户口簿", "容缺")]
    # Text that starts with "=" stays text in Excel, never a formula.
    standard = next(r for r in materials[1:] if r[2] == "出生医学证明")
    assert standard[10] == "原件，=真实有效"


def test_xlsx_export_drops_control_characters_xml_cannot_hold(department, editor, reviewer):
    item = services.create_item(department=department, item_type="01", level="2", actor=editor,
                                guide=guide_data(conditions="本省户籍\x0b居民"))
    publish(item, editor, reviewer)
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx")), read_only=True)
    header, row = list(workbook["事项"].iter_rows(values_only=True))
    assert row[header.index("受理条件")] == "本省户籍居民"


# --- round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_export_then_import_round_trips_every_element(catalogue, superuser, file_format):
    data = export_bytes(file_format)
    ServiceItem.objects.filter(published_version__isnull=True).delete()
    before = snapshot()
    ServiceItem.objects.all().delete()

    job = import_file(f"catalogue.{file_format}", data, superuser, publish=True)

    assert (job.status, job.errors, job.created_count) == ("succeeded", [], 3)
    assert snapshot() == before


def test_import_arrives_as_draft_with_the_rows_create_item_writes(department, editor):
    made = services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(), actor=editor, basic_code="220111005000")
    data = csv_bytes([item_row(department, "220111006000", topics="")])

    job = import_file("new.csv", data, editor)

    assert job.status == "succeeded", job.errors
    imported = ServiceItem.objects.get(basic_code="220111006000")
    assert imported.published_version is None
    assert (imported.region, imported.item_type, imported.level) == (made.region, "01", "2")
    assert imported.handling_code == f"{department.uscc}2220111006000" + "01"
    ours, theirs = imported.versions.get(), made.versions.get()
    assert (ours.number, ours.status, ours.created_by) == (1, "draft", editor)
    assert guide_to_dict(ours) == guide_to_dict(theirs)
    assert list(ours.materials.values_list("order", flat=True)) == [1, 2]
    event = ours.events.get()
    assert (event.action, event.actor) == ("created", editor)
    assert f"导入任务#{job.pk}（new.csv）第2行" in event.comment
    # The four-eyes rule knows who imported the draft.
    assert authors_of(ours) == {editor.pk}


def test_superuser_import_as_published_records_imported_and_reindexes(
        department, superuser, django_capture_on_commit_callbacks, monkeypatch):
    indexed = []
    monkeypatch.setattr("yiwang.catalog.search.index_item", indexed.append)
    data = csv_bytes([item_row(department, "220111006000"), item_row(department, "220111007000")])

    with django_capture_on_commit_callbacks(execute=True):
        job = import_file("pub.csv", data, superuser, publish=True)

    assert job.status == "succeeded", job.errors
    versions = GuideVersion.objects.filter(item__department=department)
    assert {v.status for v in versions} == {VersionStatus.PUBLISHED}
    assert all(v.published_at for v in versions)
    for item in ServiceItem.objects.all():
        assert item.published_version.item_id == item.pk
    assert list(VersionEvent.objects.filter(version__in=versions).values_list("action", flat=True)
                .order_by("action").distinct()) == ["created", "imported"]
    assert sorted(indexed) == sorted(ServiceItem.objects.values_list("pk", flat=True))


def test_large_published_import_schedules_one_rebuild(department, superuser,
                                                      django_capture_on_commit_callbacks,
                                                      monkeypatch):
    calls = []
    monkeypatch.setattr("yiwang.catalog.transfer.importer.REINDEX_ONE_BY_ONE", 1)
    monkeypatch.setattr("yiwang.catalog.search.rebuild", lambda: calls.append("rebuild"))
    monkeypatch.setattr("yiwang.catalog.search.index_item", lambda pk: calls.append(pk))
    data = csv_bytes([item_row(department, "220111006000"), item_row(department, "220111007000")])

    with django_capture_on_commit_callbacks(execute=True):
        import_file("pub.csv", data, superuser, publish=True)

    assert calls == ["rebuild"]


# --- every bad row, all or nothing -------------------------------------------------------------


def errors_by_line(job: ImportJob) -> dict:
    found: dict = {}
    for error in job.errors:
        found.setdefault((error["sheet"], error["line"]), []).append(error)
    return found


def test_each_bad_csv_row_is_reported_with_its_line_and_reason_and_nothing_is_written(
        department, editor):
    existing = services.create_item(department=department, item_type="01", level="2",
                                    guide=guide_data(), actor=editor, basic_code="220111001000")
    rows = [
        item_row(department, "220111002000"),                                  # line 2: fine
        item_row(department, "22011100200"),                                   # 3: 11 digits
        item_row(department, "220111003000", department_uscc="91110000600037341L"),  # 4
        item_row(department, "220111004000", item_type="20"),                  # 5: type mismatch
        item_row(department, "220111002000"),                                  # 6: dup of line 2
        item_row(department, existing.basic_code),                             # 7: in database
        item_row(department, "220111005000", promised_time_limit="90"),        # 8: guide rule
        item_row(department, "220111006000", raw={"fees": "[{oops"}),                   # 9: bad JSON cell
        item_row(department, "220111007000", topics="no-such-topic"),          # 10
        item_row(department, "220111008000", handling_code="X" * 33),          # 11
    ]
    data = csv_bytes(rows)

    job = import_file("bad.csv", data, editor)

    assert job.status == "failed"
    found = errors_by_line(job)
    assert sorted(line for _, line in found) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert found[(None, 3)][0]["message"] == "基本编码应为12位，实际为11位"
    assert found[(None, 3)][0]["code"] == "item_code.basic_length"
    assert found[(None, 4)][0]["message"] == (
        "统一社会信用代码为“91110000600037341L”的实施部门不存在，请先登记该部门")
    assert found[(None, 4)][0]["field"] == "department_uscc"
    assert found[(None, 5)][0]["message"] == "基本编码中的事项类型“01”与所选事项类型“20”不一致"
    assert found[(None, 6)][0]["message"] == (
        f"业务办理项编码“{department.uscc}222011100200001”与第2行重复")
    assert found[(None, 7)][0]["message"] == f"业务办理项编码“{existing.handling_code}”已存在"
    assert found[(None, 8)][0]["message"] == "承诺办结时限不能超过法定办结时限"
    assert found[(None, 9)][0]["message"].startswith("“收费标准”不是有效的 JSON")
    assert found[(None, 10)][0]["message"] == "人生事件/主题“no-such-topic”不存在"
    assert found[(None, 11)][0]["code"] == "item_code.uscc"
    assert found[(None, 8)][0]["where"] == "第8行"
    assert ServiceItem.objects.count() == 1
    assert job.created_count == 0


def test_a_row_with_several_problems_reports_each(department, editor):
    data = csv_bytes([item_row(department, "220111002000", level="9", name="",
                               online_depth="8")])

    job = import_file("bad.csv", data, editor)

    messages = [e["message"] for e in job.errors]
    assert "行使层级“9”无效，应为1-6" in messages
    assert "请填写事项名称" in messages
    assert "网上办理深度应在1到7之间" in messages
    assert {e["line"] for e in job.errors} == {2}


def test_csv_line_numbers_count_records_as_a_spreadsheet_shows_them(department, editor):
    rows = [item_row(department, "220111002000", legal_basis="第一行\n第二行\n第三行"),
            {}, item_row(department, "220111003000", raw={"basic_code": "bad"})]
    job = import_file("lines.csv", csv_bytes(rows), editor)
    assert [(e["line"], e["field"]) for e in job.errors] == [(4, "basic_code")]


def test_xlsx_errors_name_the_sheet_and_row(department, editor):
    workbook = openpyxl.Workbook()
    items = workbook.active
    items.title = "事项"
    item_keys = [k for k, _ in columns.item_columns(with_materials=False)]
    items.append([h for _, h in columns.item_columns(with_materials=False)])
    good = item_row(department, "220111002000")
    items.append([good.get(k, "") for k in item_keys])
    items.append([])
    items.append([item_row(department, "2201110030AB").get(k, "") for k in item_keys])
    materials = workbook.create_sheet("申请材料")
    materials.append([h for _, h in columns.material_columns()])
    code = f"{department.uscc}222011100200001"
    materials.append([code, 1, "居民户口簿", "必要", "电子", 0, "申请人自备"])
    materials.append([code, 2, "", "可能", "电子", 0, "申请人自备"])
    materials.append(["X" * 33, 1, "无主材料", "必要", "电子", 0, "申请人自备"])
    out = io.BytesIO()
    workbook.save(out)

    job = import_file("bad.xlsx", out.getvalue(), editor)

    found = errors_by_line(job)
    assert found[("事项", 4)][0]["message"] == "基本编码第11位“A”不是数字"
    assert found[("事项", 4)][0]["where"] == "“事项”表第4行"
    assert sorted(e["message"] for e in found[("事项", 2)]) == [
        "第2项材料的必要性“可能”无效，可选：必要、非必要、容缺", "第2项材料缺少材料名称"]
    assert found[("申请材料", 4)][0]["message"] == (
        f"业务办理项编码“{'X' * 33}”在“事项”表中没有对应的事项")
    assert not ServiceItem.objects.exists()


def test_xlsx_materials_follow_their_order_column(department, editor):
    workbook = openpyxl.Workbook()
    items = workbook.active
    items.title = "事项"
    items.append(["基本编码", "事项类型", "行使层级", "实施主体统一社会信用代码", "事项名称", "办件类型",
                  "到办事现场次数"])
    items.append(["220111002000", 1, 2, department.uscc, "户口迁移", "即办件", 1])
    materials = workbook.create_sheet("申请材料")
    materials.append(["业务办理项编码", "序号", "材料名称"])
    code = f"{department.uscc}222011100200001"
    materials.append([code, 2, "迁移证"])
    materials.append([code, 1, "居民户口簿"])
    out = io.BytesIO()
    workbook.save(out)

    job = import_file("order.xlsx", out.getvalue(), editor)

    assert job.status == "succeeded", job.errors
    version = GuideVersion.objects.get(item__handling_code=code)
    assert [m.name for m in version.materials.all()] == ["居民户口簿", "迁移证"]
    # Excel stored the item type as the number 1; the leading zero is restored.
    assert version.item.item_type == "01"


def test_json_errors_name_the_array_index(catalogue, superuser):
    exported = json.loads(export_bytes("json"))
    ServiceItem.objects.all().delete()
    exported[1]["basic_code"] = "1234"
    exported[2]["guide"]["materials"][0:0] = [{"name": "", "form": "paper"}]
    data = json.dumps([exported[0], "not an item", exported[1], exported[2]],
                      ensure_ascii=False).encode()

    job = import_file("bad.json", data, superuser)

    found = errors_by_line(job)
    assert sorted(line for _, line in found) == [1, 2, 3]
    assert found[(None, 1)][0]["message"] == "每个事项应为 JSON 对象"
    assert found[(None, 1)][0]["where"] == "下标 1"
    assert found[(None, 2)][0]["message"] == "基本编码应为12位，实际为4位"
    assert "第1项材料缺少材料名称" in [e["message"] for e in found[(None, 3)]]
    assert not ServiceItem.objects.exists()


def test_json_item_with_a_nul_character_is_refused(department, editor):
    entry = {"basic_code": "220111002000", "item_type": "01", "level": "2",
             "department": {"uscc": department.uscc}, "guide": guide_data(name="出生\u0000登记")}
    job = import_file("nul.json", json.dumps([entry]).encode(), editor)
    assert [(e["line"], e["code"]) for e in job.errors] == [(0, "import.nul_character")]


def test_given_codes_must_agree_with_the_other_columns(department, editor):
    other_level = f"{department.uscc}3220111002000"
    data = csv_bytes([item_row(department, "220111002000", implementation_code=other_level)])
    job = import_file("codes.csv", data, editor)
    assert job.errors[0]["message"] == (
        f"实施编码“{other_level}”与实施主体、行使层级和基本编码不一致，"
        f"应为“{department.uscc}2220111002000”")


def test_handling_code_suffix_is_taken_from_the_file(department, editor):
    code = f"{department.uscc}222011100200007"
    job = import_file("suffix.csv", csv_bytes([item_row(department, "220111002000",
                                                        handling_code=code)]), editor)
    assert job.status == "succeeded", job.errors
    assert ServiceItem.objects.filter(handling_code=code).exists()


def test_code_taken_between_validation_and_write_fails_the_whole_write(department, editor):
    parsed = transfer.read_import_file("race.csv", csv_bytes([
        item_row(department, "220111002000"), item_row(department, "220111003000")]))
    items = transfer.validate(parsed, actor=editor)
    services.create_item(department=department, item_type="01", level="2", guide=guide_data(),
                         actor=editor, basic_code="220111003000")

    with pytest.raises(transfer.ImportRejected) as exc:
        transfer.write(items, actor=editor, publish=False)

    assert [p.line for p in exc.value.problems] == [3]
    assert ServiceItem.objects.count() == 1


def test_validation_makes_no_query_per_row(department, second_department, editor,
                                           django_assert_num_queries):
    from yiwang.orgs.services import grant_role

    grant_role(editor, second_department, Role.CATALOG_EDITOR)
    TopicFactory(slug="birth")

    def rows(count):
        return csv_bytes([item_row((department, second_department)[n % 2],
                                   f"2201{11 + (n % 2) * 10}{n + 1:03d}000", topics="birth")
                          for n in range(count)])

    # departments, 2 × role check, topics, existing codes: the same for 10 rows or 300
    for count in (10, 300):
        parsed = transfer.read_import_file("q.csv", rows(count))
        with django_assert_num_queries(5):
            assert len(transfer.validate(parsed, actor=editor)) == count


def test_export_makes_no_query_per_item(catalogue, django_assert_num_queries):
    with django_assert_num_queries(4):  # items with guides, topics, materials, FAQs
        export_bytes("json")


# --- permission --------------------------------------------------------------------------------


def test_importer_must_edit_every_department_the_file_names(department, second_department,
                                                            editor):
    third = DepartmentFactory(name="吉林省民政厅", code="31", region=department.region)
    data = csv_bytes([item_row(department, "220111002000"),
                      item_row(second_department, "220121001000"),
                      item_row(third, "220131001000")])

    job = import_file("three.csv", data, editor)

    assert job.status == "failed"
    assert len(job.errors) == 1
    assert job.errors[0]["code"] == "import.permission_denied"
    assert job.errors[0]["message"] == (
        "您不是以下部门的事项编辑，不能导入其事项：吉林省人力资源和社会保障厅、吉林省民政厅")
    assert [d["name"] for d in job.errors[0]["details"]["departments"]] == [
        "吉林省人力资源和社会保障厅", "吉林省民政厅"]
    assert not ServiceItem.objects.exists()


def test_only_editors_may_import_and_only_superusers_may_publish(department, editor, reviewer):
    data = csv_bytes([item_row(department, "220111002000")])
    with pytest.raises(PermissionDenied) as exc:
        import_file("a.csv", data, reviewer)
    assert exc.value.code == "import.not_editor"
    with pytest.raises(PermissionDenied) as exc:
        import_file("a.csv", data, editor, publish=True)
    assert exc.value.code == "import.publish_forbidden"
    assert not ImportJob.objects.exists()


def test_operator_without_user_imports_into_any_department(department, second_department):
    data = csv_bytes([item_row(department, "220111002000"),
                      item_row(second_department, "220121001000")])
    job = import_file("ops.csv", data, None, publish=True)
    assert (job.status, job.created_count) == ("succeeded", 2)


# --- progress ----------------------------------------------------------------------------------


def test_progress_is_saved_while_validating_then_writing(department, editor):
    rows = [item_row(department, f"22011{n // 1000 + 1}{n % 1000 + 1:03d}000")
            for n in range(250)]
    data = csv_bytes(rows)
    seen = []

    def watch(job):
        # What a second request would read: the row as saved, not the object in memory.
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((stored.status, stored.total, stored.processed))

    job = import_file("many.csv", data, editor, on_progress=watch)

    assert job.status == "succeeded", job.errors[:3]
    assert seen[0] == ("validating", 0, 0)
    validating = [p for s, t, p in seen if s == "validating" and t == 250]
    assert validating == [0, 100, 200, 250]
    assert seen[-2] == ("writing", 250, 250)
    assert seen[-1] == ("succeeded", 250, 250)
    job.refresh_from_db()
    assert job.created_count == 250
    assert job.started_at <= job.write_started_at <= job.finished_at
    assert transfer.percent_done(job) == 100


def test_queued_job_runs_once_as_its_creator(department, editor):
    data = csv_bytes([item_row(department, "220111002000")])
    job = transfer.create_job(name="q.csv", size=len(data), read=lambda: data, actor=editor)
    assert (job.status, transfer.percent_done(job), transfer.is_finished(job)) == (
        "pending", 0, False)

    transfer.run_queued_import(job.pk)
    transfer.run_queued_import(job.pk)  # a retried task finds the job done and leaves it

    job.refresh_from_db()
    assert (job.status, job.created_count) == ("succeeded", 1)
    assert ServiceItem.objects.count() == 1


# --- files that are not what they claim --------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def refusal(name: str, data: bytes):
    with pytest.raises((ValidationError, PayloadTooLarge, transfer.UnsupportedFileType)) as exc:
        transfer.read_import_file(name, data, sample=True)
    return exc.value


def test_oversized_file_is_refused_before_it_is_read(department, editor, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 100

    def never():
        raise AssertionError("the file was read")

    with pytest.raises(PayloadTooLarge) as exc:
        transfer.create_job(name="big.csv", size=101, read=never, actor=editor)
    assert (exc.value.code, exc.value.status) == ("import.too_large", 413)


@pytest.mark.parametrize("name, data, code", [
    ("picture.csv", PNG, "import.unsupported_type"),
    ("picture.json", PNG, "import.unsupported_type"),
    ("picture.xlsx", PNG, "import.unsupported_type"),
    ("setup.exe", b"MZ\x90\x00", "import.unsupported_type"),
    ("catalogue", b"a,b\n", "import.unsupported_type"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "import.unsupported_type"),
    ("archive.csv", b"PK\x03\x04" + b"\x00" * 64, "import.unsupported_type"),
    ("empty.csv", b"", "import.empty"),
    ("header-only.csv", "基本编码,事项类型,行使层级,实施主体统一社会信用代码,事项名称\r\n".encode(),
     "import.empty"),
    ("blank.csv", b"\r\n\r\n", "import.missing_columns"),
    ("few.csv", "基本编码,事项名称\r\n1,2\r\n".encode(), "import.missing_columns"),
    ("typo.csv", "基本编码,事项类型,行使层级,实施主体统一社会信用代码,事项名称,承诺时限\r\n".encode(),
     "import.unknown_columns"),
    ("latin.csv", b"\xff\xfe\xff,\xff\r\n", "import.encoding"),
    ("utf16.csv", "基本编码".encode("utf-16"), "import.encoding"),
    ("broken.xlsx", b"PK\x03\x04" + b"garbage" * 20, "import.malformed_xlsx"),
    ("object.json", b'{"items": []}', "import.not_list"),
    ("empty.json", b"[]", "import.empty"),
    ("cut.json", b'[{"basic_code": ', "import.malformed_json"),
    ("deep.json", b"[" * 100_000, "import.malformed_json"),
    ("huge.json", b'[{"guide": {"visits": 1e400}}]', "import.malformed_json"),
    ("nan.json", b'[{"guide": {"visits": NaN}}]', "import.malformed_json"),
    ("digits.json", b'[{"guide": {"visits": ' + b"9" * 5000 + b"}}]", "import.malformed_json"),
])
def test_files_that_cannot_be_imported_are_refused_with_a_code(name, data, code):
    error = refusal(name, data)
    assert error.code == code
    assert error.message
    assert error.status == (415 if code == "import.unsupported_type" else 400)


def test_refusal_names_what_the_file_really_is():
    assert "PNG 图片" in refusal("picture.csv", PNG).message
    assert refusal("few.csv", "基本编码,事项名称\r\n1,2\r\n".encode()).details["missing"] == [
        "事项类型", "行使层级", "实施主体统一社会信用代码"]


def test_zip_that_is_not_a_workbook_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refusal("letter.xlsx", out.getvalue()).code == "import.unsupported_type"


def workbook_bytes(*sheets: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = sheets[0]
    workbook.active.append([h for _, h in columns.item_columns(with_materials=False)])
    for name in sheets[1:]:
        workbook.create_sheet(name)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_workbook_needs_a_sheet_named_items_unless_it_has_only_one():
    assert refusal("two.xlsx", workbook_bytes("Sheet1", "Sheet2")).code == "import.missing_sheet"
    # A lone sheet under any name is the items sheet: here it has a header and no rows.
    assert refusal("one.xlsx", workbook_bytes("Sheet1")).code == "import.empty"


def test_workbook_with_a_broken_sheet_is_malformed():
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook_bytes("事项")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            broken.writestr(info, data)
    assert refusal("broken.xlsx", out.getvalue()).code == "import.malformed_xlsx"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030_imports(department, editor, encoding):
    data = csv_bytes([item_row(department, "220111002000", name="婴儿出生登记（䶮）")],
                     encoding=encoding)
    job = import_file("chinese-excel.csv", data, editor)
    assert job.status == "succeeded", job.errors
    assert GuideVersion.objects.get().name == "婴儿出生登记（䶮）"


def test_headers_may_be_field_names_instead_of_chinese(department, editor):
    data = (f"basic_code,item_type,level,department_uscc,name,handling_kind,visits\r\n"
            f"220111002000,01,2,{department.uscc},临时身份证,即办件,1\r\n").encode()
    job = import_file("english.csv", data, editor)
    assert job.status == "succeeded", job.errors


# --- scale -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ten_thousand_items_import_in_practical_time(province, superuser):
    departments = [DepartmentFactory(code=f"{10 + n}", region=province) for n in range(10)]
    rows = [item_row(departments[n % 10], f"22{'01' if n % 2 else '20'}{10 + n % 10}"
                     f"{n // 20 + 1:03d}{n // 10 % 2:03d}") for n in range(10_000)]
    data = csv_bytes(rows)

    started = time.monotonic()
    job = import_file("ten-thousand.csv", data, superuser, publish=True)
    elapsed = time.monotonic() - started

    assert job.status == "succeeded", job.errors[:3]
    assert ServiceItem.objects.filter(published_version__isnull=False).count() == 10_000
    assert Material.objects.count() == 20_000
    print(f"\n10,000 items imported in {elapsed:.1f} s")
    assert elapsed < 120


# --- management commands -----------------------------------------------------------------------


def test_import_command_prints_progress_and_the_result(department, editor, tmp_path, capsys):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(csv_bytes([item_row(department, f"220111{n:03d}000") for n in range(1, 151)]))

    call_command("import_catalog", str(path), "--user", "editor")

    out = capsys.readouterr().out
    assert "校验中 100/150（66%）" in out
    assert "校验中 150/150（100%）" in out
    assert "全部校验通过，正在写入 150 个事项…" in out
    assert "导入成功：新增150个事项（草稿）" in out
    assert ImportJob.objects.get().created_by == editor


def test_import_command_lists_bad_rows_and_fails(department, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([item_row(department, "220111002000"),
                                item_row(department, "220111003000", raw={"level": "0"})]))

    with pytest.raises(CommandError, match="共1处错误，未写入任何事项"):
        call_command("import_catalog", str(path), "--publish")

    assert "第3行：[level] 行使层级“0”无效，应为1-6" in capsys.readouterr().err
    assert not ServiceItem.objects.exists()


def test_import_command_refuses_what_the_user_may_not_do(department, editor, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([item_row(department, "220111002000")]))
    with pytest.raises(CommandError, match="只有系统管理员可以导入并直接发布事项"):
        call_command("import_catalog", str(path), "--publish", "--user", "editor")
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        call_command("import_catalog", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_catalog", str(tmp_path / "missing.csv"))


def test_export_command_writes_each_format(catalogue, tmp_path, second_department):
    for file_format in ("csv", "json"):
        path = tmp_path / f"out.{file_format}"
        call_command("export_catalog", "--format", file_format, "--output", str(path))
        assert path.read_bytes() == export_bytes(file_format)
    call_command("export_catalog", "--format", "xlsx", "--output", str(tmp_path / "out.xlsx"))
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert len(list(workbook["事项"].iter_rows())) == 1 + len(catalogue)
    path = tmp_path / "one.json"
    call_command("export_catalog", "--format", "json", "--output", str(path),
                 "--department", second_department.uscc)
    assert [e["guide"]["name"] for e in json.loads(path.read_bytes())] == ["就业失业登记"]


def test_export_command_writes_csv_to_standard_output(catalogue, capsysbinary):
    call_command("export_catalog")
    assert capsysbinary.readouterr().out == export_bytes("csv")


def test_csv_export_neutralises_formulas_and_import_restores_the_text(department, editor,
                                                                      reviewer, superuser):
    risky = "=HYPERLINK(\"http://evil.example\",\"点击\")"
    item = services.create_item(department=department, item_type="01", level="2", actor=editor,
                                guide=guide_data(conditions=risky, office_hours="'引号开头"))
    publish(item, editor, reviewer)
    data = export_bytes("csv")
    row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["受理条件"] == "'" + risky
    assert row["办理时间"] == "''引号开头"

    ServiceItem.objects.all().delete()
    job = import_file("catalogue.csv", data, superuser, publish=True)
    assert job.status == "succeeded", job.errors
    version = ServiceItem.objects.get().published_version
    assert (version.conditions, version.office_hours) == (risky, "'引号开头")
