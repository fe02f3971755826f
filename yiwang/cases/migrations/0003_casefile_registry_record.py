import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_casefile_licence'),
        ('exchange', '0002_registries'),
    ]

    operations = [
        migrations.AddField(
            model_name='casefile',
            name='registry_record',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='case_files', to='exchange.registryrecord', verbose_name='共享数据（免提交）'),
        ),
        migrations.AddField(
            model_name='casefile',
            name='registry_snapshot',
            field=models.JSONField(blank=True, default=dict, verbose_name='共享数据快照'),
        ),
    ]
