"""一窗受理 in a real browser on the demo (``load_demo``, with the hall that part A's demo data
sets up: 长春市政务服务中心, window 1 综合受理 with ``zx_clerk`` on today's roster). A walk-in —
王芳, for her company — has her ID card read at window 1; the clerk takes in a 食品经营许可
application, fills in the form, scans the paper, runs 预审 and accepts it; the market and the
health departments' examiners then both find it in their queues (并联审查)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.demo_visits import fill_case_at_the_window
from tests.browser.staff import log_in
from tests.cases.factories import PDF
from yiwang.accounts.models import Citizen, Company
from yiwang.cases.models import Case, Channel, Status, TaskKind
from yiwang.demo.cases import form_value
from yiwang.demo.identities import COMPANY
from yiwang.demo.loader import DEMO_PASSWORD
from yiwang.hall.models import HallMember, HallRole, Window, WindowCase
from yiwang.hall.services import frontdesk, windows

pytestmark = pytest.mark.slow

HALL = "长春市政务服务中心"
DESK = "/workbench/hall/frontdesk/"


@pytest.fixture(autouse=True, scope="module")
def clerk_signs_out_at_the_end(demo_site):
    """The tests sign zx_clerk in to window 1; afterwards the window is free again for the hall
    tests after this module (the demo is committed, not rolled back)."""
    yield
    clerk = get_user_model().objects.get(username="zx_clerk")
    if windows.current_session(clerk) is not None:
        windows.sign_out(clerk)


def staff(visitor, username: str, then: str):
    page = visitor()
    log_in(page, username, then=then, password=DEMO_PASSWORD)
    return page


def test_the_comprehensive_window_accepts_a_food_licence_for_a_walk_in(visitor, tmp_path):
    clerk = get_user_model().objects.get(username="zx_clerk")
    window = Window.objects.get(hall__name=HALL, number="1")
    windows.sign_in(clerk, window)
    wang, firm = Citizen.objects.get(name=COMPANY[2]), Company.objects.get(uscc=COMPANY[1])

    page = staff(visitor, "zx_clerk", DESK)
    expect(page.locator("h1")).to_have_text("一窗受理")
    page.get_by_label("姓名", exact=True).fill(wang.name)
    page.get_by_label("居民身份证号", exact=True).fill(wang.id_number)
    page.get_by_role("button", name="读取身份证").click()
    expect(page.locator(".messages")).to_contain_text("已核验身份")
    expect(page.locator("main")).not_to_contain_text(wang.id_number)  # masked
    page.get_by_label("事项（本窗口受理的进驻事项）").select_option(
        label="食品经营许可 · 长春市市场监督管理局")
    page.get_by_label("申请单位").select_option(str(firm.pk))
    page.get_by_role("button", name="收件并填写申请").click()
    expect(page.locator("h1")).to_have_text("食品经营许可")

    case = Case.objects.filter(applicant=wang.user, channel=Channel.WINDOW).latest("pk")
    fill_case_at_the_window(page, case, {field["name"]: form_value(field, wang, firm)
                                         for field in case.version.form_definition}, tmp_path)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("button", name="受理", exact=True)).to_be_visible()
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("h1")).to_have_text("受理回执")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.company == firm
    expect(page.locator("main")).to_contain_text(case.number)
    assert list(WindowCase.objects.filter(case=case).order_by("pk").values_list(
        "action", "window")) == [("received", window.pk), ("accepted", window.pk)]

    departments = {t.department.name for t in case.tasks.filter(kind=TaskKind.REVIEW)}
    assert departments == {"长春市市场监督管理局", "长春市卫生健康委员会"}
    for examiner in ("scjg_examiner", "wjw_examiner"):
        queue = staff(visitor, examiner, "/workbench/cases/")
        expect(queue.locator("main")).to_contain_text(case.number)


def test_the_clerk_registers_a_proxy_authorisation_and_finds_an_online_case(visitor, tmp_path):
    clerk = get_user_model().objects.get(username="zx_clerk")
    window = Window.objects.get(hall__name=HALL, number="1")
    if windows.current_session(clerk) is None:
        windows.sign_in(clerk, window)
    zhang = Citizen.objects.get(name="张伟")
    page = staff(visitor, "zx_clerk", DESK + "proxies/")
    expect(page.locator("h1")).to_have_text("帮办代办授权")
    page.get_by_label("委托人居民身份证号").fill(zhang.id_number)
    member = HallMember.objects.get(hall__name=HALL, user=clerk, role=HallRole.CLERK)
    page.get_by_label("代办人").select_option(str(member.pk))
    page.get_by_label("授权代办的事项（可多选）").select_option(index=0)
    scan = tmp_path / "授权书.pdf"
    scan.write_bytes(PDF)
    page.get_by_label("签字的授权书扫描件").set_input_files(str(scan))
    page.get_by_role("button", name="登记授权").click()
    expect(page.locator(".messages")).to_contain_text("已登记张伟的帮办代办授权")
    row = page.locator("tr", has_text="张伟")
    expect(row).to_contain_text("有效")
    expect(row).not_to_contain_text(zhang.id_number)

    # 核验原件: 王芳's online food licence application is found by number and her ID.
    wang = Citizen.objects.get(name=COMPANY[2])
    online = Case.objects.filter(applicant=wang.user, channel=Channel.ONLINE,
                                 version__name="食品经营许可",
                                 item__hall_entries__hall=window.hall,
                                 status__in=frontdesk.ORIGINALS_STATUSES).first()
    page.goto(DESK + "originals/")
    page.get_by_label("办件编号").fill(online.number)
    page.get_by_label("申请人居民身份证号").fill(wang.id_number)
    page.get_by_role("button", name="查找").click()
    expect(page.locator("main")).to_contain_text(online.number)
    expect(page.locator("main")).to_contain_text(online.get_status_display())
