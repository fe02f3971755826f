"""Licence types are edited here; issued licences are read-only (they change only through the
services, which keep their history and signatures)."""

from django.contrib import admin

from yiwang.common.identifiers import mask_id

from .models import Licence, LicenceEvent, LicenceType, ShareLink


@admin.register(LicenceType)
class LicenceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "issuer_kind", "validity_years", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # The code is part of every identifier issued and is signed (services.signed_content);
        # guides name the type by it. The name may change: licences keep the one they were
        # issued with (Licence.type_name).
        return ["code"] if obj is not None else []


class LicenceEventInline(admin.TabularInline):
    model = LicenceEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "actor", "from_status", "to_status", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["identifier", "type_name", "holder_name", "masked_holder_id", "issuer_name",
                    "valid_until", "status", "delivered_at"]
    list_filter = ["status", "licence_type"]
    search_fields = ["identifier", "holder_name"]
    exclude = ["holder_id_number"]
    inlines = [LicenceEventInline]

    @admin.display(description="证件号码")
    def masked_holder_id(self, obj):
        return mask_id(obj.holder_id_number)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "holder_id_number"] + [
            "masked_holder_id"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["licence", "note", "expires_at", "revoked_at", "created_by"]
    readonly_fields = ["licence", "token_hash", "note", "expires_at", "revoked_at", "created_by"]

    def has_add_permission(self, request):
        return False
