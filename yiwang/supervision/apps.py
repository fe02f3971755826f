from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


class SupervisionConfig(AppConfig):
    name = "yiwang.supervision"
    label = "supervision"
    verbose_name = "电子监察"

    def ready(self):
        post_migrate.connect(create_audit_head, sender=self)


def create_audit_head(app_config, *, using, apps=global_apps, **kwargs):
    """Have the head row before the first append, after ``migrate`` and after ``flush`` (which
    empties it, as transactional tests do). Concurrent first appends on MySQL/MariaDB would
    otherwise race to create it, and InnoDB ends that race in a deadlock that rolls back the
    callers' transactions, not in a duplicate-key error ``audit.record`` could step over."""
    from .models import HEAD_PK

    try:
        model = apps.get_model("supervision", "AuditHead")
    except LookupError:
        return  # migrated back to before the head existed
    model.objects.using(using).get_or_create(pk=HEAD_PK)
