"""Licence.type_name (the licence type's name as signed) and Licence.issuer_uscc (the issuer's
USCC as signed), so that renaming a licence type or giving a department a new USCC no longer
breaks the signatures of the licences issued before. 0004 fills them for existing licences."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("licences", "0002_licence_issuer_name_paper_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="licence",
            name="type_name",
            field=models.CharField(
                default="", max_length=100, verbose_name="证照名称",
                help_text="签发时证照类型的名称，签章所覆盖的就是它；证照类型改名不改变它"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="licence",
            name="issuer_uscc",
            field=models.CharField(
                default="", max_length=18, verbose_name="发证机关统一社会信用代码",
                help_text="签发时发证机关的统一社会信用代码，签章所覆盖的就是它；部门换发代码不改变它"),
            preserve_default=False,
        ),
    ]
