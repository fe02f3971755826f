from django.contrib import admin, messages

from yiwang.common.errors import DomainError

from .models import Region
from .services import add_subdivision


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "level", "kind"]
    list_filter = ["level"]
    search_fields = ["code", "name", "full_name"]
    readonly_fields = ["path", "full_name", "level"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # Codes and the tree are fixed once created; only names are corrected in place.
        return self.readonly_fields + (["code", "parent"] if obj else [])

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_name = f"{obj.parent.full_name}{obj.name}" if obj.parent else obj.name
            obj.save()
            return
        if obj.parent is None:
            self.message_user(request, "新增区划必须选择上级区划（县级或乡镇级）", messages.ERROR)
            return
        try:
            created = add_subdivision(obj.parent, code=obj.code, name=obj.name, kind=obj.kind)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = created.pk
