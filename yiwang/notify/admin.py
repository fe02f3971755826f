from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "status", "subject", "created_at"]
    list_filter = ["channel", "status"]
    readonly_fields = [f.name for f in Message._meta.fields]
