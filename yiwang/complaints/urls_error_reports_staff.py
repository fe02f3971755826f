"""曝光纠错 in the workbench (namespace ``error_reports_staff``, under /workbench/error-reports/)."""

from django.urls import path

from . import error_report_views as views

app_name = "error_reports_staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:pk>/", views.staff_detail, name="detail"),
]
