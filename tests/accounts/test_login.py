"""One log-in page: citizens by ID or mobile number, staff by name plus a TOTP second factor;
lock-out after repeated failures, one session key per log-in, and log-out everywhere."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import PASSWORD, citizen
from tests.factories import staff
from yiwang.accounts.models import AuthEvent
from yiwang.common.identifiers import mask_id, mask_phone
from yiwang.orgs.models import Role

Kind = AuthEvent.Kind


def log_in(client, username, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def token_for(device) -> str:
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, drift=device.drift).token():06d}"


@pytest.fixture
def person(db):
    return citizen("张伟")


@pytest.fixture
def clerk(department):
    user = staff(department, Role.ACCEPTOR, username="clerk")
    return user, TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


def test_citizen_logs_in_with_id_or_mobile_number(client, person):
    for identifier in (person.id_number.lower(), person.mobile):
        response = log_in(client, identifier)
        assert response.status_code == 302 and response["Location"] == "/accounts/me/"
        assert "张伟" in client.get("/accounts/me/").content.decode()
        client.post("/accounts/logout/")


def test_next_is_followed_only_on_this_site(client, person):
    assert log_in(client, person.mobile, next="/topics/")["Location"] == "/topics/"
    client.post("/accounts/logout/")
    assert log_in(client, person.mobile, next="https://evil.example/")["Location"] == "/accounts/me/"


def test_wrong_password_is_refused_and_audited_masked(client, person):
    response = log_in(client, person.id_number, "wrong-password-1")
    assert response.status_code == 400 and "账号或密码不正确" in response.content.decode()
    event = AuthEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert event.identifier == person.id_number[:4] + "*" * 10 + person.id_number[-4:]
    assert event.ip == "127.0.0.1"


def test_five_failures_lock_the_account_even_for_the_right_password(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, person.mobile, "wrong-password-1")
    locked = log_in(client, person.mobile)
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    assert AuthEvent.objects.filter(kind=Kind.LOCKED_OUT).exists()
    assert client.get("/accounts/me/").status_code == 302  # not logged in


def test_failures_count_per_account_whichever_identifier_was_typed(client, person, settings):
    typed = [person.id_number, person.mobile, person.id_number.lower(), person.user.username]
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, typed[n % len(typed)], "wrong-password-1").status_code == 400
    assert log_in(client, typed[-1], "wrong-password-1").status_code == 429
    for identifier in (person.mobile, person.id_number):
        locked = log_in(client, identifier)
        assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
        assert "登录已锁定 15 分钟。" in locked.content.decode()
    assert client.get("/accounts/me/").status_code == 302
    event = AuthEvent.objects.filter(kind=Kind.LOCKED_OUT).first()
    assert event.identifier in {mask_phone(person.mobile), mask_id(person.id_number),
                                mask_id(person.id_number.lower()), person.user.username}


@pytest.mark.parametrize("username", ["archives_changchun", "13900000000"])
def test_a_user_name_shaped_like_an_id_or_mobile_number_still_logs_in(client, department, username):
    staff(department, Role.ACCEPTOR, username=username)
    response = log_in(client, username)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/otp/")


def test_a_staff_account_locks_by_user_name(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "clerk", "wrong-password-1")
    assert log_in(client, "clerk").status_code == 429


def test_the_lock_out_does_not_tell_whether_the_account_exists(client, person, settings):
    unknown = "13900009999"
    answers = {}
    for identifier in (person.mobile, unknown):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            log_in(client, identifier, "wrong-password-1")
        page = log_in(client, identifier, "wrong-password-2")
        ajax = client.post("/accounts/login/", {"username": identifier, "password": PASSWORD},
                           headers={"X-Requested-With": "XMLHttpRequest"})
        answers[identifier] = (page.status_code, page.content, ajax.status_code, set(ajax.json()))
        assert identifier not in ajax.content.decode()
    assert answers[person.mobile] == answers[unknown]
    assert answers[unknown][0] == 429


def test_lock_out_records_hold_no_identifier_and_another_address_is_not_locked(person, settings):
    here, elsewhere = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(here, person.id_number, "wrong-password-1")
    assert log_in(here, person.mobile).status_code == 429
    stored = " ".join(AccessAttempt.objects.values_list("username", flat=True))
    assert person.id_number not in stored and person.mobile not in stored
    assert log_in(elsewhere, person.mobile).status_code == 302


def test_login_gives_a_new_session_key(client, person):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    log_in(client, person.mobile)
    assert client.session.session_key != before


def test_staff_need_the_second_factor_before_any_staff_area(client, clerk):
    user, device = clerk
    response = log_in(client, "clerk")
    assert response["Location"] == "/accounts/login/otp/?next=%2Fworkbench%2F"
    assert client.get("/workbench/")["Location"] == "/accounts/login/otp/?next=%2Fworkbench%2F"
    api = client.get("/api/staff/catalog/items")
    assert api.status_code == 401 and api.json()["code"] == "auth.second_factor_required"
    assert client.get("/").status_code == 200  # the portal is fine with a password alone

    wrong = client.post("/accounts/login/otp/", {"token": "000000", "next": "/workbench/"})
    assert wrong.status_code == 400 and "动态口令不正确" in wrong.content.decode()
    assert AuthEvent.objects.filter(kind=Kind.SECOND_FACTOR_FAILED, user=user).count() == 1
    device.throttle_reset()  # django-otp slows retries after a failure
    ok = client.post("/accounts/login/otp/", {"token": token_for(device), "next": "/workbench/"})
    assert ok["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    assert AuthEvent.objects.filter(kind=Kind.SECOND_FACTOR_OK, user=user).exists()


def test_a_totp_token_is_accepted_once(clerk):
    _user, device = clerk
    first, second = Client(), Client()
    token = None
    for browser in (first, second):
        log_in(browser, "clerk")
        token = token or token_for(device)
        response = browser.post("/accounts/login/otp/", {"token": token, "next": "/workbench/"})
    assert first.get("/workbench/").status_code == 200
    assert response.status_code == 400  # the same token again, from another browser


def test_repeated_wrong_tokens_are_throttled(client, clerk):
    _user, device = clerk
    log_in(client, "clerk")
    client.post("/accounts/login/otp/", {"token": "000000"})
    throttled = client.post("/accounts/login/otp/", {"token": token_for(device)})
    assert throttled.status_code == 429 and "次数过多" in throttled.content.decode()


def test_staff_without_a_device_enrol_one(client, department):
    staff(department, Role.EXAMINER, username="newcomer")
    log_in(client, "newcomer")
    assert client.get("/accounts/login/otp/")["Location"].startswith("/accounts/otp/setup/")
    page = client.get("/accounts/otp/setup/").content.decode()
    assert 'src="data:image/svg+xml' in page and "data-secret" in page
    device = TOTPDevice.objects.get(user__username="newcomer", confirmed=False)
    assert client.post("/accounts/otp/setup/", {"token": "000000"}).status_code == 400
    device.throttle_reset()
    done = client.post("/accounts/otp/setup/", {"token": token_for(device), "next": "/workbench/"})
    assert done["Location"] == "/workbench/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/workbench/").status_code == 200


def test_logging_out_anywhere_ends_every_session(person):
    phone, laptop = Client(), Client()
    log_in(phone, person.mobile)
    log_in(laptop, person.id_number)
    assert laptop.get("/accounts/me/").status_code == 200
    phone.post("/accounts/logout/")
    assert laptop.get("/accounts/me/").status_code == 302
    event = AuthEvent.objects.get(kind=Kind.LOGOUT)
    assert event.detail == "结束全部 2 个会话"


def test_logout_needs_post(client, person):
    log_in(client, person.mobile)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/accounts/me/").status_code == 200


def test_admin_login_goes_through_the_one_login_page(client):
    assert client.get("/admin/login/")["Location"] == "/accounts/login/?next=/admin/"


def _menu(response) -> str:
    html = response.content.decode()
    return html[html.index('<nav class="top-nav"'):html.index("</nav>")]


def test_the_header_shows_staff_no_menu_before_the_second_factor_and_no_citizen_items(client,
                                                                                    clerk):
    _, device = clerk
    log_in(client, "clerk")
    pending = _menu(client.get("/accounts/login/otp/"))
    assert "退出" in pending
    assert not any(word in pending for word in ("工作台", "我的账户", "我的办件", "我的证照"))
    client.post("/accounts/login/otp/", {"token": token_for(device), "next": "/workbench/"})
    verified = _menu(client.get("/"))
    assert "工作台" in verified and "我的账户" in verified
    assert "我的办件" not in verified and "我的证照" not in verified


def test_a_citizen_header_has_the_citizen_items_and_no_workbench(client, person):
    client.force_login(person.user)
    menu = _menu(client.get("/"))
    assert "我的办件" in menu and "我的证照" in menu and "工作台" not in menu


def test_the_lock_out_records_keep_no_id_or_mobile_number(client, person):
    log_in(client, person.id_number.lower(), "wrong-password-1")
    log_in(client, person.mobile, "wrong-password-1")
    names = list(AccessAttempt.objects.values_list("username", flat=True))
    # one record for the account, whichever number was typed, under a key that is neither
    assert len(names) == 1 and len(names[0]) == 40
    assert person.id_number not in names[0].upper() and person.mobile not in names[0]
