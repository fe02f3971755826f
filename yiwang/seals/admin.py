"""Seals in the admin: read only. Seals are made with ``manage.py create_seal`` and change status
through the services, which keep the history and the audit log; the private key is never shown,
not even encrypted."""

from django.contrib import admin

from yiwang.common.admin import ReadOnlyAdmin

from .models import Seal, SealEvent, SealUse


class SealEventInline(admin.TabularInline):
    model = SealEvent
    fields = ["at", "actor_name", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Seal)
class SealAdmin(ReadOnlyAdmin):
    list_display = ["seal_code", "name", "kind", "department", "status", "valid_from", "valid_until"]
    list_filter = ["kind", "status"]
    list_select_related = ["department"]
    search_fields = ["seal_code", "name", "department__name"]
    fields = ["seal_code", "name", "kind", "department", "department_name", "department_uscc", "image",
              "public_key_pem", "valid_from", "valid_until", "status", "status_reason",
              "status_changed_at", "created_by", "created_at"]
    readonly_fields = fields
    inlines = [SealEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("encrypted_private_key")


@admin.register(SealUse)
class SealUseAdmin(ReadOnlyAdmin):
    list_display = ["signed_at", "seal", "actor_name", "purpose", "data_hash"]
    list_select_related = ["seal"]
    search_fields = ["seal__seal_code", "actor_name", "purpose", "data_hash", "signature_id"]
    fields = ["seal", "signed_at", "actor_name", "purpose", "data_hash", "signature_id"]
    readonly_fields = fields
    # Counting millions of uses on every filtered page is not worth the number.
    show_full_result_count = False
