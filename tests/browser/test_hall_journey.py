"""Issue 14's "Done when" in a real browser on the data ``manage.py load_demo`` creates, at
长春市政务服务中心 (README "政务大厅"): 王芳 books a slot online for 食品经营许可, takes a ticket at
the terminal with the booking code, the hall display shows the call within a second, the 综合窗口
clerk accepts the application at the window, both departments review it in their queues, the
market decider decides and certifies, the result is handed out at the 出件窗口 and 送达 is
recorded; and a walk-in elderly person is called before earlier arrivals.

One journey in steps, one test each, as in test_demo_walkthroughs.py: a step takes the journey
from the previous one or brings it there through the services, so each step shows on its own
whether it works. The hall parts' services are imported where they are used: this module is
written against the interfaces of issue 14's contract (docs/hall.md) and is collected with the
rest of the suite even where a part is missing. The hall is open all day for these tests, today
made a working day (``hall_open_today`` in conftest), so they pass whatever the date and hour."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import demodata
from tests.browser.demo_visits import citizen, fill_case_at_the_window, staff, user
from yiwang.cases import services as cases
from yiwang.cases.models import Case, DeliveryMethod, Status, TaskKind
from yiwang.demo.identities import id_number
from yiwang.hall.models import (
    OPEN_TICKET_STATUSES,
    Appointment,
    AppointmentStatus,
    HallItem,
    PickupStatus,
    Queue,
    ResultPickup,
    Ticket,
    TicketStatus,
    Window,
    WindowCase,
)

pytestmark = pytest.mark.slow

HALL = "长春市政务服务中心"
ITEM = "食品经营许可"
WANG_FANG = "13904310002"
ELDERLY_ID = id_number("220100", dt.date(1950, 3, 1), 7)
YOUNGER_IDS = [id_number("220100", dt.date(1990, 5, n), n) for n in (1, 2)]



def sign_in_to_window(page, number: str) -> None:
    """Part A's 签入窗口 control on the hall home page: one button per window rostered today."""
    page.goto("/workbench/hall/")
    signed_in = page.locator("main").get_by_text(f"您已签入 {HALL} {number}号窗口")
    if not signed_in.count():
        page.get_by_role("button", name=f"签入{number}号窗口").click()
    expect(signed_in).to_be_visible()


def on_today(booking: Appointment) -> Appointment:
    """In the last half hour of a day no slot of today is left, so the booking goes to the next
    bookable day; it is moved to today, as if that day had come, for check-in takes only
    today's bookings."""
    today = timezone.localdate()
    if booking.date != today:
        Appointment.objects.filter(pk=booking.pk).update(date=today)
        booking.refresh_from_db()
    return booking


class Journey:
    """王芳's food licence from booking to hand-over; each ``…ed()`` returns the journey's object
    at that step, doing through the services what the browser step did not."""

    def __init__(self, hall):
        self.hall = hall
        self.hall_item = HallItem.objects.select_related("item").get(
            hall=hall, item__published_version__name=ITEM)
        self.wang, self.company = demodata.demo_applicant()

    def booked(self) -> Appointment:
        booking = (Appointment.objects.filter(user=self.wang.user, hall_item=self.hall_item)
                   .order_by("-pk").first())
        if booking is None:
            from yiwang.hall.services import appointments

            day = appointments.bookable_days(self.hall)[0]
            slot = next(s for s in appointments.slots(self.hall_item, day) if s.free)
            booking = appointments.book(self.wang.user, self.hall_item, day, slot.start,
                                        channel="pc", company=self.company)
        return on_today(booking)

    def ticket(self) -> Ticket:
        booking = self.booked()
        found = Ticket.objects.filter(appointment=booking).order_by("-pk").first()
        if found is None:
            from yiwang.hall.services import appointments

            found = appointments.check_in(booking.code, hall=self.hall, channel="terminal")
        return found

    def case(self) -> Case | None:
        taken_in = (WindowCase.objects.filter(hall=self.hall, case__item=self.hall_item.item,
                                              case__applicant=self.wang.user)
                    .select_related("case").order_by("-at").first())
        return taken_in.case if taken_in else None

    def accepted(self) -> Case:
        case = self.case()
        if case is None:
            from yiwang.hall.services import frontdesk, windows

            clerk = user("zx_clerk")
            window = Window.objects.get(hall=self.hall, number="1")
            windows.sign_in(clerk, window)
            case = frontdesk.start_window_application(clerk, window, self.wang, self.hall_item,
                                                      ticket=self.ticket(), company=self.company)
            definition = case.version.form_definition
            cases.save_draft(case, clerk, demodata.valid_form_data(definition, self.wang,
                                                                   self.company))
            for material in case.version.materials.all():
                cases.attach_file(case, clerk, material.pk, demodata.material_file(material.name))
            case = frontdesk.accept_at_window(clerk, window, case)
        case.refresh_from_db()
        return case

    def certified(self) -> Case:
        return demodata.certified(self.accepted())


