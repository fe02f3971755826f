"""法人 and 经办人: the legal representative registers the company and authorises agents; an agent
acts for the company within scope and time, and the audit names both."""

from datetime import date, timedelta

import pytest

from tests.accounts.factories import PASSWORD, authorize, citizen, company, enterprise, make_id_number
from tests.factories import guide_data
from yiwang.accounts import services
from yiwang.accounts.models import AgentAuthorization, AssuranceLevel, AuthEvent, Company
from yiwang.catalog.guide import clean_guide
from yiwang.common.errors import Conflict, NotFound, PermissionDenied, ValidationError


@pytest.fixture
def boss(db):
    return citizen("王芳")


@pytest.fixture
def firm(boss):
    return company(boss)


@pytest.fixture
def clerk_person(db):
    return citizen("刘洋")


def test_legal_representative_registers_the_company(boss):
    record = enterprise(boss, "长春市净月潭绿色食品有限公司")
    made = services.register_company(boss.user, uscc=record.uscc.lower())
    assert made.name == "长春市净月潭绿色食品有限公司" and made.legal_representative == boss
    assert AuthEvent.objects.get(kind=AuthEvent.Kind.COMPANY_REGISTERED).company == made


@pytest.mark.parametrize("case, code", [
    ("invalid_uscc", "uscc.checksum"), ("not_in_registry", "company.not_in_registry"),
    ("someone_else", "company.not_legal_representative"), ("l1", "company.assurance_too_low"),
    ("twice", "company.registered"),
])
def test_company_registration_refusals(boss, clerk_person, case, code):
    record = enterprise(boss)
    uscc, user = record.uscc, boss.user
    if case == "invalid_uscc":
        uscc = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    elif case == "not_in_registry":
        record.delete()
    elif case == "someone_else":
        user = clerk_person.user
    elif case == "l1":
        boss.assurance_level = AssuranceLevel.SELF_DECLARED
        boss.save()
    elif case == "twice":
        services.register_company(user, uscc=uscc)
    with pytest.raises((ValidationError, NotFound, PermissionDenied, Conflict)) as refused:
        services.register_company(user, uscc=uscc)
    assert refused.value.code == code
    assert Company.objects.count() == (1 if case == "twice" else 0)


def test_agent_acts_for_the_company_and_the_audit_names_both(firm, clerk_person):
    services.grant_agent(firm, by=firm.legal_representative.user, agent_name="刘洋",
                         agent_id_number=clerk_person.id_number,
                         valid_until=date.today() + timedelta(days=90))
    actor = services.act_as(clerk_person.user, firm.pk)
    assert actor.company == firm and not actor.is_legal_representative
    services.update_company_contact(actor, contact_phone="0431-84510000", address="生态大街2888号")
    event = AuthEvent.objects.get(kind=AuthEvent.Kind.ACTED_FOR_COMPANY)
    assert event.user == clerk_person.user and event.company == firm
    assert f"经办人授权 #{actor.authorization.pk}" in event.detail
    firm.refresh_from_db()
    assert firm.contact_phone == "0431-84510000"


def test_expired_revoked_and_out_of_scope_authorisations_are_refused(firm, clerk_person):
    authorization = authorize(firm, clerk_person, item_codes=["220001011000"])
    assert services.act_as(clerk_person.user, firm.pk, item_code="220001011000").authorization
    with pytest.raises(PermissionDenied) as scope:
        services.act_as(clerk_person.user, firm.pk, item_code="220001099000")
    assert scope.value.code == "agent.out_of_scope"
    AgentAuthorization.objects.filter(pk=authorization.pk).update(
        valid_until=date.today() - timedelta(days=1))
    with pytest.raises(PermissionDenied) as expired:
        services.act_as(clerk_person.user, firm.pk)
    assert expired.value.code == "agent.expired"
    fresh = authorize(firm, clerk_person)
    services.revoke_agent(fresh, by=firm.legal_representative.user)
    AgentAuthorization.objects.filter(pk=authorization.pk).delete()
    with pytest.raises(PermissionDenied) as revoked:
        services.act_as(clerk_person.user, firm.pk)
    assert revoked.value.code == "agent.revoked"
    with pytest.raises(PermissionDenied) as stranger:
        services.act_as(citizen("路人").user, firm.pk)
    assert stranger.value.code == "agent.not_authorized"


