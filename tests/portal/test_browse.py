"""Home page and browsing by life event / theme, department and region."""

from tests.factories import DepartmentFactory
from yiwang.catalog.models import Topic

from .factories import city, county, department_in, publish_item, withdraw


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


def test_home_shows_search_life_events_by_audience_themes_and_recent_items(
        client, item, birth, company_start, social_security):
    publish_item(item.department, name="出生医学证明办理", topics=[birth])
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    assert "出生" in section(html, "person-title")
    assert "开办企业" in section(html, "company-title")
    assert "开办企业" not in section(html, "person-title")
    assert "社会保障" in section(html, "themes-title")
    recent = section(html, "popular-title")
    assert recent.index("出生医学证明办理") < recent.index("居民身份证换领")
    assert "<dt>已发布事项</dt><dd>2</dd>" in html


def test_home_counts_only_published_items(client, item):
    withdraw(item)
    html = client.get("/").content.decode()
    assert "<dt>已发布事项</dt><dd>0</dd>" in html
    assert "居民身份证换领" not in html


def test_home_query_budget(client, item, birth, company_start, social_security,
                           django_assert_num_queries):
    for n in range(5):
        publish_item(item.department, name=f"事项{n}", topics=[birth, social_security])
    # topics with counts + recent items + counts + departments
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


def test_topic_page_lists_the_published_items_of_a_life_event(client, item, birth):
    in_topic = publish_item(item.department, name="出生医学证明办理", topics=[birth])
    withdrawn = publish_item(item.department, name="新生儿落户", topics=[birth])
    withdraw(withdrawn)
    html = client.get("/topics/birth/").content.decode()
    assert "<h1>出生</h1>" in html
    assert f'href="/items/{in_topic.handling_code}/"' in html
    assert "新生儿落户" not in html and "居民身份证换领" not in html
    assert "（共 1 项）" in html


def test_topics_page_groups_topics_with_counts(client, item, birth, company_start, social_security):
    html = client.get("/topics/").content.decode()
    assert "出生" in section(html, "person-title")
    assert "开办企业" in section(html, "company-title")
    themes = section(html, "themes-title")
    assert "社会保障" in themes and "1 项" in themes


def test_topic_page_paginates_and_keeps_the_type_filter(client, department, birth):
    for n in range(21):
        publish_item(department, name=f"出生事项{n:02d}", topics=[birth], item_type="20")
    first = client.get("/topics/birth/?item_type=20").content.decode()
    assert first.count('class="item-row"') == 20
    assert 'href="?item_type=20&amp;page=2"' in first
    second = client.get("/topics/birth/?item_type=20&page=2").content.decode()
    assert second.count('class="item-row"') == 1
    assert client.get("/topics/birth/?item_type=01").content.decode().count(
        'class="item-row"') == 0


def test_topic_page_query_budget(client, department, birth, django_assert_num_queries):
    for n in range(5):
        publish_item(department, name=f"出生事项{n}", topics=[birth])
    # topic + count + page of items + the topic's published 一件事
    with django_assert_num_queries(4):
        assert client.get("/topics/birth/").status_code == 200


def test_unknown_topic_is_a_404_page(client, db):
    response = client.get("/topics/nothing/")
    assert response.status_code == 404
    assert "主题“nothing”不存在" in response.content.decode()


def test_departments_page_groups_departments_by_region(client, item):
    changchun = city()
    department_in(changchun, name="长春市市场监督管理局", code="30")
    DepartmentFactory(name="吉林省民政厅", code="12")  # created after the city's department
    html = client.get("/departments/").content.decode()
    assert html.count('aria-labelledby="region-') == 2
    province_part = section(html, "region-220000")
    assert "吉林省公安厅" in province_part and "1 项" in province_part
    assert "吉林省民政厅" in province_part
    assert "长春市市场监督管理局" in section(html, "region-220100")


def test_life_events_are_listed_in_their_set_order(client, db):
    for order, name, slug in [(3, "退休", "retire"), (1, "出生", "birth"), (2, "入学", "school")]:
        Topic.objects.create(kind=Topic.Kind.LIFE_EVENT, name=name, slug=slug, order=order)
    person = section(client.get("/").content.decode(), "person-title")
    assert person.index("出生") < person.index("入学") < person.index("退休")


