"""曝光纠错, the public column (namespace ``error_reports``, under /jiucuo/)."""

from django.urls import path

from . import error_report_views as views

app_name = "error_reports"

urlpatterns = [
    path("", views.column, name="list"),
    path("new/", views.new, name="new"),
    path("<str:number>/", views.detail, name="detail"),
]
