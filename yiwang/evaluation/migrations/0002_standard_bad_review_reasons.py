"""The standard 差评 reasons (the kinds GB/T 39735 and the provinces' 好差评 systems list); the
administrator may add, rename, reorder or switch them off."""

from django.db import migrations

REASONS = (
    ("guide_inaccurate", "办事指南不准确"),
    ("many_trips", "多次跑动"),
    ("overdue", "超时办理"),
    ("attitude", "服务态度差"),
    ("hard_to_use", "平台操作不便"),
    ("extra_materials", "要求提供额外材料"),
    ("long_wait", "排队等候时间长"),
    ("unclear_answer", "咨询答复不清楚"),
    ("other", "其他"),
)


def add_reasons(apps, schema_editor):
    reason = apps.get_model("evaluation", "BadReviewReason")
    for order, (code, name) in enumerate(REASONS, start=1):
        reason.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def remove_reasons(apps, schema_editor):
    apps.get_model("evaluation", "BadReviewReason").objects.filter(
        code__in=[code for code, _ in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(add_reasons, remove_reasons)]
