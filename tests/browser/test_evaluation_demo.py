"""好差评 in a real browser on the data ``manage.py load_demo`` creates (README "好差评"): 王芳's
食品经营许可 is delivered, the SMS brings her a rating link which she opens without logging in
and rates 不满意; 长春市市场监督管理局's 好差评管理员 verifies and replies in 差评整改; 王芳 logs in
and is satisfied with the fix; the public statistics page counts the rating and the fix; the
监察员 finds the demo's pending 申诉.

One journey in steps, one test each, as in test_hall_journey.py: a step takes the journey from
the previous one or brings it there through the services, so each step shows on its own whether
it works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import demodata
from tests.browser.demo_visits import PHONE, citizen, shot, staff, user
from yiwang.cases import services as cases
from yiwang.cases.models import Case, Status
from yiwang.demo.places import KIND_BY_KEY, department_uscc
from yiwang.evaluation.models import Rating, RatingChannel, Rectification, RectificationStatus
from yiwang.evaluation.services import ratings, rectification
from yiwang.notify.models import Channel, Message
from yiwang.orgs.models import Department

pytestmark = pytest.mark.slow

WANG_FANG = "13904310002"
ITEM = "食品经营许可"
COMPLAINT = "窗口让我第二次再来补一份材料，事先没有一次性告知"



def headlines(page) -> dict[str, str]:
    """The public page's headline figures by name (评价数, 好评率, 差评整改率 …)."""
    cells = page.locator(".eval-headlines li")
    return {cells.nth(n).locator(".eval-headline-name").inner_text():
            cells.nth(n).locator(".eval-headline-value").inner_text()
            for n in range(cells.count())}


def percent(text: str) -> float:
    return float(text.rstrip("%"))


class Journey:
    """王芳's rating of her delivered case and its rectification; each method returns the
    journey's object at that step, doing through the services what the browser did not."""

    def __init__(self):
        self.market = Department.objects.get(uscc=department_uscc("220100",
                                                                  KIND_BY_KEY["market"].code))
        self.wang = user(f"demo-{WANG_FANG}")
        self.before: dict[str, str] = {}
        self.case: Case | None = None

    def delivered(self) -> Case:
        """王芳's 食品经营许可 not rated yet, taken to 送达 (the demo leaves it under review;
        the hall walk-through may have taken it further)."""
        self.case = case = self.case or (
            Case.objects.filter(applicant=self.wang, item__department=self.market,
                                item__published_version__name=ITEM)
            .exclude(pk__in=Rating.objects.filter(case__isnull=False).values("case"))
            .order_by("pk").first())
        case = demodata.certified(case)
        if case.status == Status.CERTIFIED:
            cases.deliver(case, user("scjg_decider"), method="online")
        case.refresh_from_db()
        return case

    def link(self, case: Case) -> str:
        """The path of the rating link in the SMS 王芳 got when the case was delivered."""
        sms = (Message.objects.filter(channel=Channel.SMS, address=WANG_FANG,
                                      body__contains=case.number).order_by("-pk").first())
        return re.search(r"/rate/[^/\s]+/", sms.body).group(0)

    def rated(self) -> Rating:
        case = self.delivered()
        rating = Rating.objects.filter(case=case, rater=self.wang).first()
        return rating or ratings.rate(self.wang, event_key=ratings.case_key(case), level=4,
                                      reasons=["many_trips"], text=COMPLAINT,
                                      channel=RatingChannel.SMS)

    def replied(self) -> Rectification:
        rect = Rectification.objects.get(rating=self.rated())
        admin = user("scjg_evaluation")
        if rect.status == RectificationStatus.PENDING:
            rect = rectification.verify(admin, rect, "核实属实")
        if rect.status == RectificationStatus.RECTIFYING:
            rect = rectification.reply(admin, rect, "已在窗口公示一次性告知清单")
        return rect


@pytest.fixture(scope="module")
def journey(demo_site):
    return Journey()


