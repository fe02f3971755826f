from django.contrib import admin

from .models import HallItem, OpeningPeriod, Queue, Terminal, Window


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("hall", "number", "name", "kind", "department", "active")
    list_filter = ("kind", "active")


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("hall", "code", "name", "window_kind", "category", "department", "active")


@admin.register(HallItem)
class HallItemAdmin(admin.ModelAdmin):
    list_display = ("hall", "item", "window_kind", "queue", "average_minutes", "bookable", "active")


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(admin.ModelAdmin):
    list_display = ("hall", "day_kind", "start", "end")


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "hall", "location", "status", "last_seen_at")
    readonly_fields = ("key_hash",)
