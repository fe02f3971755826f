"""The demo province: ``manage.py load_demo`` loads a realistic, valid catalogue through the
service layer, once, and the demo users can sign in.

The load runs once per module inside a transaction that is rolled back at the end, so the rest of
the suite still starts from an empty database.
"""

from base64 import b32decode
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP

from yiwang.accounts.backends import user_for_identifier
from yiwang.accounts.models import Citizen, Company, PopulationRecord
from yiwang.accounts.services import companies_of
from yiwang.catalog.codes import parse_handling_code
from yiwang.catalog.guide import clean_guide, guide_to_dict
from yiwang.catalog.models import (
    GuideVersion,
    ItemType,
    ServiceItem,
    Synonym,
    Topic,
    VersionEvent,
    VersionStatus,
)
from yiwang.common.identifiers import validate_resident_id, validate_uscc
from yiwang.demo import loader
from yiwang.demo.identities import demo_totp_secret
from yiwang.demo.items import ITEMS
from yiwang.demo.places import KIND_BY_KEY, KINDS, PLACES, organization_code
from yiwang.demo.spec import LEVEL_OF_PLACE
from yiwang.demo.topics import TOPICS
from yiwang.orgs.models import Department, Membership, Role, ServiceHall
from yiwang.orgs.services import is_staff_member
from yiwang.regions.models import Region, RegionLevel
from yiwang.seals import services as seals
from yiwang.seals.models import Seal, SealKind
from yiwang.supervision import checkpoints
from yiwang.supervision.models import AuditRecord

pytestmark = pytest.mark.slow


def published_versions():
    return GuideVersion.objects.filter(status=VersionStatus.PUBLISHED).prefetch_related("materials")


# --- the specifications themselves (no database) --------------------------------------------


def test_specifications_have_unique_keys_and_enough_items():
    keys = [spec.key for spec in ITEMS]
    assert len(keys) == len(set(keys))
    assert len(ITEMS) >= 100


def test_grouped_specifications_share_a_main_item_as_sub_items():
    codes = loader.basic_codes(ITEMS)
    assert len(set(codes.values())) == len(codes)
    id_cards = [codes[key] for key in ("id_card_first", "id_card_renew", "id_card_replace")]
    assert {code[:9] for code in id_cards} == {"000711001"}
    assert [code[9:] for code in id_cards] == ["001", "002", "003"]
    assert codes["passport"].endswith("000")
    assert codes["business_startup_package"][:2] == "22"  # set by provincial rules


def test_every_work_in_progress_entry_names_an_implemented_item():
    implemented = {(spec.key, code) for spec in ITEMS for place in spec.at for code in PLACES[place]}
    for progress in loader.WORK_IN_PROGRESS:
        assert (progress.key, progress.region) in implemented, progress


def test_organization_code_check_character_follows_gb_11714():
    # The organisation code inside python-stdnum's USCC example 91110000600037341L.
    assert organization_code("60003734") == "600037341"
    assert organization_code("01010411")[-1] == "0"  # check value 11 is written as 0
    assert organization_code("01000016")[-1] == "X"  # and 10 as X


# --- the loaded province ----------------------------------------------------------------------


def test_load_reports_what_it_wrote(demo):
    summary = (f"{Department.objects.count()} 个部门", f"{ServiceItem.objects.count()} 个事项",
               "已发布")
    assert "已载入演示数据" in demo
    assert all(part in demo for part in summary)


def test_province_cities_counties_towns_and_villages_are_loaded(demo):
    province = Region.objects.get(code="220000")
    assert province.name == "吉林省"
    assert Region.objects.filter(parent=province, level=RegionLevel.CITY).count() >= 9
    town = Region.objects.get(code="220104001")
    assert (town.name, town.level, town.parent.code) == ("前进街道", RegionLevel.TOWN, "220104")
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    assert villages.exists()
    assert all(v.code.startswith(v.parent.code) and len(v.code) == 12 for v in villages)
    assert town.full_name == "吉林省长春市朝阳区前进街道"


