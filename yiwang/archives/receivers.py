"""The archives app listens to case handling: a case that closes is archived after its
transaction commits, in a task, so forming and signing the package never slows or fails the
action that closed the case."""

from django.db import transaction
from django.dispatch import receiver

from yiwang.cases.services import case_closed


@receiver(case_closed)
def archive_when_closed(sender, *, case, **kwargs):
    from .tasks import archive_case

    case_id = case.pk
    transaction.on_commit(lambda: archive_case.enqueue(case_id))
