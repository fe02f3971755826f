"""Fill Licence.type_name and Licence.issuer_uscc of the existing licences from their licence type
and issuer: the present name and USCC are the ones their signatures cover (signed_content read
them from the related rows until now), unless a type was renamed or a USCC changed since, and
then the signature was already broken. One UPDATE with subqueries, not a loop per licence; a
subquery on another table is allowed in an UPDATE on SQLite, PostgreSQL and MariaDB alike.

Reversing does nothing: reversing 0003 drops the columns."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Licence = apps.get_model("licences", "Licence")
    LicenceType = apps.get_model("licences", "LicenceType")
    Department = apps.get_model("orgs", "Department")
    Licence.objects.update(
        type_name=Subquery(LicenceType.objects.filter(pk=OuterRef("licence_type_id")).values("name")[:1]),
        issuer_uscc=Subquery(Department.objects.filter(pk=OuterRef("issuer_id")).values("uscc")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("licences", "0003_licence_type_name_issuer_uscc"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
