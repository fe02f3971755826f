"""A providing department keeps its registries' records (共享数据维护): the services' permission
and validation rules and the audit of each change, the workbench pages that call them, and the
rows of the site-wide rule table (tests/accounts/test_authorization.py) for those pages.

The world is tests/exchange's registry world (户籍信息 from 吉林省公安厅, 市场主体登记信息 from the
market regulator) with a 部门管理员 of the police, an examiner of the police (staff of the provider
without the role), a 部门管理员 of a department that provides nothing, and the market regulator's
部门管理员, who keeps another registry: the police's does not exist for them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import make_company_uscc, make_id_number
from tests.exchange.conftest import RegistryWorld
from tests.factories import UserFactory, staff
from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.common.identifiers import mask_id
from yiwang.exchange import selectors, services
from yiwang.exchange.models import RecordStatus, Registry, RegistryRecord
from yiwang.licences.models import HolderKind
from yiwang.orgs.models import Role
from yiwang.supervision.models import AuditRecord

ADDRESS = {"address": "吉林省长春市朝阳区西民主大街1号", "household_head": "李雷"}


class RegistryDesk(RegistryWorld):
    def __init__(self):
        super().__init__()
        self.police_admin = staff(self.police, Role.DEPARTMENT_ADMIN, username="police_admin")
        self.police_examiner = staff(self.police, Role.EXAMINER, username="police_examiner")
        self.idle_admin = staff(self.other, Role.DEPARTMENT_ADMIN, username="idle_admin")
        self._people = 0

    def person(self, name: str = "李雷", **data):
        """A new record of 户籍信息, sent by the platform's own load."""
        self._people += 1
        return services.put_record(self.hukou, actor=None,
                                   subject_id_number=make_id_number(500 + self._people),
                                   subject_name=name, data={**ADDRESS, **data})

    def cancelled(self):
        return services.cancel_record(self.person(), actor=None, reason="死亡注销")


@pytest.fixture
def desk(db):
    return RegistryDesk()


@pytest.fixture
def admin_client(client, desk):
    client.force_login(desk.police_admin)
    return client


def last_audit() -> AuditRecord:
    return AuditRecord.objects.order_by("-seq").first()


# --- services: who may -------------------------------------------------------------------------


def test_the_providers_department_admin_adds_a_record_and_the_log_masks_the_id_number(desk):
    number = make_id_number(601)
    record = services.put_record(desk.hukou, actor=desk.police_admin, subject_id_number=number,
                                 subject_name=" 李雷 ", data=ADDRESS)
    assert (record.subject_name, record.status, record.data) == ("李雷", RecordStatus.VALID, ADDRESS)
    entry = last_audit()
    assert (entry.kind, entry.actor_id, entry.subject_id) == (
        "exchange.record_created", desk.police_admin.pk, str(record.pk))
    assert mask_id(number) in entry.summary and number not in entry.summary
    assert entry.data == {"registry": "hukou", "subject_id_number": mask_id(number),
                          "fields": ["address", "household_head"]}
    assert number not in str(entry.data)


def test_sending_a_record_again_replaces_it_and_is_logged_as_an_update(desk):
    services.put_record(desk.hukou, actor=desk.police_admin,
                        subject_id_number=desk.applicant.id_number, subject_name="王芳",
                        data={"address": "吉林省吉林市丰满区", "household_head": "王芳"})
    desk.wang_hukou.refresh_from_db()
    assert desk.wang_hukou.data["address"] == "吉林省吉林市丰满区"
    assert RegistryRecord.objects.filter(registry=desk.hukou).count() == 2
    assert last_audit().kind == "exchange.record_updated"


def test_an_older_version_than_the_one_held_is_refused_and_changes_nothing(desk):
    record = desk.person()
    held = (record.updated_at, record.data)

    with pytest.raises(Conflict) as refused:
        services.put_record(desk.hukou, actor=desk.police_admin,
                            subject_id_number=record.subject_id_number, subject_name="李雷",
                            data={**ADDRESS, "address": "旧地址"},
                            updated_at=record.updated_at - dt.timedelta(days=1))

    assert refused.value.code == "exchange.record_stale"
    record.refresh_from_db()
    assert (record.updated_at, record.data) == held


