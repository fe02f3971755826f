"""好差评公示 pages: the numbers and the SVG charts, the ratings behind a figure (anonymised),
the JSON and CSV downloads, the API; bad filters answer 400 with a Chinese message."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from tests.accounts.factories import citizen
from tests.evaluation.stats_world import build_world, january
from yiwang.evaluation.services import statistics

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
RANGE = {"start": "2026-01", "end": "2026-02"}


@pytest.fixture
def world(db):
    world = build_world()
    world["ratings"] = january(world)
    statistics.aggregate_month(JAN)
    statistics.aggregate_month(FEB)
    return world


@pytest.fixture
def anonymous():
    return Client()


def test_the_page_shows_the_headline_numbers_and_a_chart_per_figure(world, anonymous):
    response = anonymous.get("/evaluation/", {**RANGE, "region": "220100"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "好差评公示" in html and "2026年1月至2026年2月 · 吉林省长春市" in html
    # 9 ratings, 好评 5/9, 差评 4, 整改 3/4, 及时 1/3, 回访 1/4
    for number in ("<span class=\"eval-headline-value\">9</span>", "55.6%", ">4<", "75.0%",
                   "33.3%", "25.0%"):
        assert number in html, number
    assert html.count("<svg class=\"eval-chart\"") == 5
    assert "<title id=\"chart-good-t\">好评率按月柱状图</title>" in html
    assert "按月好评率：2026年1月 50.0%；2月 100.0%" in html  # the description a reader hears
    assert "<summary>数据表</summary>" in html
    # the bars link to the ratings behind them
    assert ("/evaluation/ratings/?start=2026-01&amp;end=2026-02&amp;region=220100&amp;figure=good"
            "&amp;month=2026-01") in html
    assert "朝阳区" in html and "长春市（本级）" in html  # ranked by region
    assert "朝阳区政务服务局" in html  # ranked by department
    # the department filter offers the departments rated under the other filters
    assert f'<option value="{world["county_department"].pk}">朝阳区政务服务局</option>' in html
    assert "吉林市行政审批局" not in html
    assert 'role="img" aria-labelledby="chart-ratings-t chart-ratings-d"' in html


def test_the_footer_links_the_page(db, anonymous):
    assert 'href="/evaluation/">好差评公示</a>' in anonymous.get("/evaluation/").content.decode()


def test_rates_without_ratings_show_a_dash(world, anonymous):
    html = anonymous.get("/evaluation/", {**RANGE, "region": "220200"}).content.decode()
    assert "—" in html and "100.0%" in html


def test_an_item_found_by_name_is_chosen(world, anonymous):
    html = anonymous.get("/evaluation/", {**RANGE, "item_q": "个体工商户"}).content.decode()
    assert "· 个体工商户设立登记" in html
    assert "<span class=\"eval-headline-value\">6</span>" in html


def test_several_items_found_are_offered(world, anonymous):
    from tests.evaluation.stats_world import make_item

    make_item(world["county_department"], "个体工商户注销登记")
    html = anonymous.get("/evaluation/", {**RANGE, "item_q": "个体工商户"}).content.decode()
    assert "找到多个事项，请选择" in html and "个体工商户注销登记" in html


def test_the_drill_down_shows_anonymised_ratings_only(world, anonymous):
    rater = world["rater"]
    response = anonymous.get("/evaluation/ratings/", {**RANGE, "region": "220104", "figure": "bad",
                                                      "month": "2026-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "差评（共 3 条）" in html
    assert "王*明" in html and "王小明" not in html and rater.username not in html
    assert "2201**********1234" in html and "220104199001011234" not in html
    assert "139****5678" in html and "13912345678" not in html
    assert "test:" not in html  # no event key
    assert "已整改，2026-01-10答复（按期）" in html and "已回访，2026-01-20答复（超期）" in html
    assert "非常不满意" in html and "整改中" in html


def test_the_drill_down_pages(world, anonymous):
    html = anonymous.get("/evaluation/ratings/", {**RANGE, "page": "2"}).content.decode()
    assert "全部评价（共 10 条）" in html and "第 1 / 1 页" not in html


def test_json_download(world, anonymous):
    response = anonymous.get("/evaluation/statistics.json", {**RANGE, "region": "220100"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["filters"]["region_name"] == "吉林省长春市"
    assert data["total"] == {"ratings": 9, "good": 5, "bad": 4, "rectified": 3,
                             "rectified_on_time": 1, "revisited": 1, "good_rate": 0.5556,
                             "rectification_rate": 0.75, "timely_rate": 0.3333,
                             "revisit_rate": 0.25}
    assert [(m["month"], m["ratings"]) for m in data["months"]] == [("2026-01", 8), ("2026-02", 1)]
    assert data["by_region"][0]["name"] == "朝阳区"


def test_csv_download_opens_in_excel(world, anonymous):
    response = anonymous.get("/evaluation/statistics.csv", {**RANGE, "channel": "mobile"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff月份,评价数")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[1] == ["2026-01", "2", "1", "1", "1", "0", "0", "50.0%", "100.0%", "0.0%", "0.0%"]
    assert rows[2] == ["2026-02", "0", "0", "0", "0", "0", "0", "", "", "", ""]
    assert rows[3][0] == "合计"


def test_the_api_answers_the_same_figures(world, anonymous):
    response = anonymous.get("/api/evaluation/statistics", {**RANGE, "region": "220100"})
    assert response.status_code == 200
    assert response.json()["total"]["good_rate"] == 0.5556
    assert response.json()["by_department"][0]["department"] == world["county_department"].pk


@pytest.mark.parametrize("query", [
    {"start": "2026-13"}, {"start": "2026-03", "end": "2026-01"}, {"region": "长春"},
    {"region": "999999"}, {"department": "abc"}, {"item": "1" * 30}, {"channel": "fax"},
    {"start": "1990-01", "end": "2026-01"},
])
def test_bad_filters_are_400_with_a_chinese_message(world, anonymous, query):
    page = anonymous.get("/evaluation/", query)
    assert page.status_code == 400 and "error-summary" in page.content.decode()
    drill = anonymous.get("/evaluation/ratings/", query)
    assert drill.status_code == 400
    for url in ("/evaluation/statistics.json", "/evaluation/statistics.csv",
                "/api/evaluation/statistics"):
        answer = anonymous.get(url, query)
        assert answer.status_code == 400, url
        assert answer.json()["code"].startswith("statistics.")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["message"])


@pytest.mark.parametrize("query", [{"figure": "all"}, {"page": "abc"}, {"page": "0"},
                                   {"month": "2024-01"}])
def test_bad_drill_down_input_is_400(world, anonymous, query):
    response = anonymous.get("/evaluation/ratings/", query)
    assert response.status_code == 400 and "error-summary" in response.content.decode()


def test_every_statistics_url_is_public(world):
    """The rows of EVALUATION_RULES for part C: anonymous visitors, citizens and staff alike."""
    signed_in = Client()
    signed_in.force_login(citizen("赵强").user)
    for client in (Client(), signed_in):
        for url in ("/evaluation/", "/evaluation/ratings/", "/evaluation/statistics.json",
                    "/evaluation/statistics.csv", "/api/evaluation/statistics"):
            assert client.get(url, RANGE).status_code == 200, url
            assert client.post(url, RANGE).status_code == 405, url
