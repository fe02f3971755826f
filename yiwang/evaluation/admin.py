from django.contrib import admin

from .models import BadReviewReason, EvaluationPolicy


@admin.register(BadReviewReason)
class BadReviewReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "active")
    list_editable = ("order", "active")


@admin.register(EvaluationPolicy)
class EvaluationPolicyAdmin(admin.ModelAdmin):
    list_display = ("region", "rating_days", "rectification_working_days")
    raw_id_fields = ("region",)
