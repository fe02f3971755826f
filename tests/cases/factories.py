"""A two-department item (食品经营许可: 市场监督管理局 reviews food safety, 卫生健康委员会
reviews hygiene, in parallel), its staff, applicants and valid uploads."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.factories import citizen
from tests.factories import DepartmentFactory, RegionFactory, UserFactory, guide_data, staff
from tests.portal.factories import publish_bundle, publish_item
from yiwang.cases.models import WorkflowStep
from yiwang.orgs.models import RegionMembership, RegionRole, Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def pdf(name: str = "营业执照.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ofd(name: str = "证明.ofd", *, with_entry: bool = True) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("OFD.xml" if with_entry else "other.xml", "<ofd:OFD/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/ofd")


FOOD_FORM = [
    {"name": "applicant_name", "label": "申请人姓名", "type": "text", "required": True, "max_length": 50},
    {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True, "max_length": 60},
    {"name": "phone", "label": "联系电话", "type": "phone", "required": True},
    {"name": "area", "label": "经营面积（平方米）", "type": "number", "required": False},
]
FOOD_MATERIALS = [
    {"name": "营业执照", "necessity": "required", "form": "electronic", "source": "government"},
    {"name": "健康证明", "necessity": "tolerated", "form": "electronic", "source": "other"},
    {"name": "经营场所平面图", "necessity": "optional", "form": "electronic", "source": "applicant"},
]


def food_guide(**overrides) -> dict:
    return guide_data(name="食品经营许可", aliases="餐饮许可", result_name="食品经营许可证",
                      result_licence_type="spjyxk", form_definition=FOOD_FORM,
                      materials=FOOD_MATERIALS, promised_time_limit=10, legal_time_limit=20,
                      **overrides)


class World:
    """Everything a case test needs, built once per test."""

    def __init__(self):
        self.province = RegionFactory()
        self.market = DepartmentFactory(name="吉林省市场监督管理局", code="31", region=self.province)
        self.health = DepartmentFactory(name="吉林省卫生健康委员会", code="32", region=self.province)
        self.other = DepartmentFactory(name="吉林省交通运输厅", code="33", region=self.province)
        self.item = publish_item(self.market, **food_guide())
        WorkflowStep.objects.create(item=self.item, stage=1, name="食品安全审查", department=self.market)
        WorkflowStep.objects.create(item=self.item, stage=1, name="卫生审查", department=self.health)
        self.acceptor = staff(self.market, Role.ACCEPTOR, Role.WINDOW_CLERK, username="acceptor")
        self.examiner = staff(self.market, Role.EXAMINER, username="examiner")
        self.health_examiner = staff(self.health, Role.EXAMINER, username="health_examiner")
        self.decider = staff(self.market, Role.DECIDER, username="decider")
        self.certifier = staff(self.market, Role.CERTIFIER, username="certifier")
        self.outsider = staff(self.other, Role.ACCEPTOR, Role.EXAMINER, Role.DECIDER, username="outsider")
        self.supervisor = UserFactory(username="supervisor")
        self.supervisor.save()  # keeps the factory's password, so force_login's session survives
        RegionMembership.objects.create(user=self.supervisor, region=self.province,
                                        role=RegionRole.SUPERVISOR)
        self.applicant = citizen("王芳")
        self.stranger = citizen("赵强")

    @property
    def user(self):
        return self.applicant.user

    def form(self, **overrides) -> dict:
        return {"applicant_name": "王芳", "shop_name": "净月潭小吃店", "phone": "13900000001",
                **overrides}

    def draft(self, *, files=("营业执照", "健康证明"), applicant=None, **form):
        """The applicant's (王芳 unless given) draft, filled in; applying again as the same person
        continues the same draft."""
        from yiwang.cases import services

        user = applicant or self.user
        case = services.start_application(user, self.item)
        services.save_draft(case, user, self.form(**form))
        for material in case.version.materials.filter(name__in=files):
            services.attach_file(case, user, material.pk, pdf(f"{material.name}.pdf"))
        return case

    def submitted(self, **kwargs):
        from yiwang.cases import services

        return services.submit(self.draft(**kwargs), self.user, key=None)

    def accepted(self, **kwargs):
        from yiwang.cases import services

        return services.accept(self.submitted(**kwargs), self.acceptor)

    def bundle(self):
        """开办餐饮店: the two-department food licence and a second item of the health department."""
        second = publish_item(self.health, **guide_data(
            name="公共场所卫生许可",
            form_definition=[*FOOD_FORM[:3], {"name": "seats", "label": "座位数", "type": "number",
                                              "required": True}],
            materials=[FOOD_MATERIALS[0], {"name": "卫生管理制度", "necessity": "required",
                                           "form": "electronic", "source": "applicant"}],
            promised_time_limit=5))
        return publish_bundle(self.market, [self.item, second], slug="open-restaurant",
                              name="开办餐饮店")
