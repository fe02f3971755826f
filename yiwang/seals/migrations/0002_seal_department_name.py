"""Seal.department_name: the department's name as on the seal, fixed at 制发. Existing seals take
their department's present name, which is the one their signatures carry unless the department
was renamed since."""

from django.db import migrations, models


def fill_department_names(apps, schema_editor):
    Seal = apps.get_model("seals", "Seal")
    for seal in Seal.objects.select_related("department").only("pk", "department__name"):
        Seal.objects.filter(pk=seal.pk).update(department_name=seal.department.name)


class Migration(migrations.Migration):

    dependencies = [
        ("seals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="seal",
            name="department_name",
            field=models.CharField(
                default="", max_length=100, verbose_name="印面部门名称",
                help_text="制发时所属部门的名称，即印面上的文字。部门改名不改变它：签章和公布的公钥都用它，"
                          "改名前签发的证照因此仍可验证；需要新名称的印章应另行制发"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_department_names, migrations.RunPython.noop),
    ]