def test_more_than_twenty_departments_with_valid_usccs_and_shared_codes(demo):
    departments = list(Department.objects.select_related("region"))
    assert len([d for d in departments if d.region.code == "220000"]) >= 20
    for department in departments:
        assert validate_uscc(department.uscc) == department.uscc
        assert department.uscc[2:8] == department.region.code[:6]
        assert department.phone and department.address and department.description
    codes_by_kind = defaultdict(set)
    for department in departments:
        codes_by_kind[department.short_name].add(department.code)
    assert all(len(codes) == 1 for codes in codes_by_kind.values())
    names = {d.name for d in departments}
    assert {"吉林省公安厅", "长春市公安局朝阳分局", "国家税务总局吉林市税务局",
            "长春市朝阳区前进街道办事处"} <= names


def test_every_region_with_departments_has_a_service_hall(demo):
    with_departments = set(Department.objects.values_list("region__code", flat=True))
    assert with_departments == set(ServiceHall.objects.values_list("region__code", flat=True))


def test_more_than_three_hundred_items_of_every_type_are_published(demo):
    published = ServiceItem.objects.filter(published_version__isnull=False)
    assert published.count() >= 300
    assert set(published.values_list("item_type", flat=True)) == {t.value for t in ItemType}


def test_every_published_guide_is_complete_and_passes_validation(demo):
    for version in published_versions():
        cleaned = clean_guide(guide_to_dict(version))
        assert cleaned["legal_basis"] and cleaned["conditions"], version
        assert cleaned["process_steps"] and cleaned["location"] and cleaned["consult_phone"]
        assert 2 <= len(cleaned["materials"]) <= 6, version
        # A company form's six identity fields are pre-filled from the accounts (预填).
        assert 2 <= len(cleaned["form_definition"]) <= 10, version
        assert all(m["acceptance_standard"] for m in cleaned["materials"]), version


def test_materials_include_tolerated_and_licence_exemptible_ones(demo):
    materials = [m for v in published_versions() for m in v.materials.all()]
    assert any(m.necessity == "tolerated" for m in materials)
    assert any(m.exemption_source == "licence:jmsfz" for m in materials)
    immediate = GuideVersion.objects.filter(status=VersionStatus.PUBLISHED, handling_kind="1")
    assert immediate.exists()
    assert not immediate.exclude(promised_time_limit=0).exists()


def test_codes_are_consistent_with_department_level_and_region(demo):
    level_by_code = {code: LEVEL_OF_PLACE[place] for place, codes in PLACES.items()
                     for code in codes}
    for item in ServiceItem.objects.select_related("department", "region"):
        parsed = parse_handling_code(item.handling_code)
        assert item.implementation_code == f"{item.department.uscc}{item.level}{item.basic_code}"
        assert parsed.implementation.basic.department_code == item.department.code
        assert item.level == level_by_code[item.region.code]
        assert item.region == item.department.region


def test_the_same_item_has_the_same_basic_code_in_every_region(demo):
    codes_by_name = defaultdict(set)
    regions_by_code = defaultdict(set)
    for item in ServiceItem.objects.select_related("region"):
        codes_by_name[item.versions.order_by("number").first().name].add(item.basic_code)
        regions_by_code[item.basic_code].add(item.region.code)
    assert all(len(codes) == 1 for codes in codes_by_name.values())
    assert regions_by_code[next(iter(codes_by_name["居民身份证换领"]))] == {"220100", "220200",
                                                                          "220104"}


def test_items_belong_to_one_to_three_topics_and_every_topic_has_items(demo):
    for item in ServiceItem.objects.prefetch_related("topics"):
        assert 1 <= len(item.topics.all()) <= 3, item
    assert Topic.objects.count() == len(TOPICS)
    assert not Topic.objects.filter(items__isnull=True).exists()


def test_synonyms_map_everyday_words_to_catalogue_terms(demo):
    expansions = {s.term: s.expansion_list() for s in Synonym.objects.all()}
    assert "社会保险" in expansions["社保"]
    assert "医疗保险" in expansions["医保"]
    assert expansions["身份证"] == ["居民身份证"]


