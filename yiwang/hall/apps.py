from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "yiwang.hall"
    label = "hall"
    verbose_name = "政务服务大厅"

    def ready(self) -> None:
        from . import case_access

        case_access.register()