def test_a_time_ahead_of_the_platforms_clock_is_refused(desk):
    with pytest.raises(ValidationError) as refused:
        services.put_record(desk.hukou, actor=desk.police_admin,
                            subject_id_number=make_id_number(602), subject_name="李雷",
                            data=ADDRESS, updated_at=timezone.now() + dt.timedelta(hours=1))
    assert refused.value.code == "exchange.updated_at_future"
    assert not RegistryRecord.objects.filter(subject_id_number=make_id_number(602)).exists()


@pytest.mark.parametrize("who", ["market_admin", "police_examiner", "idle_admin", "certifier"])
def test_anyone_but_the_providers_department_admin_is_refused(desk, who):
    logged = AuditRecord.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        services.put_record(desk.hukou, actor=getattr(desk, who), subject_id_number=make_id_number(602),
                            subject_name="李雷", data=ADDRESS)
    assert refused.value.code == "permission.role_required"
    with pytest.raises(PermissionDenied):
        services.cancel_record(desk.wang_hukou, actor=getattr(desk, who), reason="户籍迁出")
    desk.wang_hukou.refresh_from_db()
    assert desk.wang_hukou.status == RecordStatus.VALID
    assert AuditRecord.objects.count() == logged


def test_a_superuser_may_as_require_role_allows_everywhere(desk):
    root = UserFactory(username="root", is_superuser=True)
    root.save()
    services.cancel_record(desk.wang_hukou, actor=root, reason="户籍迁出本省")
    assert last_audit().actor_id == root.pk


def test_the_platforms_own_load_is_logged_as_the_system(desk):
    desk.person()
    entry = last_audit()
    assert (entry.kind, entry.actor_id, entry.actor_name) == ("exchange.record_created", None, "")


# --- services: what will do --------------------------------------------------------------------


def _put(desk, registry=None, **overrides):
    fields = {"subject_id_number": make_id_number(603), "subject_name": "李雷", "data": ADDRESS,
              **overrides}
    return services.put_record(registry or desk.hukou, actor=desk.police_admin, **fields)


@pytest.mark.parametrize("overrides, code", [
    ({"subject_id_number": ""}, "exchange.subject_id_required"),
    ({"subject_id_number": make_id_number(603)[:-1] + ("1" if make_id_number(603)[-1] != "1" else "2")},
     "ric.checksum"),
    ({"subject_id_number": "22010419900101"}, "ric.length"),
    ({"subject_name": "  "}, "exchange.subject_name_required"),
    ({"subject_name": "李" * 201}, "exchange.subject_name_too_long"),
    ({"data": {**ADDRESS, "religion": "无"}}, "exchange.field_unknown"),
    ({"data": {"address": "吉林省长春市"}}, "exchange.field_required"),
    ({"data": {**ADDRESS, "household_head": "  "}}, "exchange.field_required"),
    ({"data": ["address"]}, "exchange.data_not_object"),
])
def test_a_record_the_registry_cannot_hold_is_refused_with_its_code(desk, overrides, code):
    with pytest.raises(ValidationError) as refused:
        _put(desk, **overrides)
    assert refused.value.code == code
    assert not RegistryRecord.objects.filter(subject_name="李雷").exists()


def test_the_messages_name_the_fields_by_their_labels(desk):
    with pytest.raises(ValidationError) as refused:
        _put(desk, data={})
    assert refused.value.message == "请填写：户籍地址、户主"
    assert refused.value.details == {"fields": ["address", "household_head"]}


