"""The 出件窗口 page and the hall figures in a real browser on the demo data (``demo_site``):
张伟's 无犯罪记录证明 chosen 窗口领取 is certified, waits at 长春市政务服务中心, and zx_pickup,
signed in to window 8, finds it by the pick-up code and hands it over; zx_manager opens the
figures with their bars."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import demodata
from tests.browser.demo_visits import user
from tests.browser.staff import log_in
from yiwang.accounts.models import Citizen
from yiwang.cases import services as cases
from yiwang.cases.models import CaseTask, DeliveryMethod, Status, TaskKind
from yiwang.catalog.models import ServiceItem
from yiwang.demo.loader import DEMO_PASSWORD
from yiwang.hall.models import PickupStatus, ResultPickup, Window, WindowKind, WindowSession

pytestmark = pytest.mark.slow

HALL = "长春市政务服务中心"
ZHANG_WEI = "13904310001"
ITEM = "无犯罪记录证明开具"



def certified_window_case():
    """张伟's case brought to 制证 through the services, with 窗口领取 chosen."""
    zhang = Citizen.objects.get(mobile=ZHANG_WEI)
    item = ServiceItem.objects.filter(published_version__name=ITEM, hall_entries__hall__name=HALL).first()
    case = cases.start_application(zhang.user, item)
    cases.save_draft(case, zhang.user,
                     demodata.valid_form_data(case.version.form_definition, zhang, None))
    for material in case.version.materials.all():
        cases.attach_file(case, zhang.user, material.pk, demodata.material_file(material.name))
    case = cases.submit(case, zhang.user)
    case.delivery_method = DeliveryMethod.WINDOW
    case.save(update_fields=["delivery_method"])
    cases.accept(case, user("gaj_acceptor"))
    for task in CaseTask.objects.filter(case=case, kind=TaskKind.REVIEW):
        cases.complete_review(task, user("gaj_examiner"), approve=True)
    cases.decide(case, user("gaj_decider"), outcome="approved")
    return zhang, cases.certify(case, user("gaj_decider"))


def test_pickup_clerk_hands_a_result_over(visitor):
    zhang, case = certified_window_case()
    pickup = ResultPickup.objects.get(case=case)
    counter = Window.objects.get(hall__name=HALL, kind=WindowKind.PICKUP, number="8")
    clerk = user("zx_pickup")
    WindowSession.objects.filter(user=clerk, ended_at__isnull=True).update(ended_at=timezone.now())
    WindowSession.objects.create(window=counter, user=clerk, started_at=timezone.now())
    page = visitor()
    log_in(page, "zx_pickup", then="/workbench/hall/pickup/", password=DEMO_PASSWORD)
    waiting = page.locator("table", has_text=case.number)
    expect(waiting).to_contain_text("张*")
    expect(waiting).not_to_contain_text(pickup.code)
    page.get_by_label("取件码").fill(pickup.code)
    page.get_by_role("button", name="查找").click()
    page.locator(".pickup-found").get_by_role("link", name="出件").click()
    page.get_by_label("核对取件码").check()
    page.get_by_label("取件码（领取人出示）").fill("000000" if pickup.code != "000000" else "1")
    page.get_by_label("领取人姓名").fill(zhang.name)
    page.get_by_role("button", name="确认交付并记录送达").click()
    expect(page.locator(".error-summary")).to_contain_text("取件码不正确")
    page.get_by_label("取件码（领取人出示）").fill(pickup.code)
    page.get_by_role("button", name="确认交付并记录送达").click()
    expect(page.locator(".messages")).to_contain_text("送达已记录")
    pickup.refresh_from_db()
    case.refresh_from_db()
    assert pickup.status == PickupStatus.COLLECTED and case.status == Status.DELIVERED


def test_hall_manager_sees_the_figures(visitor):
    page = visitor()
    log_in(page, "zx_manager", then="/workbench/hall/figures/", password=DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text("大厅运行指标")
    expect(page.locator(".page-head")).to_contain_text(HALL)
    expect(page.locator("svg.hall-bars").first).to_be_visible()
    page.get_by_label("统计维度").select_option("window")
    page.get_by_role("button", name="统计").click()
    expect(page.locator(".page-head")).to_contain_text("按窗口")