def test_items_went_through_review_by_a_different_person(demo):
    for version in published_versions().prefetch_related("events"):
        actions = {e.action: e.actor_id for e in version.events.all()}
        assert actions[VersionEvent.Action.PUBLISHED]
        assert actions[VersionEvent.Action.CREATED] != actions[VersionEvent.Action.APPROVED]


def test_workbench_has_work_in_progress_and_history(demo):
    statuses = defaultdict(int)
    for status in GuideVersion.objects.values_list("status", flat=True):
        statuses[status] += 1
    assert statuses[VersionStatus.DRAFT] == 3  # two new items and one revision under way
    assert statuses[VersionStatus.SUBMITTED] == 1
    assert statuses[VersionStatus.APPROVED] == 1
    assert statuses[VersionStatus.WITHDRAWN] == 1
    # 居民身份证换领 revised, and 往来港澳通行证 corrected after an 曝光纠错 report (demo/error_reports.py)
    assert statuses[VersionStatus.SUPERSEDED] == 2
    revised = ServiceItem.objects.get(region__code="220100",
                                      published_version__name="居民身份证换领")
    assert revised.published_version.number == 2
    assert revised.published_version.promised_time_limit == 10
    withdrawn = GuideVersion.objects.get(status=VersionStatus.WITHDRAWN)
    assert withdrawn.item.published_version is None
    assert "取消" in withdrawn.events.get(action=VersionEvent.Action.WITHDRAWN).comment