def test_only_the_legal_representative_grants_and_revokes(firm, clerk_person):
    authorization = authorize(firm, clerk_person)
    with pytest.raises(PermissionDenied):
        services.grant_agent(firm, by=clerk_person.user, agent_name="刘洋",
                             agent_id_number=clerk_person.id_number,
                             valid_until=date.today() + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.revoke_agent(authorization, by=clerk_person.user)
    services.revoke_agent(authorization, by=firm.legal_representative.user)
    with pytest.raises(Conflict):
        services.revoke_agent(authorization, by=firm.legal_representative.user)


@pytest.mark.parametrize("name, until, code", [
    ("张冠李戴", 30, "agent.not_registered"),
    ("刘洋", -1, "agent.until_in_past"),
    ("刘洋", 2000, "agent.until_too_far"),
])
def test_bad_grants_are_refused(firm, clerk_person, name, until, code):
    with pytest.raises((NotFound, ValidationError)) as refused:
        services.grant_agent(firm, by=firm.legal_representative.user, agent_name=name,
                             agent_id_number=clerk_person.id_number,
                             valid_until=date.today() + timedelta(days=until))
    assert refused.value.code == code
    assert not AgentAuthorization.objects.exists()


def test_agent_switches_identity_on_the_portal_and_loses_it_when_revoked(client, firm, clerk_person):
    authorization = authorize(firm, clerk_person)
    client.post("/accounts/login/", {"username": clerk_person.mobile, "password": PASSWORD})
    client.post("/accounts/me/identity/", {"company": firm.pk})
    assert f"代表 {firm.name}" in client.get("/accounts/me/").content.decode()
    assert client.get(f"/accounts/companies/{firm.pk}/").status_code == 200
    services.revoke_agent(authorization, by=firm.legal_representative.user)
    page = client.get("/accounts/me/", follow=True).content.decode()
    assert "已撤销" in page and "已切换回个人身份" in page
    assert client.get(f"/accounts/companies/{firm.pk}/").status_code == 404


def test_legal_representative_manages_agents_on_the_company_page(client, firm, clerk_person):
    client.post("/accounts/login/", {"username": firm.legal_representative.mobile,
                                     "password": PASSWORD})
    until = (date.today() + timedelta(days=30)).isoformat()
    client.post(f"/accounts/companies/{firm.pk}/agents/", {
        "agent_name": "刘洋", "agent_id_number": clerk_person.id_number, "valid_until": until})
    page = client.get(f"/accounts/companies/{firm.pk}/").content.decode()
    assert "刘洋" in page and clerk_person.id_number not in page and 'data-state="active"' in page
    authorization = AgentAuthorization.objects.get()
    client.post(f"/accounts/companies/{firm.pk}/agents/{authorization.pk}/revoke/")
    assert 'data-state="revoked"' in client.get(f"/accounts/companies/{firm.pk}/").content.decode()


def test_items_can_require_a_minimum_level(db):
    person = citizen("陈静", level=AssuranceLevel.SELF_DECLARED)
    with pytest.raises(PermissionDenied) as low:
        services.require_assurance(person.user, AssuranceLevel.REGISTRY_VERIFIED)
    assert low.value.code == "assurance.too_low" and "L2 人口库核验" in low.value.message
    person.assurance_level = AssuranceLevel.IN_PERSON
    person.save()
    assert services.require_assurance(person.user, AssuranceLevel.REGISTRY_VERIFIED) == person


def test_an_items_minimum_level_is_part_of_its_guide_and_checked(db):
    assert clean_guide(guide_data())["min_assurance_level"] == AssuranceLevel.SELF_DECLARED
    guide = clean_guide(guide_data(min_assurance_level=3))
    with pytest.raises(ValidationError) as bad:
        clean_guide(guide_data(min_assurance_level=4))
    assert "申请人最低实名等级应在1到3之间" in bad.value.message
    person = citizen("张伟", level=AssuranceLevel.REGISTRY_VERIFIED)
    with pytest.raises(PermissionDenied) as low:
        services.require_assurance(person.user, guide["min_assurance_level"])
    assert "L3 窗口现场核验" in low.value.message


def test_an_agent_id_number_born_in_the_future_is_refused(firm):
    with pytest.raises(ValidationError) as refused:
        services.grant_agent(firm, by=firm.legal_representative.user, agent_name="刘洋",
                             agent_id_number=make_id_number(3, date.today() + timedelta(days=2)),
                             valid_until=date.today() + timedelta(days=30))
    assert refused.value.code == "ric.birth_date_future"
