"""Raw-data administration. Guide content changes go through the workbench editor and its review
flow, so versions and their materials are read-only here."""

from django.contrib import admin

from .models import GuideVersion, ImportJob, Material, ServiceItem, Synonym, Topic, VersionEvent


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "audience", "order"]
    list_filter = ["kind", "audience"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansions"]
    search_fields = ["term", "expansions"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = GuideVersion
    fields = ["number", "name", "status", "published_at", "created_by"]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["handling_code", "published_name", "item_type", "level", "department"]
    list_filter = ["item_type", "level"]
    search_fields = ["handling_code", "implementation_code", "basic_code", "versions__name"]
    list_select_related = ["published_version", "department"]
    readonly_fields = ["basic_code", "implementation_code", "handling_code", "item_type", "level",
                       "department", "region", "published_version"]
    filter_horizontal = ["topics"]
    inlines = [VersionInline]

    @admin.display(description="事项名称")
    def published_name(self, obj):
        return obj.published_version.name if obj.published_version else "（未发布）"

    def has_add_permission(self, request):
        return False


class MaterialInline(ReadOnlyInline):
    model = Material
    fields = ["order", "name", "necessity", "form", "source"]


class EventInline(ReadOnlyInline):
    model = VersionEvent
    fields = ["at", "action", "actor", "comment"]


@admin.register(GuideVersion)
class GuideVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "status", "item", "published_at"]
    list_filter = ["status"]
    search_fields = ["name", "item__handling_code"]
    inlines = [MaterialInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "processed", "total", "created_by", "created_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
