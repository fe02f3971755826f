from django.tasks import task


@task()
def mark_no_shows(day: str | None = None) -> int:
    """爽约 of ``day`` (YYYY-MM-DD, yesterday if not given); returns how many were marked."""
    from .services import appointments

    return appointments.mark_no_shows(appointments.no_show_day(day))