def test_a_company_registry_takes_a_uscc_and_not_a_persons_id_number(desk):
    admin = desk.market_admin
    uscc = make_company_uscc(7)
    record = services.put_record(desk.market_entity, actor=admin, subject_id_number=uscc.lower(),
                                 subject_name="长春市某某有限公司",
                                 data={"name": "长春市某某有限公司", "legal_representative": "李雷"})
    assert record.subject_id_number == uscc
    with pytest.raises(ValidationError) as refused:
        services.put_record(desk.market_entity, actor=admin, subject_id_number=make_id_number(604),
                            subject_name="李雷", data={"name": "李雷", "legal_representative": "李雷"})
    assert refused.value.code.startswith("uscc.")


def test_a_field_declared_optional_may_be_left_out(desk):
    registry = Registry.objects.create(
        code="photo", name="人口库相片", provider=desk.police, subject_kind=HolderKind.PERSON,
        fields=[{"name": "photo_no", "label": "相片编号"},
                {"name": "taken_on", "label": "采集日期", "required": False}])
    record = _put(desk, registry, data={"photo_no": "JL0001"})
    assert record.data == {"photo_no": "JL0001"}


def test_cancelling_needs_a_reason_and_is_logged_with_it(desk):
    with pytest.raises(ValidationError) as refused:
        services.cancel_record(desk.wang_hukou, actor=desk.police_admin, reason="  ")
    assert refused.value.code == "exchange.reason_required"
    record = services.cancel_record(desk.wang_hukou, actor=desk.police_admin, reason="户籍迁出本省")
    assert (record.status, record.status_reason) == (RecordStatus.CANCELLED, "户籍迁出本省")
    entry = last_audit()
    assert entry.kind == "exchange.record_cancelled" and "户籍迁出本省" in entry.summary
    assert desk.applicant.id_number not in entry.summary + str(entry.data)
    assert mask_id(desk.applicant.id_number) in entry.summary


def test_cancelling_a_cancelled_record_is_a_conflict_that_keeps_the_first_reason(desk):
    record = desk.cancelled()
    with pytest.raises(Conflict) as refused:
        services.cancel_record(record, actor=desk.police_admin, reason="重复注销")
    assert refused.value.code == "exchange.record_already_cancelled"
    record.refresh_from_db()
    assert record.status_reason == "死亡注销"


def test_sending_a_cancelled_record_again_makes_it_valid(desk):
    record = desk.cancelled()
    again = services.put_record(desk.hukou, actor=desk.police_admin,
                                subject_id_number=record.subject_id_number, subject_name="李雷",
                                data=ADDRESS)
    assert (again.pk, again.status, again.status_reason) == (record.pk, RecordStatus.VALID, "")


# --- services: the read side -------------------------------------------------------------------


def test_each_admin_keeps_only_their_departments_registries(desk):
    assert list(selectors.maintained_registries(desk.police_admin)) == [desk.hukou]
    assert list(selectors.maintained_registries(desk.market_admin)) == [desk.market_entity]
    assert not selectors.maintains_registries(desk.idle_admin)
    assert not selectors.maintains_registries(desk.police_examiner)


def test_records_are_found_by_name_or_the_whole_id_number_and_by_status(desk):
    lei, cancelled = desk.person("李雷"), desk.cancelled()
    found = selectors.registry_records
    assert list(found(desk.hukou, q="李")) == [cancelled, lei]
    assert list(found(desk.hukou, q=lei.subject_id_number)) == [lei]
    assert list(found(desk.hukou, q=lei.subject_id_number[:10])) == []  # no guessing by prefix
    assert list(found(desk.hukou, status=RecordStatus.CANCELLED)) == [cancelled]
    with pytest.raises(ValidationError):
        found(desk.hukou, status="deleted")


# --- workbench pages ---------------------------------------------------------------------------


def test_the_registry_list_shows_the_departments_own_registries(admin_client, desk):
    page = admin_client.get("/workbench/registries/").content.decode()
    assert "户籍信息" in page and "市场主体登记信息" not in page
    assert "/workbench/registries/hukou/" in page


def test_the_navigation_links_the_pages_for_a_providers_admin_only(client, desk):
    client.force_login(desk.police_admin)
    assert "共享数据维护" in client.get("/workbench/").content.decode()
    for user in (desk.police_examiner, desk.idle_admin):
        client.force_login(user)
        assert "共享数据维护" not in client.get("/workbench/").content.decode()


