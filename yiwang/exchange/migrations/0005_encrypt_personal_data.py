"""A registry record's subject ID number and data encrypted with SM4-GCM; uniqueness per registry
moves to the ID number's blind index once the rows there are encrypted and indexed."""

import yiwang.common.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0004_fill_datause_item_name'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='registryrecord',
            options={'ordering': ['registry_id', 'id'], 'verbose_name': '共享数据记录', 'verbose_name_plural': '共享数据记录'},
        ),
        migrations.RemoveConstraint(
            model_name='registryrecord',
            name='uniq_registry_subject',
        ),
        migrations.AddField(
            model_name='registryrecord',
            name='subject_id_number_index',
            field=yiwang.common.fields.BlindIndexField(normalise='id_number', source='subject_id_number'),
        ),
        migrations.AlterField(
            model_name='registryrecord',
            name='data',
            field=yiwang.common.fields.EncryptedJSONField(blank=True, default=dict, verbose_name='数据内容'),
        ),
        migrations.AlterField(
            model_name='registryrecord',
            name='subject_id_number',
            field=yiwang.common.fields.EncryptedTextField(help_text='个人为居民身份证号，单位为统一社会信用代码', max_length=18, verbose_name='数据主体证件号码'),
        ),
        yiwang.common.fields.encrypt_existing_rows('exchange', 'RegistryRecord'),
        migrations.AddConstraint(
            model_name='registryrecord',
            constraint=models.UniqueConstraint(fields=('registry', 'subject_id_number_index'), name='uniq_registry_subject'),
        ),
    ]
