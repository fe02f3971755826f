"""The applicant's ID number and contact mobile, the answers of a form (a case's and a 一件事's),
what was pre-filled and the registry snapshot a case file keeps, encrypted with SM4-GCM (the ID
number with a blind index for the progress query); the rows there are encrypted and indexed."""

import yiwang.common.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_bundle_versions_cleanup'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='applicant_id_number_index',
            field=yiwang.common.fields.BlindIndexField(db_index=True, normalise='id_number', source='applicant_id_number'),
        ),
        migrations.AlterField(
            model_name='bundleapplication',
            name='form_data',
            field=yiwang.common.fields.EncryptedJSONField(blank=True, default=dict, verbose_name='合并表单'),
        ),
        migrations.AlterField(
            model_name='case',
            name='applicant_id_number',
            field=yiwang.common.fields.EncryptedTextField(blank=True, max_length=18, verbose_name='申请人证件号码'),
        ),
        migrations.AlterField(
            model_name='case',
            name='contact_mobile',
            field=yiwang.common.fields.EncryptedTextField(blank=True, max_length=11, verbose_name='联系电话'),
        ),
        migrations.AlterField(
            model_name='case',
            name='form_data',
            field=yiwang.common.fields.EncryptedJSONField(blank=True, default=dict, verbose_name='申请表'),
        ),
        migrations.AlterField(
            model_name='case',
            name='prefill',
            field=yiwang.common.fields.EncryptedJSONField(blank=True, default=dict, verbose_name='预填来源'),
        ),
        migrations.AlterField(
            model_name='casefile',
            name='registry_snapshot',
            field=yiwang.common.fields.EncryptedJSONField(blank=True, default=dict, verbose_name='共享数据快照'),
        ),
        yiwang.common.fields.encrypt_existing_rows('cases', 'Case', 'BundleApplication', 'CaseFile'),
    ]
