"""Same source (同源发布): the PC guide page, the mobile page and the JSON API all render the one
published version, so a change published once shows everywhere and a withdrawal hides it
everywhere."""

from tests.factories import id_card_type

from .factories import republish, withdraw


def faces(client, item):
    code = item.handling_code
    return (client.get(f"/items/{code}/"), client.get(f"/m/items/{code}/"),
            client.get(f"/api/catalog/items/{code}"))


def test_publishing_a_change_once_shows_it_on_pc_mobile_and_api(client, item):
    pc, mobile, api = faces(client, item)
    assert "居民身份证换领" in pc.content.decode()
    assert "居民身份证换领" in mobile.content.decode()
    assert api.json()["name"] == "居民身份证换领"

    republish(item, name="居民身份证换领（到期换证）", promised_time_limit=10,
              materials=[{"name": "本人近期免冠照片", "necessity": "required",
                          "form": "electronic", "source": "applicant"}])

    pc, mobile, api = faces(client, item)
    for page in (pc, mobile):
        html = page.content.decode()
        assert "居民身份证换领（到期换证）" in html
        assert "10个工作日" in html
        assert "本人近期免冠照片" in html and "原居民身份证" not in html
        assert "第 2 版" in html
    body = api.json()
    assert (body["name"], body["promised_time_limit"], body["version"]) == (
        "居民身份证换领（到期换证）", 10, 2)
    assert [m["name"] for m in body["guide"]["materials"]] == ["本人近期免冠照片"]


def test_withdrawing_once_hides_the_item_on_pc_mobile_and_api(client, item):
    withdraw(item)
    pc, mobile, api = faces(client, item)
    assert [pc.status_code, mobile.status_code, api.status_code] == [404, 404, 404]
    assert "已撤回" in pc.content.decode()
    assert "已撤回" in mobile.content.decode()
    assert api.json()["code"] == "item.withdrawn"


def test_mobile_guide_shows_the_materials_and_key_figures(client, item):
    id_card_type()
    html = client.get(f"/m/items/{item.handling_code}/").content.decode()
    for text in ["原居民身份证", "户口簿", "容缺", "免提交", "20个工作日", "1 次", "网上受理",
                 "收费", 'href="tel:043112345"', f'href="/items/{item.handling_code}/">电脑版']:
        assert text in html, text


def test_mobile_guide_query_budget_matches_the_pc_page(client, item, django_assert_num_queries):
    with django_assert_num_queries(9):
        assert client.get(f"/m/items/{item.handling_code}/").status_code == 200
