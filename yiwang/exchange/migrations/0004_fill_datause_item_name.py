from django.db import migrations


def fill_item_names(apps, schema_editor):
    DataUse = apps.get_model("exchange", "DataUse")
    for use in DataUse.objects.filter(item_name="", case__isnull=False).select_related("case__version"):
        use.item_name = use.case.version.name
        use.save(update_fields=["item_name"])


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0003_datause_item_name'),
    ]

    operations = [
        migrations.RunPython(fill_item_names, migrations.RunPython.noop),
    ]
