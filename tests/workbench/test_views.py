"""Workbench pages: the item list, the guide editor and the review flow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients import VerifiedClient
from tests.factories import TopicFactory, UserFactory, guide_data, staff
from tests.workbench.conftest import editor_form, make_item
from yiwang.catalog import services
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import GuideVersion, ServiceItem, VersionEvent, VersionStatus
from yiwang.orgs.models import Role


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- home and list -----------------------------------------------------------------------


def test_home_shows_the_counts_for_the_user(as_user, submitted_item, department, author,
                                            reviewer):
    make_item(department, author, name="户口迁移")
    page = as_user(reviewer).get("/workbench/")
    assert page.status_code == 200
    assert page.context["counts"] == {"my_drafts": 0, "awaiting_my_review": 1,
                                      "awaiting_publication": 0, "published": 0}
    assert "待我审核" in text(page) and "吉林省公安厅" in text(page)


def test_user_without_a_catalogue_role_is_refused(as_user, db):
    user = UserFactory(username="citizen")
    user.save()
    assert as_user(user).get("/workbench/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get("/workbench/items/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/workbench/items/")


def test_list_shows_only_own_departments_with_latest_status(as_user, draft_item, published_item,
                                                            other_department, other_editor,
                                                            editor):
    theirs = make_item(other_department, other_editor, name="婚姻登记")
    page = as_user(editor).get("/workbench/items/")
    assert page.status_code == 200
    assert [i.pk for i in page.context["page"].items] == [published_item.pk]
    assert "已发布" in text(page) and theirs.handling_code not in text(page)
    assert "婚姻登记" not in text(page)


def test_list_searches_filters_and_paginates(as_user, department, author):
    items = [make_item(department, author, name=f"测试事项{n:02d}") for n in range(25)]
    client = as_user(author)
    first = client.get("/workbench/items/")
    assert first.context["page"].total == 25 and len(first.context["page"].items) == 20
    assert "第 1 / 2 页" in text(first)
    second = client.get("/workbench/items/?page=2")
    assert len(second.context["page"].items) == 5
    found = client.get("/workbench/items/", {"q": "事项07"})
    assert [i.pk for i in found.context["page"].items] == [items[7].pk]
    by_code = client.get("/workbench/items/", {"q": items[3].handling_code})
    assert [i.pk for i in by_code.context["page"].items] == [items[3].pk]
    assert client.get("/workbench/items/", {"status": "published"}).context["page"].total == 0
    assert client.get("/workbench/items/", {"item_type": "01", "department": department.pk}
                      ).context["page"].total == 25


@pytest.mark.parametrize("query", [{"status": "bogus"}, {"item_type": "99"}, {"page": "x"},
                                   {"department": "999999"}])
def test_bad_filters_answer_400_with_the_reason(as_user, author, query):
    response = as_user(author).get("/workbench/items/", query)
    assert response.status_code == 400
    assert "筛选条件无效" in text(response)


def test_item_list_query_count_does_not_grow_with_items(as_user, department, author):
    client = as_user(author)
    make_item(department, author, name="第一个")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/workbench/items/").status_code == 200
        return len(queries)

    one = count()
    for n in range(8):
        make_item(department, author, name=f"更多事项{n}")
    assert count() == one <= 13  # 13th: the session's second-factor device


# --- creating an item ---------------------------------------------------------------------


def test_create_form_offers_only_the_editors_departments(as_user, author, other_department):
    page = as_user(author).get("/workbench/items/new/")
    assert page.status_code == 200
    assert list(page.context["form"].fields["department"].queryset) == [author.memberships.get().department]
    for section in ["基本信息", "办理要求", "时限与方式", "地点与电话", "结果", "申请表单", "申请材料"]:
        assert f"<legend>{section}</legend>" in text(page)


def test_creating_an_item_saves_the_first_draft(as_user, author, department):
    topic = TopicFactory()
    client = as_user(author)
    form = editor_form(client.get("/workbench/items/new/"))
    form.update({"department": [str(department.pk)], "item_type": ["01"], "level": ["2"],
                 "topics": [str(topic.pk)], "name": ["出生登记"], "promised_time_limit": ["5"],
                 "materials-0-name": ["出生医学证明"]})
    response = client.post("/workbench/items/new/", form)
    assert response.status_code == 302, response.context["errors"]
    item = ServiceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workbench/items/{item.pk}/"
    version = item.versions.get()
    assert (version.name, version.status, version.created_by) == ("出生登记", "draft", author)
    assert [m.name for m in version.materials.all()] == ["出生医学证明"]
    assert list(item.topics.all()) == [topic]
    assert item.basic_code == "220111001000"


def test_create_with_invalid_guide_lists_errors_keeps_values_and_saves_nothing(as_user, author,
                                                                                department):
    client = as_user(author)
    form = editor_form(client.get("/workbench/items/new/"))
    form.update({"department": [str(department.pk)], "item_type": ["01"], "level": ["2"],
                 "name": [""], "conditions": ["本省户籍居民"], "legal_time_limit": ["5"],
                 "promised_time_limit": ["9"], "materials-0-name": ["户口簿"],
                 "materials-0-form": ["paper"], "materials-0-paper_copies": ["0"]})
    response = client.post("/workbench/items/new/", form)
    assert response.status_code == 400
    assert response.context["errors"] == [
        "请填写事项名称", "承诺办结时限不能超过法定办结时限",
        "第1项材料“户口簿”需要纸质材料，纸质份数至少为1"]
    page = text(response)
    assert page.index('role="alert"') < page.index("section-basic")
    assert "本省户籍居民</textarea>" in page and 'value="户口簿"' in page
    assert not ServiceItem.objects.exists()


def test_create_with_duplicate_or_malformed_code_shows_the_reason(as_user, draft_item, author,
                                                                  department):
    client = as_user(author)
    form = editor_form(client.get("/workbench/items/new/"))
    form.update({"department": [str(department.pk)], "item_type": ["01"], "level": ["2"],
                 "name": ["重复的事项"], "promised_time_limit": ["5"]})
    duplicate = client.post("/workbench/items/new/", {**form, "basic_code": [draft_item.basic_code]})
    assert duplicate.status_code == 409
    assert "已存在" in duplicate.context["errors"][0]
    malformed = client.post("/workbench/items/new/", {**form, "basic_code": ["2201AB001000"]})
    assert malformed.status_code == 400
    assert malformed.context["errors"] == ["基本编码第5位“A”不是数字"]
    assert ServiceItem.objects.count() == 1


def test_editor_cannot_create_in_another_department(as_user, other_editor, department):
    client = as_user(other_editor)
    form = editor_form(client.get("/workbench/items/new/"))
    form.update({"department": [str(department.pk)], "item_type": ["01"], "level": ["2"],
                 "name": ["越权事项"], "promised_time_limit": ["5"]})
    response = client.post("/workbench/items/new/", form)
    assert response.status_code == 400
    assert not ServiceItem.objects.exists()


def test_reviewer_only_user_cannot_open_the_create_page(as_user, reviewer):
    assert as_user(reviewer).get("/workbench/items/new/").status_code == 403


# --- the guide editor ----------------------------------------------------------------------


def edit_url(item) -> str:
    return f"/workbench/versions/{item.versions.order_by('-number').first().pk}/edit/"


def test_editor_shows_every_element_and_posting_it_back_changes_nothing(as_user, draft_item,
                                                                       editor):
    client = as_user(editor)
    page = client.get(edit_url(draft_item))
    form = editor_form(page)
    for name in ["name", "aliases", "audience", "legal_basis", "conditions", "handling_kind",
                 "legal_time_limit", "promised_time_limit", "visits", "online_depth", "channels",
                 "single_window", "location", "office_hours", "consult_phone", "supervise_phone",
                 "result_name", "result_licence_type", "process_steps-1-description",
                 "fees-0-amount", "form_definition-0-max_length", "form_definition-1-type",
                 "materials-0-exemption_source", "materials-1-necessity"]:
        assert name in form, name
    assert form["channels"] == ["pc", "mobile", "hall"]
    before = guide_to_dict(draft_item.versions.get())
    response = client.post(edit_url(draft_item), form)
    assert response.status_code == 302
    version = draft_item.versions.get()
    assert guide_to_dict(version) == before
    assert not version.events.filter(action=VersionEvent.Action.EDITED).exists()


def test_adding_a_material_row_and_saving_the_whole_form(as_user, draft_item, editor):
    client = as_user(editor)
    form = editor_form(client.get(edit_url(draft_item)))
    form.update({"materials-5-name": ["近期免冠照片"], "materials-5-necessity": ["required"],
                 "materials-5-form": ["paper"], "materials-5-paper_copies": ["2"],
                 "materials-5-source": ["applicant"], "consult_phone": ["0431-88889999"]})
    response = client.post(edit_url(draft_item), form)
    assert response.status_code == 302
    version = draft_item.versions.get()
    assert [m.name for m in version.materials.all()] == ["原居民身份证", "户口簿", "近期免冠照片"]
    assert version.consult_phone == "0431-88889999"
    edit = version.events.get(action=VersionEvent.Action.EDITED)
    assert (edit.actor, set(edit.changes)) == (editor, {"consult_phone", "materials"})


def test_enter_in_a_field_saves_rather_than_removing_a_row(as_user, draft_item, editor):
    page = text(as_user(editor).get(edit_url(draft_item)))
    form = page[page.index('class="guide-form"'):]
    first_button = form[form.index('<button type="submit"'):].split(">", 1)[0]
    assert "_rows" not in first_button


def test_row_buttons_work_without_javascript_and_save_nothing(as_user, draft_item, editor):
    client = as_user(editor)
    form = editor_form(client.get(edit_url(draft_item)))
    added = client.post(edit_url(draft_item), {**form, "_rows": ["add:materials"]})
    assert added.status_code == 200
    assert "materials-2-name" in editor_form(added)
    removed = client.post(edit_url(draft_item), {**form, "_rows": ["remove:materials:0"]})
    remaining = editor_form(removed)
    assert remaining["materials-0-name"] == ["户口簿"] and "materials-1-name" not in remaining
    assert draft_item.versions.get().materials.count() == 2


def test_invalid_edit_shows_every_error_at_the_top_and_keeps_the_input(as_user, draft_item,
                                                                       editor):
    client = as_user(editor)
    form = editor_form(client.get(edit_url(draft_item)))
    form.update({"name": [""], "visits": ["0"], "online_depth": ["3"], "fees-0-amount": ["免费"],
                 "form_definition-0-name": ["Bad Name"], "conditions": ["新写的条件"]})
    response = client.post(edit_url(draft_item), form)
    assert response.status_code == 400
    errors = response.context["errors"]
    assert "请填写事项名称" in errors
    assert "收费标准第1项的金额应为非负数" in errors
    assert any("全程网办" in e for e in errors)
    assert any("Bad Name" in e for e in errors)
    page = text(response)
    assert page.index("办事指南填写有误") < page.index('id="section-basic"')
    assert "新写的条件</textarea>" in page and 'value="Bad Name"' in page
    version = draft_item.versions.get()
    assert version.name == "居民身份证换领" and version.conditions != "新写的条件"


def test_only_drafts_are_editable(as_user, submitted_item, editor):
    client = as_user(editor)
    response = client.get(edit_url(submitted_item))
    assert response.status_code == 409
    assert "只有草稿可以修改" in " ".join(messages_of(response))
    form_post = client.post(edit_url(submitted_item), {"name": "改名"})
    assert form_post.status_code == 409
    assert submitted_item.versions.get().name == "居民身份证换领"


def test_reviewer_cannot_open_the_editor(as_user, draft_item, reviewer):
    assert as_user(reviewer).get(edit_url(draft_item)).status_code == 403


def test_edit_on_a_published_item_starts_a_revision_and_opens_it(as_user, published_item,
                                                                  editor):
    client = as_user(editor)
    detail = client.get(f"/workbench/items/{published_item.pk}/")
    assert "编辑（生成新草稿）" in text(detail)
    response = client.post(f"/workbench/items/{published_item.pk}/revise/")
    draft = published_item.versions.get(number=2)
    assert draft.status == VersionStatus.DRAFT
    assert response["Location"] == f"/workbench/versions/{draft.pk}/edit/"
    published_item.refresh_from_db()
    assert published_item.published_version.number == 1
    again = client.post(f"/workbench/items/{published_item.pk}/revise/")
    assert again["Location"] == f"/workbench/versions/{draft.pk}/edit/"
    assert published_item.versions.count() == 2


# --- the review flow -----------------------------------------------------------------------


def version_page(client, item):
    return client.get(f"/workbench/versions/{item.versions.order_by('-number').first().pk}/")


def buttons(response) -> set[str]:
    page = text(response)
    return {label for label in ["编辑办事指南", "提交审核", "审核通过", "退回修改", "发布"]
            if f">{label}</" in page}


def test_buttons_follow_role_and_state(as_user, client, draft_item, department, author,
                                       editor, reviewer):
    assert buttons(version_page(as_user(editor), draft_item)) == {"编辑办事指南", "提交审核"}
    assert buttons(version_page(as_user(reviewer), draft_item)) == set()
    services.submit_version(draft_item.versions.get(), actor=author)
    assert buttons(version_page(as_user(editor), draft_item)) == set()
    assert buttons(version_page(as_user(reviewer), draft_item)) == {"审核通过", "退回修改"}
    services.approve_version(draft_item.versions.get(), actor=reviewer)
    assert buttons(version_page(as_user(reviewer), draft_item)) == {"发布", "退回修改"}


def test_a_reviewer_who_wrote_the_draft_sees_no_approve_button_and_is_refused(as_user,
                                                                             department):
    both = staff(department, Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER, username="both")
    item = make_item(department, both)
    version = item.versions.get()
    services.submit_version(version, actor=both)
    client = as_user(both)
    page = version_page(client, item)
    assert "审核通过" not in buttons(page)
    assert "需由本部门其他审核人员审核" in text(page)
    response = client.post(f"/workbench/versions/{version.pk}/approve/")
    assert response.status_code == 403
    assert messages_of(response) == ["不能审核自己起草或修改的版本"]
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


def test_submit_approve_publish_through_the_pages(as_user, draft_item, editor, reviewer):
    version = draft_item.versions.get()
    response = as_user(editor).post(f"/workbench/versions/{version.pk}/submit/",
                                    {"comment": "请审核"})
    assert response.status_code == 302
    client = as_user(reviewer)
    queue = client.get("/workbench/review/")
    assert [v.pk for v in queue.context["page"].items] == [version.pk]
    assert client.post(f"/workbench/versions/{version.pk}/approve/",
                       {"comment": "同意"}).status_code == 302
    done = client.post(f"/workbench/versions/{version.pk}/publish/", follow=True)
    assert "已发布，公众现在看到的是这个版本" in messages_of(done)
    draft_item.refresh_from_db()
    assert draft_item.published_version == version
    assert client.get("/workbench/review/").context["page"].total == 0
    events = list(version.events.values_list("action", "actor__username", "comment"))
    assert events == [("created", "author", ""), ("submitted", "editor", "请审核"),
                      ("approved", "reviewer", "同意"), ("published", "reviewer", "")]


def test_reject_needs_a_reason_and_sends_back_to_draft(as_user, submitted_item, reviewer):
    version = submitted_item.versions.get()
    client = as_user(reviewer)
    refused = client.post(f"/workbench/versions/{version.pk}/reject/", {"comment": "  "})
    assert refused.status_code == 400
    assert messages_of(refused) == ["退回修改时请说明原因"]
    client.post(f"/workbench/versions/{version.pk}/reject/", {"comment": "收费依据缺失"})
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_wrong_state_is_a_409_with_the_message(as_user, draft_item, reviewer):
    version = draft_item.versions.get()
    response = as_user(reviewer).post(f"/workbench/versions/{version.pk}/publish/")
    assert response.status_code == 409
    assert messages_of(response) == ["该版本当前状态为“草稿”，不能发布"]


def test_editor_pressing_approve_is_a_403(as_user, submitted_item, editor):
    version = submitted_item.versions.get()
    response = as_user(editor).post(f"/workbench/versions/{version.pk}/approve/")
    assert response.status_code == 403
    assert "事项审核" in messages_of(response)[0]


def test_withdraw_needs_a_reason_and_hides_the_item(as_user, client, published_item, reviewer):
    url = f"/workbench/items/{published_item.pk}/withdraw/"
    reviewer_client = as_user(reviewer)
    assert reviewer_client.post(url, {"reason": ""}).status_code == 400
    assert reviewer_client.post(url, {"reason": "法律依据废止"}).status_code == 302
    published_item.refresh_from_db()
    assert published_item.published_version is None
    again = reviewer_client.post(url, {"reason": "再次撤回"})
    assert again.status_code == 409
    assert "该事项没有已发布的版本，无需撤回" in messages_of(again)


def test_actions_refuse_get(as_user, draft_item, editor):
    version = draft_item.versions.get()
    assert as_user(editor).get(f"/workbench/versions/{version.pk}/submit/").status_code == 405


def test_post_without_csrf_token_is_refused(draft_item, editor):
    client = VerifiedClient(enforce_csrf_checks=True)
    client.force_login(editor)
    version = draft_item.versions.get()
    assert client.post(f"/workbench/versions/{version.pk}/submit/").status_code == 403
    assert GuideVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_topics_are_saved_from_the_item_page(as_user, draft_item, editor):
    topic = TopicFactory()
    response = as_user(editor).post(f"/workbench/items/{draft_item.pk}/topics/",
                                    {"topics": [topic.pk]})
    assert response.status_code == 302
    assert list(draft_item.topics.all()) == [topic]


# --- history and diff ----------------------------------------------------------------------


@pytest.fixture
def revised_item(published_item, editor, reviewer, author):
    draft = services.start_revision(published_item, actor=editor)
    guide = guide_data(promised_time_limit=10, materials=[
        {"name": "原居民身份证", "necessity": "required", "form": "paper", "paper_copies": 2,
         "source": "government", "exemption_source": "licence:jmsfz"},
        {"name": "近期免冠照片", "necessity": "required", "form": "electronic"},
    ])
    services.update_draft(draft, guide, actor=editor)
    services.submit_version(draft, actor=editor, comment="缩短时限")
    return published_item


def test_history_lists_every_version_and_event(as_user, revised_item, reviewer):
    page = as_user(reviewer).get(f"/workbench/items/{revised_item.pk}/history/")
    assert page.status_code == 200
    body = text(page)
    assert [v.number for v in page.context["versions"]] == [2, 1]
    for expected in ["第2版", "第1版", "提交审核", "缩短时限", "审核通过", "发布",
                     "承诺办结时限（工作日）、申请材料", "由第1版复制"]:
        assert expected in body, expected
    assert body.count("<td>author</td>") == 2  # created and submitted version 1


def test_diff_shows_fields_and_materials_row_by_row(as_user, revised_item, reviewer):
    v1, v2 = revised_item.versions.order_by("number")
    page = as_user(reviewer).get(f"/workbench/items/{revised_item.pk}/diff/",
                                 {"a": v1.pk, "b": v2.pk})
    assert page.status_code == 200
    diff = page.context["diff"]
    assert [(f["field"], f["old"], f["new"]) for f in diff["fields"]] == [
        ("promised_time_limit", 20, 10)]
    assert [(m["status"], m["name"]) for m in diff["materials"]] == [
        ("changed", "原居民身份证"), ("added", "近期免冠照片"), ("removed", "户口簿")]
    body = text(page)
    assert "<del>20个工作日</del>" in body and "<ins>10个工作日</ins>" in body
    assert "纸质份数：<del>1</del> → <ins>2</ins>" in body


def test_diff_defaults_to_latest_against_previous(as_user, revised_item, reviewer, editor):
    client = as_user(reviewer)
    page = client.get(f"/workbench/items/{revised_item.pk}/diff/")
    assert (page.context["old"].number, page.context["new"].number) == (1, 2)
    v1 = revised_item.versions.get(number=1)
    alone = client.get(f"/workbench/items/{revised_item.pk}/diff/", {"b": v1.pk})
    assert (alone.context["old"].number, alone.context["new"].number) == (1, 1)
    assert alone.context["diff"]["fields"] == []


@pytest.mark.parametrize("query", [{"a": "abc"}, {"b": "999999"}])
def test_diff_with_an_unknown_version_is_404(as_user, revised_item, reviewer, query):
    assert as_user(reviewer).get(f"/workbench/items/{revised_item.pk}/diff/",
                                 query).status_code == 404


def test_diff_refuses_a_version_of_another_item(as_user, revised_item, department, author,
                                                reviewer):
    other = make_item(department, author, name="别的事项")
    response = as_user(reviewer).get(f"/workbench/items/{revised_item.pk}/diff/",
                                     {"a": other.versions.get().pk})
    assert response.status_code == 404


def test_item_pages_keep_a_fixed_query_budget(as_user, revised_item, reviewer):
    client = as_user(reviewer)
    for url in [f"/workbench/items/{revised_item.pk}/history/",
                f"/workbench/items/{revised_item.pk}/", "/workbench/review/"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 15, (url, len(queries))

