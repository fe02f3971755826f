"""Demo case handling: the 开办餐饮店 bundle (一件事) in 长春市 with a two-department parallel
review of 食品经营许可, and cases in several states for the demo citizens, all made through the
case services so that their history, deadlines and audit chain are the real thing. A material
that a shared registry record can replace (免提交) is taken from it, as an applicant would."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yiwang.accounts.models import Citizen, Company
from yiwang.cases import services
from yiwang.cases.models import CaseTask, TaskKind, WorkflowStep
from yiwang.cases.prereview import online_materials
from yiwang.catalog.models import Audience, Necessity, ServiceItem, Topic
from yiwang.exchange.selectors import usable_records
from yiwang.orgs.models import Department, Role

from .identities import COMPANY
from .places import KIND_BY_KEY, department_uscc

CITY = "220100"
DEMO_PDF = b"%PDF-1.4\n% yiwang demo material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _department(kind: str) -> Department:
    return Department.objects.get(uscc=department_uscc(CITY, KIND_BY_KEY[kind].code))


def _item(kind: str, name: str) -> ServiceItem:
    return ServiceItem.objects.get(department=_department(kind), published_version__name=name)


def _staff(username: str):
    return get_user_model().objects.get(username=username)


def form_value(field: dict, citizen: Citizen, company: Company | None):
    """A plausible answer to one form field, of the right type."""
    kind = field["type"]
    return {
        "select": (field.get("options") or [""])[0], "checkbox": True, "number": "1",
        "date": timezone.localdate().isoformat(), "id_number": citizen.id_number,
        "uscc": company.uscc if company else "", "phone": citizen.mobile,
        "email": "demo@example.cn",
    }.get(kind, company.name if company and "name" in field["name"] else f"{citizen.name}（演示）")


def _fill(case, user, citizen: Citizen, company: Company | None, *, skip_tolerated: bool = False):
    services.save_draft(case, user, {f["name"]: form_value(f, citizen, company)
                                     for f in case.version.form_definition})
    for material in online_materials(case.version):
        if material.necessity == Necessity.OPTIONAL or (
                skip_tolerated and material.necessity == Necessity.TOLERATED):
            continue
        records = usable_records(case, material)
        if records:  # 免提交: the applicant's record of a shared registry, with consent
            services.attach_record(case, user, material.pk, records[0].pk, consent=True)
            continue
        services.attach_file(case, user, material.pk,
                             SimpleUploadedFile(f"{material.name[:40]}.pdf", DEMO_PDF))
    return case


def _apply(item: ServiceItem, citizen: Citizen, company: Company | None = None, **options):
    user = citizen.user
    case = services.start_application(user, item, company_id=company.pk if company else None)
    return services.submit(_fill(case, user, citizen, company, **options), user)


def _review(case, department_kind: str, username: str, *, approve: bool = True, opinion: str = ""):
    task = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=_department(department_kind))
    return services.complete_review(task, _staff(username), approve=approve, opinion=opinion)


def _create_bundle(market: Department, food: ServiceItem, hygiene: ServiceItem) -> None:
    """开办餐饮店 as an administrator makes it in the workbench: drafted by the market department's
    catalogue editor, approved and published by its reviewer (四眼原则)."""
    editor, reviewer = (get_user_model().objects.filter(
        memberships__department=market, memberships__role=role).order_by("pk").first()
        for role in (Role.CATALOG_EDITOR, Role.CATALOG_REVIEWER))
    bundle = services.create_bundle(slug="open-restaurant", actor=editor, topics=list(
        Topic.objects.filter(slug="one-thing")), definition=services.BundleDefinition(
        name="开办餐饮店", lead_department=market, items=[food, hygiene],
        aliases="开餐馆、开饭店、开餐厅、开饭馆、餐饮店、饭店许可",
        description="开一家餐馆要办的食品经营许可和公共场所卫生许可，一张表、一套材料、一个窗口受理，"
                    "市场监管和卫健部门并联审批。",
        # The two guides name the health certificate differently; it is one document.
        material_groups=[{"name": "从业人员健康证明",
                          "materials": ["从业人员健康证明", "从业人员健康合格证明"]}]))
    version = bundle.versions.get()
    services.submit_bundle_version(version, actor=editor, comment="演示数据：提交审核")
    services.approve_bundle_version(version, actor=reviewer, comment="事项和材料合并无误")
    services.publish_bundle_version(version, actor=reviewer)


def load_cases() -> int:
    """Create the bundle, the workflow and the demo cases; returns the number of cases."""
    market, health = _department("market"), _department("health")
    food = _item("market", "食品经营许可")
    hygiene = _item("health", "公共场所卫生许可")
    WorkflowStep.objects.create(item=food, stage=1, name="食品安全审查", department=market)
    WorkflowStep.objects.create(item=food, stage=1, name="卫生条件审查", department=health)
    _create_bundle(market, food, hygiene)

    wang = Citizen.objects.get(name=COMPANY[2])
    zhang = Citizen.objects.get(name="张伟")
    firm = Company.objects.get(uscc=COMPANY[1])
    police_item = (ServiceItem.objects.filter(
        department=_department("police"), published_version__audience=Audience.PERSON,
        published_version__online_depth__gte=4, published_version__handling_kind="2",
        published_version__min_assurance_level__lte=zhang.assurance_level)
        .order_by("implementation_code").first())

    made = []
    # 张伟: one waiting for acceptance, one under review, one asked to correct, one delivered.
    made.append(_apply(police_item, zhang))
    reviewing = services.accept(_apply(police_item, zhang), _staff("gaj_acceptor"))
    services.claim(reviewing.tasks.get(kind=TaskKind.REVIEW), _staff("gaj_examiner"))
    made.append(reviewing)
    correcting = _apply(police_item, zhang)
    services.request_correction(correcting, _staff("gaj_acceptor"), [
        {"kind": "material", "target": str(online_materials(correcting.version)[0].pk),
         "message": f"“{online_materials(correcting.version)[0].name}”扫描件不清晰，请重新上传"}],
        note="请一次性补正后重新提交")
    made.append(correcting)
    done = services.accept(_apply(police_item, zhang), _staff("gaj_acceptor"))
    _review(done, "police", "gaj_examiner", opinion="材料齐全，符合条件")
    services.decide(done, _staff("gaj_decider"), outcome="approved")
    services.certify(done, _staff("gaj_decider"))
    services.deliver(done, _staff("gaj_decider"), method="online")
    made.append(done)
    # Two more that closed without a result, so the archive (电子档案) holds every kind of ending.
    refused = _apply(police_item, zhang)
    services.not_accept(refused, _staff("gaj_acceptor"),
                        "申请事项不属于本机关职权范围，请向户籍所在地公安机关申请")
    made.append(refused)
    withdrawn = _apply(police_item, zhang)
    services.withdraw(withdrawn, zhang.user, "信息填写有误，撤回后重新申请")
    made.append(withdrawn)
    # 王芳 for her company: 食品经营许可 accepted, 市场监管 has approved, 卫健 still reviewing.
    parallel = services.accept(_apply(food, wang, firm), _staff("scjg_acceptor"))
    _review(parallel, "market", "scjg_examiner", opinion="食品安全管理制度健全")
    made.append(parallel)
    return len(made)
