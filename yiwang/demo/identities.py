"""Demo people for the identity capability: citizens at each real-name level, a company with its
legal representative and an authorised agent, registry records (人口库, 市场主体登记) including
people who have not registered yet, and staff of the case-handling roles and supervisors, each
with a TOTP device on one published demo key."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import ric, uscc

from yiwang.accounts.models import (
    AgentAuthorization,
    AssuranceLevel,
    Citizen,
    Company,
    EnterpriseRecord,
    PopulationRecord,
)
from yiwang.orgs import services as orgs
from yiwang.orgs.models import Department, RegionRole, Role
from yiwang.regions.models import Region

from .places import KIND_BY_KEY, department_uscc

# Published in the README like the demo password: a demo site's TOTP key, never a real one.
DEMO_TOTP_KEY_HEX = b"yiwang-jilin-demo-20".hex()


def demo_totp_secret() -> str:
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def id_number(area: str, birth: date, sequence: int) -> str:
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum reads only the first 17 characters


def enterprise_uscc(area: str, serial: str, registration: str = "91") -> str:
    """USCC of a company (registration ``91``: 市场监管, 企业) or another organisation (``51``:
    民政, 社会团体)."""
    body = f"{registration}{area}{serial}"
    return body + uscc.calc_check_digit(body)


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    mobile: str
    level: int | None  # None: in the population registry but not registered


PEOPLE = (
    Person("张伟", id_number("220104", date(1986, 3, 12), 213), "13904310001",
           AssuranceLevel.REGISTRY_VERIFIED),
    Person("王芳", id_number("220104", date(1987, 11, 2), 426), "13904310002",
           AssuranceLevel.IN_PERSON),
    Person("刘洋", id_number("220203", date(1993, 6, 25), 137), "13904310003",
           AssuranceLevel.REGISTRY_VERIFIED),
    Person("陈静", id_number("220104", date(2001, 9, 8), 582), "13904310004",
           AssuranceLevel.SELF_DECLARED),
    # Registered nowhere yet: register with these to see an L2 account made.
    Person("赵磊", id_number("220104", date(1990, 1, 15), 311), "", None),
    Person("孙丽", id_number("220104", date(1994, 7, 30), 742), "", None),
    # Hold the licences a physician and a mining company's legal representative hold.
    Person("李明", id_number("220104", date(1984, 5, 16), 155), "", None),
    Person("周强", id_number("220203", date(1983, 10, 3), 279), "", None),
)
COMPANY = ("长春市净月潭绿色食品有限公司", enterprise_uscc("220100", "MA17X3K8Q"), "王芳")
# 住所 as the market-entity registry records it (registries.py) and the company account shows it.
COMPANY_DOMICILE = "长春市净月高新技术产业开发区生态大街2888号"
UNREGISTERED_COMPANY = ("吉林市松花湖旅游发展有限公司", enterprise_uscc("220200", "MA0Y2P6WL"), "刘洋")
MINING_COMPANY = ("磐石市红旗岭矿业有限公司", enterprise_uscc("220200", "MA0W4T1HX"), "周强")
# A 社会团体 (registered by civil affairs, not a market entity), for 慈善组织认定.
ASSOCIATION = ("长春市朝阳区助残志愿者协会", enterprise_uscc("220104", "MJ0A1B2C3", "51"), "李明")


@dataclass(frozen=True)
class StaffAccount:
    username: str
    roles: tuple[str, ...]
    department: tuple[str, str] | None = None  # (department kind, region code)
    region: str | None = None


STAFF = (
    StaffAccount("gaj_acceptor", (Role.ACCEPTOR, Role.WINDOW_CLERK), ("police", "220100")),
    StaffAccount("gaj_examiner", (Role.EXAMINER,), ("police", "220100")),
    StaffAccount("gaj_decider", (Role.DECIDER, Role.CERTIFIER), ("police", "220100")),
    # 开办餐饮店: 市场监管 accepts at the window for the bundle and reviews food safety, 卫健
    # reviews hygiene in parallel and decides its own item.
    StaffAccount("scjg_acceptor", (Role.ACCEPTOR, Role.WINDOW_CLERK), ("market", "220100")),
    StaffAccount("scjg_examiner", (Role.EXAMINER,), ("market", "220100")),
    StaffAccount("scjg_decider", (Role.DECIDER, Role.CERTIFIER), ("market", "220100")),
    # 好差评: 长春市市场监督管理局's 好差评管理员 handles its 差评 (核实, 答复, 申诉).
    StaffAccount("scjg_evaluation", (Role.EVALUATION,), ("market", "220100")),
    StaffAccount("wjw_examiner", (Role.EXAMINER,), ("health", "220100")),
    StaffAccount("wjw_decider", (Role.ACCEPTOR, Role.DECIDER, Role.CERTIFIER), ("health", "220100")),
    StaffAccount("sup_province", (RegionRole.SUPERVISOR,), region="220000"),
    StaffAccount("sup_chaoyang", (RegionRole.SUPERVISOR,), region="220104"),
    StaffAccount("admin_changchun", (RegionRole.REGION_ADMIN,), region="220100"),
    # 电子档案: 长春市's archives administrator and 长春市公安局's 档案员, two people, as a 销毁 needs.
    StaffAccount("dag_changchun", (RegionRole.ARCHIVIST,), region="220100"),
    StaffAccount("gaj_archivist", (Role.ARCHIVIST,), ("police", "220100")),
)


def load_identities(departments: dict[tuple[str, str], Department], password_hash: str,
                    kept: list[str]) -> int:
    """Create the demo people and staff; returns the number of accounts made."""
    made = 0
    for person in PEOPLE:
        PopulationRecord.objects.get_or_create(id_number=person.id_number,
                                               defaults={"name": person.name})
    citizens = {}
    for person in PEOPLE:
        if person.level is None:
            continue
        user, created = get_user_model().objects.get_or_create(
            username=f"demo-{person.mobile}", defaults={"password": password_hash,
                                                        "first_name": person.name})
        made += created
        citizens[person.name], _ = Citizen.objects.get_or_create(user=user, defaults={
            "name": person.name, "id_number": person.id_number, "mobile": person.mobile,
            "assurance_level": person.level})
    by_name = {p.name: p for p in PEOPLE}
    for name, code, representative in (COMPANY, UNREGISTERED_COMPANY, MINING_COMPANY):
        EnterpriseRecord.objects.get_or_create(uscc=code, defaults={
            "name": name, "legal_representative_name": representative,
            "legal_representative_id": by_name[representative].id_number})
    company, _ = Company.objects.get_or_create(uscc=COMPANY[1], defaults={
        "name": COMPANY[0], "legal_representative": citizens[COMPANY[2]],
        "contact_phone": "0431-84510000", "address": COMPANY_DOMICILE})
    today = date.today()
    AgentAuthorization.objects.get_or_create(company=company, agent=citizens["刘洋"], defaults={
        "valid_from": today, "valid_until": today + timedelta(days=365),
        "granted_by": company.legal_representative.user})

    for account in STAFF:
        user, created = get_user_model().objects.get_or_create(
            username=account.username, defaults={"password": password_hash})
        if not created:
            kept.append(account.username)
        made += created
        for role in account.roles:
            if account.region:
                orgs.grant_region_role(user, Region.objects.get(code=account.region), role)
            else:
                orgs.grant_role(user, departments[account.department], role)
    for user in filter(orgs.is_staff_member, get_user_model().objects.all()):
        TOTPDevice.objects.get_or_create(user=user, defaults={
            "name": "演示动态口令", "key": DEMO_TOTP_KEY_HEX, "confirmed": True})
    return made


def citizen_logins() -> list[tuple[str, str]]:
    """(role, log-in name) of the demo citizens, for ``load_demo --print-logins``."""
    logins = []
    for person in PEOPLE:
        if person.level is None:
            continue
        role = f"个人（{AssuranceLevel(person.level).label}）"
        if person.name == COMPANY[2]:
            role += f"，{COMPANY[0]}法定代表人"
        if person.name == "刘洋":
            role += f"，{COMPANY[0]}经办人"
        logins.append((f"{person.name} {role}", person.id_number))
    return logins


def staff_logins() -> list[tuple[str, str]]:
    """(role and where, log-in name) of the demo staff: 受理员、窗口人员（长春市公安局）."""
    labels = {**{r.value: r.label for r in Role}, **{r.value: r.label for r in RegionRole}}
    logins = []
    for account in STAFF:
        if account.region:
            where = Region.objects.get(code=account.region).full_name
        else:
            kind, region = account.department
            where = Department.objects.get(uscc=department_uscc(region, KIND_BY_KEY[kind].code)).name
        logins.append((f"{'、'.join(labels[r] for r in account.roles)}（{where}）", account.username))
    return logins
