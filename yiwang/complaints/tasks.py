from django.tasks import task


@task()
def hotline_daily() -> dict[str, int]:
    """The 12345 daily sweep: 超期督办 of overdue requests, and answered requests whose rating
    window passed closed; returns how many of each."""
    from .services import requests

    return {"escalated": requests.escalate_overdue(), "closed": requests.close_unrated()}
