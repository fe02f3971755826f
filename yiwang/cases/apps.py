from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
