"""数据共享监督 (/workbench/supervision/sharing/): 材料减少率 and 一证通办率 for supervisors, over the
regions they supervise only, for a month, a year or a range of days; the rows of the site-wide
rule table (tests/accounts/test_authorization.py) for its URL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cases.factories import FOOD_FORM, pdf
from tests.exchange.conftest import RENEWAL_MATERIALS, ReuseWorld
from tests.exchange.test_attach_licence import attach
from tests.factories import UserFactory
from tests.portal.factories import city, department_in, publish_item
from yiwang.cases import services as cases
from yiwang.exchange.metrics import Rate, material_reduction_rate, one_licence_rate
from yiwang.orgs.models import RegionMembership, RegionRole
from yiwang.supervision.forms import _midnight
from yiwang.supervision.selectors import sharing_report
from yiwang.supervision.urls import urlpatterns

URL = "/workbench/supervision/sharing/"
SUPERVISION_RULES: dict[str, str] = {
    "supervision:sharing": "监察员 (their regions and those under them; another region 403) "
                           "or system administrator; other staff and citizens 403",
}


class SharingWorld(ReuseWorld):
    """The reuse world (province 吉林省, its supervisor) with two cities, each with a
    cancellation item whose food licence can be used instead of an upload, and a supervisor of
    长春市 only."""

    def __init__(self):
        super().__init__()
        self.changchun = city("220100", "长春市")
        self.jilin = city("220200", "吉林市")
        self.items = {region.code: publish_item(
            department_in(region, name=f"{region.name}市场监督管理局", code="31"),
            name="食品经营许可注销", form_definition=FOOD_FORM,
            materials=[RENEWAL_MATERIALS[0], RENEWAL_MATERIALS[2]])
            for region in (self.changchun, self.jilin)}
        self.changchun_supervisor = self.supervisor_of(self.changchun, username="changchun_supervisor")

    def supervisor_of(self, *regions, username: str):
        user = UserFactory(username=username)
        user.save()
        for region in regions:
            RegionMembership.objects.create(user=user, region=region, role=RegionRole.SUPERVISOR)
        return user

    def cancellation(self, region, *, by_licence: bool):
        item = self.items[region.code]
        case = cases.save_draft(cases.start_application(self.user, item), self.user, self.form())
        cases.attach_file(case, self.user, self.material(case, "延续申请书").pk, pdf())
        if by_licence:
            attach(self, case)
        else:
            cases.attach_file(case, self.user, self.material(case, "食品经营许可证").pk, pdf())
        return cases.submit(case, self.user)


@pytest.fixture
def world(db):
    world = SharingWorld()
    world.cancellation(world.changchun, by_licence=True)
    world.cancellation(world.changchun, by_licence=False)
    world.cancellation(world.jilin, by_licence=False)
    return world


def this_month():
    today = timezone.localdate()
    first = today.replace(day=1)
    return _midnight(first), _midnight((first + dt.timedelta(days=32)).replace(day=1))


def shown(html: str, rate: str) -> tuple[str, int, int]:
    """(percentage, numerator, denominator) of a headline card."""
    card = re.search(rf'data-rate="{rate}".*?</li>', html, re.S).group(0)
    value = re.search(r'class="rate-value">([^<]+)<', card).group(1)
    parts = [int(n) for n in re.findall(r'data-part="(?:numerator|denominator)">(\d+)<', card)]
    return value, *parts


def row(html: str, code: str) -> list[str]:
    cells = re.search(rf'<tr data-region="{code}">(.*?)</tr>', html, re.S).group(1)
    return [c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", cells)]


def percent(rate: Rate) -> str:
    return "—" if rate.value is None else f"{rate.value:.1%}"


def as_shown(rate: Rate) -> tuple[str, int, int]:
    return percent(rate), rate.numerator, rate.denominator


# --- who may look -----------------------------------------------------------------------------


def test_every_supervision_url_has_a_rule():
    assert {f"supervision:{p.name}" for p in urlpatterns} == set(SUPERVISION_RULES)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    answer = client.get(URL)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_staff_must_pass_the_second_factor_first(world):
    plain = Client()
    plain.force_login(world.supervisor)
    answer = plain.get(URL)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/otp/")


@pytest.mark.parametrize("who", ["citizen", "acceptor", "market_admin"])
def test_anyone_but_a_supervisor_is_refused(client, world, who):
    user = {"citizen": world.user, "acceptor": world.acceptor,
            "market_admin": world.market_admin}[who]
    client.force_login(user)
    answer = client.get(URL)
    assert answer.status_code == 403
    assert "rate-card" not in answer.content.decode()


def test_a_city_supervisor_sees_their_city(client, world):
    client.force_login(world.changchun_supervisor)
    html = client.get(URL).content.decode()
    start, end = this_month()
    assert "<h2 id=\"total-title\">吉林省长春市</h2>" in html
    assert shown(html, "material-reduction") == as_shown(
        material_reduction_rate(start, end, world.changchun)) == ("25.0%", 1, 4)
    assert shown(html, "one-licence") == as_shown(
        one_licence_rate(start, end, world.changchun)) == ("50.0%", 1, 2)
    assert 'data-region="220200"' not in html and "吉林市" not in html


@pytest.mark.parametrize("code", ["220200", "220000"])
def test_a_city_supervisor_cannot_ask_for_another_region(client, world, code):
    """Neither the neighbouring city nor the province above: the figures are not computed."""
    client.force_login(world.changchun_supervisor)
    answer = client.get(URL, {"region": code})
    html = answer.content.decode()
    assert answer.status_code == 403
    assert "不能查看该区划的指标" in html and "rate-card" not in html
    assert '<option value="220200"' not in html


def test_the_province_supervisor_sees_the_province_and_each_city(client, world):
    client.force_login(world.supervisor)
    html = client.get(URL).content.decode()
    start, end = this_month()
    assert shown(html, "material-reduction") == as_shown(
        material_reduction_rate(start, end, world.province))
    # The world's own food-licence case (2 counted materials, none exemptible, in the province
    # itself) counts for the province but for neither city.
    assert shown(html, "material-reduction")[1:] == (1, 2 + 4 + 2)
    assert shown(html, "one-licence") == as_shown(one_licence_rate(start, end, world.province))
    for region, reduced, asked, done, eligible in ((world.changchun, 1, 4, 1, 2),
                                                   (world.jilin, 0, 2, 0, 1)):
        assert row(html, region.code) == [
            percent(material_reduction_rate(start, end, region)), f"{reduced} / {asked}",
            percent(one_licence_rate(start, end, region)), f"{done} / {eligible}"]


def test_the_province_supervisor_may_narrow_to_a_city(client, world):
    client.force_login(world.supervisor)
    html = client.get(URL, {"region": "220200"}).content.decode()
    assert shown(html, "material-reduction") == ("0.0%", 0, 2)
    assert shown(html, "one-licence") == ("0.0%", 0, 1)
    assert '<a href="?region=220000">返回上级</a>' in html


def test_a_supervisor_of_two_cities_sees_their_sum(client, world):
    client.force_login(world.supervisor_of(world.changchun, world.jilin, username="two_cities"))
    html = client.get(URL).content.decode()
    assert "您监督的全部区划" in html
    assert shown(html, "material-reduction") == ("16.7%", 1, 6)
    assert shown(html, "one-licence") == ("33.3%", 1, 3)
    assert row(html, "220100")[1] == "1 / 4" and row(html, "220200")[1] == "0 / 2"


def test_the_system_administrator_sees_every_region(client, world):
    root = UserFactory(username="root", is_superuser=True)
    root.save()  # keeps the factory's password, so force_login's session survives
    client.force_login(root)
    html = client.get(URL, {"region": "220100"}).content.decode()
    assert shown(html, "one-licence") == ("50.0%", 1, 2)
    html = client.get(URL).content.decode()
    assert "全部区划" in html and row(html, "220000")[1] == "1 / 8"


def test_the_navigation_links_the_page_for_supervisors_only(client, world):
    client.force_login(world.changchun_supervisor)
    assert f'href="{URL}"' in client.get("/workbench/").content.decode()
    client.force_login(world.acceptor)
    assert f'href="{URL}"' not in client.get("/workbench/").content.decode()


def test_the_page_keeps_to_a_query_budget(client, world, django_assert_max_num_queries):
    client.force_login(world.supervisor)
    with django_assert_max_num_queries(40):
        assert client.get(URL).status_code == 200


def report_queries(world) -> int:
    """The SQL queries of the province's report with one row per city."""
    with CaptureQueriesContext(connection) as queries:
        report = sharing_report(world.supervisor, *this_month(), world.province)
    assert len(report.breakdown) == len(world.items)
    return len(queries)


