"""The 一件事 pages of the workbench: an editor defines a bundle by item codes, reviewers see
the merged form it makes, and refusals come back on the form."""

from tests.factories import TopicFactory
from tests.workbench.test_bundle_authorization import make_bundle, published_items
from yiwang.cases.models import Bundle


def test_an_editor_creates_a_bundle_from_item_codes_and_sees_the_merged_form(
        client, department, author, reviewer):
    items = published_items(department, author, reviewer)
    client.force_login(author)
    response = client.post("/workbench/bundles/new/", {
        "slug": "open-shop", "name": "开办小店", "lead_department": department.pk,
        "items": "\n".join(i.handling_code for i in items), "aliases": "开店",
        "shared_fields": "", "material_groups": ""})
    bundle = Bundle.objects.get(slug="open-shop")
    assert response.status_code == 302 and response.url == f"/workbench/bundles/{bundle.pk}/"
    html = client.get(response.url).content.decode()
    assert "开办小店" in html and "草稿" in html and "合并后的申请表" in html
    assert f'action="/workbench/bundles/versions/{bundle.versions.get().pk}/submit/"' in html


def test_unknown_codes_and_a_bad_definition_are_listed_on_the_form(client, department, author, reviewer):
    items = published_items(department, author, reviewer, count=1)
    client.force_login(author)
    response = client.post("/workbench/bundles/new/", {
        "slug": "open-shop", "name": "开办小店", "lead_department": department.pk,
        "items": f"{items[0].handling_code}\n1234", "material_groups": "健康证明：甲、乙"})
    assert response.status_code == 400
    assert "事项编码应为31位实施编码或33位业务办理项编码，实际为4位" in response.content.decode()
    response = client.post("/workbench/bundles/new/", {
        "slug": "open-shop", "name": "开办小店", "lead_department": department.pk,
        "items": items[0].handling_code, "material_groups": "健康证明：甲、乙"})
    html = response.content.decode()
    assert response.status_code == 400 and "一件事至少包含2个事项" in html
    assert "合并材料“健康证明”中的“甲、乙”不是所含事项的材料" in html
    assert not Bundle.objects.exists()


def test_the_author_is_not_offered_approval_and_a_reviewer_is(client, department, author, reviewer):
    bundle, version = make_bundle(department, author, reviewer, "submitted")
    client.force_login(author)
    assert "/approve/" not in client.get(f"/workbench/bundles/{bundle.pk}/").content.decode()
    client.force_login(reviewer)
    html = client.get(f"/workbench/bundles/{bundle.pk}/").content.decode()
    assert f'action="/workbench/bundles/versions/{version.pk}/approve/"' in html


def test_editing_a_draft_keeps_what_the_form_shows(client, department, author, reviewer):
    _, version = make_bundle(department, author, reviewer)
    client.force_login(author)
    form = client.get(f"/workbench/bundles/versions/{version.pk}/edit/").content.decode()
    codes = "\n".join(e.item.handling_code for e in version.entries.all())
    assert codes.split("\n")[0] in form
    response = client.post(f"/workbench/bundles/versions/{version.pk}/edit/", {
        "name": "测试一件事（改）", "lead_department": department.pk, "items": codes})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.name == "测试一件事（改）" and version.events.filter(action="edited").exists()


def test_an_editor_lists_the_bundle_on_a_topic(client, department, author, reviewer):
    topic = TopicFactory(name="高效办成一件事")
    bundle, _ = make_bundle(department, author, reviewer, "published")
    client.force_login(author)
    response = client.post(f"/workbench/bundles/{bundle.pk}/topics/", {"topics": [topic.pk]})
    assert response.status_code == 302 and list(bundle.topics.all()) == [topic]
    assert 'href="/bundles/test-bundle/"' in client.get(f"/topics/{topic.slug}/").content.decode()
