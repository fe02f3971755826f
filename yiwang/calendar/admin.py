"""Calendar administration. Every save and delete goes through ``services`` so the permission
check, the cache and ``calendar_changed`` behave as they do for imports."""

from django import forms
from django.contrib import admin

from yiwang.common.errors import DomainError

from . import services
from .models import CalendarDay, KnownYear


def _form_error(exc: DomainError) -> forms.ValidationError:
    return forms.ValidationError(exc.message, code=exc.code)


class ScopedAdmin(admin.ModelAdmin):
    """Django's model permissions, and for one object also the calendar's region scope, so an
    administrator is never offered a change the service would refuse."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or services.can_manage_calendar(request.user, obj.region))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or services.can_manage_calendar(request.user, obj.region))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would skip the service
        return actions


class CalendarDayForm(forms.ModelForm):
    actor = None  # set by ScopedAdmin.get_form

    class Meta:
        model = CalendarDay
        fields = ["date", "region", "kind", "name", "note"]

    def clean(self):
        data = super().clean()
        date = data.get("date", self.instance.date)
        region = data.get("region", self.instance.region if self.instance.pk else None)
        if date and data.get("kind"):
            try:
                services.check_day(self.actor, date=date, kind=data["kind"], name=data.get("name", ""),
                                   region=region)
            except DomainError as exc:
                raise _form_error(exc) from exc
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ["date", "kind", "name", "region", "source", "updated_by", "updated_at"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"
    search_fields = ["name", "note", "region__name", "region__code"]
    raw_id_fields = ["region"]
    form = CalendarDayForm
    actions = ["delete_through_service"]

    def get_readonly_fields(self, request, obj=None):
        # A row is the override of one date in one region; another date is another row.
        return ["date", "region", "source", "created_by", "updated_by"] if obj else []

    def save_model(self, request, obj, form, change):
        services.set_day(actor=request.user, date=obj.date, kind=obj.kind, name=obj.name,
                         region=obj.region, note=obj.note)
        saved = CalendarDay.objects.get(date=obj.date, region=obj.region)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_day(actor=request.user, day=obj)

    @admin.action(description="删除所选日历调整日（恢复为默认安排）", permissions=["delete"])
    def delete_through_service(self, request, queryset):
        done = 0
        for day in queryset.select_related("region"):
            try:
                services.remove_day(actor=request.user, day=day)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{day}：{exc.message}", level="error")
        self.message_user(request, f"已删除{done}个日历调整日")


class KnownYearForm(forms.ModelForm):
    actor = None

    class Meta:
        model = KnownYear
        fields = ["year", "region", "note"]

    def clean(self):
        data = super().clean()
        region = self.instance.region if self.instance.pk else data.get("region")
        if self.actor is not None:
            try:
                services.require_calendar_admin(self.actor, region)
            except DomainError as exc:
                raise _form_error(exc) from exc
        return data


@admin.register(KnownYear)
class KnownYearAdmin(ScopedAdmin):
    list_display = ["year", "region", "source", "recorded_by", "recorded_at"]
    list_filter = ["source"]
    raw_id_fields = ["region"]
    form = KnownYearForm

    def get_readonly_fields(self, request, obj=None):
        return ["year", "region", "source", "recorded_by", "recorded_at"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note"])
            return
        services.mark_year_known(actor=request.user, year=obj.year, region=obj.region, note=obj.note)
        obj.pk = KnownYear.objects.get(year=obj.year, region=obj.region).pk

    def delete_model(self, request, obj):
        services.forget_year(actor=request.user, known=obj)
