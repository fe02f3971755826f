"""The standard 差评 reasons; the administrator may add, rename, reorder or switch them off."""

from django.db import migrations

from yiwang.evaluation.standard_reasons import ORDER_STEP, STANDARD_REASONS



def add_reasons(apps, schema_editor):
    reason = apps.get_model("evaluation", "BadReviewReason")
    for order, (code, name) in enumerate(STANDARD_REASONS, start=1):
        reason.objects.get_or_create(code=code, defaults={"name": name, "order": order * ORDER_STEP})


def remove_reasons(apps, schema_editor):
    apps.get_model("evaluation", "BadReviewReason").objects.filter(
        code__in=[code for code, _ in STANDARD_REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(add_reasons, remove_reasons)]
