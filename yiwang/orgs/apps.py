from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yiwang.orgs"
    label = "orgs"
    verbose_name = "部门与大厅"
