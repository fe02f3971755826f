"""Citizens, companies and registry records with valid, distinct identifiers."""

from __future__ import annotations

from datetime import date, timedelta

from stdnum.cn import uscc

from tests.factories import UserFactory
from yiwang.accounts.models import (
    AgentAuthorization,
    AssuranceLevel,
    Citizen,
    Company,
    EnterpriseRecord,
    PopulationRecord,
)
from yiwang.demo.identities import id_number

PASSWORD = "correct-horse-battery"
_counter = iter(range(1, 10**6))


def make_id_number(n: int, birth: date = date(1990, 1, 1)) -> str:
    """A valid 居民身份证号 of 长春市朝阳区 (its codes are valid for births from 1985 on)."""
    return id_number("220104", birth, n % 1000)


def make_company_uscc(n: int) -> str:
    """A valid USCC of an enterprise (91) in 长春市 (220100)."""
    body = f"91220100MA{n:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def citizen(name: str = "张三", *, level: int = AssuranceLevel.REGISTRY_VERIFIED,
            id_number: str | None = None, mobile: str | None = None) -> Citizen:
    n = next(_counter)
    user = UserFactory(username=f"p{n:016x}", first_name=name)
    user.save()
    return Citizen.objects.create(
        user=user, name=name, id_number=id_number or make_id_number(n, date(1986, 1, 1)
                                                                    + timedelta(days=n)),
        mobile=mobile or f"139{n:08d}", assurance_level=level)


def population(citizen_name: str, id_number: str, *, deceased: bool = False) -> PopulationRecord:
    return PopulationRecord.objects.create(id_number=id_number, name=citizen_name,
                                           deceased=deceased)


def enterprise(representative: Citizen, name: str = "长春市一汽配套零部件有限公司",
               *, n: int | None = None) -> EnterpriseRecord:
    return EnterpriseRecord.objects.create(
        uscc=make_company_uscc(n or next(_counter)), name=name,
        legal_representative_name=representative.name,
        legal_representative_id=representative.id_number)


def company(representative: Citizen, name: str = "长春市一汽配套零部件有限公司") -> Company:
    record = enterprise(representative, name)
    return Company.objects.create(uscc=record.uscc, name=name, legal_representative=representative)


def authorize(company: Company, agent: Citizen, *, days: int = 30, item_codes=()) -> AgentAuthorization:
    today = date.today()
    return AgentAuthorization.objects.create(
        company=company, agent=agent, item_codes=list(item_codes), valid_from=today,
        valid_until=today + timedelta(days=days), granted_by=company.legal_representative.user)