@pytest.fixture(scope="module")
def journey(hall_open_today):
    """The journey; afterwards its clerks sign out and its tickets still in the queue are
    cancelled, so that the committed demo is as it was for the hall tests after this module."""
    from yiwang.hall.services import windows

    last_ticket = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield Journey(hall_open_today)
    for username in ("zx_clerk", "zx_clerk2", "zx_pickup"):
        if windows.current_session(user(username)) is not None:
            windows.sign_out(user(username))
    Ticket.objects.filter(pk__gt=last_ticket, status__in=OPEN_TICKET_STATUSES).update(
        status=TicketStatus.CANCELLED)


def test_citizen_books_a_slot_online(visitor, journey):
    page = citizen(visitor, WANG_FANG, then=f"/items/{journey.hall_item.item.handling_code}/")
    page.get_by_role("link", name="预约办理").click()
    page.get_by_role("link", name=HALL).click()
    # The first day offered: today, but for the last half hour of a day (see on_today).
    day = page.locator(".booking-days a").first
    chosen = day.inner_text()
    day.click()
    page.locator(".booking-slot:not(.is-full)").first.click()
    page.get_by_role("button", name="下一步：确认预约").click()
    page.get_by_role("button", name="确认预约").click()
    booking = Appointment.objects.get(user=journey.wang.user, hall_item=journey.hall_item,
                                      status=AppointmentStatus.BOOKED)
    assert f"{booking.date.month}月{booking.date.day}日" in chosen
    expect(page.locator("[data-code]")).to_have_text(booking.code)
    expect(page.locator(".appointment-qr svg")).to_be_visible()
    page.goto("/appointments/")  # 我的预约
    expect(page.locator(".appointment-row").filter(has_text=booking.code)).to_contain_text(ITEM)


def test_ticket_at_the_terminal_with_the_booking_code(visitor, journey):
    from yiwang.hall.services import terminals

    booking = journey.booked()
    terminal, secret = terminals.register_terminal(
        user("zx_manager"), name="一楼大厅取号机", hall=journey.hall, location="一楼大厅入口")
    kiosk = visitor()
    kiosk.goto("/kiosk/")
    kiosk.get_by_label("终端编号").fill(terminal.code)
    kiosk.get_by_label("终端密钥").fill(secret)
    kiosk.get_by_role("button", name="启用").click()
    kiosk.get_by_role("link", name="预约签到").click()
    pad = kiosk.get_by_role("group", name="屏幕键盘")  # no keyboard at a kiosk
    for key in booking.code:
        pad.locator(f'[data-pad-key="{key}"]').click()
    kiosk.get_by_role("button", name="签到取号").click()
    ticket = Ticket.objects.get(appointment=booking)
    expect(kiosk.locator("#slip-number")).to_have_text(ticket.number)
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.CHECKED_IN and ticket.terminal == terminal


def test_the_display_shows_the_call_within_a_second(visitor, journey):
    ticket = journey.ticket()
    display = visitor()
    display.goto(f"/hall/{journey.hall.pk}/display/")
    expect(display.locator("h1")).to_contain_text(HALL)
    clerk = staff(visitor, "zx_clerk", then="/workbench/hall/")
    sign_in_to_window(clerk, "1")
    clerk.goto("/workbench/hall/calling/")
    clerk.get_by_role("button", name="叫下一位").click()
    expect(clerk.locator("main")).to_contain_text(ticket.number)
    # Pushed by the server: the display page is not reloaded.
    expect(display.locator("main")).to_contain_text(ticket.number, timeout=1_000)
    ticket.refresh_from_db()
    assert ticket.status == "called" and ticket.window.number == "1"


