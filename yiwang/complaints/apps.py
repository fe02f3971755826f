from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "yiwang.complaints"
    label = "complaints"
    verbose_name = "12345与曝光纠错"