def test_second_run_detects_the_demo_and_changes_nothing(demo):
    before = (ServiceItem.objects.count(), Department.objects.count(), Region.objects.count(),
              get_user_model().objects.count(), VersionEvent.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "演示数据已经载入，本次未做任何修改" in out.getvalue()
    assert before == (ServiceItem.objects.count(), Department.objects.count(),
                      Region.objects.count(), get_user_model().objects.count(),
                      VersionEvent.objects.count())


def test_print_logins_lists_every_demo_user_with_role_and_department(demo):
    out = StringIO()
    call_command("load_demo", "--print-logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert f" 系统管理员: admin / {loader.DEMO_PASSWORD}" in lines
    assert f" 事项编辑（长春市公安局）: gaj_editor / {loader.DEMO_PASSWORD}" in lines
    assert f" 事项审核（长春市公安局）: gaj_reviewer / {loader.DEMO_PASSWORD}" in lines
    for login in loader.demo_logins():
        assert any(f": {login.username} / " in line for line in lines)


def test_print_logins_before_loading_says_how_to_load(db, monkeypatch):
    monkeypatch.setattr(loader, "is_loaded", lambda: False)
    out = StringIO()
    call_command("load_demo", "--print-logins", stdout=out)
    assert "请先运行 manage.py load_demo" in out.getvalue()


def test_demo_users_can_log_in_with_the_printed_password(demo, client):
    for login in loader.demo_logins():
        user = user_for_identifier(login.username)
        validate_password(login.password, user)
        response = client.post("/accounts/login/", {"username": login.username,
                                                    "password": login.password})
        assert response.status_code == 302, login.username
        # Staff go on to the second factor, citizens straight to their account.
        expected = "/accounts/login/otp/" if is_staff_member(user) else "/accounts/me/"
        assert response["Location"].startswith(expected), login.username
        client.post("/accounts/logout/")


def test_demo_staff_pass_the_second_factor_with_the_printed_key(demo, client):
    totp = TOTP(b32decode(demo_totp_secret()))
    client.post("/accounts/login/", {"username": "gaj_acceptor", "password": loader.DEMO_PASSWORD})
    response = client.post("/accounts/login/otp/", {"token": f"{totp.token():06d}",
                                                    "next": "/workbench/"})
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_demo_company_has_its_representative_and_an_agent(demo):
    company = Company.objects.get()
    assert company.legal_representative.name == "王芳"
    agent = Citizen.objects.get(name="刘洋").user
    assert [c.name for c, _ in companies_of(agent)] == [company.name]


def test_accounts_that_already_exist_keep_their_password(demo):
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("someone-elses-password")
    admin.save()
    kind_by_code = {kind.code: kind.key for kind in KINDS}
    departments = {(kind_by_code[d.code], d.region.code): d
                   for d in Department.objects.select_related("region")}
    summary = loader.Summary()
    loader._create_users(departments, summary)
    assert "admin" in summary.kept_users
    admin.refresh_from_db()
    assert admin.check_password("someone-elses-password")


def test_a_clash_with_existing_departments_is_reported_and_writes_nothing(demo, monkeypatch):
    monkeypatch.setattr(loader, "is_loaded", lambda: False)
    before = (ServiceItem.objects.count(), Department.objects.count(), Region.objects.count())
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("load_demo", stdout=StringIO())
    assert before == (ServiceItem.objects.count(), Department.objects.count(),
                      Region.objects.count())


def test_teams_hold_the_editor_and_reviewer_roles_separately(demo):
    editor, reviewer = loader.TEAMS[0].usernames
    department = Department.objects.get(
        code=KIND_BY_KEY[loader.TEAMS[0].kind].code, region__code=loader.TEAMS[0].region)
    roles = set(Membership.objects.filter(department=department, role__startswith="catalog_")
                .values_list("user__username", "role"))
    assert roles == {(editor, Role.CATALOG_EDITOR), (reviewer, Role.CATALOG_REVIEWER)}
    assert get_user_model().objects.get(username="admin").is_superuser


def test_demo_people_and_companies_carry_valid_numbers(demo):
    numbers = [c.id_number for c in Citizen.objects.all()]
    numbers += list(PopulationRecord.objects.values_list("id_number", flat=True))
    assert numbers and all(validate_resident_id(n) == n for n in numbers)
    assert all(validate_uscc(c.uscc) == c.uscc for c in Company.objects.all())


def test_the_demo_has_a_two_department_bundle_and_cases_in_every_stage(demo):
    from yiwang.cases.models import Bundle, Case, CaseTask, Status
    from yiwang.supervision.audit import verify_chain

    bundle = Bundle.objects.get(slug="open-restaurant")
    assert {i.department.short_name for i in bundle.published_version.items.all()} == {"市场监管", "卫健"}
    assert set(Case.objects.values_list("status", flat=True)) == {
        Status.RECEIVED, Status.REVIEWING, Status.CORRECTING, Status.DELIVERED,
        Status.NOT_ACCEPTED, Status.WITHDRAWN}
    parallel = Case.objects.get(version__name="食品经营许可")
    assert sorted(CaseTask.objects.filter(case=parallel, kind="review")
                  .values_list("status", flat=True)) == ["done", "open"]
    assert verify_chain().ok


def test_every_closed_demo_case_is_archived_and_passes_its_checks(demo):
    from yiwang.archives.models import ArchivePackage
    from yiwang.cases.selectors import closed_cases
    from yiwang.orgs.models import RegionRole, Role

    packages = ArchivePackage.objects.all()
    assert {p.case_id for p in packages} == set(closed_cases().values_list("pk", flat=True))
    assert {p.outcome for p in packages} == {"已送达", "不予受理", "已撤回"}
    assert all(p.latest_check.passed for p in packages)
    archivists = get_user_model().objects.filter(username__in=["dag_changchun", "gaj_archivist"])
    assert {(u.username, *(m.role for m in [*u.memberships.all(), *u.region_memberships.all()]))
            for u in archivists} == {("dag_changchun", RegionRole.ARCHIVIST),
                                     ("gaj_archivist", Role.ARCHIVIST)}


def test_the_demo_shares_registry_records_and_a_case_uses_one_instead_of_an_upload(demo):
    from yiwang.cases.models import Case
    from yiwang.exchange.models import DataUse, RegistryRecord

    materials = [m for v in published_versions() for m in v.materials.all()]
    assert any(m.exemption_source == "data:hukou" for m in materials)
    assert any(m.exemption_source == "data:market_entity" for m in materials)
    hukou = RegistryRecord.objects.filter(registry__code="hukou")
    for person in Citizen.objects.all():
        assert hukou.filter(subject_id_number=person.id_number).exists()
    firm = Company.objects.get(uscc=demo_company_uscc())
    entity = RegistryRecord.objects.get(registry__code="market_entity", subject_id_number=firm.uscc)
    assert entity.registry.provider.name == "吉林省市场监督管理厅"
    food = Case.objects.get(version__name="食品经营许可")
    used = food.files.get(material__name="营业执照")
    assert used.registry_record == entity and not used.file
    assert DataUse.objects.filter(case=food, registry_record=entity, holder_company=firm).exists()


def test_the_demo_registries_provide_the_photo_bank_and_health_sources_its_guides_name(demo):
    from yiwang.cases.models import Case
    from yiwang.demo.identities import PEOPLE
    from yiwang.exchange.models import Registry, RegistryRecord

    sources = {m.exemption_source for v in published_versions() for m in v.materials.all()}
    for code, provider in (("id_photo", "吉林省公安厅"), ("sscard_bank", "吉林省人力资源和社会保障厅"),
                           ("health_cert", "吉林省卫生健康委员会")):
        assert f"data:{code}" in sources
        assert Registry.objects.get(code=code).provider.name == provider
    people = len(PEOPLE)  # the population registry's people, with or without an account
    assert RegistryRecord.objects.filter(registry__code="id_photo").count() == people
    assert RegistryRecord.objects.filter(registry__code="sscard_bank").count() == people
    # Answered for the employer that applies, listing its staff's certificates: the company's
    # food licence application takes it instead of an upload.
    staff = RegistryRecord.objects.get(registry__code="health_cert", subject_id_number=demo_company_uscc())
    assert staff.data["staff"] == "王芳、张伟"
    food = Case.objects.get(version__name="食品经营许可")
    assert food.files.get(material__name="从业人员健康证明").registry_record == staff


def demo_company_uscc() -> str:
    from yiwang.demo.identities import COMPANY

    return COMPANY[1]


def test_demo_licence_seals_are_named_once_with_their_department(demo):
    licence_seals = list(Seal.objects.filter(kind=SealKind.LICENCE))
    assert len(licence_seals) > 20
    assert {seal.name for seal in licence_seals} == {"电子证照专用章"}
    assert all(seal.full_name == f"{seal.department_name}电子证照专用章" for seal in licence_seals)
    # and one more: the platform's own seal, which signs audit checkpoints and the archive
    assert Seal.objects.exclude(kind=SealKind.LICENCE).get() == seals.platform_seal()


def test_the_demo_platform_signs_checkpoints_with_one_audit_seal_and_has_anchored_its_records(demo):
    assert seals.platform_seal().full_name == "吉林省政务服务和数字化建设管理局平台存证专用章"
    checkpoint = checkpoints.recent(1)[0]
    assert checkpoint.seq == AuditRecord.objects.count() > 100
    assert seals.verify(checkpoint.data(), checkpoint.signature).ok


# --- the promises the demo's guides make (免提交 from licences and shared data) ------------------


def published_materials():
    """(version, material) of every published guide's materials."""
    return [(v, m) for v in published_versions().select_related("item__department")
            for m in v.materials.all()]


SUBJECT = {"person": "person", "company": "company"}


def test_every_licence_a_guide_names_is_a_type_a_demo_holder_of_its_applicants_holds(demo):
    from yiwang.exchange.selectors import LICENCE_SOURCE
    from yiwang.licences.models import Licence, LicenceType

    held = set(Licence.objects.values_list("licence_type__code", "holder_kind"))
    named = {(m.exemption_source.removeprefix(LICENCE_SOURCE), v.audience)
             for v, m in published_materials() if m.exemption_source.startswith(LICENCE_SOURCE)}
    assert {code for code, _ in named} <= set(LicenceType.objects.values_list("code", flat=True))
    assert [(code, audience) for code, audience in named
            if audience in SUBJECT and (code, SUBJECT[audience]) not in held] == []


def test_the_demo_licences_are_sealed_valid_and_in_their_holders_wallets(demo):
    from yiwang.demo.identities import PEOPLE
    from yiwang.licences.models import Licence
    from yiwang.licences.services import judge

    licences = list(Licence.objects.select_related("holder_user", "holder_company"))
    assert len(licences) >= 40 and f"{len(licences)} 张电子证照" in demo
    assert all(judge(licence).ok for licence in licences)
    registered = {p.id_number for p in PEOPLE if p.level is not None}
    for licence in licences:
        assert licence.delivered_at and licence.signature and licence.paper_number
        assert (licence.holder_user is not None) == (licence.holder_id_number in registered
                                                      and licence.holder_kind == "person")
    company = Company.objects.get()
    assert {licence.type_name for licence in licences if licence.holder_company == company} >= {
        "营业执照", "食品经营许可证", "不动产权证书"}
    issuers = {licence.type_name: licence.issuer_name for licence in licences
               if licence.holder_name == "张伟"}
    assert issuers["居民身份证"] == "长春市公安局朝阳分局"
    assert issuers["结婚证"] == "长春市朝阳区民政局"
    assert issuers["不动产权证书"] == "长春市规划和自然资源局"


def test_every_department_whose_items_result_in_a_licence_can_seal_it(demo):
    from yiwang.licences.models import LicenceType
    from yiwang.licences.services import pick_seal

    codes = set(LicenceType.objects.values_list("code", flat=True))
    departments = {v.item.department for v in published_versions().select_related("item__department")
                   if v.result_licence_type in codes}
    assert len(departments) > 20
    for department in departments:
        pick_seal(department)  # raises licence.no_seal when the department could not 制证


def test_every_data_source_a_guide_names_is_a_registry_of_its_applicants_with_demo_records(demo):
    from yiwang.exchange.models import Registry, RegistryRecord
    from yiwang.exchange.selectors import DATA_SOURCE

    registries = {r.code: r.subject_kind for r in Registry.objects.filter(active=True)}
    named = {(m.exemption_source.removeprefix(DATA_SOURCE), v.audience)
             for v, m in published_materials() if m.exemption_source.startswith(DATA_SOURCE)}
    assert {code for code, _ in named} <= set(registries)
    assert [(code, audience) for code, audience in named
            if audience in SUBJECT and registries[code] != SUBJECT[audience]] == []
    with_records = set(RegistryRecord.objects.values_list("registry__code", flat=True))
    assert {code for code, _ in named} <= with_records


def test_the_demo_company_account_has_the_address_of_its_registry_record(demo):
    from yiwang.exchange.models import RegistryRecord

    company = Company.objects.get()
    record = RegistryRecord.objects.get(registry__code="market_entity", subject_id_number=company.uscc)
    assert company.address == record.data["domicile"]
    assert company.name == record.data["name"]


def test_zhang_wei_is_offered_his_licences_instead_of_uploads(demo, client):
    from yiwang.cases import services

    zhang = Citizen.objects.get(name="张伟")
    item = ServiceItem.objects.get(region__code="220100", published_version__name="居民身份证换领")
    case = services.start_application(zhang.user, item)
    client.force_login(zhang.user)
    html = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "可使用您的电子证照代替上传（免提交）" in html
    assert "居民身份证" in html and "长春市公安局朝阳分局" in html


def test_a_search_for_yingye_zhizhao_finds_company_registration(demo, settings, tmp_path):
    from tests.catalog.searchkit import isolated_search_index
    from yiwang.catalog.search import rebuild
    from yiwang.catalog.search.engine import search

    index = isolated_search_index(settings, tmp_path)
    next(index)
    try:
        rebuild()
        assert "企业设立登记" in {hit.name for hit in search("营业执照", page_size=5).hits}
    finally:
        next(index, None)
