"""The licence world of tests/licences with a second item whose guide lets a material be replaced
by the applicant's food licence (免提交), and that licence delivered into 王芳's wallet; and the
registry world, where materials are replaced by records of shared registries."""

from __future__ import annotations

import pytest

from tests.accounts.factories import company
from tests.cases.factories import FOOD_FORM, pdf
from tests.factories import DepartmentFactory
from tests.licences.conftest import LicenceWorld, later  # noqa: F401 (a fixture)
from tests.portal.factories import publish_item
from yiwang.cases import services as cases
from yiwang.exchange import services as exchange
from yiwang.exchange.models import Registry
from yiwang.licences.models import HolderKind

RENEWAL_MATERIALS = [
    {"name": "食品经营许可证", "necessity": "required", "form": "electronic", "source": "government",
     "exemption_source": "licence:spjyxk"},
    {"name": "营业执照", "necessity": "required", "form": "electronic", "source": "government",
     "exemption_source": "licence:yyzz"},
    {"name": "延续申请书", "necessity": "required", "form": "electronic", "source": "applicant"},
]


class ReuseWorld(LicenceWorld):
    def __init__(self):
        super().__init__()
        self.seal()
        self.food_licence = self.licence()
        self.renewal = publish_item(self.market, name="食品经营许可延续", form_definition=FOOD_FORM,
                                    materials=RENEWAL_MATERIALS)

    def material(self, case, name: str):
        return case.version.materials.get(name=name)

    def renewal_draft(self, user=None):
        user = user or self.user
        case = cases.start_application(user, self.renewal)
        return cases.save_draft(case, user, self.form())


@pytest.fixture
def world(db):
    return ReuseWorld()


# An item whose 居民户口簿 may come from the population registry's 户籍信息 (data:hukou).
HUKOU_MATERIALS = [
    {"name": "居民户口簿", "necessity": "required", "form": "electronic", "source": "government",
     "exemption_source": "data:hukou"},
    {"name": "变更申请书", "necessity": "required", "form": "electronic", "source": "applicant"},
]
# A company item whose 营业执照 may come from 市场主体登记信息 (data:market_entity).
ENTITY_MATERIALS = [
    {"name": "营业执照", "necessity": "required", "form": "electronic", "source": "government",
     "exemption_source": "data:market_entity"},
    {"name": "变更申请书", "necessity": "required", "form": "electronic", "source": "applicant"},
]
HUKOU_FIELDS = [{"name": "address", "label": "户籍地址"}, {"name": "household_head", "label": "户主"}]


class RegistryWorld(ReuseWorld):
    """The reuse world with two registries on the exchange platform, held for the police and for
    market regulation, 王芳's and 赵强's 户籍信息, and an item asking for each."""

    def __init__(self):
        super().__init__()
        self.police = DepartmentFactory(name="吉林省公安厅", code="11", region=self.province)
        self.hukou = Registry.objects.create(code="hukou", name="户籍信息", provider=self.police,
                                             subject_kind=HolderKind.PERSON, fields=HUKOU_FIELDS)
        self.market_entity = Registry.objects.create(
            code="market_entity", name="市场主体登记信息", provider=self.market,
            subject_kind=HolderKind.COMPANY,
            fields=[{"name": "name", "label": "名称"},
                    {"name": "legal_representative", "label": "法定代表人"}])
        self.wang_hukou = exchange.put_record(
            self.hukou, actor=None, subject_id_number=self.applicant.id_number, subject_name="王芳",
            data={"address": "吉林省长春市净月区永顺路1号", "household_head": "王芳"})
        self.stranger_hukou = exchange.put_record(
            self.hukou, actor=None, subject_id_number=self.stranger.id_number, subject_name="赵强",
            data={"address": "吉林省吉林市船营区北京路2号", "household_head": "赵强"})
        self.change = publish_item(self.market, name="个体工商户变更登记", form_definition=FOOD_FORM,
                                   materials=HUKOU_MATERIALS)

    def change_draft(self, user=None):
        user = user or self.user
        case = cases.start_application(user, self.change)
        return cases.save_draft(case, user, self.form())

    def upload_request(self, case, user=None):
        cases.attach_file(case, user or self.user, self.material(case, "变更申请书").pk, pdf("申请书.pdf"))

    def company_item(self):
        firm = company(self.applicant, name="长春市净月潭绿色食品有限公司")
        record = exchange.put_record(self.market_entity, actor=None, subject_id_number=firm.uscc,
                                     subject_name=firm.name,
                                     data={"name": firm.name, "legal_representative": "王芳"})
        item = publish_item(self.market, name="食品经营许可变更", form_definition=FOOD_FORM,
                            materials=ENTITY_MATERIALS, audience="company")
        return firm, record, item


@pytest.fixture
def registries(db):
    return RegistryWorld()
