"""Registries are set up here; their records and the usage log are read-only (records change
through ``services.put_record`` / ``cancel_record``, which keep the registry's time, and the log
is written only by the services that use the data)."""

from django.contrib import admin

from yiwang.common.admin import ReadOnlyAdmin
from yiwang.common.identifiers import mask_id

from .models import DataUse, Registry, RegistryRecord


@admin.register(Registry)
class RegistryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "provider", "subject_kind", "active"]
    list_filter = ["active", "subject_kind"]
    search_fields = ["code", "name"]


@admin.register(RegistryRecord)
class RegistryRecordAdmin(ReadOnlyAdmin):
    list_display = ["registry", "subject_name", "masked_subject_id", "status", "updated_at"]
    list_filter = ["registry", "status"]
    search_fields = ["subject_name"]
    exclude = ["subject_id_number"]

    @admin.display(description="证件号码")
    def masked_subject_id(self, obj):
        return mask_id(obj.subject_id_number)


@admin.register(DataUse)
class DataUseAdmin(ReadOnlyAdmin):
    list_display = ["used_at", "department", "case", "data_source", "purpose"]
    list_filter = ["department"]
    search_fields = ["data_source", "case__number"]
