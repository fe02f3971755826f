"""Importing a year's arrangement, correcting a day, and who may do it."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.calendar.conftest import TABLE_2027
from tests.factories import UserFactory
from yiwang.calendar import services
from yiwang.calendar.models import CalendarDay, DayKind, DaySource, KnownYear
from yiwang.calendar.signals import calendar_changed
from yiwang.calendar.workdays import add_working_days, is_working_day
from yiwang.common.errors import PermissionDenied, ValidationError
from yiwang.orgs.models import RegionRole
from yiwang.orgs.services import grant_region_role

D = dt.date


def test_import_writes_the_days_and_records_the_year(regions, root):
    change = services.import_arrangement(TABLE_2027, actor=root, note="测试用表")
    assert change.years == {2027} and change.known_years == (2027,)
    assert len(change.created) == 5 and change.region_path == ""
    day = CalendarDay.objects.get(date=D(2027, 1, 9))
    assert (day.kind, day.name, day.source, day.region, day.created_by) == (
        DayKind.WORKDAY, "元旦", DaySource.IMPORTED, None, root)
    known = KnownYear.objects.get()
    assert (known.year, known.region, known.note) == (2027, None, "测试用表")


BAD_TABLE = """date,kind,name
2027-01-01,holiday,元旦
2027-02-30,holiday,春节
2027-02-10,休假,春节
2027-01-01,holiday,元旦
2027-02-08,workday,春节
2028-01-01,holiday,元旦
,holiday,
"""


def test_a_table_with_bad_rows_writes_nothing_and_lists_every_error_with_its_line(regions, root):
    with pytest.raises(ValidationError) as exc:
        services.import_arrangement(BAD_TABLE, actor=root)
    assert exc.value.code == "calendar.import_invalid"
    assert "6处错误" in exc.value.message and "未导入任何数据" in exc.value.message
    lines = {e["line"]: e["reason"] for e in exc.value.details}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8]
    assert "“2027-02-30”无法识别" in lines[3]
    assert "类型“休假”无效" in lines[4]
    assert "与第2行重复" in lines[5]
    assert "调休上班日应为星期六或星期日" in lines[6]
    assert "不在2027年" in lines[7]
    assert lines[8] == "缺少日期"
    assert not CalendarDay.objects.exists() and not KnownYear.objects.exists()


def test_a_row_can_have_several_errors_and_each_is_listed(regions, root):
    with pytest.raises(ValidationError) as exc:
        services.import_arrangement("2027-13-01,上课," + "长" * 65, actor=root)
    reasons = [e["reason"] for e in exc.value.details]
    assert len(reasons) == 3 and all(e["line"] == 1 for e in exc.value.details)


def test_an_empty_table_is_refused(regions, root):
    with pytest.raises(ValidationError) as exc:
        services.import_arrangement("date,kind,name\n# 尚未公布\n", actor=root)
    assert exc.value.code == "calendar.import_empty"


def test_a_gb18030_table_with_chinese_headers_and_dates_is_read(regions, root):
    table = "日期,类型,名称,备注\n2027年10月1日,法定节假日,国庆节,国办发明电\n2027/10/9,班,国庆节,\n"
    change = services.import_arrangement(table.encode("gb18030"), actor=root)
    assert set(change.created) == {D(2027, 10, 1), D(2027, 10, 9)}
    assert CalendarDay.objects.get(date=D(2027, 10, 1)).note == "国办发明电"


def test_a_table_for_another_year_than_asked_is_refused(regions, root):
    with pytest.raises(ValidationError) as exc:
        services.import_arrangement(TABLE_2027, actor=root, year=2028)
    assert len(exc.value.details) == 5


def test_reimporting_replaces_the_previous_table_and_keeps_manual_corrections(regions, root):
    services.import_arrangement(TABLE_2027, actor=root)
    services.set_day(actor=root, date=D(2027, 3, 1), kind=DayKind.HOLIDAY, name="更正")
    services.set_day(actor=root, date=D(2027, 2, 8), kind=DayKind.HOLIDAY, name="人工")
    corrected = TABLE_2027.replace("2027-02-09,holiday,春节\n", "").replace(
        "2027-01-04,holiday,元旦", "2027-01-04,holiday,元旦节")
    change = services.import_arrangement(corrected, actor=root)
    assert change.removed == (D(2027, 2, 9),)
    assert set(change.updated) == {D(2027, 1, 4), D(2027, 2, 8)}
    assert change.created == () and change.known_years == ()
    assert CalendarDay.objects.get(date=D(2027, 3, 1)).source == DaySource.MANUAL
    assert CalendarDay.objects.get(date=D(2027, 2, 8)).source == DaySource.IMPORTED
    assert is_working_day(D(2027, 2, 9))


def test_set_day_adds_then_corrects_and_remove_day_restores(regions, root):
    created = services.set_day(actor=root, date=D(2026, 11, 16), kind="holiday", name="  测试 ")
    assert created.created == (D(2026, 11, 16),)
    assert not is_working_day(D(2026, 11, 16))
    same = services.set_day(actor=root, date=D(2026, 11, 16), kind=DayKind.HOLIDAY, name="测试")
    assert not same.changed
    corrected = services.set_day(actor=root, date=D(2026, 11, 16), kind="调休上班日")
    assert corrected.updated == (D(2026, 11, 16),)
    assert is_working_day(D(2026, 11, 16))
    # Cancelling the package's 10/10 make-up day, then taking the correction back.
    services.set_day(actor=root, date=D(2026, 10, 10), kind=DayKind.HOLIDAY, name="国庆节")
    assert not is_working_day(D(2026, 10, 10))
    removed = services.remove_day(actor=root, day=CalendarDay.objects.get(date=D(2026, 10, 10)))
    assert removed.removed == (D(2026, 10, 10),)
    assert is_working_day(D(2026, 10, 10))


def test_set_day_refuses_an_unknown_kind(regions, root):
    with pytest.raises(ValidationError) as exc:
        services.set_day(actor=root, date=D(2026, 11, 16), kind="half-day")
    assert exc.value.code == "calendar.kind_invalid"


def test_changes_are_announced_after_commit_with_years_and_region(regions, root,
                                                                  django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, change, years, region_path, **kwargs):
        seen.append((years, region_path, change.dates))

    calendar_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.set_day(actor=root, date=D(2026, 11, 16), kind=DayKind.HOLIDAY,
                             region=regions["changchun"])
            assert seen == []  # nothing before commit
        with django_capture_on_commit_callbacks(execute=True):
            services.import_arrangement(TABLE_2027, actor=root)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.set_day(actor=root, date=D(2026, 11, 16), kind=DayKind.HOLIDAY,
                             region=regions["changchun"])
        assert callbacks == []  # no change, no announcement
    finally:
        calendar_changed.disconnect(listener)
    assert seen[0] == ({2026}, "220000/220100/", (D(2026, 11, 16),))
    assert seen[1][:2] == ({2027}, "")
    assert len(seen) == 2


def test_mark_year_known_settles_a_year_entered_by_hand(regions, root):
    assert add_working_days(D(2027, 6, 1), 5).provisional
    change = services.mark_year_known(actor=root, year=2027)
    assert change.known_years == (2027,)
    assert not add_working_days(D(2027, 6, 1), 5).provisional
    services.forget_year(actor=root, known=KnownYear.objects.get())
    assert add_working_days(D(2027, 6, 1), 5).provisional
    with pytest.raises(ValidationError):
        services.mark_year_known(actor=root, year=1066)


# --- permission --------------------------------------------------------------------------------


def test_a_region_admin_changes_their_region_and_below_only(regions, changchun_admin):
    services.set_day(actor=changchun_admin, date=D(2026, 11, 16), kind=DayKind.HOLIDAY,
                     region=regions["changchun"])
    services.import_arrangement(TABLE_2027, actor=changchun_admin, region=regions["chaoyang"])
    for region in (None, regions["jilin"], regions["jilin_city"], regions["liaoning"]):
        with pytest.raises(PermissionDenied) as exc:
            services.set_day(actor=changchun_admin, date=D(2026, 11, 17), kind=DayKind.HOLIDAY,
                             region=region)
        assert exc.value.code == "calendar.permission_denied"
        with pytest.raises(PermissionDenied):
            services.import_arrangement(TABLE_2027, actor=changchun_admin, region=region)
    day = CalendarDay.objects.get(region=regions["changchun"])
    services.set_day(actor=UserFactory(is_superuser=True), date=D(2026, 11, 18), kind=DayKind.HOLIDAY,
                     region=regions["jilin"])
    with pytest.raises(PermissionDenied):
        services.remove_day(actor=changchun_admin, day=CalendarDay.objects.get(region=regions["jilin"]))
    services.remove_day(actor=changchun_admin, day=day)
    assert CalendarDay.objects.filter(region=regions["changchun"]).count() == 0


def test_only_the_system_administrator_changes_the_nationwide_calendar(regions, changchun_admin):
    with pytest.raises(PermissionDenied) as exc:
        services.import_arrangement(TABLE_2027, actor=changchun_admin)
    assert "系统管理员" in exc.value.message
    with pytest.raises(PermissionDenied):
        services.mark_year_known(actor=changchun_admin, year=2027)


@pytest.mark.parametrize("who", ["anonymous", "nobody", "supervisor", "inactive_root"])
def test_users_without_the_role_are_refused_and_nothing_is_written(regions, who):
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "inactive_root":
        user = UserFactory(username="old_root", is_superuser=True, is_active=False)
    else:
        user = UserFactory(username=who)
        if who == "supervisor":
            grant_region_role(user, regions["jilin"], RegionRole.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.set_day(actor=user, date=D(2026, 11, 16), kind=DayKind.HOLIDAY, region=regions["chaoyang"])
    with pytest.raises(PermissionDenied):
        services.import_arrangement(TABLE_2027, actor=user, region=regions["chaoyang"])
    assert not CalendarDay.objects.exists() and not KnownYear.objects.exists()


def test_a_permission_refusal_comes_before_the_table_is_read(regions, changchun_admin):
    with pytest.raises(PermissionDenied):
        services.import_arrangement(BAD_TABLE, actor=changchun_admin)
