"""SM3 for new audit records (the rows already there keep SHA-256, which they were hashed with),
the head's last time (strictly increasing times), and the signed checkpoints."""

from django.db import migrations, models


def head_time_from_last_record(apps, schema_editor):
    """The head learns the last record's time, so the first record after the upgrade is later
    than it."""
    head_model = apps.get_model("supervision", "AuditHead")
    record_model = apps.get_model("supervision", "AuditRecord")
    last = record_model.objects.order_by("-seq").values_list("at", flat=True).first()
    if last is not None:
        head_model.objects.filter(pk=1).update(last_at=last)


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="hash_algorithm",
            field=models.CharField(choices=[("sha256", "SHA-256"), ("sm3", "SM3")], default="sha256",
                                   max_length=8, verbose_name="哈希算法"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="audithead",
            name="last_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最后记录时间"),
        ),
        migrations.RunPython(head_time_from_last_record, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(help_text="检查点时审计链最后一条记录的序号",
                                                       unique=True, verbose_name="链上序号")),
                ("head_hash", models.CharField(max_length=64, verbose_name="链头哈希")),
                ("at", models.DateTimeField(verbose_name="检查点时间")),
                ("previous_seq", models.PositiveBigIntegerField(blank=True, null=True,
                                                                verbose_name="前一检查点序号")),
                ("previous_digest", models.CharField(blank=True, max_length=64,
                                                     verbose_name="前一检查点摘要")),
                ("digest", models.CharField(help_text="签名数据规范形式的 SM3 摘要", max_length=64,
                                            verbose_name="摘要（SM3）")),
                ("signature", models.JSONField(verbose_name="签章")),
            ],
            options={
                "verbose_name": "审计链检查点",
                "verbose_name_plural": "审计链检查点",
                "ordering": ["seq"],
            },
        ),
    ]
