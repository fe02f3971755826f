"""Every change to the working-day calendar: importing a year's arrangement, correcting one day,
recording that a year is known. Each returns a ``CalendarChange`` and, after commit, sends
``signals.calendar_changed`` so that deadlines computed with the old calendar can be recomputed.

Who may change what: the system administrator (superuser) everything; a 区域管理员
(``orgs.RegionRole.REGION_ADMIN``) the calendar of the region they administer and of every region
under it; nobody else. The nationwide calendar is the system administrator's alone. ``actor=None``
is the system operator at the command line (``manage.py import_holidays`` without ``--user``) and
is not checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from yiwang.common.errors import Conflict, PermissionDenied, ValidationError
from yiwang.orgs.models import RegionRole
from yiwang.orgs.services import scope_regions

from . import workdays
from .arrangement import MAX_NAME, parse_arrangement, parse_kind
from .models import CalendarDay, DayKind, DaySource, KnownYear
from .signals import calendar_changed


@dataclass(frozen=True)
class CalendarChange:
    """What one calendar change touched. ``region_path`` is "" for the nationwide calendar; the
    change applies to that region and everything under it."""

    region_code: str | None
    region_path: str
    years: frozenset[int]
    created: tuple[dt.date, ...] = ()
    updated: tuple[dt.date, ...] = ()
    removed: tuple[dt.date, ...] = ()
    known_years: tuple[int, ...] = ()  # years newly recorded (or no longer) as known

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.known_years)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(sorted({*self.created, *self.updated, *self.removed}))


# --- permission ----------------------------------------------------------------------------------


def can_manage_calendar(user, region) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if region is None:
        return False
    return any(region.path.startswith(r.path) for r in scope_regions(user, RegionRole.REGION_ADMIN))


def require_calendar_admin(actor, region) -> None:
    """Raise PermissionDenied unless ``actor`` may change the calendar of ``region`` (None =
    nationwide). ``actor=None`` is the command-line system operator."""
    if actor is None or can_manage_calendar(actor, region):
        return
    if region is None:
        raise PermissionDenied("只有系统管理员可以维护全国工作日历", code="calendar.permission_denied")
    raise PermissionDenied(
        f"您不是{region.full_name or region.name}或其上级区划的区域管理员，无权维护该地工作日历",
        code="calendar.permission_denied")


# --- helpers -------------------------------------------------------------------------------------


def _change(region, years, **kwargs) -> CalendarChange:
    return CalendarChange(region_code=region.code if region else None,
                          region_path=region.path if region else "", years=frozenset(years), **kwargs)


def _announce(change: CalendarChange) -> CalendarChange:
    """Forget cached day sets now (later reads in this transaction see the change) and again after
    commit (a read in between may have cached the old rows), then tell listeners."""
    if not change.changed:
        return change
    workdays.invalidate()

    def committed():
        workdays.invalidate()
        calendar_changed.send(sender=CalendarChange, change=change, years=change.years,
                              region_path=change.region_path)

    transaction.on_commit(committed)
    return change


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not (
            workdays.MIN_YEAR <= year <= workdays.MAX_YEAR):
        raise ValidationError(f"年份须在{workdays.MIN_YEAR}年至{workdays.MAX_YEAR}年之间",
                              code="calendar.year_invalid")
    return year


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- importing a year ----------------------------------------------------------------------------


def import_arrangement(content: bytes | str, *, actor, region=None, year: int | None = None,
                       note: str = "") -> CalendarChange:
    """Import one year's State Council arrangement (a table, see ``arrangement``) for ``region``
    (None = nationwide) and record the year as known, so its deadlines are no longer provisional.

    All or nothing: any bad row and nothing is written (ValidationError listing every row). The
    table is the year's whole arrangement: rows imported for the same year and region before and
    absent now are removed; an administrator's correction of a date the table lists is replaced
    by the table's row; other corrections stay. For a year chinese-calendar knows, the package's
    days stay underneath and the table's rows win where they differ."""
    require_calendar_admin(actor, region)
    if year is not None:
        _check_year(year)
    table = parse_arrangement(content, year=year)
    created, updated, removed = [], [], []
    try:
        with transaction.atomic():
            # order_by(): the default ordering joins the nullable region, and PostgreSQL refuses
            # FOR UPDATE on the nullable side of an outer join.
            existing = {d.date: d for d in CalendarDay.objects.select_for_update().order_by()
                        .filter(region=region, date__range=_year_range(table.year))}
            for row in table.rows:
                day = existing.pop(row.date, None)
                if day is None:
                    CalendarDay.objects.create(
                        date=row.date, region=region, kind=row.kind, name=row.name, note=row.note,
                        source=DaySource.IMPORTED, created_by=actor, updated_by=actor)
                    created.append(row.date)
                elif (day.kind, day.name, day.source, day.note) != (row.kind, row.name,
                                                                     DaySource.IMPORTED, row.note):
                    day.kind, day.name, day.source, day.note = (row.kind, row.name, DaySource.IMPORTED,
                                                                row.note)
                    day.updated_by = actor
                    day.save()
                    updated.append(row.date)
            for day in existing.values():
                if day.source == DaySource.IMPORTED:
                    removed.append(day.date)
                    day.delete()
            known, made = KnownYear.objects.select_for_update().order_by().get_or_create(
                year=table.year, region=region,
                defaults={"source": DaySource.IMPORTED, "recorded_by": actor, "note": note})
            if not made:
                known.source, known.recorded_by, known.note = DaySource.IMPORTED, actor, note or known.note
                known.save()
            change = _change(region, {table.year}, created=tuple(created), updated=tuple(updated),
                             removed=tuple(removed), known_years=(table.year,) if made else ())
            return _announce(change)
    except IntegrityError:
        raise Conflict("另一项修改正在写入同一年度的日历，请稍后重试",
                       code="calendar.concurrent_change") from None


