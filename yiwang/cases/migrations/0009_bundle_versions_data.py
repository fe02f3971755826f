"""Each existing bundle becomes its first version: published if it was active, withdrawn if not;
its items and applications move to that version."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Bundle = apps.get_model("cases", "Bundle")
    BundleVersion = apps.get_model("cases", "BundleVersion")
    BundleItem = apps.get_model("cases", "BundleItem")
    BundleApplication = apps.get_model("cases", "BundleApplication")
    now = timezone.now()
    for bundle in Bundle.objects.all():
        version = BundleVersion.objects.create(
            bundle=bundle, number=1, status="published" if bundle.active else "withdrawn",
            name=bundle.name, description=bundle.description,
            lead_department_id=bundle.lead_department_id, published_at=now)
        BundleItem.objects.filter(bundle=bundle).update(version=version)
        BundleApplication.objects.filter(bundle=bundle).update(version=version)
        bundle.created_at = now
        bundle.published_version = version if bundle.active else None
        bundle.save(update_fields=["created_at", "published_version"])


def backwards(apps, schema_editor):
    Bundle = apps.get_model("cases", "Bundle")
    BundleItem = apps.get_model("cases", "BundleItem")
    for bundle in Bundle.objects.all():
        version = bundle.versions.order_by("-number").first()
        if version is None:
            continue
        bundle.name, bundle.description = version.name, version.description
        bundle.lead_department_id = version.lead_department_id
        bundle.active = bundle.published_version_id is not None
        bundle.save(update_fields=["name", "description", "lead_department", "active"])
        BundleItem.objects.filter(version=version).update(bundle=bundle)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_bundle_versions")]
    operations = [migrations.RunPython(forwards, backwards)]
