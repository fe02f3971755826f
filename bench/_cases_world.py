"""What bench/cases.py runs inside Django: the setup (one province, two departments reviewing one
published item in parallel, their staff and one citizen), one full lifecycle through the real
services, and the bulk fill of cases for the progress-query timings.

Everything is created through the same code a deployment uses (the catalogue's publishing
services, the case services); only the millions of filler cases are inserted in bulk, because a
progress lookup reads one row and does not care how it got there.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from stdnum.cn import uscc

from yiwang.accounts.models import AssuranceLevel, Citizen
from yiwang.cases import services
from yiwang.cases.models import Case, CaseTask, Status, TaskKind, WorkflowStep
from yiwang.catalog import services as catalog
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.demo.identities import id_number
from yiwang.orgs.models import Department, Membership, Role
from yiwang.regions.models import Region, RegionLevel

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {"applicant_name": "王芳", "shop_name": "净月潭小吃店", "phone": "13900000001"}
GUIDE = {
    "name": "食品经营许可", "audience": "person", "handling_kind": "2",
    "legal_basis": "《中华人民共和国食品安全法》第三十五条", "conditions": "从事食品销售和餐饮服务",
    "legal_time_limit": 20, "promised_time_limit": 10, "visits": 0, "online_depth": 5,
    "min_assurance_level": AssuranceLevel.REGISTRY_VERIFIED, "result_name": "食品经营许可证",
    "result_licence_type": "spjyxk",  # issued by bench/seals.py, which creates the LicenceType
    "channels": ["pc", "mobile"],
    "form_definition": [
        {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True,
         "max_length": 50},
        {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True, "max_length": 60},
        {"name": "phone", "label": "联系电话", "type": "phone", "required": True},
    ],
    "materials": [{"name": "营业执照", "necessity": "required", "form": "electronic",
                   "source": "applicant"}],
}
# Filler cases: a spread of states, and 1,000 distinct applicant names made of three characters.
FILL_STATUSES = [Status.RECEIVED, Status.ACCEPTED, Status.REVIEWING, Status.APPROVED,
                 Status.DELIVERED, Status.DENIED, Status.CORRECTING, Status.WITHDRAWN]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "芳伟娜敏静丽强磊军洋"
FILL_FIRST_DAY = dt.date(2024, 1, 1)  # before any day a timed lifecycle numbers a case on
FILL_PER_DAY = 10_000


class World:
    """The rows one lifecycle needs, created once per database."""

    def __init__(self, item, acceptor, market_examiner, health_examiner, decider, applicant):
        self.item, self.acceptor, self.decider, self.applicant = item, acceptor, decider, applicant
        self.material_id = item.published_version.materials.get().pk
        self.examiners = {market_examiner.memberships.get().department_id: market_examiner,
                          health_examiner.memberships.get().department_id: health_examiner}

    @classmethod
    def create(cls) -> World:
        users = get_user_model().objects
        province = Region.objects.create(code="220000", name="吉林省", level=RegionLevel.PROVINCE,
                                         path="220000/", full_name="吉林省")

        def department(n: int, name: str) -> Department:
            body = f"11220000{n:09d}"
            return Department.objects.create(name=name, code=f"{30 + n}", region=province,
                                             uscc=body + uscc.calc_check_digit(body))

        def staff(username: str, dept: Department, *roles: str):
            user = users.create_user(username, password=None, first_name=username)
            for role in roles:
                Membership.objects.create(user=user, department=dept, role=role)
            return user

        market, health = department(1, "吉林省市场监督管理局"), department(2, "吉林省卫生健康委员会")
        author = users.create_superuser("bench-author", password=None)
        approver = users.create_superuser("bench-approver", password=None)
        item = catalog.create_item(department=market, item_type="01", level="2", guide=GUIDE,
                                   actor=author)
        draft = item.versions.get(status=VersionStatus.DRAFT)
        catalog.submit_version(draft, actor=author)
        catalog.approve_version(draft, actor=approver)
        catalog.publish_version(draft, actor=approver)
        WorkflowStep.objects.create(item=item, stage=1, name="食品安全审查", department=market)
        WorkflowStep.objects.create(item=item, stage=1, name="卫生审查", department=health)
        applicant = users.create_user("bench-citizen", password=None)
        Citizen.objects.create(user=applicant, name="王芳", mobile="13900000001",
                               id_number=id_number("220104", dt.date(1990, 1, 1), 1),
                               assurance_level=AssuranceLevel.REGISTRY_VERIFIED)
        return cls(ServiceItem.objects.get(pk=item.pk),
                   staff("bench-acceptor", market, Role.ACCEPTOR),
                   staff("bench-examiner", market, Role.EXAMINER),
                   staff("bench-health-examiner", health, Role.EXAMINER),
                   staff("bench-decider", market, Role.DECIDER), applicant)

    @classmethod
    def load(cls) -> World:
        """The world ``create`` made earlier in this database."""
        users = {u.username: u for u in get_user_model().objects.filter(username__startswith="bench-")}
        return cls(ServiceItem.objects.get(),  # the only item of a bench database
                   *(users[f"bench-{name}"] for name in
                     ("acceptor", "examiner", "health-examiner", "decider", "citizen")))

    def lifecycle(self, step=None) -> Case:
        """申请 → 受理 → 两个部门并联审查 → 决定（通过）, each step one service call as a request
        would make it. ``step(name)`` is called after each one (to count queries); ``step("")``
        after the benchmark's own query for the review tasks, which a workbench page makes."""
        step = step or (lambda name: None)
        case = services.start_application(self.applicant, self.item)
        step("start_application")
        services.save_draft(case, self.applicant, FORM)
        step("save_draft")
        services.attach_file(case, self.applicant, self.material_id,
                             SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf"))
        step("attach_file")
        services.submit(case, self.applicant)
        step("submit")
        services.accept(case, self.acceptor)
        step("accept")
        reviews = list(CaseTask.objects.filter(case=case, kind=TaskKind.REVIEW).order_by("pk"))
        step("")
        for task in reviews:
            services.complete_review(task, self.examiners[task.department_id], approve=True,
                                     opinion="符合要求")
            step(f"complete_review {task.name}")
        case = services.decide(case, self.decider, outcome="approved")
        step("decide")
        return case


# --- filler cases for the progress query -----------------------------------------------------------

def fill_number(prefix: str, i: int) -> str:
    """The 办件编号 of filler case ``i``: 实施编码 + a day from 2024 on + the sequence of that day."""
    day = FILL_FIRST_DAY + dt.timedelta(days=i // FILL_PER_DAY)
    return f"{prefix}{day:%Y%m%d}{i % FILL_PER_DAY + 1:06d}"


def fill_name(i: int) -> str:
    return SURNAMES[i % 10] + GIVEN[i // 10 % 10] + GIVEN[i // 100 % 10]


def _sql_for_vendor(prefix: str) -> tuple[str, str, str]:
    """(row source for i in [lo, hi), number expression, name expression) in this database's SQL,
    computing exactly what fill_number and fill_name compute."""
    name = (f"substr('{SURNAMES}', 1 + i %% 10, 1) || substr('{GIVEN}', 1 + (i / 10) %% 10, 1)"
            f" || substr('{GIVEN}', 1 + (i / 100) %% 10, 1)")
    if connection.vendor == "postgresql":
        source = "generate_series(%s::int, %s::int - 1) AS s(i)"
        number = (f"'{prefix}' || to_char(DATE '{FILL_FIRST_DAY}' + (i / {FILL_PER_DAY})::int,"
                  f" 'YYYYMMDD') || lpad((i %% {FILL_PER_DAY} + 1)::text, 6, '0')")
        return source, number, name
    if connection.vendor == "sqlite":
        source = ("(WITH RECURSIVE s(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM s WHERE i + 1 < %s)"
                  " SELECT i FROM s)")
        number = (f"'{prefix}' || strftime('%%Y%%m%%d', '{FILL_FIRST_DAY}', '+' || (i / {FILL_PER_DAY})"
                  f" || ' days') || substr('00000' || (i %% {FILL_PER_DAY} + 1), -6, 6)")
        return source, number, name
    raise NotImplementedError(connection.vendor)


def fill_cases(world: World, lo: int, hi: int, *, batch: int = 250_000) -> None:
    """Insert filler cases ``lo`` … ``hi - 1`` with one INSERT … SELECT per batch. Every column
    gets the value Django would give a submitted case of the bench item, so the rows are valid;
    number, applicant name and status vary."""
    template = Case(item=world.item, version=world.item.published_version,
                    department=world.item.department, region=world.item.region,
                    applicant=world.applicant, applicant_id_number=world.applicant.citizen.id_number,
                    contact_name="王芳", contact_mobile="13900000001", form_data=FORM,
                    time_limit=10)
    template.created_at = template.updated_at = template.submitted_at = dt.datetime.now(dt.UTC)
    source, number, name = _sql_for_vendor(world.item.implementation_code)
    status = f"CASE i %% {len(FILL_STATUSES)} " + " ".join(
        f"WHEN {k} THEN '{s.value}'" for k, s in enumerate(FILL_STATUSES)) + " END"
    columns, values, params = [], [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        computed = {"number": number, "applicant_name": name, "status": status}.get(field.name)
        if computed is not None:
            values.append(computed)
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(getattr(template, field.attname), connection))
    sql = (f"INSERT INTO {Case._meta.db_table} ({', '.join(columns)}) "
           f"SELECT {', '.join(values)} FROM {source}")
    with connection.cursor() as cursor:
        for start in range(lo, hi, batch):
            with transaction.atomic():
                cursor.execute(sql, [*params, start, min(hi, start + batch)])
        # Leave the table as it would be in service, not straight after a bulk load: statistics
        # made, PostgreSQL's visibility map and hint bits set (else the first reads write them,
        # and autovacuum starts in the middle of the timing), SQLite's WAL folded back in.
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {Case._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
