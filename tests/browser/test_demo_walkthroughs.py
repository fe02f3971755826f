"""The README's walk-throughs in a real browser on the data ``manage.py load_demo`` creates: the
开办餐饮店 一件事 from search to its result, a single item with pre-filled fields, each staff role
landing on its tasks, and the progress query. Staff log in with the demo password and the demo's
TOTP key, as the README tells a new user to.

The demo is loaded and committed once per run and the live server runs on it (``demo_site`` and
``visitor``, tests/browser/conftest.py, shared with the other browser tests on the demo). The
一件事 is one journey in steps, one test each: a step takes the application from the previous one,
or, when that step failed, brings it to where it should be through the case services, so each step
shows on its own whether it works.

Set YIWANG_WALKTHROUGH_SHOTS to a directory to get a screenshot of every step, at desktop width
and 390 px wide.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import demodata
from tests.browser.demo_visits import citizen, shot, staff, user
from yiwang.accounts.models import Citizen
from yiwang.cases import services
from yiwang.cases.models import BundleApplication, Case, CaseTask, Status, TaskKind, TaskStatus
from yiwang.demo.identities import STAFF
from yiwang.notify.models import Message
from yiwang.orgs.models import Role

BUNDLE = "open-restaurant"
WANG_FANG = "13904310002"  # the demo company's legal representative (README)
ZHANG_WEI = "13904310001"
ID_CARD_SEARCH = f"/search/?q={quote('居民身份证换领')}"

def test_the_walkthroughs_people_and_bundle_are_in_the_demo(demo):
    """What the README's walk-throughs need from ``load_demo``."""
    usernames = {*CASE_STAFF, *EXAMINERS.values(), *DECIDERS.values()}
    staff_users = get_user_model().objects.filter(username__in=usernames, totpdevice__confirmed=True)
    assert set(staff_users.values_list("username", flat=True)) == usernames
    assert Citizen.objects.filter(mobile__in=[WANG_FANG, ZHANG_WEI]).count() == 2
    assert services.published_bundle(BUNDLE).published_version.entries.count() == 2


# --- the site ----------------------------------------------------------------------------------



# --- the 开办餐饮店 journey ----------------------------------------------------------------------


EXAMINERS = {"市场监督管理局": "scjg_examiner", "卫生健康委员会": "wjw_examiner"}
DECIDERS = {"市场监督管理局": "scjg_decider", "卫生健康委员会": "wjw_decider"}


def by_department(names: dict[str, str], department) -> str:
    return next(username for part, username in names.items() if part in department.name)


class Journey:
    """王芳's 开办餐饮店 application for her company, step by step. Each ``…ed()`` returns the
    application at that step, doing through the services what the browser step did not."""

    def __init__(self):
        self.application: BundleApplication | None = None

    def cases(self) -> list[Case]:
        return list(self.application.cases.select_related("department", "version").order_by("pk"))

    def submitted(self) -> BundleApplication:
        if self.application is None or self.application.submitted_at is None:
            wang, company = demodata.demo_applicant()
            bundle = services.published_bundle(BUNDLE)
            merged = services.merged_form(bundle.published_version)
            application = services.start_bundle(wang.user, bundle, company_id=company.pk)
            services.save_bundle_draft(application, wang.user,
                                       demodata.valid_form_data(merged.fields, wang, company))
            for material in merged.materials:
                services.attach_bundle_file(application, wang.user, material.key,
                                            demodata.material_file(material.name))
            services.submit_bundle(application, wang.user)
            self.application = application
        self.application.refresh_from_db()
        return self.application

    def accepted(self) -> BundleApplication:
        application = self.submitted()
        services.accept_bundle(application, user("scjg_acceptor"))
        return application

    def reviewed(self) -> BundleApplication:
        application = self.accepted()
        for task in CaseTask.objects.filter(case__bundle_application=application, kind=TaskKind.REVIEW,
                                            status__in=[TaskStatus.OPEN, TaskStatus.CLAIMED]):
            services.complete_review(task, user(by_department(EXAMINERS, task.department)),
                                     approve=True, opinion="符合条件")
        return application

    def delivered(self) -> BundleApplication:
        application = self.reviewed()
        for case in self.cases():
            decider = user(by_department(DECIDERS, case.department))
            if case.status == Status.REVIEWING:
                case = services.decide(case, decider, outcome="approved")
            if case.status == Status.APPROVED:
                case = services.certify(case, decider)
            if case.status == Status.CERTIFIED:
                services.deliver(case, decider, method="online")
        return application