def test_the_public_figures_before(visitor, journey):
    page = visitor()
    page.goto(f"/evaluation/?department={journey.market.pk}")
    expect(page.get_by_role("heading", level=2).first).to_contain_text(journey.market.name)
    journey.before = headlines(page)
    assert int(journey.before["评价数"]) > 10  # the demo's year of ratings
    shot(page, "evaluation-public-before")

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_rates_bad_from_the_sms_link_without_logging_in(visitor, journey):
    case = journey.delivered()
    assert case.status == Status.DELIVERED
    page = visitor()
    page.goto(journey.link(case))
    expect(page.locator("main")).to_contain_text(ITEM)
    page.get_by_label("不满意", exact=True).check()
    page.get_by_label("多次跑动").check()
    page.get_by_label("评价内容").fill(COMPLAINT)
    shot(page, "evaluation-rate-link")
    page.get_by_role("button", name="提交评价").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您的评价")
    expect(page.locator("main")).to_contain_text("转交责任部门核实整改")
    shot(page, "evaluation-rated")
    rating = Rating.objects.get(case=case)
    assert (rating.rater, rating.level, rating.text) == (journey.wang, 4, COMPLAINT)
    assert rating.rectification.status == RectificationStatus.PENDING


def test_the_evaluation_admin_verifies_and_replies(visitor, journey):
    rating = journey.rated()
    page = staff(visitor, "scjg_evaluation", then="/workbench/evaluation/rectifications/")
    row = page.locator("tr", has_text=rating.case.number)
    expect(row).to_contain_text("待核实")
    shot(page, "evaluation-staff-list")
    row.get_by_role("link").first.click()

    page.get_by_label("核实情况").fill("调取窗口记录核实，首次受理时未一次性告知需补交的材料，情况属实")
    page.get_by_role("button", name="确认核实，开始整改").click()
    expect(page.locator("main")).to_contain_text("整改中")
    page.get_by_label("整改答复（将发送给评价人）").fill(
        "已对窗口人员进行批评教育，并在窗口公示食品经营许可一次性告知清单。感谢您的监督。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("main")).to_contain_text("已整改")
    shot(page, "evaluation-staff-replied")
    assert Rectification.objects.get(rating=rating).status == RectificationStatus.RECTIFIED


def test_the_citizen_is_satisfied_with_the_fix(visitor, journey):
    rect = journey.replied()
    page = citizen(visitor, WANG_FANG, then="/evaluation/mine/")
    row = page.locator(".rating-row", has_text=rect.rating.case.number)
    expect(row).to_contain_text("差评整改：已整改")
    row.get_by_role("link", name="查看整改情况").click()
    page.wait_for_url(f"**/evaluation/rectifications/{rect.pk}/")
    expect(page.locator("main")).to_contain_text(rect.reply)
    page.get_by_label("满意", exact=True).check()
    shot(page, "evaluation-verdict")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("main")).to_contain_text("您对整改")
    rect.refresh_from_db()
    assert rect.verdict == Rectification.Verdict.SATISFIED
    assert rect.status == RectificationStatus.REVISITED


def test_the_public_figures_count_the_rating_and_the_fix(visitor, journey):
    rect = journey.replied()
    if rect.verdict == "":
        rectification.confirm(journey.wang, rect, Rectification.Verdict.SATISFIED)
    page = visitor()
    page.goto(f"/evaluation/?department={journey.market.pk}")
    after = headlines(page)
    shot(page, "evaluation-public-after")
    if journey.before:
        assert int(after["评价数"]) == int(journey.before["评价数"]) + 1
        assert percent(after["差评整改率"]) > percent(journey.before["差评整改率"])


def test_the_supervisor_finds_the_demos_pending_appeal(visitor, journey):
    page = staff(visitor, "sup_province", then="/workbench/evaluation/appeals/")
    row = page.locator("tr", has_text=journey.market.name)
    expect(row).to_contain_text("恶意差评")
    expect(row).to_contain_text("待复核")
    shot(page, "evaluation-appeals")
