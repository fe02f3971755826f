"""Hall roles and window sign-in: rosters, one clerk per window, one window per clerk, halls
kept apart."""

import datetime as dt

import pytest
from django.db import connection

from yiwang.common.errors import Conflict, PermissionDenied
from yiwang.hall import access
from yiwang.hall.models import HallRole, WindowSession
from yiwang.hall.services import windows
from yiwang.orgs.models import RegionMembership, RegionRole
from yiwang.supervision.models import AuditRecord

from ..concurrency import in_threads
from ..factories import UserFactory
from .setup_world import MONDAY, at, build_world, roster

NOW = at(MONDAY, 9)


@pytest.fixture
def world(db):
    return build_world()


# --- access -------------------------------------------------------------------------------------


def test_hall_roles_are_per_hall(world):
    assert access.hall_roles(world.clerk, world.hall) == {HallRole.CLERK}
    assert access.hall_roles(world.clerk, world.other_hall) == set()
    assert list(access.halls_for(world.clerk)) == [world.hall]
    assert list(access.halls_for(world.clerk, HallRole.MANAGER)) == []


def test_a_region_admin_above_the_hall_counts_as_its_manager(world):
    admin = UserFactory(username="admin_changchun")
    RegionMembership.objects.create(user=admin, region=world.hall.region,
                                    role=RegionRole.REGION_ADMIN)
    access.require_hall_role(admin, world.hall, HallRole.MANAGER)
    assert list(access.halls_for(admin, HallRole.MANAGER)) == [world.hall]
    with pytest.raises(PermissionDenied) as caught:
        access.require_hall_role(admin, world.other_hall, HallRole.MANAGER)
    assert caught.value.code == "permission.hall_role_required"
    assert "吉林市政务服务中心的大厅管理员" in caught.value.message


def test_who_may_work_which_window(world):
    assert access.can_work_window(world.clerk, world.comprehensive)
    assert not access.can_work_window(world.clerk, world.specialised)
    assert access.can_work_window(world.acceptor, world.specialised)
    assert not access.can_work_window(world.acceptor, world.comprehensive)
    assert access.can_work_window(world.manager, world.specialised)
    assert not access.can_work_window(world.other_clerk, world.comprehensive)
    assert not access.can_work_window(world.clerk, world.other_window)
    assert [w.number for w in access.windows_for(world.acceptor, world.hall)] == ["4"]
    assert list(access.working_halls(world.acceptor)) == [world.hall]


# --- sign-in ------------------------------------------------------------------------------------


def test_signing_in_opens_the_window_and_is_audited(world):
    roster(world.comprehensive, world.clerk)
    session = windows.sign_in(world.clerk, world.comprehensive, now=NOW)
    assert session.window == world.comprehensive and session.ended_at is None
    assert windows.current_session(world.clerk, now=NOW) == session
    assert windows.require_signed_in(world.clerk, world.comprehensive, now=NOW) == session
    assert list(windows.open_windows(world.hall, now=NOW)) == [world.comprehensive]
    assert AuditRecord.objects.filter(kind="hall.window_signed_in").count() == 1
    # Again on the same window: the same session, nothing new.
    assert windows.sign_in(world.clerk, world.comprehensive, now=NOW) == session
    assert WindowSession.objects.count() == 1


def test_sign_in_without_a_shift_is_refused(world):
    roster(world.comprehensive, world.clerk, day=MONDAY - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied) as caught:
        windows.sign_in(world.clerk, world.comprehensive, now=NOW)
    assert caught.value.code == "hall.not_rostered"
    assert not WindowSession.objects.exists()


def test_a_second_clerk_on_a_taken_window_is_refused(world):
    roster(world.comprehensive, world.clerk)
    roster(world.comprehensive, world.clerk2)
    windows.sign_in(world.clerk, world.comprehensive, now=NOW)
    with pytest.raises(Conflict) as caught:
        windows.sign_in(world.clerk2, world.comprehensive, now=NOW)
    assert caught.value.code == "hall.window_taken"
    assert windows.current_session(world.clerk2, now=NOW) is None
    assert WindowSession.objects.filter(ended_at__isnull=True).count() == 1


def test_signing_in_at_a_second_window_ends_the_first(world):
    roster(world.comprehensive, world.clerk)
    roster(world.second, world.clerk)
    first = windows.sign_in(world.clerk, world.comprehensive, now=NOW)
    second = windows.sign_in(world.clerk, world.second, now=at(MONDAY, 10))
    first.refresh_from_db()
    assert first.ended_at == at(MONDAY, 10)
    assert windows.current_session(world.clerk, now=at(MONDAY, 10)) == second
    assert list(windows.open_windows(world.hall, now=at(MONDAY, 10))) == [world.second]
    with pytest.raises(PermissionDenied) as caught:
        windows.require_signed_in(world.clerk, world.comprehensive, now=at(MONDAY, 10))
    assert caught.value.code == "hall.not_signed_in"
    assert "您没有签入该窗口" in caught.value.message


def test_a_clerk_of_another_hall_cannot_sign_in_even_if_rostered(world):
    roster(world.comprehensive, world.other_clerk)
    with pytest.raises(PermissionDenied) as caught:
        windows.sign_in(world.other_clerk, world.comprehensive, now=NOW)
    assert caught.value.code == "hall.window_not_allowed"
    assert not WindowSession.objects.exists()


def test_a_department_acceptor_signs_in_at_its_specialised_window(world):
    roster(world.specialised, world.acceptor)
    windows.sign_in(world.acceptor, world.specialised, now=NOW)
    roster(world.specialised, world.clerk)
    with pytest.raises(PermissionDenied, match="不能在"):
        windows.sign_in(world.clerk, world.specialised, now=NOW)


def test_sign_out_closes_the_window(world):
    roster(world.comprehensive, world.clerk)
    windows.sign_in(world.clerk, world.comprehensive, now=NOW)
    ended = windows.sign_out(world.clerk, now=at(MONDAY, 11))
    assert ended.ended_at == at(MONDAY, 11)
    assert windows.current_session(world.clerk, now=at(MONDAY, 11)) is None
    assert not windows.open_windows(world.hall, now=at(MONDAY, 11)).exists()
    with pytest.raises(Conflict) as caught:
        windows.sign_out(world.clerk, now=at(MONDAY, 11))
    assert caught.value.code == "hall.not_signed_in"


def test_a_session_left_open_overnight_neither_counts_nor_blocks(world):
    tuesday = MONDAY + dt.timedelta(days=1)
    roster(world.comprehensive, world.clerk)
    roster(world.comprehensive, world.clerk2, day=tuesday)
    forgotten = windows.sign_in(world.clerk, world.comprehensive, now=at(MONDAY, 16))
    assert windows.current_session(world.clerk, now=at(tuesday, 9)) is None
    assert not windows.open_windows(world.hall, now=at(tuesday, 9)).exists()
    windows.sign_in(world.clerk2, world.comprehensive, now=at(tuesday, 9))
    forgotten.refresh_from_db()
    assert forgotten.ended_at == at(tuesday, 9)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_signing_in_at_once_get_one_window(world):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    roster(world.comprehensive, world.clerk)
    roster(world.comprehensive, world.clerk2)
    clerks = [world.clerk, world.clerk2]
    done, errors = in_threads(2, lambda i: windows.sign_in(clerks[i], world.comprehensive, now=NOW))
    assert len(done) == 1
    assert [e.code for e in errors] == ["hall.window_taken"]
    assert WindowSession.objects.filter(ended_at__isnull=True).count() == 1
