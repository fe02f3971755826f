"""Existing staff entries get the department their staff member acted for, so a case page shown
to the applicant names the department and never a staff account."""

from django.db import migrations


def fill(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Membership = apps.get_model("orgs", "Membership")
    CaseTask = apps.get_model("cases", "CaseTask")
    events = (CaseEvent.objects.filter(actor__isnull=False, actor__citizen__isnull=True,
                                       actor_department="")
              .select_related("case__department"))
    for event in events.iterator():
        names = dict(Membership.objects.filter(user_id=event.actor_id)
                     .values_list("department_id", "department__name"))
        case = event.case
        candidates = (case.department_id,
                      *CaseTask.objects.filter(case_id=case.pk).values_list("department_id", flat=True))
        event.actor_department = next((names[d] for d in candidates if d in names),
                                      case.department.name)
        event.save(update_fields=["actor_department"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_caseevent_actor_department"),
        ("orgs", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
