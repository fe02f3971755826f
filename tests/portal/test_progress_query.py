"""办件进度查询: exact number and name, one answer for every miss, masked name, rate limit."""

import pytest
from django.core.cache import cache

from tests.cases.factories import World
from yiwang.cases.selectors import progress_lookup
from yiwang.common.identifiers import mask_name


@pytest.fixture
def world(db):
    return World()


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _query(client, number, name, ip="203.0.113.7"):
    return client.post("/progress/", {"number": number, "name": name}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(("name", "masked"), [
    ("王", "*"), ("王芳", "王*"), ("张小伟", "张*伟"), ("欧阳娜娜", "欧**娜"), (" 李四 ", "李*"), ("", ""),
])
def test_mask_name_keeps_only_the_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_matching_number_and_name_show_the_progress_with_the_name_masked(client, world):
    case = world.submitted()
    response = _query(client, case.number, "王芳")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("查询结果", case.number, "食品经营许可", "已接件", "等待受理", "吉林省市场监督管理局",
                 "<td>王*</td>", "尚未受理"):
        assert text in html, text
    for personal in ("王芳", world.applicant.id_number, world.applicant.mobile, "净月潭小吃店"):
        assert personal not in html.split("查询结果")[1], personal


def test_a_wrong_name_and_an_unknown_number_get_the_same_answer(client, world):
    case = world.submitted()
    wrong_name = _query(client, case.number, "王芬").content.decode()
    unknown = _query(client, case.number[:-1] + "9", "王芳").content.decode()
    for html in (wrong_name, unknown):
        assert "未找到匹配的办件" in html and "查询结果" not in html
    assert wrong_name.split("</form>")[1] == unknown.split("</form>")[1]


def test_queries_over_the_limit_from_one_address_get_429(client, world, settings):
    settings.CASE_PROGRESS_QUERIES_PER_MINUTE = 3
    case = world.submitted()
    for _ in range(3):
        assert _query(client, case.number, "王芳").status_code == 200
    refused = _query(client, case.number, "王芳")
    assert refused.status_code == 429 and "查询过于频繁，请一分钟后再试" in refused.content.decode()
    assert "查询结果" not in refused.content.decode()
    assert _query(client, case.number, "王芳", ip="198.51.100.2").status_code == 200


def test_the_lookup_is_one_query(world, django_assert_num_queries):
    case = world.submitted()
    with django_assert_num_queries(1):
        found = progress_lookup(f" {case.number} ", "王芳")
        assert found.version.name == "食品经营许可" and found.department.name == "吉林省市场监督管理局"
    with django_assert_num_queries(0):
        assert progress_lookup("", "王芳") is None


def test_the_applicant_id_number_stands_for_the_name_through_its_blind_index(
        client, world, django_assert_num_queries):
    case = world.submitted()
    with django_assert_num_queries(1):
        assert progress_lookup(case.number, world.applicant.id_number.lower()) == case
    html = _query(client, case.number, world.applicant.id_number).content.decode()
    assert "查询结果" in html and world.applicant.id_number not in html.split("查询结果")[1]
    other = "220104199001010019"
    assert progress_lookup(case.number, other) is None