def test_the_records_list_masks_the_id_numbers(admin_client, desk):
    page = admin_client.get("/workbench/registries/hukou/").content.decode()
    assert mask_id(desk.applicant.id_number) in page
    assert desk.applicant.id_number not in page
    assert "吉林省长春市净月区永顺路1号" in page


def test_the_records_list_finds_by_name_id_number_and_status(admin_client, desk):
    cancelled = desk.cancelled()
    by_name = admin_client.get("/workbench/registries/hukou/", {"q": "赵强"}).content.decode()
    assert "赵强" in by_name and "王芳" not in by_name
    by_number = admin_client.get("/workbench/registries/hukou/",
                                 {"q": desk.applicant.id_number}).content.decode()
    assert "王芳" in by_number and "赵强" not in by_number
    by_status = admin_client.get("/workbench/registries/hukou/", {"status": "cancelled"}).content.decode()
    assert mask_id(cancelled.subject_id_number) in by_status and "王芳" not in by_status
    assert admin_client.get("/workbench/registries/hukou/", {"status": "gone"}).status_code == 400


def test_the_records_list_pages_with_a_bounded_number_of_queries(admin_client, desk,
                                                                   django_assert_max_num_queries):
    for n in range(19):
        desk.person(f"居民{n}")
    with django_assert_max_num_queries(14):
        first = admin_client.get("/workbench/registries/hukou/")
    assert "第 1 / 2 页，共 21 条" in first.content.decode()
    assert "共 21 条" in admin_client.get("/workbench/registries/hukou/", {"page": "2"}).content.decode()
    assert admin_client.get("/workbench/registries/hukou/", {"page": "0"}).status_code == 400


def test_adding_a_record_through_the_form(admin_client, desk):
    number = make_id_number(605)
    form = admin_client.get("/workbench/registries/hukou/new/").content.decode()
    assert "户籍地址" in form and "居民身份证号" in form
    answer = admin_client.post("/workbench/registries/hukou/new/", {
        "subject_id_number": number, "subject_name": "韩梅梅",
        "field_address": "吉林省长春市南关区人民大街3号", "field_household_head": "韩梅梅"}, follow=True)
    record = RegistryRecord.objects.get(registry=desk.hukou, subject_id_number=number)
    assert record.data == {"address": "吉林省长春市南关区人民大街3号", "household_head": "韩梅梅"}
    assert f"已保存韩梅梅（{mask_id(number)}）的记录" in answer.content.decode()
    assert last_audit().actor_id == desk.police_admin.pk


def test_a_refused_record_shows_the_services_message(admin_client, desk):
    answer = admin_client.post("/workbench/registries/hukou/new/", {
        "subject_id_number": make_id_number(606), "subject_name": "韩梅梅",
        "field_address": "吉林省长春市"})
    assert answer.status_code == 400 and "请填写：户主" in answer.content.decode()
    bad_number = admin_client.post("/workbench/registries/hukou/new/", {
        "subject_id_number": "123", "subject_name": "韩梅梅"})
    assert bad_number.status_code == 400 and "居民身份证号" in bad_number.content.decode()
    assert not RegistryRecord.objects.filter(subject_name="韩梅梅").exists()


def test_updating_a_record_keeps_its_subject(admin_client, desk):
    url = f"/workbench/registries/hukou/records/{desk.wang_hukou.pk}/"
    form = admin_client.get(url).content.decode()
    assert "吉林省长春市净月区永顺路1号" in form and desk.applicant.id_number not in form
    admin_client.post(url, {"subject_id_number": make_id_number(607), "subject_name": "王芳",
                            "field_address": "吉林省吉林市丰满区", "field_household_head": "王芳"})
    desk.wang_hukou.refresh_from_db()
    assert desk.wang_hukou.subject_id_number == desk.applicant.id_number
    assert desk.wang_hukou.data["address"] == "吉林省吉林市丰满区"