# --- one day -------------------------------------------------------------------------------------


def check_day(actor, *, date: dt.date, kind: str, name: str = "", region=None) -> tuple[dt.date, str]:
    """Validate a single-day correction without writing it (the admin form uses this)."""
    require_calendar_admin(actor, region)
    date = workdays.as_date(date)
    kind_value = kind if kind in DayKind.values else parse_kind(kind or "")
    if kind_value is None:
        raise ValidationError(f"类型“{kind}”无效，应为法定节假日或调休上班日", code="calendar.kind_invalid")
    if len(name or "") > MAX_NAME:
        raise ValidationError(f"节日名称不能超过{MAX_NAME}个字", code="calendar.name_too_long")
    return date, kind_value


def set_day(*, actor, date: dt.date, kind: str, name: str = "", region=None,
            note: str = "") -> CalendarChange:
    """Add or correct one day for ``region`` (None = nationwide): a holiday (e.g. a local holiday,
    or a day the package has wrong) or a working day (a 调休 weekend, or a weekday the package
    wrongly gives off). The row beats the package and, for a region, the nationwide row."""
    date, kind = check_day(actor, date=date, kind=kind, name=name, region=region)
    name, note = (name or "").strip(), (note or "").strip()
    try:
        with transaction.atomic():
            day = (CalendarDay.objects.select_for_update().order_by()
                   .filter(date=date, region=region).first())
            if day is None:
                CalendarDay.objects.create(date=date, region=region, kind=kind, name=name, note=note,
                                           source=DaySource.MANUAL, created_by=actor, updated_by=actor)
                return _announce(_change(region, {date.year}, created=(date,)))
            if (day.kind, day.name, day.note) == (kind, name, note):
                return _change(region, {date.year})
            day.kind, day.name, day.note, day.source, day.updated_by = (kind, name, note, DaySource.MANUAL,
                                                                        actor)
            day.save()
            return _announce(_change(region, {date.year}, updated=(date,)))
    except IntegrityError:
        raise Conflict(f"{date:%Y-%m-%d}已被同时修改，请刷新后重试",
                       code="calendar.concurrent_change") from None


def remove_day(*, actor, day: CalendarDay) -> CalendarChange:
    """Delete an override: the day falls back to the nationwide row, the package or the
    weekday rule."""
    require_calendar_admin(actor, day.region)
    with transaction.atomic():
        deleted, _ = CalendarDay.objects.filter(pk=day.pk).delete()
        change = _change(day.region, {day.date.year}, removed=(day.date,) if deleted else ())
        return _announce(change)


# --- known years ---------------------------------------------------------------------------------


def mark_year_known(*, actor, year: int, region=None, note: str = "") -> CalendarChange:
    """Record that ``year``'s arrangement has been entered in full for ``region`` by hand (day
    by day with ``set_day``), so its deadlines become final."""
    require_calendar_admin(actor, region)
    _check_year(year)
    with transaction.atomic():
        _, made = KnownYear.objects.get_or_create(
            year=year, region=region,
            defaults={"source": DaySource.MANUAL, "recorded_by": actor, "note": note})
        return _announce(_change(region, {year}, known_years=(year,) if made else ()))


def forget_year(*, actor, known: KnownYear) -> CalendarChange:
    """Withdraw a KnownYear: deadlines in a year the package does not know become provisional."""
    require_calendar_admin(actor, known.region)
    with transaction.atomic():
        deleted, _ = KnownYear.objects.filter(pk=known.pk).delete()
        return _announce(_change(known.region, {known.year}, known_years=(known.year,) if deleted else ()))
