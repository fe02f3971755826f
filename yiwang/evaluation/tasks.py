from django.tasks import task


@task()
def remind_rectifications() -> int:
    """差评整改 reminders of today (黄灯 to the handlers, 红灯 to the supervisors too)."""
    from .services import rectification

    return rectification.remind()
