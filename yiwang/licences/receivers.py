"""The licences app listens to case handling: 制证 issues and seals the licence, 送达 hands it to
the holder's wallet. Both run inside the case's transaction, so a licence that cannot be sealed
stops 制证 instead of leaving a certified case without its licence."""

from django.dispatch import receiver

from yiwang.cases.services import case_certified, case_delivered

from . import services


@receiver(case_certified)
def issue_licence_at_certification(sender, *, case, actor, **kwargs):
    services.issue_for_case(case, actor=actor)


@receiver(case_delivered)
def deliver_licence_with_case(sender, *, case, actor, **kwargs):
    services.deliver_for_case(case, actor=actor)
