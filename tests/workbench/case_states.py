"""The case world of tests/cases plus the staff the workbench pages need, and cases brought to
each state in which an action of the case page is legitimate."""

from __future__ import annotations

from tests.cases.factories import World, pdf
from tests.factories import staff
from yiwang.cases import services
from yiwang.cases.models import Case, CaseTask, TaskKind
from yiwang.catalog.models import GuideVersion
from yiwang.orgs.models import Role


class Desk(World):
    """World, and in the market department a catalogue editor (staff without a case role) and a
    department administrator (who edits the item's review workflow)."""

    def __init__(self):
        super().__init__()
        self.market_editor = staff(self.market, Role.CATALOG_EDITOR, username="market_editor")
        self.market_admin = staff(self.market, Role.DEPARTMENT_ADMIN, username="market_admin")

    def task(self, case: Case, kind: str, department=None) -> CaseTask:
        tasks = CaseTask.objects.filter(case=case, kind=kind)
        return tasks.get(department=department) if department is not None else tasks.latest("pk")

    def reviewed(self) -> Case:
        """Both departments agreed: the decision is open."""
        case = self.accepted()
        services.complete_review(self.task(case, TaskKind.REVIEW, self.market), self.examiner,
                                 approve=True)
        services.complete_review(self.task(case, TaskKind.REVIEW, self.health), self.health_examiner,
                                 approve=True)
        return case

    def approved(self) -> Case:
        return services.decide(self.reviewed(), self.decider, outcome="approved")

    def certified(self) -> Case:
        return services.certify(self.approved(), self.certifier)

    def correcting(self) -> Case:
        case = self.accepted()
        services.request_correction(case, self.examiner, [
            {"kind": "field", "target": "shop_name", "message": "店铺名称与营业执照不一致"}])
        return case

    def special(self) -> Case:
        case = self.accepted()
        services.start_special(case, self.examiner, kind="expert", reason="需专家评审",
                               expected_days=5)
        return case

    def committed(self) -> Case:
        """Decided on the applicant's commitment (承诺办理): the verification task is open."""
        GuideVersion.objects.filter(item=self.item).update(commitment_allowed=True)
        case = self.draft()
        services.save_draft(case, self.user, self.form(), commitment=True,
                            commitment_text="本人承诺经营场所符合卫生要求")
        case = services.accept(services.submit(case, self.user), self.acceptor)
        return services.decide(case, self.decider, outcome="approved")

    def bundled(self) -> list[Case]:
        """开办餐饮店 applied for and received: two cases, accepted at the market window."""
        bundle = self.bundle()
        application = services.start_bundle(self.user, bundle)
        services.save_bundle_draft(application, self.user, {**self.form(), "seats": "20"})
        for material in services.merged_form(bundle.published_version).materials:
            services.attach_bundle_file(application, self.user, material.key, pdf(f"{material.name}.pdf"))
        return services.submit_bundle(application, self.user)
