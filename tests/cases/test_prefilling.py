"""预填 (一表申请): what the platform knows fills a new application, with where it came from."""

import pytest

from tests.accounts.factories import authorize, citizen, company
from tests.cases.factories import FOOD_FORM, World
from tests.cases.prefill_factories import ADDRESS_FORM, HUKOU_ADDRESS, address_bundle, hukou
from tests.factories import guide_data
from tests.portal.factories import publish_item
from yiwang.cases import services
from yiwang.cases.models import CaseEvent
from yiwang.catalog.formdef import validate_form_definition
from yiwang.common.errors import DomainError, ValidationError
from yiwang.exchange import services as exchange
from yiwang.exchange.models import DataUse, Registry
from yiwang.licences.models import HolderKind

COMPANY_FORM = [
    {"name": "company_name", "label": "单位名称", "type": "text", "required": True, "max_length": 100},
    {"name": "uscc", "label": "统一社会信用代码", "type": "uscc", "required": True},
    {"name": "legal_representative", "label": "法定代表人", "type": "text", "required": True},
    {"name": "registered_address", "label": "住所", "type": "text", "required": True},
    {"name": "contact_name", "label": "联系人", "type": "text", "required": True, "max_length": 50},
    {"name": "phone", "label": "联系电话", "type": "phone", "required": True},
]


@pytest.fixture
def world(db):
    return World()


def _company_world(world):
    firm = company(world.applicant, "长春市净月潭绿色食品有限公司")
    firm.address = "长春市净月区生态大街2888号"
    firm.save()
    item = publish_item(world.market, **guide_data(name="食品生产许可", audience="company",
                                                   form_definition=COMPANY_FORM))
    return firm, item


def _submit(world, item, form, *, company_id=None, user=None):
    user = user or world.user
    case = services.start_application(user, item, company_id=company_id)
    services.save_draft(case, user, form)
    return services.submit(case, user)


def test_a_new_application_is_filled_from_the_real_name_account(world):
    case = services.start_application(world.user, world.item)
    assert case.form_data == {"applicant_name": "王芳", "phone": world.applicant.mobile}
    assert case.prefill["applicant_name"] == {"value": "王芳", "source": "account", "from": "实名账号"}
    case.refresh_from_db()
    assert case.prefill["phone"]["source"] == "account"
    assert services.prefill_notes(case) == {"applicant_name": "来自实名账号", "phone": "来自实名账号"}


def test_a_change_by_the_applicant_is_kept_and_shows_on_the_note(world):
    case = services.start_application(world.user, world.item)
    case = services.save_draft(case, world.user, {"phone": "13700000000"})
    assert case.form_data["phone"] == "13700000000"
    assert services.prefill_notes(case)["phone"] == "来自实名账号（申请人已修改）"
    assert services.prefill_notes(case)["applicant_name"] == "来自实名账号"


def test_a_field_gone_from_the_form_has_no_note(world):
    case = services.start_application(world.user, world.item)
    del case.form_data["phone"]  # as clean_form_data does when a new version drops the field
    assert services.prefill_notes(case) == {"applicant_name": "来自实名账号"}


def test_an_agent_gets_the_company_account_and_their_own_name_as_contact(world):
    firm, item = _company_world(world)
    agent = citizen("刘洋")
    authorize(firm, agent)
    case = services.start_application(agent.user, item, company_id=firm.pk)
    assert case.form_data == {
        "company_name": "长春市净月潭绿色食品有限公司", "uscc": firm.uscc, "legal_representative": "王芳",
        "registered_address": "长春市净月区生态大街2888号", "contact_name": "刘洋", "phone": agent.mobile}
    assert case.prefill["uscc"]["from"] == "法人账号"
    assert case.prefill["contact_name"]["from"] == "实名账号"


def test_applicant_name_is_the_company_when_applying_for_one(world):
    firm, _ = _company_world(world)
    item = publish_item(world.market, **guide_data(name="广告发布登记", audience="company",
                                                   form_definition=FOOD_FORM))
    case = services.start_application(world.user, item, company_id=firm.pk)
    assert case.form_data["applicant_name"] == "长春市净月潭绿色食品有限公司"


def test_a_declared_key_fills_any_field_name_and_an_empty_key_fills_none():
    definition = validate_form_definition([
        {"name": "owner", "label": "经营者", "type": "text", "prefill": "person.name"},
        {"name": "id_number", "label": "被监护人身份证号", "type": "id_number", "prefill": ""},
    ])
    assert [f.get("prefill") for f in definition] == ["person.name", ""]
    with pytest.raises(ValidationError) as refused:
        validate_form_definition([{"name": "owner", "label": "经营者", "prefill": "person.salary"}])
    assert "预填来源“person.salary”无效" in refused.value.message


def test_a_field_may_not_take_a_name_the_case_pages_post_beside_the_form():
    with pytest.raises(ValidationError) as refused:
        validate_form_definition([{"name": "material", "label": "材料说明"}])
    assert "“material”为系统保留字" in refused.value.message


def test_declared_keys_decide_what_is_filled(world):
    item = publish_item(world.market, **guide_data(name="个体工商户登记", form_definition=[
        {"name": "owner", "label": "经营者", "type": "text", "prefill": "person.name"},
        {"name": "id_number", "label": "被监护人身份证号", "type": "id_number", "prefill": ""},
    ]))
    case = services.start_application(world.user, item)
    assert case.form_data == {"owner": "王芳"}


