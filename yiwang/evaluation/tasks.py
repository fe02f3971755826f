from django.tasks import task


@task()
def aggregate_ratings(month: str | None = None) -> int:
    """Rebuild the 好差评 figures of ``month`` (YYYY-MM), or of this and last month if not given
    (last month's rectifications keep moving for a while); returns the rows written."""
    from .services import statistics

    return sum(statistics.recount_all(statistics.months_to_aggregate(month)).values())
