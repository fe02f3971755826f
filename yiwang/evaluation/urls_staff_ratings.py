"""Part A's workbench pages: 差评原因 and 监督查评."""

from django.urls import path

from . import rating_staff_views as views

urlpatterns = [
    path("reasons/", views.reasons, name="reasons"),
    path("inspections/", views.inspections, name="inspections"),
]
