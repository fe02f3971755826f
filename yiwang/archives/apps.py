from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "yiwang.archives"
    label = "archives"
    verbose_name = "电子档案"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