def test_cancelling_through_the_page(admin_client, desk):
    url = f"/workbench/registries/hukou/records/{desk.wang_hukou.pk}/cancel/"
    assert admin_client.get(url).status_code == 405
    missing = admin_client.post(url, {"reason": " "})
    assert missing.status_code == 400 and "请填写注销的原因" in missing.content.decode()
    answer = admin_client.post(url, {"reason": "户籍迁出本省"}, follow=True)
    assert f"已注销王芳（{mask_id(desk.applicant.id_number)}）的记录" in answer.content.decode()
    desk.wang_hukou.refresh_from_db()
    assert desk.wang_hukou.status == RecordStatus.CANCELLED
    again = admin_client.post(url, {"reason": "再次注销"})
    assert again.status_code == 409 and "不能再次注销" in again.content.decode()


def test_another_departments_admin_finds_no_such_registry(client, desk):
    client.force_login(desk.market_admin)
    record = desk.wang_hukou.pk
    for path in ("/workbench/registries/hukou/", "/workbench/registries/hukou/new/",
                 f"/workbench/registries/hukou/records/{record}/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/workbench/registries/hukou/records/{record}/cancel/",
                       {"reason": "户籍迁出"}).status_code == 404
    # Nor a record of the police's registry through the market regulator's own one.
    assert client.get(f"/workbench/registries/market_entity/records/{record}/").status_code == 404
    desk.wang_hukou.refresh_from_db()
    assert desk.wang_hukou.status == RecordStatus.VALID


# --- who may use which page (the rows of tests/accounts/test_authorization.py) -------------------

KEEPER = "部门管理员 of the registry's providing department; another department's registry 404"
REGISTRY_WORKBENCH_RULES: dict[str, str] = {
    "workbench:registries": "部门管理员 of a providing department: the registries it provides",
    "workbench:registry-records": KEEPER,
    "workbench:registry-record-new": KEEPER,
    "workbench:registry-record-edit": KEEPER,
    "workbench:registry-record-cancel": KEEPER,
}

OK, LOGIN = "ok", "login"
ROLES = ("anonymous", "citizen", "idle_admin", "police_examiner", "market_admin", "police_admin")
KEEP = (LOGIN, 403, 403, 403, 404, OK)
RECORD = "/workbench/registries/hukou/records/{pk}/"
# URL name: (method, path, data, expected per ROLES)
CHECKS = {
    "registries": ("get", "/workbench/registries/", {}, (LOGIN, 403, 403, 403, OK, OK)),
    "registry-records": ("get", "/workbench/registries/hukou/", {}, KEEP),
    "registry-record-new": ("post", "/workbench/registries/hukou/new/",
                            {"subject_id_number": make_id_number(608), "subject_name": "李雷",
                             "field_address": "吉林省长春市", "field_household_head": "李雷"}, KEEP),
    "registry-record-edit": ("post", RECORD, {"subject_name": "王芳", "field_address": "吉林省吉林市",
                                              "field_household_head": "王芳"}, KEEP),
    "registry-record-cancel": ("post", RECORD + "cancel/", {"reason": "户籍迁出本省"}, KEEP),
}


def test_every_registry_page_has_a_rule_and_a_check():
    assert set(REGISTRY_WORKBENCH_RULES) == {f"workbench:{name}" for name in CHECKS}


def _outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/accounts/login/") else OK
    return OK if response.status_code == 200 else response.status_code


@pytest.mark.parametrize("name", list(CHECKS))
def test_registry_page_access(client, desk, name):
    method, path, data, expected = CHECKS[name]
    path = path.format(pk=desk.wang_hukou.pk)
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(desk.user if role == "citizen" else getattr(desk, role))
        response = getattr(client, method)(path, data)
        assert _outcome(response) == expected[ROLES.index(role)], (name, role, response.status_code)
    if name == "registry-record-cancel":
        desk.wang_hukou.refresh_from_db()
        assert desk.wang_hukou.status_reason == "户籍迁出本省"  # only the police_admin's went through
