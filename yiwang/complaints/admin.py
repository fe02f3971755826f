from django.contrib import admin

from .models import DispatchRule, HotlineRequest, ReplyDeadline


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ("region", "kind", "keywords", "item", "department", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("kind", "active")
    raw_id_fields = ("region", "item", "department")


@admin.register(ReplyDeadline)
class ReplyDeadlineAdmin(admin.ModelAdmin):
    list_display = ("region", "kind", "working_days")
    list_filter = ("kind",)
    raw_id_fields = ("region",)


@admin.register(HotlineRequest)
class HotlineRequestAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services, which write the 流转记录 and the audit
    record; the admin is for looking up a number. Personal data stays off the list."""

    list_display = ("number", "kind", "channel", "status", "region", "department", "due_on",
                    "created_at")
    list_filter = ("status", "kind", "channel")
    search_fields = ("number", "title")
    fields = ("number", "kind", "channel", "status", "title", "content", "region", "department",
              "due_on", "created_at", "answer", "answered_at", "satisfaction", "closed_at",
              "reopen_count", "escalated_at", "parent")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
