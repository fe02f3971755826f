from django import forms
from django.contrib import admin

from yiwang.common.errors import DomainError
from yiwang.common.identifiers import validate_uscc

from .models import Department, Membership, ServiceHall


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "uscc", "code", "region", "address", "phone",
                  "supervision_phone", "description", "website"]

    def clean_uscc(self):
        try:
            return validate_uscc(self.cleaned_data["uscc"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentForm
    list_display = ["name", "code", "uscc", "region"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["region"]


@admin.register(ServiceHall)
class ServiceHallAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "address"]
    raw_id_fields = ["region"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "department"]
