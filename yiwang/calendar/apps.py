from django.apps import AppConfig


class CalendarConfig(AppConfig):
    """Owns the working-day calendar: the ``chinese-calendar`` package's data, overridden per
    region by imported State Council arrangements and administrators' corrections, and the
    deadline arithmetic in ``workdays``."""

    name = "yiwang.calendar"
    label = "calendar"
    verbose_name = "工作日历"
