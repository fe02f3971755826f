"""The demo's 长春市政务服务中心 as the hall parts build on it: queues, windows, stationed items,
the roster for today and the coming weeks, and staff who can sign in at once."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from yiwang.hall import access
from yiwang.hall.models import HallItem, HallRole, Shift, WindowKind
from yiwang.hall.services import windows
from yiwang.orgs.models import ServiceHall


def test_the_city_hall_has_its_queues_windows_and_items(demo):
    hall = ServiceHall.objects.get(name="长春市政务服务中心")
    assert hall.remote_queueing
    assert {q.code: q.window_kind for q in hall.queues.all()} == {
        "A": WindowKind.COMPREHENSIVE, "B": WindowKind.COMPREHENSIVE,
        "C": WindowKind.SPECIALISED, "Q": WindowKind.PICKUP, "Z": WindowKind.CONSULT}
    served = {w.number: sorted(q.code for q in w.queues.all()) for w in hall.windows.all()}
    assert served == {"1": ["A", "B"], "2": ["A", "B"], "3": ["A", "B"], "4": ["C"],
                      "8": ["Q"], "9": ["Z"]}
    entries = HallItem.objects.filter(hall=hall).select_related("item__published_version",
                                                                "item__department", "queue")
    by_name = {e.item.published_version.name: e.queue.code for e in entries}
    assert by_name["食品经营许可"] == by_name["公共场所卫生许可"] == "A"
    assert {e.queue.code for e in entries if e.item.department.name == "长春市公安局"} == {"C"}
    assert all(e.item.published_version_id for e in entries)


def test_the_hall_staff_are_rostered_for_three_weeks_and_can_sign_in(demo):
    users = get_user_model().objects
    today = timezone.localdate()
    clerk = users.get(username="zx_clerk")
    days = set(Shift.objects.filter(user=clerk, window__number="1").values_list("date", flat=True))
    assert {today, today + dt.timedelta(days=20)} <= days
    hall = ServiceHall.objects.get(name="长春市政务服务中心")
    assert access.hall_roles(users.get(username="zx_manager"), hall) == {HallRole.MANAGER}
    acceptor = users.get(username="gaj_acceptor")
    assert [w.number for w in access.windows_for(acceptor, hall)] == ["4"]
    session = windows.sign_in(acceptor, hall.windows.get(number="4"))
    assert windows.open_windows(hall).get() == session.window
    windows.sign_out(acceptor)
    town = ServiceHall.objects.get(name="前进街道便民服务中心")
    assert access.hall_roles(users.get(username="dbry_qianjin"), town) == {HallRole.PROXY}
