"""The licence world of tests/licences with a second item whose guide lets a material be replaced
by the applicant's food licence (免提交), and that licence delivered into 王芳's wallet."""

from __future__ import annotations

import pytest

from tests.cases.factories import FOOD_FORM
from tests.licences.conftest import LicenceWorld, later  # noqa: F401 (a fixture)
from tests.portal.factories import publish_item
from yiwang.cases import services as cases

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
