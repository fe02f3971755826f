import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_casefile_registry_record'),
        ('exchange', '0002_registries'),
    ]

    operations = [
        migrations.AddField(
            model_name='datause',
            name='item_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='事项'),
        ),
        migrations.AlterField(
            model_name='datause',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='data_uses', to='cases.case', verbose_name='办件'),
        ),
    ]
