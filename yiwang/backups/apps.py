from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "yiwang.backups"
    label = "backups"
    verbose_name = "灾备"
