from django.tasks import task


@task()
def sign_audit_checkpoint() -> int | None:
    """The sweep: sign a checkpoint of the audit chain if one is due; its seq, or None."""
    from .checkpoints import create_checkpoint

    checkpoint = create_checkpoint()
    return checkpoint.seq if checkpoint else None
