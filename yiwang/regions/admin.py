from django import forms
from django.contrib import admin

from yiwang.common.errors import DomainError

from .models import Region
from .services import add_subdivision, check_subdivision, rename_region


class RegionAddForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "kind", "parent"]

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if parent is None:
            raise forms.ValidationError("新增区划必须选择上级区划（县级或乡镇级）")
        try:
            check_subdivision(parent, code=data.get("code", ""), name=data.get("name", ""))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "level", "kind"]
    list_filter = ["level"]
    search_fields = ["code", "name", "full_name"]
    raw_id_fields = ["parent"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RegionAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Codes and the tree are fixed once created; names and kinds are corrected in place.
        return ["code", "parent", "level", "path", "full_name"] if obj else []

    def get_fields(self, request, obj=None):
        return ["code", "name", "kind", "parent"] + (["level", "path", "full_name"] if obj else [])

    def save_model(self, request, obj, form, change):
        if change:
            rename_region(obj, name=obj.name, kind=obj.kind)
            return
        created = add_subdivision(obj.parent, code=obj.code, name=obj.name, kind=obj.kind)
        obj.pk = created.pk
