"""Seal.department_uscc: the department's USCC as on the seal, fixed at 制发 like its name.
Existing seals take their department's present code, which is the one their signatures carry
unless the department's code changed since."""

from django.db import migrations, models


def fill_department_usccs(apps, schema_editor):
    Seal = apps.get_model("seals", "Seal")
    for seal in Seal.objects.select_related("department").only("pk", "department__uscc"):
        Seal.objects.filter(pk=seal.pk).update(department_uscc=seal.department.uscc)


class Migration(migrations.Migration):

    dependencies = [
        ("seals", "0002_seal_department_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="seal",
            name="department_uscc",
            field=models.CharField(
                default="", max_length=18, verbose_name="印面统一社会信用代码",
                help_text="制发时所属部门的统一社会信用代码。部门换发代码不改变它：签章和公布的公钥都用它"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_department_usccs, migrations.RunPython.noop),
    ]
