"""Workbench pages of 好差评 (namespace ``evaluation_staff``, under /workbench/evaluation/)."""

from django.urls import include, path  # noqa: F401 (the parts add their lines)

app_name = "evaluation_staff"

urlpatterns = [
]