def test_the_breakdown_costs_the_same_queries_for_ten_cities_as_for_two(world):
    two = report_queries(world)
    for n in range(3, 11):
        region = city(f"22{n:02d}00", f"第{n}市")
        world.items[region.code] = publish_item(
            department_in(region, name=f"{region.name}市场监督管理局", code="31"),
            name="食品经营许可注销", form_definition=FOOD_FORM,
            materials=[RENEWAL_MATERIALS[0], RENEWAL_MATERIALS[2]])
        world.cancellation(region, by_licence=False)
    assert report_queries(world) == two
    report = sharing_report(world.supervisor, *this_month(), world.province)
    assert [r.material_reduction for r in report.breakdown] == [Rate(1, 4)] + [Rate(0, 2)] * 9
    assert [r.one_licence for r in report.breakdown] == [Rate(1, 2)] + [Rate(0, 1)] * 9
    assert report.total.one_licence == Rate(1, 11)


# --- the period -------------------------------------------------------------------------------


def test_the_period_is_this_month_by_default_and_follows_the_choice(client, world):
    client.force_login(world.changchun_supervisor)
    today = timezone.localdate()
    html = client.get(URL).content.decode()
    assert f"统计期间：{today:%Y}年{today.month}月1日" in html
    whole_year = client.get(URL, {"year": today.year, "month": ""}).content.decode()
    assert f"统计期间：{today.year}年1月1日 至 {today.year}年12月31日" in whole_year
    assert shown(whole_year, "material-reduction")[1:] == (1, 4)
    by_days = client.get(URL, {"start_date": today.isoformat(), "end_date": today.isoformat()})
    assert shown(by_days.content.decode(), "material-reduction")[1:] == (1, 4)
    long_ago = client.get(URL, {"year": 2020, "month": 1}).content.decode()
    assert shown(long_ago, "material-reduction") == ("—", 0, 0)
    assert shown(long_ago, "one-licence") == ("—", 0, 0)


