import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0001_initial'),
        ('orgs', '0002_region_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='Registry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='如 hukou、market_entity；办事指南中写作 data:hukou', max_length=40, unique=True, validators=[django.core.validators.RegexValidator('^[a-z][a-z0-9_]*$', '小写字母开头的小写字母、数字或下划线')], verbose_name='数据项代码')),
                ('name', models.CharField(max_length=100, verbose_name='数据项名称')),
                ('subject_kind', models.CharField(choices=[('person', '自然人'), ('company', '法人')], max_length=10, verbose_name='数据主体类别')),
                ('fields', models.JSONField(blank=True, default=list, help_text='[{"name": "address", "label": "户籍地址"}, …]', verbose_name='数据字段')),
                ('active', models.BooleanField(default=True, verbose_name='提供中')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registries', to='orgs.department', verbose_name='提供部门')),
            ],
            options={
                'verbose_name': '共享数据项',
                'verbose_name_plural': '共享数据项',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='RegistryRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_id_number', models.CharField(help_text='个人为居民身份证号，单位为统一社会信用代码', max_length=18, verbose_name='数据主体证件号码')),
                ('subject_name', models.CharField(max_length=200, verbose_name='数据主体名称')),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='数据内容')),
                ('status', models.CharField(choices=[('valid', '有效'), ('cancelled', '已注销')], default='valid', max_length=10, verbose_name='状态')),
                ('status_reason', models.CharField(blank=True, max_length=200, verbose_name='状态原因')),
                ('updated_at', models.DateTimeField(verbose_name='数据更新时间')),
                ('registry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='exchange.registry', verbose_name='共享数据项')),
            ],
            options={
                'verbose_name': '共享数据记录',
                'verbose_name_plural': '共享数据记录',
                'ordering': ['registry_id', 'subject_id_number'],
                'constraints': [models.UniqueConstraint(fields=('registry', 'subject_id_number'), name='uniq_registry_subject')],
            },
        ),
        migrations.AddField(
            model_name='datause',
            name='registry_record',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='uses', to='exchange.registryrecord', verbose_name='共享数据记录'),
        ),
    ]
