"""A licence world for the workbench licence pages: the market department's licence seal, one
licence it issued (入库 through the service, the quickest way to a sealed one), and a 制证员 of
another department."""

from __future__ import annotations

from django.utils import timezone

from tests.accounts.factories import make_id_number
from tests.factories import staff
from tests.licences.conftest import LicenceWorld
from yiwang.licences import services
from yiwang.orgs.models import Role


class LicenceDesk(LicenceWorld):
    def __init__(self):
        super().__init__()
        self.seal()
        self.other_certifier = staff(self.other, Role.CERTIFIER, username="other_certifier")
        self._paper_numbers = 0

    def issued(self, holder_name: str = "王芳", shop_name: str = "净月潭小吃店"):
        """A licence of the applicant 王芳, or of someone without an account for another name
        (入库 refuses a name that differs from the ID number's account)."""
        self._paper_numbers += 1
        id_number = (self.applicant.id_number if holder_name == self.applicant.name
                     else make_id_number(900 + self._paper_numbers))
        return services.import_licence(
            self.licence_type, issuer=self.market, actor=self.certifier,
            paper_number=f"JY{self._paper_numbers:06d}", holder_kind="person",
            holder_name=holder_name, holder_id_number=id_number,
            valid_from=timezone.localdate(), valid_until=None,
            data={"shop_name": shop_name, "area": "80"})

    def suspended(self):
        return services.suspend_licence(self.issued(), actor=self.certifier, reason="整改期间")