def test_the_end_date_is_included(client, world):
    client.force_login(world.changchun_supervisor)
    today = timezone.localdate()
    earlier = (today - dt.timedelta(days=3)).isoformat()
    answer = client.get(URL, {"start_date": earlier, "end_date": today.isoformat()})
    assert shown(answer.content.decode(), "one-licence") == ("50.0%", 1, 2)


@pytest.mark.parametrize(("query", "message"), [
    ({"start_date": "2026-13-01", "end_date": "2026-12-31"}, "开始日期：请输入有效的日期"),
    ({"start_date": "昨天", "end_date": "2026-12-31"}, "开始日期：请输入有效的日期"),
    ({"start_date": "2026-03-01"}, "请同时填写开始日期和结束日期"),
    ({"end_date": "2026-03-01"}, "请同时填写开始日期和结束日期"),
    ({"start_date": "2026-03-02", "end_date": "2026-03-01"}, "开始日期不能晚于结束日期"),
    ({"start_date": "2024-01-01", "end_date": "2025-12-31"}, "日期区间最长366天"),
    ({"start_date": "1900-01-01", "end_date": "1900-01-31"}, "日期应在2000年至2099年之间"),
    ({"start_date": "9999-12-01", "end_date": "9999-12-31"}, "日期应在2000年至2099年之间"),
    ({"year": "1999", "month": "1"}, "年份应在2000年至2099年之间"),
    ({"year": "二〇二六"}, "请输入四位数字的年份"),
    ({"year": "2026", "month": "13"}, "请选择1月至12月"),
    ({"year": "", "month": "3"}, "请填写年份"),
    ({"region": "999999"}, "区划代码“999999”不存在"),
])
def test_a_bad_period_or_region_is_explained_not_a_500(client, world, query, message):
    client.force_login(world.supervisor)
    answer = client.get(URL, query)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert message in html and "rate-card" not in html


def test_a_leap_year_range_of_366_days_is_accepted(client, world):
    client.force_login(world.supervisor)
    assert client.get(URL, {"start_date": "2024-01-01", "end_date": "2024-12-31"}).status_code == 200

