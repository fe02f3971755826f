"""Admin building blocks shared by the apps."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log or a copy kept by services alone (audit records, log-in events, registry records,
    the data-use log): everyone, superusers too, may read it and nobody may add, change or delete
    a row here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
