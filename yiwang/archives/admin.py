from django.contrib import admin

from .models import ArchivePackage, DisposalRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    """The archive changes only through its services (formed by the platform, disposed of by two
    approvals): the admin shows it and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchivePackage)
class ArchivePackageAdmin(ReadOnlyAdmin):
    list_display = ("number", "item_name", "department", "outcome", "closed_at", "retention",
                    "retention_until")
    list_filter = ("retention",)
    search_fields = ("number", "item_name")


@admin.register(DisposalRecord)
class DisposalRecordAdmin(ReadOnlyAdmin):
    list_display = ("number", "item_name", "department", "retention_until", "disposed_at")
    search_fields = ("number",)
