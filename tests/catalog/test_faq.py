"""常见问题 (FAQ): part of the guide version, so written in the draft, reviewed and published with
it, copied into a revision, compared in the version diff, edited on the workbench version page by
the item's editors only, shown on the portal's item pages, carried by catalogue transfer, and
searched with the rest of the guide."""

import json

import pytest

from tests.catalog.searchkit import isolated_search_index
from tests.catalog.test_services import publish
from tests.catalog.test_transfer import export_bytes, import_file
from tests.factories import DepartmentFactory, guide_data, staff
from tests.workbench.conftest import editor_form
from yiwang.catalog import search, services
from yiwang.catalog.guide import compare_guides, guide_to_dict
from yiwang.catalog.models import GuideFaq, VersionEvent, VersionStatus
from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.orgs.models import Role

LOST = {"question": "身份证丢了可以在外地补办吗？", "answer": "可以，补领已实现全国通办。"}
TRAIN = {"question": "补办期间怎么坐火车？", "answer": "可同时申请临时居民身份证。"}


@pytest.fixture(autouse=True)
def _isolated_index(settings, tmp_path):
    yield from isolated_search_index(settings, tmp_path)


@pytest.fixture
def item(department, editor):
    return services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(faqs=[LOST, TRAIN]), actor=editor)


def faqs_of(version):
    return [{"question": f.question, "answer": f.answer} for f in version.faqs.all()]


def test_faqs_are_drafted_with_the_guide_and_published_with_it(item, editor, reviewer):
    draft = item.versions.get()
    assert faqs_of(draft) == [LOST, TRAIN]
    assert [f.order for f in draft.faqs.all()] == [1, 2]
    published = publish(item, editor, reviewer)
    assert published.status == VersionStatus.PUBLISHED
    assert faqs_of(published) == [LOST, TRAIN]


def test_editing_the_draft_replaces_its_faqs_and_records_the_change(item, editor):
    draft = item.versions.get()
    services.update_draft(draft, guide_data(faqs=[TRAIN]), actor=editor)
    assert faqs_of(draft) == [TRAIN]
    event = draft.events.get(action=VersionEvent.Action.EDITED)
    assert event.changes["faqs"] == [[LOST, TRAIN], [TRAIN]]


def test_a_revision_copies_the_faqs_and_leaves_the_published_ones_alone(item, editor, reviewer):
    published = publish(item, editor, reviewer)
    draft = services.start_revision(item, actor=editor)
    assert draft.number == 2 and faqs_of(draft) == [LOST, TRAIN]
    services.update_draft(draft, guide_data(faqs=[LOST]), actor=editor)
    assert faqs_of(published) == [LOST, TRAIN]
    diff = compare_guides(guide_to_dict(published), guide_to_dict(draft))
    assert {"field": "faqs", "label": "常见问题", "old": [LOST, TRAIN], "new": [LOST]} in diff["fields"]


@pytest.mark.parametrize("faq, message", [
    ({"question": "", "answer": "可以"}, "第1条常见问题缺少问题"),
    ({"question": "能代办吗", "answer": "  "}, "第1条常见问题缺少解答"),
    ({"question": "问" * 201, "answer": "可以"}, "第1条常见问题的问题不能超过200个字符"),
    ({"question": "能代办吗", "answer": "答" * 2001}, "第1条常见问题的解答不能超过2000个字符"),
])
def test_an_incomplete_faq_is_refused_with_the_reason(item, editor, faq, message):
    with pytest.raises(ValidationError) as refused:
        services.update_draft(item.versions.get(), guide_data(faqs=[faq]), actor=editor)
    assert refused.value.code == "guide.invalid"
    assert message in refused.value.details["errors"]


def test_faqs_that_are_not_a_list_of_objects_are_refused(item, editor):
    with pytest.raises(ValidationError) as refused:
        services.update_draft(item.versions.get(), guide_data(faqs="能代办吗"), actor=editor)
    assert "常见问题应为对象列表" in refused.value.details["errors"]


def test_only_the_items_editors_change_faqs_and_only_in_a_draft(item, editor, reviewer, province):
    other = staff(DepartmentFactory(name="吉林省民政厅", code="12", region=province),
                  Role.CATALOG_EDITOR, username="editor_b")
    with pytest.raises(PermissionDenied):
        services.update_draft(item.versions.get(), guide_data(faqs=[]), actor=other)
    with pytest.raises(PermissionDenied):
        services.update_draft(item.versions.get(), guide_data(faqs=[]), actor=reviewer)
    published = publish(item, editor, reviewer)
    with pytest.raises(Exception) as refused:
        services.update_draft(published, guide_data(faqs=[]), actor=editor)
    assert getattr(refused.value, "status", None) == 409
    assert faqs_of(published) == [LOST, TRAIN]


# --- the workbench editor ----------------------------------------------------------------------


def edit_url(item) -> str:
    return f"/workbench/versions/{item.versions.order_by('-number').first().pk}/edit/"


