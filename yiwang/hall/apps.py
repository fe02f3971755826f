from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "yiwang.hall"
    label = "hall"
    verbose_name = "政务服务大厅"

    def ready(self) -> None:
        from yiwang.cases.services import case_certified

        from . import case_access
        from .services import pickup

        case_access.register()
        case_certified.connect(pickup.on_case_certified, dispatch_uid="hall.pickup")
