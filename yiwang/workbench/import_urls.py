"""Workbench pages for catalogue import and export."""

from django.urls import path

from . import transfer_views

urlpatterns = [
    path("", transfer_views.transfer_home, name="transfer"),
    path("imports/<int:pk>/", transfer_views.import_job, name="transfer-job"),
    path("imports/<int:pk>/progress/", transfer_views.import_progress, name="transfer-progress"),
]