def test_the_clerk_accepts_the_two_department_item_at_the_window(visitor, journey, tmp_path):
    ticket = journey.ticket()
    clerk = staff(visitor, "zx_clerk", then="/workbench/hall/calling/")
    if not Ticket.objects.filter(pk=ticket.pk, status__in=["called", "serving"]).exists():
        sign_in_to_window(clerk, "1")
        clerk.goto("/workbench/hall/calling/")
        clerk.get_by_role("button", name="叫下一位").click()
    clerk.goto("/workbench/hall/calling/")
    clerk.get_by_role("button", name="开始办理").click()
    clerk.get_by_role("link", name="一窗受理").click()
    expect(clerk.locator("main")).to_contain_text(ticket.number)
    # The simulated card reader (development): the card's name and number, as the reader gives.
    clerk.get_by_label("姓名", exact=True).fill(journey.wang.name)
    clerk.get_by_label("居民身份证号", exact=True).fill(journey.wang.id_number)
    clerk.get_by_role("button", name="读取身份证").click()
    expect(clerk.locator("[data-person]")).to_contain_text(journey.wang.name)
    clerk.get_by_label("事项（本窗口受理的进驻事项）").select_option(str(journey.hall_item.pk))
    clerk.get_by_label("申请单位").select_option(str(journey.company.pk))
    clerk.get_by_label("结果送达方式").select_option(DeliveryMethod.WINDOW)
    clerk.get_by_role("button", name="收件并填写申请").click()
    expect(clerk.locator("h1")).to_have_text(ITEM)
    case = journey.case()
    assert case is not None and case.channel == "window"
    fill_case_at_the_window(clerk, case, demodata.valid_form_data(
        case.version.form_definition, journey.wang, journey.company), tmp_path)
    clerk.get_by_role("button", name="受理", exact=True).click()
    expect(clerk.locator("h1")).to_have_text("受理回执")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.delivery_method == DeliveryMethod.WINDOW
    assert WindowCase.objects.filter(case=case, action=WindowCase.Action.ACCEPTED,
                                     window__number="1").exists()
    departments = set(case.tasks.filter(kind=TaskKind.REVIEW).values_list("department__name",
                                                                          flat=True))
    assert len(departments) == 2  # market and health review in parallel


def test_both_departments_review_and_the_market_decides_and_certifies(visitor, journey):
    case = journey.accepted()
    market, health = staff(visitor, "scjg_examiner", "/workbench/cases/"), staff(
        visitor, "wjw_examiner", "/workbench/cases/")
    for page in (market, health):  # both see it in their queue at the same time
        expect(page.locator("main")).to_contain_text(case.number)
    for page, name in ((market, "食品安全审查"), (health, "卫生条件审查")):
        page.goto(f"/workbench/cases/{case.pk}/")
        page.locator("form.action", has_text=name).get_by_role("button", name="提交审查意见").click()
        expect(page.locator(".messages")).to_be_visible()
    decider = staff(visitor, "scjg_decider", "/workbench/cases/")
    decider.goto(f"/workbench/cases/{case.pk}/")
    for button in ("作出决定", "制证"):
        decider.get_by_role("button", name=button).click()
        expect(decider.locator(".messages")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Status.CERTIFIED
    pickup = ResultPickup.objects.get(case=case)
    assert pickup.hall == journey.hall and pickup.status == PickupStatus.READY
    wang = citizen(visitor, WANG_FANG, then=f"/cases/{case.pk}/")
    expect(wang.locator("main")).to_contain_text(f"待领取：取件码 {pickup.code}，地点 {HALL}8号出件窗口")


def test_the_result_is_handed_out_at_the_pickup_window(visitor, journey):
    case = journey.certified()
    pickup = ResultPickup.objects.get(case=case)
    page = staff(visitor, "zx_pickup", then="/workbench/hall/")
    sign_in_to_window(page, "8")
    page.goto("/workbench/hall/pickup/")
    page.get_by_label("取件码").fill(pickup.code)
    page.get_by_role("button", name="查找").click()
    page.locator(".pickup-found").get_by_role("link", name="出件").click()
    page.get_by_label("核对身份证").check()
    page.get_by_label("申请人身份证号（核对证件原件）").fill(journey.wang.id_number)
    page.get_by_label("领取人姓名").fill(journey.wang.name)
    page.get_by_role("button", name="确认交付并记录送达").click()
    expect(page.locator(".messages")).to_contain_text("送达已记录")
    case.refresh_from_db()
    pickup.refresh_from_db()
    assert case.status == Status.DELIVERED
    assert pickup.status == PickupStatus.COLLECTED and pickup.handed_by == user("zx_pickup")
    assert case.events.get(action="deliver").data == {"method": "窗口领取"}
    wang = citizen(visitor, WANG_FANG, then=f"/cases/{case.pk}/")
    expect(wang.locator(".case-status")).to_have_text("已送达")


def test_a_walk_in_elderly_person_is_called_before_earlier_arrivals(visitor, journey):
    from yiwang.hall.services import tickets

    queue = Queue.objects.get(hall=journey.hall, code="B")
    for number in YOUNGER_IDS:
        tickets.take_ticket(journey.hall, channel="terminal", queue=queue, id_number=number,
                            name="早到的人")
    elderly = tickets.take_ticket(journey.hall, channel="terminal", queue=queue,
                                  id_number=ELDERLY_ID, name="李大爷")
    assert elderly.priority_group == "elderly"
    page = staff(visitor, "zx_clerk2", then="/workbench/hall/")
    sign_in_to_window(page, "2")
    page.goto("/workbench/hall/calling/")
    page.get_by_role("button", name="叫下一位").click()
    expect(page.locator("main")).to_contain_text(elderly.number)
    elderly.refresh_from_db()
    assert elderly.status == "called"
    assert Ticket.objects.filter(queue=queue, status="waiting", date=elderly.date).count() == 2
