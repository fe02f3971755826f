"""The 一件事 pages: 预审 on the merged form, the defect list once and in the form's words, and
bundles found from search, the topic page and their items' guides."""

import pytest
from django.utils import timezone

from tests.cases.factories import World, pdf
from yiwang.cases import services
from yiwang.cases.models import BundleApplication, Case, CaseFile
from yiwang.catalog.models import Topic
from yiwang.supervision.models import AuditRecord


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.user)
    return client


def _defect_list(html: str) -> str:
    return html.split('<div class="defects"', 1)[1].split("</div>", 1)[0]


def _edit(world):
    application = services.start_bundle(world.user, world.bundle())
    return application, f"/bundles/applications/{application.pk}/edit/"


def test_the_merged_form_has_a_prereview_button_that_lists_every_problem_once(signed_in, world):
    application, url = _edit(world)
    html = signed_in.get(url).content.decode()
    assert 'name="action" value="check"' in html and ">预审</button>" in html
    response = signed_in.post(url, {**world.form(), "action": "check"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "预审未通过，共 3 处需要修改" in html
    defects = _defect_list(html)
    assert defects.count("缺少材料“营业执照”") == 1  # asked by both items, listed once
    assert '<a href="#field-seats">请填写座位数</a>' in html and 'id="field-seats"' in html
    assert not application.cases.exclude(status="draft").exists()


def test_a_refused_submission_prints_the_defects_once(signed_in, world):
    application, _ = _edit(world)
    html = signed_in.post(f"/bundles/applications/{application.pk}/submit/", {"key": "k"}).content.decode()
    assert _defect_list(html).count("缺少材料“卫生管理制度”") == 1
    assert "一件事申请预审未通过" not in html  # the refusal's message repeats the list: not shown


def test_prereview_passes_when_everything_is_there(signed_in, world):
    application, url = _edit(world)
    services.save_bundle_draft(application, world.user, {**world.form(), "seats": "20"})
    for material in services.merged_form(application.version).materials:
        services.attach_bundle_file(application, world.user, material.key, pdf())
    html = signed_in.post(url, {**world.form(), "seats": "20", "action": "check"}).content.decode()
    assert "预审通过，可以提交" in html and "健康证明" in html  # the 容缺 one still to come


def test_search_shows_a_bundle_the_phrase_names_above_the_items(client, world):
    world.bundle()
    html = client.get("/search/", {"q": "我想开办餐饮店"}).content.decode()
    assert 'href="/bundles/open-restaurant/"' in html and "一件事：开办餐饮店" in html
    assert html.index("一件事：开办餐饮店") < html.index('class="results')
    assert "一件事：开办餐饮店" not in client.get("/search/", {"q": "护照"}).content.decode()


def test_the_one_thing_topic_lists_its_bundles(client, world):
    topic = Topic.objects.create(kind="theme", name="高效办成一件事", slug="one-thing")
    bundle = world.bundle()
    bundle.topics.add(topic)
    for path in ("/topics/one-thing/", "/m/topics/one-thing/"):
        assert 'href="/bundles/open-restaurant/"' in client.get(path).content.decode(), path


def test_applying_for_a_bundle_again_continues_the_open_draft(signed_in, world):
    bundle = world.bundle()
    first = signed_in.post(f"/bundles/{bundle.slug}/apply/")
    page = signed_in.get(f"/bundles/{bundle.slug}/").content.decode()
    assert "您有未提交的草稿" in page and f'href="{first.url}">继续填写</a>' in page
    again = signed_in.post(f"/bundles/{bundle.slug}/apply/")
    assert again.url == first.url
    assert BundleApplication.objects.filter(applicant=world.user).count() == 1
    assert Case.objects.filter(applicant=world.user).count() == 2  # one per item, not four


def test_a_bundle_draft_is_deleted_with_every_case_and_file_after_confirmation(signed_in, world):
    application, url = _edit(world)
    key = services.merged_form(application.version).materials[0].key
    services.attach_bundle_file(application, world.user, key, pdf())
    assert f'href="/bundles/applications/{application.pk}/delete/">删除草稿</a>' in signed_in.get(
        url).content.decode()
    assert "确认删除" in signed_in.get(f"/bundles/applications/{application.pk}/delete/").content.decode()
    response = signed_in.post(f"/bundles/applications/{application.pk}/delete/")
    assert response.url == "/cases/"
    assert not BundleApplication.objects.filter(pk=application.pk).exists()
    assert not Case.objects.filter(applicant=world.user).exists() and not CaseFile.objects.exists()
    assert AuditRecord.objects.filter(kind="case.draft_deleted").count() == 2


def test_a_submitted_bundle_application_is_not_deleted(signed_in, world):
    application, _ = _edit(world)
    BundleApplication.objects.filter(pk=application.pk).update(submitted_at=timezone.now())
    refused = signed_in.post(f"/bundles/applications/{application.pk}/delete/")
    assert refused.status_code == 409 and "该一件事申请已提交" in refused.content.decode()
    assert Case.objects.filter(bundle_application=application).count() == 2
