"""Raw identity data for system administrators. Personal numbers show masked in the lists."""

from django.contrib import admin

from yiwang.common.admin import ReadOnlyAdmin
from yiwang.common.identifiers import mask_id, mask_phone

from .models import AgentAuthorization, AuthEvent, Citizen, Company, EnterpriseRecord, PopulationRecord


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ["pk", "name", "masked_id", "masked_mobile", "assurance_level", "created_at"]
    list_filter = ["assurance_level"]
    search_fields = ["=id_number", "=mobile", "name"]
    raw_id_fields = ["user", "verified_by"]

    @admin.display(description="居民身份证号")
    def masked_id(self, obj):
        return mask_id(obj.id_number)

    @admin.display(description="手机号")
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "created_at"]
    search_fields = ["name", "=uscc"]
    raw_id_fields = ["legal_representative"]


@admin.register(AgentAuthorization)
class AgentAuthorizationAdmin(admin.ModelAdmin):
    list_display = ["company", "valid_from", "valid_until", "revoked_at"]
    raw_id_fields = ["company", "agent", "granted_by", "revoked_by"]


@admin.register(PopulationRecord)
class PopulationRecordAdmin(admin.ModelAdmin):
    list_display = ["pk", "name", "deceased"]
    search_fields = ["=id_number"]


@admin.register(EnterpriseRecord)
class EnterpriseRecordAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "deregistered"]
    search_fields = ["name", "=uscc"]


@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "user", "identifier", "ip"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in AuthEvent._meta.fields]