@pytest.fixture(scope="module")
def journey(demo_site):
    return Journey()


def test_citizen_finds_the_bundle_by_searching(visitor):
    page = citizen(visitor, WANG_FANG, then="/")
    page.get_by_role("searchbox").first.fill("开餐馆")  # README: 搜索“开餐馆”
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    shot(page, "01-search")
    page.get_by_role("link", name="开办餐饮店").first.click()
    expect(page.locator("h1")).to_have_text("一件事：开办餐饮店")


def open_bundle_form(visitor):
    page = citizen(visitor, WANG_FANG, then=f"/bundles/{BUNDLE}/")
    expect(page.locator("h1")).to_have_text("一件事：开办餐饮店")
    shot(page, "02-bundle")
    page.get_by_label("申请单位").select_option(label="长春市净月潭绿色食品有限公司（法定代表人）")
    page.get_by_role("button", name="在线申请").click()
    expect(page.locator("h1")).to_have_text("填写一件事申请：开办餐饮店")
    return page


def fill_form(page, fields: list[dict]) -> None:
    """Fill each field as a person would, with a value its definition accepts."""
    wang, company = demodata.demo_applicant()
    for field in fields:
        value = demodata.valid_value(field, wang, company)
        control = page.locator(f"#id_{field['name']}")
        if field["type"] == "select":
            control.select_option(value)
        elif field["type"] == "checkbox":
            control.check()
        else:
            control.fill(str(value))


def upload_materials(page, materials, tmp_path) -> None:
    for material in materials:
        path = tmp_path / f"{material.name[:40]}.pdf"
        path.write_bytes(demodata.MATERIAL_PDF)
        row = page.locator(".material-row", has_text=material.name)
        row.get_by_label(f"选择“{material.name}”的文件").set_input_files(str(path))
        row.get_by_role("button", name="上传").click()
        expect(page.locator(".material-row", has_text=material.name)).to_contain_text("已上传")


def fill_bundle(visitor, tmp_path):
    page = open_bundle_form(visitor)
    merged = services.merged_form(services.published_bundle(BUNDLE).published_version)
    fill_form(page, merged.fields)
    page.get_by_role("button", name="保存草稿").click()
    upload_materials(page, merged.materials, tmp_path)
    shot(page, "03-bundle-form")
    return page


def test_bundle_prereview_lists_every_defect_once(visitor):
    page = open_bundle_form(visitor)
    page.get_by_role("button", name="预审").click()
    defects = page.locator("#defects")
    expect(defects).to_contain_text("预审未通过")
    shot(page, "03-bundle-prereview")
    listed = defects.locator("li").all_inner_texts()
    assert len(listed) == len(set(listed)), listed  # a problem of both items is listed once
    for label in ("经营项目", "场所类别"):  # the items' two `category` fields, each asked
        expect(defects.locator("a", has_text=label)).to_have_count(1)


def test_citizen_applies_for_the_bundle_with_one_form(visitor, journey, tmp_path):
    page = fill_bundle(visitor, tmp_path)
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("button", name="确认提交").click()
    expect(page.locator("h1")).to_have_text("一件事：开办餐饮店")
    application = BundleApplication.objects.filter(
        applicant__citizen__mobile=WANG_FANG, submitted_at__isnull=False).latest("pk")
    journey.application = application
    cases = journey.cases()
    assert [c.status for c in cases] == [Status.RECEIVED, Status.RECEIVED]
    for case in cases:
        expect(page.locator("main")).to_contain_text(case.number)
    shot(page, "04-bundle-submitted")


def test_acceptor_accepts_both_cases_at_one_window(visitor, journey):
    journey.submitted()
    food = journey.cases()[0]
    page = staff(visitor, "scjg_acceptor", then="/workbench/")  # README: 工作台“待办”
    page.get_by_role("link", name="进入待办").click()
    expect(page.locator("main")).to_contain_text(food.number)
    shot(page, "05-acceptor-queue")
    page.get_by_role("link", name=food.number).click()
    page.get_by_role("button", name="一窗受理全部").click()
    expect(page.locator(".messages")).to_contain_text("受理")
    shot(page, "06-accepted")
    assert {c.status for c in journey.cases()} == {Status.ACCEPTED}
    # The acceptance notice (受理通知书) with the promised date reaches the applicant's page.
    wang = citizen(visitor, WANG_FANG, then=f"/cases/{food.pk}/")
    expect(wang.locator("tr", has_text="承诺办结日期")).to_contain_text("年")