def test_earlier_applications_fill_facts_and_suggest_answers(world):
    first = publish_item(world.market, **guide_data(name="户外广告设置许可", form_definition=ADDRESS_FORM))
    done = _submit(world, first, {"address": "长春市南关区人民大街100号", "shop_name": "净月潭小吃店"})
    case = services.start_application(world.user, publish_item(
        world.market, **guide_data(name="门头招牌设置", form_definition=ADDRESS_FORM)))
    assert case.form_data["address"] == "长春市南关区人民大街100号"
    assert case.prefill["address"] == {"value": "长春市南关区人民大街100号", "source": "history",
                                       "from": f"此前申请（办件编号 {done.number}）"}
    # An answer about one application is offered, not filled in.
    assert "shop_name" not in case.form_data
    assert services.suggestions(case) == {"shop_name": ["净月潭小吃店"]}


def test_someone_elses_applications_are_never_offered(world):
    first = publish_item(world.market, **guide_data(name="户外广告设置许可", form_definition=ADDRESS_FORM))
    _submit(world, first, {"address": "长春市南关区人民大街100号", "shop_name": "净月潭小吃店"})
    case = services.start_application(world.stranger.user, first)
    assert "address" not in case.form_data and services.suggestions(case) == {}


def test_a_personal_application_does_not_remember_what_was_given_for_a_company(world):
    firm, _ = _company_world(world)
    company_item = publish_item(world.market, **guide_data(name="单位广告登记", audience="company",
                                                           form_definition=ADDRESS_FORM))
    _submit(world, company_item, {"address": "单位地址1号", "shop_name": "单位店"}, company_id=firm.pk)
    person_item = publish_item(world.market, **guide_data(name="个人广告登记", form_definition=ADDRESS_FORM))
    case = services.start_application(world.user, person_item)
    assert "address" not in case.form_data and services.suggestions(case) == {}


def test_a_bundle_starts_with_the_merged_form_filled(world):
    application = services.start_bundle(world.user, world.bundle())
    assert application.form_data == {"applicant_name": "王芳", "phone": world.applicant.mobile}
    for case in application.cases.all():
        assert case.prefill["applicant_name"]["from"] == "实名账号"


# --- shared registries, with consent -------------------------------------------------------------


@pytest.fixture
def entity(world):
    firm, item = _company_world(world)
    registry = Registry.objects.create(
        code="market_entity", name="市场主体登记信息", provider=world.market,
        subject_kind=HolderKind.COMPANY,
        fields=[{"name": "name", "label": "名称", "key": "company.name"},
                {"name": "domicile", "label": "住所", "key": "company.address"}])
    exchange.put_record(registry, actor=None, subject_id_number=firm.uscc, subject_name=firm.name,
                        data={"name": firm.name, "domicile": "长春市净月区净月大街2888号"})
    return firm, item, registry


def test_the_registry_is_offered_for_what_differs_and_used_only_with_consent(world, entity):
    firm, item, _ = entity
    case = services.start_application(world.user, item, company_id=firm.pk)
    offers = services.registry_offers(case)
    assert [(o.field["name"], o.value) for o in offers] == [
        ("registered_address", "长春市净月区净月大街2888号")]
    assert offers[0].origin == "共享数据：市场主体登记信息（吉林省市场监督管理局）"
    with pytest.raises(ValidationError) as refused:
        services.fill_from_registry(case, world.user, consent=False)
    assert refused.value.code == "case.data_consent_required"
    assert not DataUse.objects.exists()

    assert [o.field["label"] for o in services.fill_from_registry(case, world.user, consent=True)] == [
        "住所"]
    case.refresh_from_db()
    assert case.form_data["registered_address"] == "长春市净月区净月大街2888号"
    assert case.prefill["registered_address"]["source"] == "registry"
    use = DataUse.objects.get()
    assert use.holder_company == firm and use.purpose == "预填申请表（申请人同意使用）"
    assert CaseEvent.objects.get(case=case, action="registry_prefilled").data == {"fields": ["住所"]}
    assert services.registry_offers(case) == []
    with pytest.raises(ValidationError) as nothing:
        services.fill_from_registry(case, world.user, consent=True)
    assert nothing.value.code == "case.no_registry_prefill"


def test_a_cancelled_record_is_not_offered(world, entity):
    firm, item, registry = entity
    exchange.cancel_record(registry.records.get(), actor=None, reason="注销登记")
    case = services.start_application(world.user, item, company_id=firm.pk)
    assert services.registry_offers(case) == []


def test_only_the_applicant_may_fill_a_case_from_the_registry(world, entity):
    firm, item, _ = entity
    case = services.start_application(world.user, item, company_id=firm.pk)
    with pytest.raises(DomainError) as refused:
        services.fill_from_registry(case, world.stranger.user, consent=True)
    assert refused.value.status in (403, 404)
    assert not DataUse.objects.exists()


def test_a_bundle_is_filled_from_the_registry_in_every_case_with_consent(world):
    hukou(world)
    application = services.start_bundle(world.user, address_bundle(world))
    offers = services.bundle_registry_offers(application)
    assert [(o.field["name"], o.value) for o in offers] == [("address", HUKOU_ADDRESS)]
    with pytest.raises(ValidationError) as refused:
        services.fill_bundle_from_registry(application, world.user, consent=False)
    assert refused.value.code == "case.data_consent_required"
    assert not DataUse.objects.exists()

    filled = services.fill_bundle_from_registry(application, world.user, consent=True)
    assert [o.field["label"] for o in filled] == ["联系地址"]
    application.refresh_from_db()
    assert application.form_data["address"] == HUKOU_ADDRESS
    for case in application.cases.all():
        assert case.form_data["address"] == HUKOU_ADDRESS
        assert case.prefill["address"]["source"] == "registry"
    # Each department's case is a use of its own.
    assert sorted(DataUse.objects.values_list("department__name", flat=True)) == [
        "吉林省卫生健康委员会", "吉林省市场监督管理局"]
    assert services.bundle_registry_offers(application) == []
