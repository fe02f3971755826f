"""电子监察 pages, mounted under /workbench/supervision/ so that the staff second factor guards them."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("sharing/", views.sharing, name="sharing"),
]
