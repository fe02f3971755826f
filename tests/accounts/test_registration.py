"""自然人注册 and SMS codes: the registry decides the level, and every bad input is refused with its
own code and nothing written."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import ric

from tests.accounts.factories import citizen, make_id_number, population
from yiwang.accounts import codes, services
from yiwang.accounts.models import AssuranceLevel, AuthEvent, Citizen, VerificationCode
from yiwang.common.errors import Conflict, TooManyRequests, ValidationError
from yiwang.common.identifiers import mask_phone
from yiwang.notify.models import Message

REGISTER = VerificationCode.Purpose.REGISTER
MOBILE = "13812345678"
ID_NUMBER = make_id_number(7)
GOOD_PASSWORD = "changbai-mountain-2026"


def register(code: str, **overrides):
    data = {"name": "赵磊", "id_number": ID_NUMBER, "mobile": MOBILE, "code": code,
            "password": GOOD_PASSWORD}
    return services.register_citizen(**{**data, **overrides})


@pytest.fixture
def code(db, last_code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # deliver the SMS
        codes.send_code(MOBILE, REGISTER)
    return last_code(MOBILE)


def test_registry_match_gives_l2_and_the_code_is_sent_by_sms(code):
    population("赵磊", ID_NUMBER)
    sms = Message.objects.get()
    assert sms.channel == "sms" and sms.status == "sent" and sms.sensitive
    person = register(code)
    assert person.assurance_level == AssuranceLevel.REGISTRY_VERIFIED
    assert person.user.check_password(GOOD_PASSWORD)
    assert person.user.username.startswith("p") and ID_NUMBER not in person.user.username
    event = AuthEvent.objects.get(kind=AuthEvent.Kind.REGISTERED)
    assert event.user == person.user and event.identifier == "2201**********" + ID_NUMBER[-4:]


def test_number_unknown_to_the_registry_is_self_declared_l1(code):
    assert register(code).assurance_level == AssuranceLevel.SELF_DECLARED


@pytest.mark.parametrize("overrides, error", [
    ({"id_number": ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")}, "ric.checksum"),
    ({"id_number": "220104199013010012"[:-1] + ric.calc_check_digit("220104199013010010")},
     "ric.component"),  # month 13, check digit right
    ({"id_number": "2201041990"}, "ric.length"),
    ({"id_number": make_id_number(9, timezone.localdate() + timedelta(days=1))},
     "ric.birth_date_future"),
    ({"name": ""}, "citizen.name_required"),
    ({"name": "赵磊2"}, "citizen.name_invalid"),
    ({"mobile": "12345"}, "mobile.invalid"),
    ({"password": "123456789012"}, "password.weak"),
    ({"password": "赵磊"}, "password.weak"),
])
def test_bad_registration_is_refused_and_writes_nothing(code, overrides, error):
    with pytest.raises(ValidationError) as refused:
        register(code, **overrides)
    assert refused.value.code == error
    assert not Citizen.objects.exists() and not get_user_model().objects.exists()
    assert VerificationCode.objects.get().used_at is None  # the code is still good


def test_name_that_does_not_match_the_registry_is_refused(code):
    population("赵雷", ID_NUMBER)
    with pytest.raises(ValidationError) as refused:
        register(code)
    assert refused.value.code == "citizen.name_mismatch"
    assert not Citizen.objects.exists()


def test_cancelled_registry_record_is_refused(code):
    population("赵磊", ID_NUMBER, deceased=True)
    with pytest.raises(ValidationError) as refused:
        register(code)
    assert refused.value.code == "citizen.record_cancelled"


def fresh_code(mobile: str) -> str:
    """Send ``mobile`` a new register code (past the resend interval) and read it off the SMS."""
    VerificationCode.objects.filter(mobile=mobile).update(
        created_at=timezone.now() - timedelta(minutes=2))
    codes.send_code(mobile, REGISTER)
    message = Message.objects.filter(channel="sms", address=mobile).first()
    return message.body.split("验证码是")[1][:6]


def test_a_wrong_or_missing_code_answers_the_same_whatever_the_id_name_and_mobile(code):
    holder = citizen("钱七", id_number=make_id_number(8))
    population("赵磊", ID_NUMBER)
    wrong = "000000" if code != "000000" else "111111"
    tries = {"fresh": {}, "registered id": {"id_number": holder.id_number, "name": "钱七"},
             "name mismatch": {"name": "赵雷"}}
    answers = set()
    for overrides in tries.values():
        VerificationCode.objects.update(attempts=0)
        with pytest.raises(ValidationError) as refused:
            register(wrong, **overrides)
        answers.add((refused.value.code, refused.value.message, str(refused.value.details)))
    assert answers == {("code.wrong", "验证码不正确，还可尝试4次", "{'tries_left': 4}")}
    for mobile in (holder.mobile, "13700001111"):  # registered or not, no code was sent to it
        with pytest.raises(ValidationError) as refused:
            register("123456", mobile=mobile)
        assert refused.value.code == "code.not_sent"
    assert not Message.objects.filter(address=holder.mobile).exists()  # nobody was told


def test_after_a_good_code_a_registered_id_or_mobile_gets_one_answer_and_the_holder_is_told(code):
    holder = citizen("钱七", id_number=ID_NUMBER)
    with pytest.raises(Conflict) as by_number:
        register(code)
    notice = Message.objects.get(address=holder.mobile)
    assert "有人正尝试使用您的居民身份证号注册新账号" in notice.body and notice.user == holder.user
    with pytest.raises(ValidationError):
        register(code)  # the code is used up: each answer costs a fresh SMS code
    with pytest.raises(Conflict):
        register(fresh_code(MOBILE))
    assert Message.objects.filter(address=holder.mobile).count() == 1  # one notice an hour

    with pytest.raises(Conflict) as by_mobile:
        register(fresh_code(holder.mobile), id_number=make_id_number(8), mobile=holder.mobile)
    assert (by_number.value.code, by_number.value.message) == (by_mobile.value.code,
                                                               by_mobile.value.message)
    assert by_number.value.code == "citizen.already_registered"
    assert Citizen.objects.count() == 1


def test_registration_attempts_are_limited_per_id_number(code, settings):
    settings.REGISTRATION_ATTEMPTS_PER_ID_NUMBER = 3
    wrong = "000000" if code != "000000" else "111111"
    for n in range(3):
        with pytest.raises(ValidationError):
            services.register_citizen(name="赵磊", id_number=ID_NUMBER, mobile=MOBILE, code=wrong,
                                      password=GOOD_PASSWORD, ip=f"10.0.0.{n}")
    with pytest.raises(TooManyRequests) as limited:
        register(code)  # even with the right code, from yet another address
    assert limited.value.code == "citizen.register_rate_limited"
    assert limited.value.message == "注册尝试过于频繁，请一小时后再试"
    assert register(code, id_number=make_id_number(8)).id_number == make_id_number(8)


def test_registration_attempts_are_limited_per_address(code, settings):
    settings.REGISTRATION_ATTEMPTS_PER_ADDRESS = 3
    wrong = "000000" if code != "000000" else "111111"
    attempt = {"name": "赵磊", "mobile": MOBILE, "password": GOOD_PASSWORD, "ip": "10.9.9.9"}
    for n in range(3):
        VerificationCode.objects.update(attempts=0)
        with pytest.raises(ValidationError):
            services.register_citizen(**attempt, id_number=make_id_number(20 + n), code=wrong)
    with pytest.raises(TooManyRequests) as limited:
        services.register_citizen(**attempt, id_number=ID_NUMBER, code=code)
    assert limited.value.code == "citizen.register_rate_limited"
    assert register(code).id_number == ID_NUMBER  # another address


def test_code_serves_once(code):
    register(code)
    with pytest.raises(ValidationError) as reused:
        codes.consume_code(MOBILE, REGISTER, code)
    assert reused.value.code == "code.used"


def test_expired_code_is_refused(code):
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as expired:
        register(code)
    assert expired.value.code == "code.expired"
    assert not Citizen.objects.exists()


def test_wrong_codes_count_and_lock_the_code_after_five(code, settings):
    settings.REGISTRATION_ATTEMPTS_PER_ID_NUMBER = 10  # the code's own limit is under test
    wrong = "000000" if code != "000000" else "111111"
    for tries_left in (4, 3, 2, 1, 0):
        with pytest.raises(ValidationError) as refused:
            register(wrong)
        assert refused.value.code == "code.wrong"
        assert refused.value.details == {"tries_left": tries_left}
    with pytest.raises(TooManyRequests) as locked:
        register(code)  # even the right code: guessing has used the code up
    assert locked.value.code == "code.too_many_attempts"
    assert VerificationCode.objects.get().attempts == 5


def test_no_code_sent_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        register("123456")
    assert refused.value.code == "code.not_sent"


def test_a_new_code_replaces_the_old_one(code, last_code):
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    codes.send_code(MOBILE, REGISTER)
    newer = last_code(MOBILE)
    if newer != code:
        with pytest.raises(ValidationError):
            codes.consume_code(MOBILE, REGISTER, code)
    codes.consume_code(MOBILE, REGISTER, newer)


def test_codes_are_rate_limited_per_number(code):
    with pytest.raises(TooManyRequests) as too_soon:
        codes.send_code(MOBILE, REGISTER)
    assert too_soon.value.code == "code.too_frequent"
    assert 0 < too_soon.value.details["retry_after"] <= 60
    for _ in range(9):
        VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        codes.send_code(MOBILE, REGISTER)
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with pytest.raises(TooManyRequests) as hourly:
        codes.send_code(MOBILE, REGISTER)
    assert hourly.value.code == "code.hourly_limit"
    assert Message.objects.count() == 10


def test_codes_are_rate_limited_per_client_address(db):
    for n in range(codes.MAX_PER_ADDRESS_PER_HOUR):
        codes.send_code(f"1390000{n:04d}", REGISTER, ip="10.1.2.3")
    with pytest.raises(TooManyRequests) as refused:
        codes.send_code("13911112222", REGISTER, ip="10.1.2.3")
    assert refused.value.code == "code.address_limit"
    codes.send_code("13911112222", REGISTER, ip="10.1.2.4")  # another address is not affected


def test_only_a_hash_of_the_code_is_stored(code):
    record = VerificationCode.objects.get()
    assert code not in record.code_hash and len(record.code_hash) == 64


def test_outside_development_the_sms_text_is_blanked_after_delivery(
        db, settings, django_capture_on_commit_callbacks):
    settings.DEV_OUTBOX_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        codes.send_code(MOBILE, REGISTER)
    assert Message.objects.get().body == "（内容已隐去）"


# --- the pages and the API -----------------------------------------------------------------------


def test_registration_page_sends_the_code_and_registers(client, last_code):
    population("赵磊", ID_NUMBER)
    sent = client.post("/accounts/register/code/", {"mobile": MOBILE}, headers={"HX-Request": "true"})
    assert "验证码已发送至 138****5678" in sent.content.decode()
    response = client.post("/accounts/register/", {
        "name": "赵磊", "id_number": ID_NUMBER.lower(), "mobile": MOBILE,
        "code": last_code(MOBILE), "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    page = client.get("/accounts/me/").content.decode()
    assert "L2 人口库核验" in page and "2201**********" + ID_NUMBER[-4:] in page
    assert ID_NUMBER not in page and MOBILE not in page and "138****5678" in page


def test_registration_page_shows_the_reason(client, code):
    response = client.post("/accounts/register/", {
        "name": "赵磊", "id_number": ID_NUMBER, "mobile": MOBILE, "code": code,
        "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})
    assert response.status_code == 400
    assert "两次输入的密码不一致" in response.content.decode()


def test_dev_outbox_shows_the_sms_only_in_development(client, code, settings):
    page = client.get("/dev/outbox/").content.decode()
    assert code in page and "138****5678" in page and MOBILE not in page
    settings.DEV_OUTBOX_ENABLED = False
    assert client.get("/dev/outbox/").status_code == 404


def test_api_registers_with_codes_and_answers_errors_in_shape(client, last_code):
    sent = client.post("/api/accounts/verification-codes", {"mobile": MOBILE},
                       content_type="application/json")
    assert sent.status_code == 202 and sent.json() == {"mobile": "138****5678", "expires_in": 300}
    again = client.post("/api/accounts/verification-codes", {"mobile": MOBILE},
                        content_type="application/json")
    assert again.status_code == 429 and again.json()["code"] == "code.too_frequent"
    bad = client.post("/api/accounts/citizens", {"name": "赵磊", "id_number": "123", "mobile": MOBILE,
                                                 "code": "1", "password": GOOD_PASSWORD},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "ric.length"
    made = client.post("/api/accounts/citizens", {
        "name": "赵磊", "id_number": ID_NUMBER, "mobile": MOBILE, "code": last_code(MOBILE),
        "password": GOOD_PASSWORD}, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["id_number"] == "2201**********" + ID_NUMBER[-4:]
    assert made.json()["assurance_level"] == 1


def test_sending_a_code_answers_the_same_for_a_registered_and_a_new_mobile(client, db):
    holder = citizen("钱七", mobile="13800000001")
    api, page = [], []
    for mobile in (holder.mobile, "13800000002"):
        answer = client.post("/api/accounts/verification-codes", {"mobile": mobile},
                             content_type="application/json")
        api.append((answer.status_code, answer.json()["expires_in"]))
        VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        answer = client.post("/accounts/register/code/", {"mobile": mobile},
                             headers={"HX-Request": "true"})
        page.append((answer.status_code, answer.content.decode().replace(mask_phone(mobile), "")))
    assert api[0] == api[1] == (202, 300)
    assert page[0] == page[1] and "验证码已发送至" in page[0][1]


def test_api_and_page_answer_the_registration_limit_with_its_code(client, code, settings):
    settings.REGISTRATION_ATTEMPTS_PER_ADDRESS = 1
    citizen("钱七", id_number=ID_NUMBER)
    first = client.post("/api/accounts/citizens", {
        "name": "赵磊", "id_number": ID_NUMBER, "mobile": MOBILE, "code": code,
        "password": GOOD_PASSWORD}, content_type="application/json")
    assert first.status_code == 409 and first.json()["code"] == "citizen.already_registered"
    second = client.post("/api/accounts/citizens", {
        "name": "赵磊", "id_number": ID_NUMBER, "mobile": MOBILE, "code": code,
        "password": GOOD_PASSWORD}, content_type="application/json")
    assert second.status_code == 429
    assert second.json() == {"code": "citizen.register_rate_limited",
                             "message": "注册尝试过于频繁，请一小时后再试", "details": None}
    page = client.post("/accounts/register/", {
        "name": "赵磊", "id_number": ID_NUMBER, "mobile": MOBILE, "code": code,
        "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert page.status_code == 429 and "注册尝试过于频繁，请一小时后再试" in page.content.decode()