def test_the_version_editor_shows_adds_and_removes_faqs(client, item, editor):
    client.force_login(editor)
    page = client.get(edit_url(item))
    assert page.status_code == 200
    assert "常见问题" in page.content.decode()
    form = editor_form(page)
    assert form["faqs-0-question"] == [LOST["question"]]
    assert form["faqs-1-answer"] == [TRAIN["answer"]]
    form["faqs-1-question"], form["faqs-1-answer"] = [""], [""]  # a blank row is dropped
    form["faqs-2-question"] = ["可以委托他人代办吗？"]
    form["faqs-2-answer"] = ["可以，受托人携带授权委托书办理。"]
    assert client.post(edit_url(item), form).status_code == 302
    assert faqs_of(item.versions.get()) == [
        LOST, {"question": "可以委托他人代办吗？", "answer": "可以，受托人携带授权委托书办理。"}]
    detail = client.get(f"/workbench/versions/{item.versions.get().pk}/").content.decode()
    assert "问：可以委托他人代办吗？ 答：可以，受托人携带授权委托书办理。" in detail


def test_an_faq_without_answer_comes_back_with_the_error_and_is_not_saved(client, item, editor):
    client.force_login(editor)
    form = editor_form(client.get(edit_url(item)))
    form["faqs-0-answer"] = [""]
    response = client.post(edit_url(item), form)
    assert response.status_code == 400
    assert "第1条常见问题缺少解答" in response.content.decode()
    assert faqs_of(item.versions.get()) == [LOST, TRAIN]


def test_a_reviewer_cannot_open_the_editor_and_a_published_version_is_not_editable(
        client, item, editor, reviewer):
    client.force_login(reviewer)
    assert client.get(edit_url(item)).status_code == 403
    publish(item, editor, reviewer)
    client.force_login(editor)
    assert client.get(edit_url(item)).status_code == 409


def test_the_diff_page_shows_the_changed_faqs(client, item, editor, reviewer):
    publish(item, editor, reviewer)
    draft = services.start_revision(item, actor=editor)
    services.update_draft(draft, guide_data(faqs=[TRAIN]), actor=editor)
    client.force_login(editor)
    page = client.get(f"/workbench/items/{item.pk}/diff/").content.decode()
    assert "常见问题" in page and "问：身份证丢了可以在外地补办吗？" in page


# --- the portal ----------------------------------------------------------------------------------


def test_the_portal_and_mobile_item_pages_show_the_published_faqs(client, item, editor, reviewer):
    publish(item, editor, reviewer)
    draft = services.start_revision(item, actor=editor)
    services.update_draft(draft, guide_data(faqs=[{"question": "草稿里的问题", "answer": "未发布"}]),
                          actor=editor)
    for path in (f"/items/{item.handling_code}/", f"/m/items/{item.handling_code}/",
                 f"/items/{item.handling_code}/print/"):
        page = client.get(path).content.decode()
        assert "常见问题" in page, path
        assert LOST["question"] in page and TRAIN["answer"] in page, path
        assert "草稿里的问题" not in page, path


def test_an_item_without_faqs_has_no_faq_section(client, department, editor, reviewer):
    item = services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(), actor=editor)
    publish(item, editor, reviewer)
    page = client.get(f"/items/{item.handling_code}/").content.decode()
    assert 'id="faqs"' not in page


# --- transfer and search ---------------------------------------------------------------------------


def test_faqs_travel_through_json_and_csv_export_and_import(item, editor, reviewer, department):
    publish(item, editor, reviewer)
    exported = json.loads(export_bytes("json"))
    assert exported[0]["guide"]["faqs"] == [LOST, TRAIN]
    table = export_bytes("csv").decode("utf-8-sig")
    assert "常见问题" in table.splitlines()[0]
    # Each file imported back as a new item (another 基本编码) brings the FAQs with it.
    record = {**exported[0], "basic_code": "220111009000", "handling_code": "",
              "implementation_code": ""}
    job = import_file("items.json", json.dumps([record]).encode(), editor)
    assert job.status == "succeeded", job.errors
    codes = item.basic_code
    table = table.replace(codes, "220111008000").replace(item.handling_code, "").replace(
        item.implementation_code, "")
    job = import_file("items.csv", table.encode("utf-8-sig"), editor)
    assert job.status == "succeeded", job.errors
    for basic_code in ("220111009000", "220111008000"):
        imported = GuideFaq.objects.filter(version__item__basic_code=basic_code)
        assert [{"question": f.question, "answer": f.answer} for f in imported] == [LOST, TRAIN]


def test_published_faqs_are_searched_with_the_guide(django_capture_on_commit_callbacks, item,
                                                    editor, reviewer):
    with django_capture_on_commit_callbacks(execute=True):
        publish(item, editor, reviewer)
    results = search.search("全国通办")
    assert [hit.handling_code for hit in results.hits] == [item.handling_code]
    assert "常见问题" in results.hits[0].snippet_html
    assert search.rebuild() == 1
    assert [hit.handling_code for hit in search.search("临时居民身份证").hits] == [item.handling_code]