def review_in(page, case, department_name: str) -> None:
    page.goto(f"/workbench/cases/{case.pk}/")
    form = page.locator("form.action", has_text=department_name)
    form.get_by_role("button", name="提交审查意见").click()
    expect(page.locator(".messages")).to_be_visible()


def test_two_departments_review_in_parallel(visitor, journey):
    journey.accepted()
    food, hygiene = journey.cases()
    market, health = staff(visitor, "scjg_examiner"), staff(visitor, "wjw_examiner")
    for page in (market, health):  # both see the food licence in their queue at the same time
        expect(page.locator("main")).to_contain_text(food.number)
    shot(market, "07-market-examiner-queue")
    shot(health, "07-health-examiner-queue")
    review_in(market, food, "食品安全审查")
    assert not food.tasks.filter(kind=TaskKind.DECIDE).exists()  # the health review is open
    review_in(health, food, "卫生条件审查")
    review_in(health, hygiene, "卫生健康委员会")
    shot(health, "08-reviewed")
    assert food.tasks.filter(kind=TaskKind.DECIDE).exists()


def decide_certify_deliver(page, case) -> None:
    page.goto(f"/workbench/cases/{case.pk}/")
    for button in ("作出决定", "制证", "送达"):
        page.get_by_role("button", name=button).click()
        expect(page.locator(".messages")).to_be_visible()


def test_deciders_decide_certify_and_deliver(visitor, journey):
    journey.reviewed()
    food, hygiene = journey.cases()
    market = staff(visitor, "scjg_decider")
    decide_certify_deliver(market, food)
    shot(market, "09-food-delivered")
    decide_certify_deliver(staff(visitor, "wjw_decider"), hygiene)
    assert {c.status for c in journey.cases()} == {Status.DELIVERED}


def test_citizen_sees_every_step_of_her_cases(visitor, journey):
    application = journey.delivered()
    page = citizen(visitor, WANG_FANG, then=f"/bundles/applications/{application.pk}/")
    expect(page.locator("main")).to_contain_text("已全部办结")
    for case in journey.cases():
        expect(page.locator("tr", has_text=case.version.name)).to_contain_text("送达")
    shot(page, "10-bundle-result")
    food = journey.cases()[0]
    page.goto(f"/cases/{food.pk}/")
    for step in ("提交", "受理", "审查", "决定", "制证", "送达"):
        expect(page.locator("main")).to_contain_text(step)


def delivered_food_case_page(visitor, journey):
    """王芳's page of the delivered 食品经营许可 case."""
    journey.delivered()
    return citizen(visitor, WANG_FANG, then=f"/cases/{journey.cases()[0].pk}/")


def test_citizen_opens_the_decision_and_sees_the_steps_in_order(visitor, journey):
    page = delivered_food_case_page(visitor, journey)
    steps = page.locator(".progress-steps li strong").all_inner_texts()
    assert steps.index("决定") > max(i for i, step in enumerate(steps) if "审查" in step), steps
    expect(page.get_by_role("link", name="决定书")).to_be_visible()
    expect(page.get_by_role("link", name="食品经营许可证")).to_be_visible()


def test_citizen_never_sees_staff_account_names(visitor, journey):
    page = delivered_food_case_page(visitor, journey)
    shown = page.locator("main").inner_text()
    assert not [name for name in (*EXAMINERS.values(), *DECIDERS.values(), "scjg_acceptor")
                if name in shown]


def test_citizen_gets_one_combined_result(visitor, journey):
    application = journey.delivered()
    page = citizen(visitor, WANG_FANG, then=f"/bundles/applications/{application.pk}/")
    cases = journey.cases()
    result = page.locator("section", has_text="办理结果")
    expect(result.locator("h2")).to_have_text("办理结果（已全部办结，已发送结果通知）")
    for case in cases:
        expect(result).to_contain_text(case.version.result_name)
    expect(result.get_by_role("link", name="准予行政许可决定书")).to_have_count(len(cases))
    notice = f"一件事“{application.version.name}”已全部办结"
    assert Message.objects.filter(user=application.applicant, subject=notice).count() == 1
    page.goto(f"/cases/{cases[-1].pk}/")  # the notice names every case
    expect(page.locator("main")).to_contain_text(notice)


