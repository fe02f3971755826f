from django.tasks import task


@task()
def recompute_deadlines(region_path: str, years: list[int]) -> int:
    from .services import recompute_deadlines as recompute

    return recompute(region_path=region_path, years=years)


@task()
def send_case_reminders() -> int:
    from .services import send_reminders

    return send_reminders()
