"""A licence holder's ID number (or USCC) and the licence's data encrypted with SM4-GCM, the rows
there included."""

import yiwang.common.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('licences', '0004_fill_licence_type_name_issuer_uscc'),
    ]

    operations = [
        migrations.AlterField(
            model_name='licence',
            name='data',
            field=yiwang.common.fields.EncryptedJSONField(blank=True, default=dict, verbose_name='证照信息'),
        ),
        migrations.AlterField(
            model_name='licence',
            name='holder_id_number',
            field=yiwang.common.fields.EncryptedTextField(max_length=18, verbose_name='持证主体证件号码'),
        ),
        yiwang.common.fields.encrypt_existing_rows('licences', 'Licence'),
    ]