def test_anyone_queries_progress_by_number_and_name(visitor, journey):
    journey.accepted()
    food = journey.cases()[0]
    page = visitor()
    page.goto("/progress/")
    page.get_by_label("办件编号").fill(food.number)
    page.get_by_label("申请人名称").fill(food.applicant_name)
    page.get_by_role("button", name="查询").click()
    result = page.locator("section", has_text="查询结果")
    expect(result).to_contain_text(food.version.name)
    expect(result.locator(".case-status")).not_to_be_empty()
    shot(page, "11-progress")
    page.get_by_label("申请人名称").fill("王某")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("未找到匹配的办件")
    page.get_by_label("申请人名称或证件号码").fill(food.applicant_id_number.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator("section", has_text="查询结果")).to_contain_text(food.version.name)
    expect(page.locator("main")).not_to_contain_text(food.applicant_id_number)


# --- one item, pre-filled ----------------------------------------------------------------------


def test_single_item_form_is_prefilled_from_the_account(visitor, tmp_path):
    zhang = Citizen.objects.get(mobile=ZHANG_WEI)
    page = citizen(visitor, ZHANG_WEI, then=ID_CARD_SEARCH)
    page.get_by_role("link", name="居民身份证换领").first.click()
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("button", name="开始填写申请").click()
    shot(page, "12-item-prefilled")
    expect(page.locator("#id_applicant_name")).to_have_value(zhang.name)
    expect(page.locator("#id_id_number")).to_have_value(zhang.id_number)
    expect(page.locator("#id_phone")).to_have_value(zhang.mobile)


def test_company_item_form_is_prefilled_from_the_company_account(visitor):
    _, company = demodata.demo_applicant()
    page = citizen(visitor, WANG_FANG, then=f"/search/?q={quote('食品经营许可')}")
    page.get_by_role("link", name="食品经营许可").first.click()
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_label("申请单位").select_option(label=f"{company.name}（法定代表人）")
    page.get_by_role("button", name="开始填写申请").click()
    shot(page, "12-company-item-prefilled")
    expect(page.locator("#id_company_name")).to_have_value(company.name)
    expect(page.locator("#id_uscc")).to_have_value(company.uscc)


def test_single_item_prereview_and_submission(visitor, tmp_path):
    page = citizen(visitor, ZHANG_WEI, then=ID_CARD_SEARCH)
    page.get_by_role("link", name="居民身份证换领").first.click()
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("button", name="开始填写申请").click()
    case = Case.objects.filter(applicant__citizen__mobile=ZHANG_WEI, status=Status.DRAFT).latest("pk")
    fill_form(page, case.version.form_definition)
    page.get_by_role("button", name="保存草稿").click()
    upload_materials(page, [m for m in case.version.materials.all()
                            if m.necessity == "required" and m.form != "paper"], tmp_path)
    page.get_by_role("button", name="预审").click()
    expect(page.locator("main")).to_contain_text("预审通过")
    shot(page, "13-item-prereview")
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("button", name="确认提交").click()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    expect(page.locator("main")).to_contain_text(case.number)


# --- each staff role lands on its tasks --------------------------------------------------------

CASE_ROLES = {Role.ACCEPTOR, Role.EXAMINER, Role.DECIDER, Role.CERTIFIER}
# One account per combination of case-handling roles the demo gives (受理, 审查, 决定+制证, …).
CASE_STAFF = sorted({account.roles: account.username for account in reversed(STAFF)
                   if CASE_ROLES & set(account.roles)}.values())


@pytest.mark.parametrize("username", CASE_STAFF)
def test_case_staff_land_on_their_tasks(visitor, username):
    page = staff(visitor, username, then="/workbench/")  # where staff land after logging in
    shot(page, f"14-landing-{username}")
    expect(page.locator("h1")).to_have_text("工作台")
    tasks = page.locator("main section").first
    expect(tasks.locator("h2")).to_have_text("办件待办")
    expect(tasks.get_by_role("link", name="进入待办")).to_be_visible()
    expect(page.get_by_role("heading", name="事项管理")).to_have_count(0)
    nav = page.locator("header nav, nav.site-nav").first
    expect(nav).not_to_contain_text("我的办件")
    expect(nav).not_to_contain_text("我的证照")
