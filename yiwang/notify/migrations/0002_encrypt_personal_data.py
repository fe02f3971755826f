"""A message's mobile number or e-mail address encrypted with SM4-GCM, with a blind index; the
rows there are encrypted and indexed."""

import yiwang.common.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notify', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='message',
            name='address_index',
            field=yiwang.common.fields.BlindIndexField(db_index=True, normalise='contact', source='address'),
        ),
        migrations.AlterField(
            model_name='message',
            name='address',
            field=yiwang.common.fields.EncryptedTextField(blank=True, max_length=254, verbose_name='手机号或邮箱'),
        ),
        yiwang.common.fields.encrypt_existing_rows('notify', 'Message'),
    ]
