from django.tasks import task


@task()
def remind_rectifications() -> int:
    """差评整改 reminders of today (黄灯 to the handlers, 红灯 to the supervisors too)."""
    from .services import rectification

    return rectification.remind()


@task()
def aggregate_ratings(month: str | None = None) -> int:
    """Rebuild the 好差评 figures of ``month`` (YYYY-MM), or of this and last month if not given
    (last month's rectifications keep moving for a while); returns the rows written."""
    from .services import statistics

    return sum(statistics.recount_all(statistics.months_to_aggregate(month)).values())
