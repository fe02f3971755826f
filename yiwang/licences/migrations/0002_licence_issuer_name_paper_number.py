"""Licence.issuer_name (the issuer's name as signed) and Licence.paper_number (原证书编号 of an
imported paper licence, unique per type and issuer). Existing licences take their issuer's present
name, which is the one their signatures cover unless the department was renamed since."""

from django.db import migrations, models


def fill_issuer_names(apps, schema_editor):
    Licence = apps.get_model("licences", "Licence")
    for licence in Licence.objects.select_related("issuer").only("pk", "issuer__name"):
        Licence.objects.filter(pk=licence.pk).update(issuer_name=licence.issuer.name)


class Migration(migrations.Migration):

    dependencies = [
        ("licences", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="licence",
            name="issuer_name",
            field=models.CharField(
                default="", max_length=100, verbose_name="发证机关名称",
                help_text="签发时发证机关的名称，签章所覆盖的就是它；部门改名不改变它"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_issuer_names, migrations.RunPython.noop),
        migrations.AddField(
            model_name="licence",
            name="paper_number",
            field=models.CharField(
                blank=True, null=True, max_length=60, verbose_name="原证书编号",
                help_text="历史纸质证照入库时原纸质证书的编号；平台签发的证照为空"),
        ),
        migrations.AddConstraint(
            model_name="licence",
            constraint=models.UniqueConstraint(fields=("licence_type", "issuer", "paper_number"),
                                               name="uniq_licence_paper_number"),
        ),
    ]
