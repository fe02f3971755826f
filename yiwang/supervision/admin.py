"""The audit log and its signed checkpoints in the admin: read only. Records are written by
``audit.record`` alone and checkpoints by ``checkpoints.create_checkpoint``, and neither is ever
changed, so nobody, not even a superuser, is offered add, change or delete."""

from django.contrib import admin

from yiwang.common.admin import ReadOnlyAdmin

from .models import AuditCheckpoint, AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "kind", "actor_name", "subject", "summary", "hash_algorithm"]
    list_filter = ["kind"]
    search_fields = ["kind", "actor_name", "on_behalf", "subject_id", "summary"]
    ordering = ["-seq"]
    # Counting a log of millions of rows on every filtered page is not worth the number.
    show_full_result_count = False

    @admin.display(description="对象")
    def subject(self, obj: AuditRecord) -> str:
        return f"{obj.subject_type} #{obj.subject_id}" if obj.subject_type else ""


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "head_hash", "previous_seq"]
    ordering = ["-seq"]
    show_full_result_count = False
