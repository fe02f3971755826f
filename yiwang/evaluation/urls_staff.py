"""Workbench pages of 好差评 (namespace ``evaluation_staff``, under /workbench/evaluation/)."""

from django.urls import include, path

app_name = "evaluation_staff"

urlpatterns = [
    path("", include("yiwang.evaluation.urls_staff_rectify")),
    path("", include("yiwang.evaluation.urls_staff_ratings")),
]
