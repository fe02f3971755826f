from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "yiwang.complaints"
    label = "complaints"
    verbose_name = "12345与曝光纠错"

    def ready(self) -> None:
        # 曝光纠错: publishing the corrected guide marks its reports 已纠正.
        from yiwang.catalog.services import guide_published

        from .services import error_reports

        guide_published.connect(error_reports.on_guide_published,
                                dispatch_uid="complaints.error_reports.guide_published")
