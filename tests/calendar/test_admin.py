"""The admin saves and deletes calendar days through the services."""

import datetime as dt

from yiwang.calendar.models import CalendarDay, DaySource, KnownYear
from yiwang.calendar.workdays import add_working_days, is_working_day


def test_administrator_adds_and_deletes_a_day_through_the_admin(client, regions, root):
    client.force_login(root)
    response = client.post("/admin/calendar/calendarday/add/", {
        "date": "2026-11-16", "region": regions["changchun"].pk, "kind": "holiday", "name": "本地假日",
        "note": "市政府通知"}, follow=True)
    assert response.status_code == 200
    day = CalendarDay.objects.get()
    assert (day.source, day.created_by, day.region) == (DaySource.MANUAL, root, regions["changchun"])
    assert not is_working_day(dt.date(2026, 11, 16), regions["chaoyang"])
    client.post(f"/admin/calendar/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert not CalendarDay.objects.exists()
    assert is_working_day(dt.date(2026, 11, 16), regions["chaoyang"])


def test_admin_shows_a_bad_kind_instead_of_saving(client, regions, root):
    client.force_login(root)
    response = client.post("/admin/calendar/calendarday/add/", {
        "date": "2026-11-16", "kind": "half", "name": ""})
    assert response.status_code == 200 and not CalendarDay.objects.exists()


def test_administrator_records_a_known_year_through_the_admin(client, regions, root):
    client.force_login(root)
    assert add_working_days(dt.date(2027, 6, 1), 3).provisional
    client.post("/admin/calendar/knownyear/add/", {"year": 2027, "note": "已逐日录入"})
    known = KnownYear.objects.get()
    assert (known.year, known.source, known.recorded_by) == (2027, DaySource.MANUAL, root)
    assert not add_working_days(dt.date(2027, 6, 1), 3).provisional
    assert client.get("/admin/calendar/knownyear/").status_code == 200
    assert client.get("/admin/calendar/calendarday/").status_code == 200


def test_a_region_admin_in_the_admin_is_held_to_their_region(client, regions, changchun_admin):
    from django.contrib.auth.models import Permission
    changchun_admin.is_staff = True
    changchun_admin.save()
    changchun_admin.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="calendar", codename__in=["add_calendarday", "view_calendarday"]))
    client.force_login(changchun_admin)
    refused = client.post("/admin/calendar/calendarday/add/", {
        "date": "2026-11-16", "region": regions["jilin_city"].pk, "kind": "holiday", "name": "越权"})
    assert "无权维护该地工作日历" in refused.content.decode()
    nationwide = client.post("/admin/calendar/calendarday/add/", {
        "date": "2026-11-16", "kind": "holiday", "name": "越权"})
    assert "只有系统管理员可以维护全国工作日历" in nationwide.content.decode()
    assert not CalendarDay.objects.exists()
    client.post("/admin/calendar/calendarday/add/", {
        "date": "2026-11-16", "region": regions["chaoyang"].pk, "kind": "holiday", "name": "区内假日"})
    assert CalendarDay.objects.get().region == regions["chaoyang"]
