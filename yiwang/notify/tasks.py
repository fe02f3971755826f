from django.tasks import task


@task()
def deliver_message(message_id: int) -> None:
    from .services import deliver

    deliver(message_id)
