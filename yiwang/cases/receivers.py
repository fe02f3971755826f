"""The cases app listens to the calendar: a changed year moves the deadlines computed with it."""

from django.dispatch import receiver

from yiwang.calendar.signals import calendar_changed


@receiver(calendar_changed)
def recompute_after_calendar_change(sender, *, years, region_path, **kwargs):
    from .tasks import recompute_deadlines

    recompute_deadlines.enqueue(region_path, sorted(years))
