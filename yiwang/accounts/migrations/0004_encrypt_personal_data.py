"""ID and mobile numbers, company contact phones and addresses encrypted with SM4-GCM, with blind
indexes for look-ups: add the index columns, turn the columns into ciphertext, encrypt and index
the rows there are, then make the indexes unique where the numbers were."""

import yiwang.common.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_authevent_role_kinds'),
    ]

    operations = [
        migrations.AddField(
            model_name='citizen',
            name='id_number_index',
            field=yiwang.common.fields.BlindIndexField(normalise='id_number', source='id_number'),
        ),
        migrations.AddField(
            model_name='citizen',
            name='mobile_index',
            field=yiwang.common.fields.BlindIndexField(normalise='mobile', source='mobile'),
        ),
        migrations.AddField(
            model_name='populationrecord',
            name='id_number_index',
            field=yiwang.common.fields.BlindIndexField(normalise='id_number', source='id_number'),
        ),
        migrations.AddField(
            model_name='verificationcode',
            name='mobile_index',
            field=yiwang.common.fields.BlindIndexField(db_index=True, normalise='mobile', source='mobile'),
        ),
        migrations.AlterField(
            model_name='citizen',
            name='id_number',
            field=yiwang.common.fields.EncryptedTextField(max_length=18, verbose_name='居民身份证号'),
        ),
        migrations.AlterField(
            model_name='citizen',
            name='mobile',
            field=yiwang.common.fields.EncryptedTextField(max_length=11, verbose_name='手机号'),
        ),
        migrations.AlterField(
            model_name='company',
            name='address',
            field=yiwang.common.fields.EncryptedTextField(blank=True, max_length=200, verbose_name='住所'),
        ),
        migrations.AlterField(
            model_name='company',
            name='contact_phone',
            field=yiwang.common.fields.EncryptedTextField(blank=True, max_length=40, verbose_name='联系电话'),
        ),
        migrations.AlterField(
            model_name='enterpriserecord',
            name='legal_representative_id',
            field=yiwang.common.fields.EncryptedTextField(max_length=18, verbose_name='法定代表人身份证号'),
        ),
        migrations.AlterField(
            model_name='populationrecord',
            name='id_number',
            field=yiwang.common.fields.EncryptedTextField(max_length=18, verbose_name='居民身份证号'),
        ),
        migrations.AlterField(
            model_name='verificationcode',
            name='mobile',
            field=yiwang.common.fields.EncryptedTextField(max_length=11, verbose_name='手机号'),
        ),
        yiwang.common.fields.encrypt_existing_rows(
            'accounts', 'Citizen', 'PopulationRecord', 'EnterpriseRecord', 'Company',
            'VerificationCode'),
        migrations.AlterField(
            model_name='citizen',
            name='id_number_index',
            field=yiwang.common.fields.BlindIndexField(normalise='id_number', source='id_number', unique=True),
        ),
        migrations.AlterField(
            model_name='citizen',
            name='mobile_index',
            field=yiwang.common.fields.BlindIndexField(normalise='mobile', source='mobile', unique=True),
        ),
        migrations.AlterField(
            model_name='populationrecord',
            name='id_number_index',
            field=yiwang.common.fields.BlindIndexField(normalise='id_number', source='id_number', unique=True),
        ),
    ]