def test_department_page_shows_its_information_and_published_items(client, item):
    department = item.department
    department.address = "长春市人民大街1号"
    department.phone = "0431-88888888"
    department.supervision_phone = "0431-12345678"
    department.description = "负责户籍和出入境管理"
    department.save()
    other = publish_item(DepartmentFactory(code="12", name="吉林省民政厅"), name="婚姻登记")
    html = client.get(f"/departments/{department.pk}/").content.decode()
    for text in ["<h1>吉林省公安厅</h1>", "长春市人民大街1号", 'href="tel:043188888888"',
                 "0431-12345678", "负责户籍和出入境管理", department.uscc, "已发布事项 1 项",
                 f'href="/items/{item.handling_code}/"']:
        assert text in html, text
    assert other.handling_code not in html


def test_department_page_query_budget(client, item, django_assert_num_queries):
    for n in range(5):
        publish_item(item.department, name=f"事项{n}")
    # department with count + count of items + page of items
    with django_assert_num_queries(3):
        assert client.get(f"/departments/{item.department.pk}/").status_code == 200


def test_unknown_department_is_a_404_page(client, db):
    response = client.get("/departments/999999/")
    assert response.status_code == 404
    assert "该部门不存在" in response.content.decode()


def test_regions_show_items_of_a_region_and_everything_below(client, item):
    changchun = city()
    nanguan = county(changchun)
    county_item = publish_item(department_in(nanguan, code="11"), name="南关区事项")
    index = client.get("/regions/").content.decode()
    assert "（2 项）" in index  # the province counts its own item and the county's
    assert 'href="/regions/220100/">长春市</a> <span class="muted">1 项' in index

    city_page = client.get("/regions/220100/").content.decode()
    assert f'href="/items/{county_item.handling_code}/"' in city_page
    assert item.handling_code not in city_page
    assert 'href="/regions/220102/">南关区</a>' in city_page
    assert 'href="/regions/220000/">吉林省</a>' in city_page  # breadcrumb

    county_page = client.get("/regions/220102/").content.decode()
    assert "南关区事项" in county_page and "测试部门" in county_page


def test_a_region_without_items_points_to_its_parent(client, item):
    changchun = city()
    county(changchun)
    html = client.get("/regions/220102/").content.decode()
    assert "吉林省长春市南关区暂无已发布的事项" in html
    assert '请查看<a href="/regions/220100/">吉林省长春市</a>的事项' in html
    assert "暂无已发布的事项，许多事项" not in client.get("/regions/220000/").content.decode()


def test_region_page_query_budget(client, item, django_assert_num_queries):
    changchun = city()
    county(changchun)
    for n in range(3):
        publish_item(department_in(changchun, code=f"{30 + n}"), name=f"长春事项{n}")
    # region + children + item counts + ancestors + departments + count + page of items
    with django_assert_num_queries(7):
        assert client.get("/regions/220100/").status_code == 200


def test_unknown_region_is_a_404_page(client, db):
    response = client.get("/regions/999999/")
    assert response.status_code == 404
    assert "区划代码“999999”不存在" in response.content.decode()


def test_bad_list_parameters_are_400_pages_not_500(client, item, birth):
    for url in ("/topics/birth/?page=abc", "/topics/birth/?page=0",
                f"/departments/{item.department.pk}/?item_type=99", "/regions/220000/?page=-1"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert 'role="alert"' in response.content.decode()


def test_themes_are_not_listed_as_life_events(client, social_security):
    assert social_security.kind == Topic.Kind.THEME
    html = client.get("/").content.decode()
    assert "社会保障" not in section(html, "person-title")


def test_regions_page_query_budget(client, item, django_assert_num_queries):
    for n in range(3):
        city(code=f"22{n + 1:02d}00", name=f"城市{n}")
    # provinces + their cities + item counts
    with django_assert_num_queries(3):
        assert client.get("/regions/").status_code == 200


def test_mobile_topic_page_links_to_mobile_guides(client, item, birth):
    in_topic = publish_item(item.department, name="出生医学证明办理", topics=[birth])
    html = client.get("/m/topics/birth/").content.decode()
    assert f'href="/m/items/{in_topic.handling_code}/"' in html
    assert 'href="/topics/birth/">电脑版' in html
